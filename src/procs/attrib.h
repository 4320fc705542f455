/*
 * attrib.h - which local process sent or receives a packet (process attribution).
 *
 * A struct attrib answers, for a TCP or UDP packet of a live capture, "which process of
 * this machine holds the socket at our end": the local end is the packet's source (an
 * outgoing packet) or its destination (incoming). Where it comes from:
 *  - Linux: sockets of the capture's network namespace from NETLINK_SOCK_DIAG (inet_diag,
 *    TCP and UDP, IPv4 and IPv6, as `ss -p`), socket inode -> pid, command and user from
 *    /proc/PID/fd; and, where the kernel and privileges allow, an eBPF program that records
 *    the owner of each socket while it lives, so that a socket of 2 ms is still known
 *    (attrib_os.h: the platform backends).
 *  - Other platforms: nothing (attrib_status says so); every packet is unattributed.
 *  - A pcapng file capscope wrote with --pcapng: each packet's comment (proc_comment.h).
 *
 * Unattributable packets (forwarded, remote-only, the socket gone before it was seen) get
 * id 0, never a guess. State is bounded: the flow cache by count and the process table by
 * count (each evicts its least recently seen entry for a new one), and lookups in the kernel
 * by rate.
 *
 * Threads: one owner thread per struct attrib (the headless loop, or the monitor's UI
 * thread), never the capture thread: packets are attributed when they are consumed.
 */
#ifndef CAPSCOPE_ATTRIB_H
#define CAPSCOPE_ATTRIB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* A TCP or UDP packet's addresses and ports as the capture saw them (src -> dst). */
struct flow_key {
	uint8_t family; /* 4 or 6 */
	uint8_t proto;  /* 6 (TCP) or 17 (UDP) */
	uint16_t sport; /* host byte order */
	uint16_t dport;
	uint8_t src[16]; /* IPv4: the first 4 bytes, the rest zero */
	uint8_t dst[16];
};

/* A hash of k's flow that is the same both ways (src and dst swapped), never 0: the flow
 * cache's, and the monitor's count of a process's connections. */
uint64_t flow_key_hash(const struct flow_key *k);

/* How an owner was found. */
enum attrib_how {
	AH_NONE = 0,
	AH_SOCKDIAG, /* netlink sock_diag + /proc while the socket was open */
	AH_EBPF,     /* recorded in the kernel when the process used the socket */
	AH_COMMENT,  /* read back from a pcapng packet comment */
};

#define PROC_NAME_MAX    64 /* command (comm is 15 bytes; a comment may carry more) */
#define PROC_USER_MAX    64
#define PROC_CMDLINE_MAX 512 /* arguments joined by spaces; cut to fit */
#define PROC_CGROUP_MAX  256

/* One process, as far as it could be known. Strings are raw bytes from the kernel or a file
 * (a process picks its own name): escape them before they reach a terminal. */
struct proc_info {
	uint32_t pid;   /* the thread group id (what ps shows) */
	uint32_t uid;   /* UINT32_MAX if unknown */
	uint64_t start; /* start time in clock ticks since boot (/proc/PID/stat field 22), 0 if
	                   unknown; with pid it tells a reused pid from the process before */
	char name[PROC_NAME_MAX];       /* "curl" */
	char user[PROC_USER_MAX];       /* "root", or the uid in decimal when it has no name */
	char cmdline[PROC_CMDLINE_MAX]; /* "" when the process was gone before it was read */
	char cgroup[PROC_CGROUP_MAX];   /* the unified (v2) cgroup path, "" if none */
	char container[65];             /* a container id found in the cgroup path, or "" */
	uint8_t how;                    /* enum attrib_how */
};

/* Process ids: 0 is "unattributed"; ATTRIB_TOO_MANY stands for a process that could not be
 * added (out of memory). An id names one process while it is in the table (the monitor
 * stores one per packet); once the table evicted it attrib_proc() gives NULL, and a process
 * seen again gets a new id (ids are not reused for 2^31 - 2 processes: proctab.h). */
#define ATTRIB_NONE     0u
#define ATTRIB_TOO_MANY 1u

struct attrib_opts {
	bool no_ebpf;               /* netlink + /proc only (--no-ebpf) */
	size_t max_flows;           /* flow cache entries; 0: ATTRIB_DEFAULT_FLOWS */
	size_t max_procs;           /* process table entries; 0: ATTRIB_DEFAULT_PROCS */
	unsigned max_scans_per_sec; /* /proc rescans when an inode is unknown; 0: default 20 */
};

#define ATTRIB_DEFAULT_FLOWS 65536
#define ATTRIB_DEFAULT_PROCS 16384

struct attrib_counters {
	uint64_t packets;        /* packets asked about */
	uint64_t attributed;     /* ... given a process */
	uint64_t by_ebpf;        /* flows whose owner came from the eBPF records */
	uint64_t by_sockdiag;    /* flows whose owner came from sock_diag + /proc */
	uint64_t kernel_lookups; /* sock_diag queries and eBPF map reads */
	uint64_t proc_scans;     /* /proc rescans */
	uint64_t errors;         /* netlink or /proc errors (the capture goes on) */
	size_t flows, procs;     /* entries held */
	uint64_t flows_evicted;  /* flow cache entries given up for new flows */
	uint64_t procs_evicted;  /* processes given up for new ones (their ids name none now) */
};

struct attrib;

/* Opens attribution for the calling thread's network namespace. Never fails for lack of
 * privilege or kernel support: what works is said by attrib_status(). NULL only when out of
 * memory. */
struct attrib *attrib_open(const struct attrib_opts *o);
void attrib_close(struct attrib *a);

/* The process behind a packet: its id (ATTRIB_NONE when none), *out true when the local end
 * is the source (the process sent it). `syn` marks a TCP SYN without ACK (a new connection:
 * a cached owner of the same 4-tuple is not trusted). now_ns: the monotonic clock (for the
 * rate bounds and the cache's age). */
uint32_t attrib_packet(struct attrib *a, const struct flow_key *k, bool syn, uint64_t now_ns,
                       bool *out);
/* The process of an id, or NULL for ATTRIB_NONE, an evicted process or an unknown id. The
 * pointer stays valid for the life of a, but shows another process once its entry is reused
 * by a later attrib_packet or attrib_intern: use it before the next. */
const struct proc_info *attrib_proc(const struct attrib *a, uint32_t id);
/* Adds (or finds) a process known from elsewhere (a pcapng comment) and returns its id. */
uint32_t attrib_intern(struct attrib *a, const struct proc_info *p);

/* One line for the status bar and --processes' note on stderr: how attribution works here
 * ("processes: eBPF + sock_diag", "processes: sock_diag + /proc only (no eBPF: needs
 * CAP_BPF or root)", "processes: not available on this platform"), plus the latest problem
 * ("/proc is hidden (hidepid): only own processes"). Terminal-safe. */
const char *attrib_status(const struct attrib *a);
void attrib_counters(const struct attrib *a, struct attrib_counters *c);

#endif
