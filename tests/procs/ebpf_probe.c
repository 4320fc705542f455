/*
 * ebpf_probe.c - drives the eBPF backend (attrib_os.h's ebpf_owners_*) for
 * tests/procs/test_ebpf_owners.sh and bench/ebpf_latency: opens it in the calling network
 * namespace and answers commands read from stdin, one line each, until EOF:
 *   lookup FAMILY PROTO LADDR LPORT RADDR RPORT  -> "found PID UID COMM SEEN_NS START" | "none"
 *                             | "error"; START: the ticks, "gone" or "reused" (proc_owner.start)
 *   latency N ADDR PORT IFNAME -> N times: a child takes CLOCK_MONOTONIC and connects to
 *                             ADDR:PORT (TCP, ephemeral port); this process takes the SYN off
 *                             IFNAME (a packet socket, as a capture would) and looks its tuple
 *                             up until the child is the owner; prints "lat NS" per connection
 *                             (child's clock before connect() to our first read that finds
 *                             it), or "lat-miss (why)" when not found within 1 s.
 * At start it prints "ready" (the programs are attached), or "SKIP: why" and exits 77 when
 * eBPF is not available here.
 * With CAPSCOPE_PROBE_BACKEND=sockdiag in the environment it drives the sock_diag + /proc
 * backend instead (bench/attrib_latency.sh: the latency without eBPF); a latency child then
 * keeps its connection open until its owner was found (sock_diag sees open sockets only).
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <net/if.h>
#include <netinet/in.h>
#include <linux/if_ether.h>
#include <linux/if_packet.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "procs/attrib_os.h"

/* Set when the sock_diag backend is driven instead of the eBPF one. */
static struct sockdiag *sd;

static uint64_t mono_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

static int parse_addr(int family, const char *s, uint8_t out[16])
{
	memset(out, 0, 16);
	return inet_pton(family == 6 ? AF_INET6 : AF_INET, s, out) == 1 ? 0 : -1;
}

static int owner_of(struct ebpf_owners *e, const struct sock_key *k, struct proc_owner *o)
{
	return sd ? sockdiag_lookup(sd, k, mono_ns(), o) : ebpf_owners_lookup(e, k, o);
}

/* proc_owner.start: "gone" (0), "reused" (no process has it), or the ticks. */
static const char *start_text(uint64_t start, char *buf, size_t n)
{
	if (start == 0)
		return "gone";
	if (start == UINT64_MAX)
		return "reused";
	snprintf(buf, n, "%llu", (unsigned long long)start);
	return buf;
}

static void cmd_lookup(struct ebpf_owners *e, const char *args)
{
	char la[64], ra[64], st[24];
	unsigned fam, proto, lport, rport;
	struct sock_key k = {0};
	struct proc_owner o;
	int rc;

	if (sscanf(args, "%u %u %63s %u %63s %u", &fam, &proto, la, &lport, ra, &rport) != 6 ||
	    parse_addr(fam, la, k.laddr) || parse_addr(fam, ra, k.raddr)) {
		puts("error bad lookup line");
		return;
	}
	k.family = (uint8_t)fam;
	k.proto = (uint8_t)proto;
	k.lport = (uint16_t)lport;
	k.rport = (uint16_t)rport;
	rc = owner_of(e, &k, &o);
	if (rc == OWNER_FOUND)
		printf("found %u %u %s %llu %s\n", o.pid, o.uid, o.comm,
		       (unsigned long long)o.seen_ns, start_text(o.start, st, sizeof st));
	else
		puts(rc == OWNER_NONE ? "none" : "error");
}

/* The child of one latency round: read the clock, connect (an ephemeral port, as most
 * clients), report t0, leave (with sock_diag: once hold_fd closes, the parent done). */
static void latency_child(int wfd, int hold_fd, const struct sockaddr_in *dst)
{
	char c;

	int fd = socket(AF_INET, SOCK_STREAM, 0);
	uint64_t t0 = mono_ns();

	if (fd < 0 || connect(fd, (const struct sockaddr *)dst, sizeof *dst) != 0)
		_exit(3);
	if (write(wfd, &t0, sizeof t0) != sizeof t0)
		_exit(4);
	if (sd && read(hold_fd, &c, 1) < 0)
		_exit(5);
	close(fd);
	_exit(0);
}

/* Waits (up to the socket's 1 s timeout per read) for the SYN of a new connection to dst, as
 * capscope would see it on the wire, and fills k with its tuple. */
static int wait_syn(int pfd, const struct sockaddr_in *dst, struct sock_key *k)
{
	uint8_t b[128];

	for (int i = 0; i < 64; i++) {
		struct sockaddr_ll from;
		socklen_t fl = sizeof from;
		ssize_t n = recvfrom(pfd, b, sizeof b, 0, (struct sockaddr *)&from, &fl);
		size_t ihl;
		if (n < 0)
			return -1;
		ihl = (size_t)(b[0] & 15) * 4;
		if (n < 20 || from.sll_protocol != htons(ETH_P_IP) || (b[0] >> 4) != 4 ||
		    b[9] != 6 || (size_t)n < ihl + 14)
			continue;
		if (memcmp(b + 16, &dst->sin_addr, 4) || memcmp(b + ihl + 2, &dst->sin_port, 2) ||
		    (b[ihl + 13] & 0x12) != 0x02)
			continue;
		*k = (struct sock_key){.family = 4, .proto = 6, .rport = ntohs(dst->sin_port)};
		k->lport = (uint16_t)(b[ihl] << 8 | b[ihl + 1]);
		memcpy(k->laddr, b + 12, 4);
		memcpy(k->raddr, b + 16, 4);
		return 0;
	}
	return -1;
}

/* One round: fork a client; take its SYN from the wire; poll until its tuple's owner is the
 * child; t1 - t0 is the attribution latency a capture sees. */
static void latency_round(struct ebpf_owners *e, int pfd, const struct sockaddr_in *dst)
{
	struct sock_key k;
	struct proc_owner o;
	uint64_t t0 = 0, t1 = 0, limit = mono_ns() + 1000000000u;
	int p[2], hold[2], st = -1, syn;
	pid_t pid;

	if (pipe(p) != 0)
		return;
	if (pipe(hold) != 0) {
		close(p[0]);
		close(p[1]);
		return;
	}
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		close(hold[1]);
		latency_child(p[1], hold[0], dst);
	}
	close(p[1]);
	close(hold[0]);
	syn = pid > 0 ? wait_syn(pfd, dst, &k) : -1;
	while (syn == 0 && !t1 && mono_ns() < limit) {
		if (owner_of(e, &k, &o) == OWNER_FOUND && o.pid == (uint32_t)pid)
			t1 = mono_ns();
	}
	if (read(p[0], &t0, sizeof t0) != sizeof t0)
		t0 = 0;
	close(p[0]);
	close(hold[1]); /* the child may close its connection and leave */
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (t1 && t0 && t1 >= t0)
		printf("lat %llu\n", (unsigned long long)(t1 - t0));
	else
		printf("lat-miss (child status %d, syn seen %d, found %d)\n", st, syn == 0,
		       t1 != 0);
}

/* A packet socket on the capture's interface, 1 s read timeout. ETH_P_ALL: a socket of one
 * protocol sees only incoming packets, and the SYN is outgoing. */
static int open_wire(const char *ifname)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET, .sll_protocol = htons(ETH_P_ALL)};
	struct timeval tv = {.tv_sec = 1};
	int fd = socket(AF_PACKET, SOCK_DGRAM, htons(ETH_P_ALL));

	ll.sll_ifindex = (int)if_nametoindex(ifname);
	if (fd < 0 || !ll.sll_ifindex || bind(fd, (struct sockaddr *)&ll, sizeof ll) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv) != 0) {
		if (fd >= 0)
			close(fd);
		return -1;
	}
	return fd;
}

static void cmd_latency(struct ebpf_owners *e, const char *args)
{
	char a[64], ifname[IF_NAMESIZE + 1];
	unsigned n, port;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	int pfd;

	if (sscanf(args, "%u %63s %u %16s", &n, a, &port, ifname) != 4 || n > 10000 ||
	    inet_pton(AF_INET, a, &dst.sin_addr) != 1) {
		puts("error bad latency line (latency N ADDR PORT IFNAME)");
		return;
	}
	dst.sin_port = htons((uint16_t)port);
	pfd = open_wire(ifname);
	if (pfd < 0) {
		printf("error cannot capture on %s\n", ifname);
		return;
	}
	for (unsigned i = 0; i < n; i++)
		latency_round(e, pfd, &dst);
	close(pfd);
	puts("latency-done");
}

int main(void)
{
	char why[256], line[512];
	const char *backend = getenv("CAPSCOPE_PROBE_BACKEND");
	struct ebpf_owners *e = NULL;

	why[0] = 0;
	if (backend && strcmp(backend, "sockdiag") == 0)
		sd = sockdiag_open(0, why, sizeof why);
	else
		e = ebpf_owners_open(why, sizeof why);
	if (!e && !sd) {
		printf("SKIP: %s\n", why[0] ? why : "out of memory");
		return 77;
	}
	printf("ready\n");
	fflush(stdout);
	while (fgets(line, sizeof line, stdin)) {
		if (strncmp(line, "lookup ", 7) == 0)
			cmd_lookup(e, line + 7);
		else if (strncmp(line, "latency ", 8) == 0)
			cmd_latency(e, line + 8);
		else
			puts("error unknown command");
		fflush(stdout);
	}
	if (e)
		ebpf_owners_close(e);
	if (sd)
		sockdiag_close(sd);
	return 0;
}
