/*
 * attrib_backend.h - where attrib.c's kernel answers come from. In this process
 * (attrib_local.c: sock_diag + /proc + eBPF through attrib_os.h), or, once privilege
 * separation dropped this process's privileges, from the capture helper, which holds
 * attribution's (cli/procs_remote.c installs that backend with attrib_use_backend()).
 * attrib.c keeps the caches, bounds and the process table either way.
 *
 * Threads: a backend instance belongs to its struct attrib's owner thread.
 */
#ifndef CAPSCOPE_ATTRIB_BACKEND_H
#define CAPSCOPE_ATTRIB_BACKEND_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs/attrib.h"
#include "procs/attrib_os.h"

struct attrib_backend_ops {
	/* A new instance, with how attribution works here in how ("processes: eBPF + sock_diag
	 * + /proc", or why not); NULL when out of memory or unreachable (how says why). */
	void *(*open)(const struct attrib_opts *o, char *how, size_t n);
	void (*close)(void *be);
	/* The owner of the socket k: OWNER_FOUND (o and *how set: AH_EBPF, AH_SOCKDIAG),
	 * OWNER_NONE or OWNER_ERROR. holder_first: sock_diag's present holder of an open socket
	 * before the eBPF records (attrib.c's recheck of a TCP flow). */
	int (*lookup)(void *be, const struct sock_key *k, uint64_t now_ns, bool holder_first,
	              struct proc_owner *o, uint8_t *how);
	/* attrib_os_complete() where the process is. */
	bool (*complete)(void *be, struct proc_info *p);
	/* The latest problem ("/proc is hidden..."), or "". Valid until the next call. */
	const char *(*problem)(void *be);
	void (*counters)(void *be, uint64_t *lookups, uint64_t *scans, uint64_t *errors);
};

/* In this process (attrib_local.c). */
extern const struct attrib_backend_ops attrib_local_ops;

/* attrib_open() uses ops from now on (NULL: attrib_local_ops). Main thread, before the first
 * attrib_open(). */
void attrib_use_backend(const struct attrib_backend_ops *ops);

#endif
