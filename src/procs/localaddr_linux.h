/*
 * localaddr_linux.h - is an address one of this network namespace's own? The kernel's
 * socket lookup matches a wildcard listener for any address, so sock_diag is asked about an
 * end of a packet only when that end is local (forwarded and remote-only traffic then costs
 * no kernel query at all). The list comes from getifaddrs(), refreshed at most once a second
 * when an address is not in it. Bounded: LOCALADDR_MAX addresses. One thread.
 */
#ifndef CAPSCOPE_LOCALADDR_LINUX_H
#define CAPSCOPE_LOCALADDR_LINUX_H

#include <stdbool.h>
#include <stdint.h>

#include "procs/attrib_os.h"

#define LOCALADDR_MAX 1024

struct localaddr {
	uint8_t addr[LOCALADDR_MAX][17]; /* [0]: 4 or 6, then the address */
	unsigned n;
	uint64_t at_ns; /* the latest refresh; 0: never */
};

/* localaddr_new(), localaddr_is_local(): attrib_os.h (the struct is here so that a backend
 * can hold one by value). */

#endif
