/*
 * attrib_ebpf_linux.c - the eBPF backend of attrib_os.h: loads bpf/sockowner.bpf.c (through
 * the skeleton bpftool generates at build time), attaches its programs to the cgroup v2 root
 * with bpf_links, and reads the owners it records from the tuples map.
 *
 * Why eBPF: sock_diag and /proc only know sockets that are open when asked; a DNS query of
 * 2 ms is gone by then. The programs record the owner in the process's own context (socket
 * creation, bind, connect, send) and keep it after the socket closes (bounded LRU maps).
 *
 * Lifetime: the links are file descriptors of this process; the kernel detaches the programs
 * when they are closed, at ebpf_owners_close or when the process exits or crashes. Thread:
 * the attrib owner thread only (libbpf's print hook is process-wide but set only here).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <linux/capability.h>
#include <sys/socket.h>
#include <sys/syscall.h>

#include <bpf/bpf.h>
#include <bpf/libbpf.h>

#include "procs/attrib_os.h"
#include "procs/bpf/sockowner.h"
#include "procs/localaddr_linux.h"
#include "procs/procfs_linux.h"
#include "sockowner.skel.h"

#ifndef SO_NETNS_COOKIE
#define SO_NETNS_COOKIE 71 /* Linux 5.14; older libc headers lack it */
#endif
#define EBPF_MAX_LINKS 16
/* proc_owner.start of a record whose pid a later process holds now: no process has this
 * start time, so attrib_os_complete() leaves the details unread and the process table keeps
 * it apart from the pid's new holder. */
#define EBPF_START_REUSED UINT64_MAX

struct ebpf_owners {
	struct sockowner *skel;
	struct bpf_link *links[EBPF_MAX_LINKS];
	size_t nlinks;
	int tuples_fd;
	uint64_t reads;
	struct localaddr local; /* the bound-socket records answer for local addresses only */
};

/* libbpf's last warning, kept for the one-line why instead of being printed over the UI. */
static char libbpf_last[160];

static int keep_last_warning(enum libbpf_print_level level, const char *fmt, va_list ap)
{
	char line[sizeof libbpf_last];

	if (level == LIBBPF_DEBUG)
		return 0;
	vsnprintf(line, sizeof line, fmt, ap);
	line[strcspn(line, "\n")] = 0;
	if (line[0])
		memcpy(libbpf_last, line, sizeof line);
	return 0;
}

/* Root, or CAP_BPF and CAP_PERFMON (each or CAP_SYS_ADMIN) and CAP_NET_ADMIN in the effective
 * set: loading needs CAP_BPF, bpf_get_current_comm in cgroup programs CAP_PERFMON (measured:
 * the verifier refuses it without), attaching to a cgroup CAP_NET_ADMIN. */
static const char *missing_privilege(void)
{
	struct __user_cap_header_struct h = {_LINUX_CAPABILITY_VERSION_3, 0};
	struct __user_cap_data_struct d[2];
	uint64_t eff, admin = 1ull << CAP_SYS_ADMIN;

	if (geteuid() == 0)
		return NULL;
	if (syscall(SYS_capget, &h, d) != 0)
		return "no eBPF: needs CAP_BPF, CAP_PERFMON and CAP_NET_ADMIN, or root";
	eff = (uint64_t)d[1].effective << 32 | d[0].effective;
	if (!(eff & (1ull << 39 | admin))) /* CAP_BPF: Linux 5.8, not in every libc's headers */
		return "no eBPF: needs CAP_BPF (or root)";
	if (!(eff & (1ull << 38 | admin))) /* CAP_PERFMON */
		return "no eBPF: needs CAP_PERFMON (or root)";
	if (!(eff & (1ull << CAP_NET_ADMIN)))
		return "no eBPF: needs CAP_NET_ADMIN (or root)";
	return NULL;
}

/* The calling thread's network namespace cookie (what bpf_get_netns_cookie returns). */
static int netns_cookie(uint64_t *cookie)
{
	socklen_t len = sizeof *cookie;
	int fd = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0), rc;

	if (fd < 0)
		fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	rc = getsockopt(fd, SOL_SOCKET, SO_NETNS_COOKIE, cookie, &len);
	close(fd);
	return rc;
}

/* The mount point of the cgroup v2 hierarchy's root, from /proc/self/mountinfo. */
static int cgroup2_root(char *path, size_t n)
{
	FILE *f = fopen("/proc/self/mountinfo", "re");
	char line[1024], root[512], mnt[512];
	int found = -1;

	if (!f)
		return -1;
	while (found < 0 && fgets(line, sizeof line, f)) {
		const char *sep = strstr(line, " - cgroup2 ");
		if (sep && sscanf(line, "%*s %*s %*s %511s %511s", root, mnt) == 2 &&
		    strcmp(root, "/") == 0 && strlen(mnt) < n) {
			memcpy(path, mnt, strlen(mnt) + 1);
			found = 0;
		}
	}
	fclose(f);
	return found;
}

static void say(char *why, size_t n, const char *what, const char *detail)
{
	if (detail && detail[0])
		snprintf(why, n, "no eBPF: %s (%s)", what, detail);
	else
		snprintf(why, n, "no eBPF: %s", what);
}

static int attach_all(struct ebpf_owners *e, int cgfd, char *why, size_t n)
{
	struct bpf_program *prog;

	bpf_object__for_each_program(prog, e->skel->obj)
	{
		struct bpf_link *l = bpf_program__attach_cgroup(prog, cgfd);
		if (!l || e->nlinks == EBPF_MAX_LINKS) {
			bpf_link__destroy(l);
			say(why, n, "the kernel refused to attach", strerror(errno));
			return -1;
		}
		e->links[e->nlinks++] = l;
	}
	return 0;
}

static int load_and_attach(struct ebpf_owners *e, uint64_t cookie, char *why, size_t n)
{
	char cg[512];
	int cgfd, rc;

	e->skel = sockowner__open();
	if (!e->skel) {
		say(why, n, "cannot open the BPF object", libbpf_last);
		return -1;
	}
	e->skel->rodata->netns_cookie = cookie;
	rc = sockowner__load(e->skel);
	if (rc != 0) { /* libbpf's own last line only says the skeleton failed: the errno tells */
		say(why, n, "the kernel refused the programs", strerror(rc < 0 ? -rc : EINVAL));
		return -1;
	}
	e->tuples_fd = bpf_map__fd(e->skel->maps.tuples);
	if (cgroup2_root(cg, sizeof cg) != 0) {
		say(why, n, "no cgroup v2 hierarchy is mounted", NULL);
		return -1;
	}
	cgfd = open(cg, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (cgfd < 0) {
		say(why, n, "cannot open the cgroup v2 root", strerror(errno));
		return -1;
	}
	rc = attach_all(e, cgfd, why, n);
	close(cgfd);
	return rc;
}

struct ebpf_owners *ebpf_owners_open(char *why, size_t n)
{
	const char *priv = missing_privilege();
	struct ebpf_owners *e;
	uint64_t cookie;

	if (priv) {
		snprintf(why, n, "%s", priv);
		return NULL;
	}
	if (netns_cookie(&cookie) != 0) {
		say(why, n, "the kernel has no SO_NETNS_COOKIE (Linux 5.14+)", strerror(errno));
		return NULL;
	}
	e = calloc(1, sizeof *e);
	if (!e) {
		if (n)
			why[0] = 0;
		return NULL;
	}
	libbpf_last[0] = 0;
	libbpf_set_print(keep_last_warning);
	if (load_and_attach(e, cookie, why, n) != 0) {
		ebpf_owners_close(e);
		return NULL;
	}
	return e;
}

void ebpf_owners_close(struct ebpf_owners *e)
{
	if (!e)
		return;
	for (size_t i = 0; i < e->nlinks; i++)
		bpf_link__destroy(e->links[i]);
	sockowner__destroy(e->skel);
	free(e);
}

/* One map read: OWNER_FOUND, OWNER_NONE (no record) or OWNER_ERROR. */
static int read_tuple(struct ebpf_owners *e, const struct so_tuple *t, struct so_owner *o)
{
	e->reads++;
	if (bpf_map_lookup_elem(e->tuples_fd, t, o) == 0)
		return o->tgid ? OWNER_FOUND : OWNER_NONE;
	return errno == ENOENT ? OWNER_NONE : OWNER_ERROR;
}

/* CLOCK_BOOTTIME - CLOCK_MONOTONIC now: the time spent suspended. /proc start times count
 * from boot including suspend; the records' times (bpf_ktime_get_ns) do not. */
static uint64_t suspended_ns(void)
{
	struct timespec b, m;

	clock_gettime(CLOCK_BOOTTIME, &b);
	clock_gettime(CLOCK_MONOTONIC, &m);
	return (uint64_t)(b.tv_sec - m.tv_sec) * 1000000000u + (uint64_t)b.tv_nsec -
	       (uint64_t)m.tv_nsec;
}

/* The start time (/proc/PID/stat) of the recorded owner, for attrib_os_complete: 0 when the
 * pid is gone (nothing to complete); EBPF_START_REUSED when a process that started after the
 * record holds the pid now (so its details are never read as the owner's). The cgroup hooks
 * cannot read a task's start time; the record's time bounds it instead. */
static uint64_t owner_start(uint32_t pid, uint64_t seen_ns)
{
	long hz = sysconf(_SC_CLK_TCK);
	char comm[16];
	uint64_t start;

	if (hz <= 0 || !procfs_stat(pid, comm, &start))
		return 0;
	if (start * (1000000000u / (uint64_t)hz) > seen_ns + suspended_ns())
		return EBPF_START_REUSED;
	return start;
}

static void to_proc_owner(const struct so_owner *o, struct proc_owner *out)
{
	memset(out, 0, sizeof *out);
	out->pid = o->tgid;
	out->uid = o->uid;
	out->start = owner_start(o->tgid, o->ktime);
	memcpy(out->comm, o->comm, sizeof out->comm - 1);
	out->seen_ns = o->ktime;
}

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

/* The bound-socket records (local address and port, then the port alone; an IPv4 packet's
 * port may belong to a dual-stack IPv6 socket bound to ::, whose entry is keyed IPv6). */
static int read_bound(struct ebpf_owners *e, struct so_tuple *t, struct so_owner *o)
{
	int rc;

	t->rport = 0;
	memset(t->raddr, 0, sizeof t->raddr);
	rc = read_tuple(e, t, o);
	memset(t->laddr, 0, sizeof t->laddr);
	if (rc == OWNER_NONE)
		rc = read_tuple(e, t, o);
	if (rc == OWNER_NONE && t->family == 4) {
		t->family = 6;
		rc = read_tuple(e, t, o);
	}
	return rc;
}

/* Exact 4-tuple, then the bound-socket records, but those only when k's local address is
 * this namespace's own: a wildcard-bound port would otherwise claim the remote end of any
 * flow that shares its number (a reply from a remote port 53 to one of our clients). */
int ebpf_owners_lookup(struct ebpf_owners *e, const struct sock_key *k, struct proc_owner *out)
{
	struct so_tuple t = {.family = k->family, .proto = k->proto, .lport = k->lport};
	struct so_owner o;
	int rc = OWNER_NONE;

	if (!e)
		return OWNER_NONE;
	memcpy(t.laddr, k->laddr, sizeof t.laddr);
	if (k->rport) {
		t.rport = k->rport;
		memcpy(t.raddr, k->raddr, sizeof t.raddr);
		rc = read_tuple(e, &t, &o);
	}
	if (rc == OWNER_NONE && localaddr_is_local(&e->local, k->family, k->laddr, mono_ns()))
		rc = read_bound(e, &t, &o);
	if (rc == OWNER_FOUND)
		to_proc_owner(&o, out);
	return rc;
}

uint64_t ebpf_owners_reads(const struct ebpf_owners *e)
{
	return e ? e->reads : 0;
}
