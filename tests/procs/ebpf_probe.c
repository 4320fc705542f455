/*
 * ebpf_probe.c - drives the eBPF backend (attrib_os.h's ebpf_owners_*) for
 * tests/procs/test_ebpf_owners.sh and bench/ebpf_latency: opens it in the calling network
 * namespace and answers commands read from stdin, one line each, until EOF:
 *   lookup FAMILY PROTO LADDR LPORT RADDR RPORT  -> "found PID UID COMM SEEN_NS" | "none" | "error"
 *   latency N ADDR PORT    -> N times: a child binds a known local port, takes CLOCK_MONOTONIC
 *                             and connects to ADDR:PORT (TCP); this process polls the exact
 *                             tuple until its record is readable; prints one line per
 *                             connection "lat NS_READABLE NS_RECORDED" (from the child's clock
 *                             reading before connect to our first successful read, and to the
 *                             record's kernel time), or "lat-miss" after 1 s.
 * At start it prints "ready" (the programs are attached), or "SKIP: why" and exits 77 when
 * eBPF is not available here.
 */
#include <arpa/inet.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/wait.h>

#include "procs/attrib_os.h"

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

static void cmd_lookup(struct ebpf_owners *e, const char *args)
{
	char la[64], ra[64];
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
	rc = ebpf_owners_lookup(e, &k, &o);
	if (rc == OWNER_FOUND)
		printf("found %u %u %s %llu\n", o.pid, o.uid, o.comm,
		       (unsigned long long)o.seen_ns);
	else
		puts(rc == OWNER_NONE ? "none" : "error");
}

/* The child of one latency round: bind lport, read the clock, connect, report t0, leave. */
static void latency_child(int wfd, const struct sockaddr_in *dst, uint16_t lport)
{
	struct sockaddr_in me = {.sin_family = AF_INET, .sin_port = htons(lport)};
	int fd = socket(AF_INET, SOCK_STREAM, 0), one = 1;
	uint64_t t0;

	setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (fd < 0 || bind(fd, (const struct sockaddr *)&me, sizeof me) != 0)
		_exit(2);
	t0 = mono_ns();
	if (connect(fd, (const struct sockaddr *)dst, sizeof *dst) != 0)
		_exit(3);
	if (write(wfd, &t0, sizeof t0) != sizeof t0)
		_exit(4);
	close(fd);
	_exit(0);
}

static void latency_round(struct ebpf_owners *e, const struct sockaddr_in *dst, uint16_t lport,
                          const uint8_t laddr[4])
{
	struct sock_key k = {
	    .family = 4, .proto = 6, .lport = lport, .rport = ntohs(dst->sin_port)};
	struct proc_owner o;
	uint64_t t0 = 0, t1 = 0, limit = mono_ns() + 1000000000u;
	int p[2], st;
	pid_t pid;

	memcpy(k.laddr, laddr, 4);
	memcpy(k.raddr, &dst->sin_addr, 4);
	if (pipe(p) != 0)
		return;
	pid = fork();
	if (pid == 0) {
		close(p[0]);
		latency_child(p[1], dst, lport);
	}
	close(p[1]);
	/* Exact tuple only: the local-port entries exist from bind() already. */
	while (pid > 0 && !t1 && mono_ns() < limit) {
		if (ebpf_owners_lookup(e, &k, &o) == OWNER_FOUND && o.pid == (uint32_t)pid)
			t1 = mono_ns();
	}
	if (read(p[0], &t0, sizeof t0) != sizeof t0)
		t0 = 0;
	close(p[0]);
	if (pid > 0)
		waitpid(pid, &st, 0);
	if (t1 && t0 && t1 >= t0)
		printf("lat %llu %lld\n", (unsigned long long)(t1 - t0),
		       (long long)(o.seen_ns - t0));
	else
		puts("lat-miss");
}

static void cmd_latency(struct ebpf_owners *e, const char *args)
{
	char a[64], la[64];
	unsigned n, port;
	struct sockaddr_in dst = {.sin_family = AF_INET};
	uint8_t laddr[4];

	if (sscanf(args, "%u %63s %u %63s", &n, a, &port, la) != 4 || n > 10000 ||
	    inet_pton(AF_INET, a, &dst.sin_addr) != 1 || inet_pton(AF_INET, la, laddr) != 1) {
		puts("error bad latency line (latency N ADDR PORT LOCALADDR)");
		return;
	}
	dst.sin_port = htons((uint16_t)port);
	for (unsigned i = 0; i < n; i++)
		latency_round(e, &dst, (uint16_t)(41000 + i), laddr);
	puts("latency-done");
}

int main(void)
{
	char why[256], line[512];
	struct ebpf_owners *e = ebpf_owners_open(why, sizeof why);

	if (!e) {
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
	ebpf_owners_close(e);
	return 0;
}
