/*
 * attrib_sockdiag_linux.c - the owner of a socket from NETLINK_SOCK_DIAG (inet_diag, TCP and
 * UDP, IPv4 and IPv6) and the /proc inode index (sockindex_linux.c), as `ss -p` finds it.
 *
 * A lookup is an exact inet_diag query for the 4-tuple (no dump: the kernel's own socket
 * lookup, which also finds a listening TCP socket or an unconnected UDP one, as the receive
 * path would); when that finds no socket with an inode (a connection not accepted yet has
 * none), the listening and unconnected sockets of the local port from a dump, cached and
 * refreshed at most LISTEN_REFRESH_NS apart. The inode then goes through the index,
 * rebuilt at most max_scans_per_sec times a second when an inode is missing (and, when
 * scans are slow, no sooner than SCAN_PACE times the last one's cost); before such a
 * rescan, the fd folders of the few processes that owned the latest sockets are read again
 * (a program opening connection after connection is found at the cost of one folder, not
 * of all /proc). The netlink socket is opened in the calling thread's network namespace,
 * so sockets of other namespaces are never seen, though /proc shows their processes. Only
 * an end whose address is this namespace's own is asked about (localaddr_linux.c).
 * Netlink replies are hostile input: every length is checked, loops are bounded, and a
 * timeout keeps a silent kernel from blocking the capture's consumer.
 */
#include <dirent.h>
#include <errno.h>
#include <linux/inet_diag.h>
#include <linux/netlink.h>
#include <linux/sock_diag.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include "procs/attrib_os.h"
#include "procs/localaddr_linux.h"
#include "procs/procfs_linux.h"
#include "procs/sockindex_linux.h"

#define INDEX_MAX         (256u * 1024) /* sockets the inode index holds */
#define LISTEN_MAX        (128u * 1024) /* listening/unconnected sockets kept from a dump */
#define LISTEN_REFRESH_NS (500ull * 1000 * 1000)
#define RECV_TIMEOUT_MS   200
#define MAX_DUMP_MSGS     (1u << 20) /* messages read from one dump, at most */
#define MAX_RECVS         16         /* datagrams read for one exact query, at most */
#define SEC_NS            1000000000ull
#define SCAN_PACE         5 /* a rescan waits 5 times as long as the one before took */
#define RECENT_OWNERS     8 /* processes whose fd folders are read before a whole rescan */
#define TCP_ST_TIME_WAIT  6
#define TCP_ST_CLOSE      7
#define TCP_ST_LISTEN     10

struct listener {
	uint64_t inode;
	uint16_t port;
	uint8_t proto, family;
	uint8_t addr[16];
};

struct sockdiag {
	int fd;
	uint32_t seq;
	struct sockindex *idx;
	unsigned max_scans;
	uint64_t window_ns; /* start of the current second of scans */
	unsigned window_scans;
	uint64_t next_scan_ns; /* no whole rescan before: a scan's cost paces the next one */
	bool scanned;
	struct listener *lis;
	size_t nlis;
	uint64_t lis_at_ns;
	bool lis_valid;
	struct localaddr local;
	uint32_t recent[RECENT_OWNERS]; /* the latest owners found, newest at recent_next - 1 */
	unsigned recent_next;
	uint64_t scans, queries, errors;
	char problem[192];
	/* replies: read into rbuf (uint32_t for netlink's 4-byte alignment); an exact query's
	 * answer is kept in found. Per instance: two threads may each have one. */
	uint32_t rbuf[8192];
	struct inet_diag_msg found;
};

/* One reply message, handed to a dump's collector. */
typedef void (*diag_fn)(struct sockdiag *s, const struct inet_diag_msg *m, uint8_t proto);

/* What /proc lets this process see, known before the first lookup: hidepid hides other
 * users' processes, and without root or CAP_SYS_PTRACE their fd folders are unreadable. */
static void check_proc(struct sockdiag *s)
{
	DIR *d;

	if (getpid() == 1)
		return;
	if (access("/proc/1/stat", F_OK) != 0) {
		snprintf(s->problem, sizeof s->problem,
		         "/proc is hidden (hidepid): only this user's processes");
	} else if (!(d = opendir("/proc/1/fd"))) {
		snprintf(s->problem, sizeof s->problem,
		         "other users' /proc/PID/fd unreadable (needs root or CAP_SYS_PTRACE): "
		         "only this user's processes");
	} else {
		closedir(d);
	}
}

struct sockdiag *sockdiag_open(unsigned max_scans_per_sec, char *why, size_t n)
{
	struct sockdiag *s = calloc(1, sizeof *s);
	struct timeval tv = {0, RECV_TIMEOUT_MS * 1000};

	if (n)
		why[0] = '\0';
	if (!s)
		return NULL;
	s->max_scans = max_scans_per_sec ? max_scans_per_sec : 20;
	s->idx = sockindex_new(INDEX_MAX);
	s->lis = calloc(LISTEN_MAX, sizeof *s->lis);
	if (!s->idx || !s->lis) {
		sockdiag_close(s);
		return NULL;
	}
	s->fd = socket(AF_NETLINK, SOCK_DGRAM | SOCK_CLOEXEC, NETLINK_SOCK_DIAG);
	if (s->fd < 0) {
		snprintf(why, n, "netlink sock_diag: %s", strerror(errno));
		s->fd = -1;
		sockdiag_close(s);
		return NULL;
	}
	setsockopt(s->fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
	check_proc(s);
	return s;
}

void sockdiag_close(struct sockdiag *s)
{
	if (!s)
		return;
	if (s->fd >= 0)
		close(s->fd);
	sockindex_free(s->idx);
	free(s->lis);
	free(s);
}

const char *sockdiag_problem(const struct sockdiag *s)
{
	return s->problem;
}

uint64_t sockdiag_scans(const struct sockdiag *s)
{
	return s->scans;
}

uint64_t sockdiag_queries(const struct sockdiag *s)
{
	return s->queries;
}

static void netlink_error(struct sockdiag *s, const char *what, int err)
{
	s->errors++;
	snprintf(s->problem, sizeof s->problem, "netlink sock_diag %s: %s (%llu errors)", what,
	         strerror(err), (unsigned long long)s->errors);
}

static bool send_req(struct sockdiag *s, const struct inet_diag_req_v2 *r, bool dump)
{
	struct {
		struct nlmsghdr nh;
		struct inet_diag_req_v2 r;
	} req = {
	    .nh = {.nlmsg_len = sizeof req,
	           .nlmsg_type = SOCK_DIAG_BY_FAMILY,
	           .nlmsg_flags = (uint16_t)(NLM_F_REQUEST | (dump ? NLM_F_DUMP : 0)),
	           .nlmsg_seq = ++s->seq},
	    .r = *r,
	};
	struct sockaddr_nl to = {.nl_family = AF_NETLINK};

	s->queries++;
	if (sendto(s->fd, &req, sizeof req, 0, (struct sockaddr *)&to, sizeof to) < 0) {
		netlink_error(s, "send", errno);
		return false;
	}
	return true;
}

/*
 * Reads replies to the latest request: each inet_diag message goes to fn. Ends at the
 * first message of an exact query, at NLMSG_DONE of a dump, or at an error. Messages of
 * older requests (a reply that came after its timeout) are skipped. Returns the number of
 * messages, or -1 on an error (ENOENT: no such socket, is not one: it returns 0).
 */
static long read_replies(struct sockdiag *s, bool dump, uint8_t proto, diag_fn fn)
{
	char *buf = (char *)s->rbuf;
	long got = 0;

	for (unsigned recvs = 0; recvs < (dump ? MAX_DUMP_MSGS : MAX_RECVS); recvs++) {
		ssize_t n = recv(s->fd, buf, sizeof s->rbuf, 0);
		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0) {
			netlink_error(s, "receive", errno);
			return -1;
		}
		for (struct nlmsghdr *h = (struct nlmsghdr *)buf; NLMSG_OK(h, (size_t)n);
		     h = NLMSG_NEXT(h, n)) {
			if (h->nlmsg_seq != s->seq)
				continue;
			if (h->nlmsg_type == NLMSG_DONE)
				return got;
			if (h->nlmsg_type == NLMSG_ERROR) {
				const struct nlmsgerr *e = NLMSG_DATA(h);
				int err =
				    h->nlmsg_len >= NLMSG_LENGTH(sizeof *e) ? -e->error : EPROTO;
				if (err == ENOENT)
					return 0;
				netlink_error(s, "query", err);
				return -1;
			}
			if (h->nlmsg_type != SOCK_DIAG_BY_FAMILY ||
			    h->nlmsg_len < NLMSG_LENGTH(sizeof(struct inet_diag_msg)))
				continue;
			fn(s, NLMSG_DATA(h), proto);
			if (++got >= (long)MAX_DUMP_MSGS || !dump)
				return got;
		}
		if (got && !dump)
			return got;
	}
	return got;
}

/* ---- exact queries ---- */

static void keep_msg(struct sockdiag *s, const struct inet_diag_msg *m, uint8_t proto)
{
	(void)proto;
	s->found = *m;
}

/*
 * The socket of k's 4-tuple. TCP looks the socket up as a packet from the remote end would
 * be (idiag_src is ours); UDP's lookup takes the pair the other way round ("src and dst are
 * swapped for historical reasons", net/ipv4/udp_diag.c), so our end goes in idiag_dst.
 */
static int exact_query(struct sockdiag *s, const struct sock_key *k, struct inet_diag_msg *out)
{
	struct inet_diag_req_v2 r = {
	    .sdiag_family = k->family == 6 ? AF_INET6 : AF_INET,
	    .sdiag_protocol = k->proto,
	    .idiag_states = ~0u,
	    .id = {.idiag_cookie = {INET_DIAG_NOCOOKIE, INET_DIAG_NOCOOKIE}},
	};
	bool swap = k->proto == IPPROTO_UDP;
	size_t alen = k->family == 6 ? 16 : 4;
	long got;

	r.id.idiag_sport = htons(swap ? k->rport : k->lport);
	r.id.idiag_dport = htons(swap ? k->lport : k->rport);
	memcpy(r.id.idiag_src, swap ? k->raddr : k->laddr, alen);
	memcpy(r.id.idiag_dst, swap ? k->laddr : k->raddr, alen);
	if (!send_req(s, &r, false))
		return OWNER_ERROR;
	memset(&s->found, 0, sizeof s->found);
	got = read_replies(s, false, k->proto, keep_msg);
	if (got < 0)
		return OWNER_ERROR;
	if (got == 0)
		return OWNER_NONE;
	*out = s->found;
	return OWNER_FOUND;
}

/* ---- the listening and unconnected sockets, from dumps ---- */

static void add_listener(struct sockdiag *s, const struct inet_diag_msg *m, uint8_t proto)
{
	struct listener *l;

	if (s->nlis >= LISTEN_MAX || m->idiag_inode == 0)
		return;
	l = &s->lis[s->nlis++];
	l->inode = m->idiag_inode;
	l->port = ntohs(m->id.idiag_sport);
	l->proto = proto;
	l->family = m->idiag_family == AF_INET6 ? 6 : 4;
	memset(l->addr, 0, sizeof l->addr);
	memcpy(l->addr, m->id.idiag_src, l->family == 6 ? 16 : 4);
}

static void dump_listeners(struct sockdiag *s, uint64_t now_ns)
{
	static const struct {
		uint8_t family, proto;
		uint32_t states;
	} dumps[] = {
	    {AF_INET, IPPROTO_TCP, 1u << TCP_ST_LISTEN},
	    {AF_INET6, IPPROTO_TCP, 1u << TCP_ST_LISTEN},
	    {AF_INET, IPPROTO_UDP, 1u << TCP_ST_CLOSE},
	    {AF_INET6, IPPROTO_UDP, 1u << TCP_ST_CLOSE},
	};

	s->nlis = 0;
	s->lis_at_ns = now_ns;
	s->lis_valid = true;
	for (size_t i = 0; i < sizeof dumps / sizeof dumps[0]; i++) {
		struct inet_diag_req_v2 r = {.sdiag_family = dumps[i].family,
		                             .sdiag_protocol = dumps[i].proto,
		                             .idiag_states = dumps[i].states};
		if (!send_req(s, &r, true) ||
		    read_replies(s, true, dumps[i].proto, add_listener) < 0)
			s->lis_valid = false;
	}
}

static bool addr_any(const uint8_t *a, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (a[i])
			return false;
	return true;
}

/* The socket of k's local port: one bound to k's address first, else a wildcard one (an
 * IPv6 wildcard socket also takes IPv4 unless it is v6only, which a dump does not say). */
static uint64_t listener_inode(const struct sockdiag *s, const struct sock_key *k)
{
	size_t alen = k->family == 6 ? 16 : 4;
	uint64_t wild = 0;

	for (size_t i = 0; i < s->nlis; i++) {
		const struct listener *l = &s->lis[i];
		if (l->proto != k->proto || l->port != k->lport ||
		    (l->family == 6 && k->family == 4 ? !addr_any(l->addr, 16)
		                                      : l->family != k->family))
			continue;
		if (l->family == k->family && memcmp(l->addr, k->laddr, alen) == 0)
			return l->inode;
		if (addr_any(l->addr, l->family == 6 ? 16 : 4) && !wild)
			wild = l->inode;
	}
	return wild;
}

/* ---- inode -> process ---- */

static void note_scan(struct sockdiag *s, const struct sockindex_scan_info *in)
{
	if (in->hidden)
		snprintf(s->problem, sizeof s->problem,
		         "/proc is hidden (hidepid): only this user's processes (%u of them seen)",
		         in->procs);
	else if (in->unreadable)
		snprintf(s->problem, sizeof s->problem,
		         "/proc/PID/fd of %u of %u processes unreadable (needs root or "
		         "CAP_SYS_PTRACE): their sockets stay unattributed",
		         in->unreadable, in->procs);
	else if (in->dropped)
		snprintf(s->problem, sizeof s->problem,
		         "%zu sockets open: only the first %zu indexed", in->sockets + in->dropped,
		         in->sockets);
}

/* Rebuilds the index unless max_scans were made in the current second. */
static uint64_t monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * SEC_NS + (uint64_t)ts.tv_nsec;
}

static bool rescan(struct sockdiag *s, uint64_t now_ns)
{
	struct sockindex_scan_info in;
	uint64_t took;
	bool ok;

	if (now_ns - s->window_ns >= SEC_NS || !s->scanned) {
		s->window_ns = now_ns;
		s->window_scans = 0;
	}
	if (s->window_scans >= s->max_scans || (s->scanned && now_ns < s->next_scan_ns))
		return false;
	s->window_scans++;
	s->scans++;
	s->scanned = true;
	took = monotonic_ns();
	ok = sockindex_scan(s->idx, &in);
	/* a scan of 100k descriptors takes a good part of a second: when max_scans of them
	 * would cost more than a fifth of the consumer's time, each waits 5 times its cost */
	took = monotonic_ns() - took;
	s->next_scan_ns = took * s->max_scans > SEC_NS / SCAN_PACE ? now_ns + SCAN_PACE * took : 0;
	if (!ok) {
		s->errors++;
		snprintf(s->problem, sizeof s->problem, "/proc cannot be listed: %s",
		         strerror(errno));
		return false;
	}
	note_scan(s, &in);
	return true;
}

/* The inode among the sockets of the latest owners, read again. */
static bool recent_owner(struct sockdiag *s, uint64_t inode, uint32_t *pid)
{
	uint32_t fd;

	for (unsigned i = 0; i < RECENT_OWNERS; i++) {
		uint32_t p = s->recent[(s->recent_next + RECENT_OWNERS - 1 - i) % RECENT_OWNERS];
		if (p && sockindex_add_pid(s->idx, p) && sockindex_find(s->idx, inode, pid, &fd) &&
		    sockindex_still(*pid, fd, inode))
			return true;
	}
	return false;
}

static void remember_owner(struct sockdiag *s, uint32_t pid)
{
	for (unsigned i = 0; i < RECENT_OWNERS; i++)
		if (s->recent[i] == pid)
			return;
	s->recent[s->recent_next] = pid;
	s->recent_next = (s->recent_next + 1) % RECENT_OWNERS;
}

static bool inode_owner(struct sockdiag *s, uint64_t inode, uint64_t now_ns, uint32_t *pid)
{
	uint32_t fd;
	bool found =
	    (sockindex_find(s->idx, inode, pid, &fd) && sockindex_still(*pid, fd, inode)) ||
	    recent_owner(s, inode, pid) ||
	    (rescan(s, now_ns) && sockindex_find(s->idx, inode, pid, &fd));

	if (found)
		remember_owner(s, *pid);
	return found;
}

static int fill_owner(struct sockdiag *s, uint64_t inode, uint32_t sock_uid, uint64_t now_ns,
                      struct proc_owner *out)
{
	uint32_t pid;

	if (!inode_owner(s, inode, now_ns, &pid))
		return OWNER_NONE;
	memset(out, 0, sizeof *out);
	out->pid = pid;
	out->uid = procfs_uid(pid);
	if (out->uid == UINT32_MAX)
		out->uid = sock_uid;
	if (!procfs_stat(pid, out->comm, &out->start))
		out->start = 0; /* gone since the scan: the pid is all that is known */
	return OWNER_FOUND;
}

int sockdiag_lookup(struct sockdiag *s, const struct sock_key *k, uint64_t now_ns,
                    struct proc_owner *out)
{
	struct inet_diag_msg m;
	int r;
	uint64_t inode;

	if (!localaddr_is_local(&s->local, k->family, k->laddr, now_ns))
		return OWNER_NONE; /* a wildcard socket matches any address: ask only for ours */
	r = exact_query(s, k, &m);
	if (r == OWNER_ERROR)
		return r;
	if (r == OWNER_FOUND && m.idiag_inode)
		return fill_owner(s, m.idiag_inode, m.idiag_uid, now_ns, out);
	/* no inode: TIME_WAIT (nobody owns it any more), or a connection not yet accepted (a
	 * request socket, or established in the accept queue): the listener's process will */
	if (r == OWNER_FOUND && m.idiag_state == TCP_ST_TIME_WAIT)
		return OWNER_NONE;
	if (!s->lis_valid || now_ns - s->lis_at_ns >= LISTEN_REFRESH_NS)
		dump_listeners(s, now_ns);
	inode = listener_inode(s, k);
	return inode ? fill_owner(s, inode, UINT32_MAX, now_ns, out) : OWNER_NONE;
}
