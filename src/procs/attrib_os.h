/*
 * attrib_os.h - the platform backends behind attrib.h: what the kernel says owns a socket.
 * attrib.c (portable: caches, bounds, the process table) calls these; one file per platform
 * per source implements them:
 *   attrib_sockdiag_linux.c - NETLINK_SOCK_DIAG queries and the /proc inode index
 *   attrib_ebpf_linux.c     - the eBPF owner records (bpf/sockowner.bpf.c), when built
 *                             (CAPSCOPE_HAVE_EBPF) and loadable
 *   attrib_none.c           - every other platform: nothing is available
 * A lookup fills a struct proc_owner: what is known at once (pid, comm, uid, start time);
 * attrib.c completes the rest from /proc while the process lives (attrib_os_complete).
 */
#ifndef CAPSCOPE_ATTRIB_OS_H
#define CAPSCOPE_ATTRIB_OS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs/attrib.h"

/* The local end of a flow, as the kernel's socket tables key it. */
struct sock_key {
	uint8_t family;               /* 4 or 6 */
	uint8_t proto;                /* 6 or 17 */
	uint16_t lport, rport;        /* host byte order; rport 0: any (a listening or unconnected
	                                 socket) */
	uint8_t laddr[16], raddr[16]; /* IPv4 in the first 4 bytes; all zero: any */
};

struct proc_owner {
	uint32_t pid; /* thread group id */
	uint32_t uid;
	uint64_t start;   /* clock ticks since boot, as /proc/PID/stat's field 22; 0 unknown */
	char comm[16];    /* NUL-terminated */
	uint64_t seen_ns; /* CLOCK_MONOTONIC when the kernel recorded it (eBPF), else 0 */
};

/* Lookup results. */
enum { OWNER_ERROR = -1, OWNER_NONE = 0, OWNER_FOUND = 1 };

/* ---- sock_diag + /proc (Linux) ---- */
struct sockdiag;
/* Opens a NETLINK_SOCK_DIAG socket in the calling thread's network namespace; NULL with a
 * one-line why (why[0] = 0 when only out of memory). */
struct sockdiag *sockdiag_open(unsigned max_scans_per_sec, char *why, size_t n);
void sockdiag_close(struct sockdiag *s);
/* The owner of the socket k: an exact inet_diag query (connected sockets), then the
 * listening or unconnected socket on the local port; the socket inode is mapped to a
 * process through an index of /proc/PID/fd built lazily and rebuilt at most
 * max_scans_per_sec times a second when an inode is not in it. */
int sockdiag_lookup(struct sockdiag *s, const struct sock_key *k, uint64_t now_ns,
                    struct proc_owner *out);
/* The latest problem ("/proc is hidden (hidepid=2): only this user's processes"), or "". */
const char *sockdiag_problem(const struct sockdiag *s);
uint64_t sockdiag_scans(const struct sockdiag *s);
uint64_t sockdiag_queries(const struct sockdiag *s);

/* ---- eBPF owner records (Linux, CAPSCOPE_HAVE_EBPF) ---- */
struct ebpf_owners;
/* Loads and attaches the programs, recording owners of sockets of the calling thread's
 * network namespace only. NULL with a one-line why ("no eBPF: needs CAP_BPF or root",
 * "no eBPF: not built in", the kernel's refusal). */
struct ebpf_owners *ebpf_owners_open(char *why, size_t n);
void ebpf_owners_close(struct ebpf_owners *e);
/* The recorded owner of k: exact 4-tuple, then the local address and port, then the local
 * port alone. */
int ebpf_owners_lookup(struct ebpf_owners *e, const struct sock_key *k, struct proc_owner *out);
uint64_t ebpf_owners_reads(const struct ebpf_owners *e);

/* ---- this network namespace's own addresses (Linux: localaddr_linux.c) ---- */
struct localaddr;
/* A table of the namespace's addresses, refreshed as localaddr_is_local() needs; NULL where
 * the platform cannot list them (then every address may be local) or out of memory. */
struct localaddr *localaddr_new(void);
void localaddr_free(struct localaddr *l);
/* family 4 or 6; a (4 or 16 bytes). 127.0.0.0/8, ::1 and v4-mapped loopback are local. The
 * list comes from getifaddrs(), refreshed at most once a second when a is not in it. */
bool localaddr_is_local(struct localaddr *l, uint8_t family, const uint8_t *a, uint64_t now_ns);

/* ---- /proc details (Linux; elsewhere they leave p as it is) ---- */
/* Fills p's cmdline, user, cgroup and container from /proc/PID when the process there is
 * still the one of p->start (a pid reused since is not read). Returns false when gone. */
bool attrib_os_complete(struct proc_info *p);
/* The platform's name for what attribution cannot do at all here, or NULL when it can. */
const char *attrib_os_unavailable(void);

#endif
