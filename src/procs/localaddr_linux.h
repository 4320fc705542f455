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

#define LOCALADDR_MAX 1024

struct localaddr {
	uint8_t addr[LOCALADDR_MAX][17]; /* [0]: 4 or 6, then the address */
	unsigned n;
	uint64_t at_ns; /* the latest refresh; 0: never */
};

/* family 4 or 6; a (4 or 16 bytes). 127.0.0.0/8, ::1 and v4-mapped loopback are local. */
bool localaddr_is_local(struct localaddr *l, uint8_t family, const uint8_t *a, uint64_t now_ns);

#endif
