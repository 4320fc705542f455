/*
 * sockowner.h - the records sockowner.bpf.c keeps in the kernel and attrib_ebpf_linux.c reads:
 * shared by the BPF program and the user-space reader, so it uses only fixed-width types from
 * <linux/types.h> and no padding the two compilers could lay out differently.
 */
#ifndef CAPSCOPE_SOCKOWNER_H
#define CAPSCOPE_SOCKOWNER_H

#include <linux/types.h>

/* Bounds of the two maps (LRU: the oldest records go first when they are full). The kernel
 * preallocates them: about 4 MB for the sockets (live ones only: a closed socket's record is
 * deleted) and 9 MB for the tuples (as many as attrib.h's default flow cache). */
#define SOCKOWNER_MAX_SOCKETS 32768
#define SOCKOWNER_MAX_TUPLES  65536

/* Who used a socket, as the kernel saw it in the process's own context. */
struct so_owner {
	__u32 tgid;
	__u32 uid;
	__u64 ktime; /* bpf_ktime_get_ns() (CLOCK_MONOTONIC) of the event */
	char comm[16];
};

/* A socket's record: its owner, and when its tuple was last published (0: not yet). */
struct so_sock {
	struct so_owner owner;
	__u64 published_ns;
	__u8 family; /* 4 or 6 */
	__u8 proto;  /* 6 or 17 */
	__u8 pad[6];
};

/* A socket's ends as the socket sees them. Ports in host byte order; addresses in network
 * byte order (IPv4 in the first 4 bytes). rport 0 and raddr 0: a bound or listening
 * socket's local end (the "local address and port" entry); laddr 0 as well: the "local
 * port alone" entry. An IPv4-mapped IPv6 socket is keyed as IPv4. */
struct so_tuple {
	__u8 family;
	__u8 proto;
	__u16 lport;
	__u16 rport;
	__u16 pad;
	__u8 laddr[16];
	__u8 raddr[16];
};

#endif
