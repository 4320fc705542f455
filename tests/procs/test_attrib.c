/*
 * test_attrib.c - process attribution's engine against this process's own sockets: the
 * flow cache and process table bounds (attrib.c, proctab.c), /proc details of the test's
 * own pid (attrib_proc_linux.c), and sock_diag (attrib_sockdiag_linux.c) on TCP and UDP
 * sockets the test opens on 127.0.0.1, whose owner must be the test's own pid.
 */
#include <arpa/inet.h>
#include <signal.h>
#include <netinet/in.h>
#include <stdio.h>
#include <string.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "check.h"
#include "procs/attrib.h"
#include "procs/attrib_os.h"

static uint64_t now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ull + (uint64_t)ts.tv_nsec;
}

static uint16_t port_of(int fd)
{
	struct sockaddr_in a;
	socklen_t n = sizeof a;

	getsockname(fd, (struct sockaddr *)&a, &n);
	return ntohs(a.sin_port);
}

static struct flow_key key4(uint8_t proto, uint32_t src, uint16_t sport, uint32_t dst,
                            uint16_t dport)
{
	struct flow_key k = {.family = 4, .proto = proto, .sport = sport, .dport = dport};
	uint32_t s = htonl(src), d = htonl(dst);

	memcpy(k.src, &s, 4);
	memcpy(k.dst, &d, 4);
	return k;
}

/* Remote-only flows (TEST-NET-2 addresses, not this machine's) are never attributed and
 * never cached (answered before the cache); flows with a local end (loopback, on ports no
 * socket holds) are cached, max_flows of them at most, the least recently used leaving first. */
static void test_flow_bounds(void)
{
	struct attrib_opts o = {.max_flows = 4, .no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	struct attrib_counters c;
	bool out = true;

	CHECK(a != NULL);
	if (!a)
		return;
	for (uint16_t i = 0; i < 50; i++) {
		struct flow_key k = key4(17, 0xc6336401, (uint16_t)(1000 + i), 0xc6336402, 53);
		CHECK_EQ_INT(attrib_packet(a, &k, false, now_ns(), &out), ATTRIB_NONE);
		CHECK(!out);
	}
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.flows, 0);
	CHECK_EQ_INT(c.packets, 50);
	CHECK_EQ_INT(c.attributed, 0);
	CHECK_EQ_INT(c.kernel_lookups, 0); /* not local: sock_diag is never asked */
	for (uint16_t i = 0; i < 50; i++) {
		struct flow_key k = key4(17, 0x7f000063, (uint16_t)(1000 + i), 0x7f000064, 9);
		out = true;
		CHECK_EQ_INT(attrib_packet(a, &k, false, now_ns(), &out), ATTRIB_NONE);
		CHECK(!out);
	}
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.flows, 4);
	CHECK_EQ_INT(c.packets, 100);
	CHECK_EQ_INT(c.attributed, 0);
	CHECK(c.kernel_lookups > 0); /* loopback is local: sock_diag was asked */
	CHECK_EQ_INT(c.flows_evicted, 46);
	attrib_close(a);
}

/* 5,000 local flows through a cache of 64, at one instant (no answer grows old): the cache
 * holds the last 64 (asked again, they cost no kernel lookup), the first is gone (a lookup),
 * held + evicted = all: a full cache keeps answering. */
static void test_flow_flood(void)
{
	struct attrib_opts o = {.max_flows = 64, .no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	struct attrib_counters c;
	uint64_t t0 = now_ns(), lookups;
	bool out;

	CHECK(a != NULL);
	if (!a)
		return;
	for (uint32_t i = 0; i < 5000; i++) {
		struct flow_key k = key4(17, 0x7f000063, (uint16_t)(1000 + i), 0x7f000064, 9);
		attrib_packet(a, &k, false, t0 + (uint64_t)i * 1000000,
		              &out); /* 1,000 a second: within the lookup rate */
	}
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.flows, 64);
	CHECK_EQ_INT(c.flows + c.flows_evicted, 5000);
	lookups = c.kernel_lookups;
	for (uint32_t i = 5000 - 64; i < 5000; i++) {
		struct flow_key k = key4(17, 0x7f000063, (uint16_t)(1000 + i), 0x7f000064, 9);
		attrib_packet(a, &k, false, t0 + 5000ull * 1000000, &out);
	}
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.kernel_lookups, lookups);
	if (lookups > 0) { /* a backend answers here: a miss asks it */
		struct flow_key k = key4(17, 0x7f000063, 1000, 0x7f000064, 9);
		attrib_packet(a, &k, false, t0 + 5000ull * 1000000, &out);
		attrib_counters(a, &c);
		CHECK(c.kernel_lookups > lookups);
	}
	attrib_close(a);
}

static uint32_t intern_pid(struct attrib *a, uint32_t pid)
{
	struct proc_info p = {.pid = pid, .uid = 0, .how = AH_COMMENT};

	snprintf(p.name, sizeof p.name, "proc%u", (unsigned)pid);
	return attrib_intern(a, &p);
}

/* Ids are stable and distinct per (pid, start); past the bound a new process takes the
 * place of the least recently seen one, whose id then names nothing (never another
 * process). */
static void test_proc_bounds(void)
{
	struct attrib_opts o = {.max_procs = 3, .no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	struct attrib_counters c;
	uint32_t ids[4];

	CHECK(a != NULL);
	if (!a)
		return;
	for (uint32_t i = 0; i < 3; i++)
		ids[i] = intern_pid(a, 100 + i);
	CHECK_EQ_INT(ids[0], 2);
	CHECK_EQ_INT(ids[1], 3);
	CHECK_EQ_INT(ids[2], 4);
	CHECK_EQ_INT(intern_pid(a, 100), 2); /* seen again: 101 is now the least recent */
	ids[3] = intern_pid(a, 103);
	CHECK(ids[3] > 4 && ids[3] != ATTRIB_TOO_MANY);
	CHECK(attrib_proc(a, 3) == NULL); /* 101 was evicted */
	CHECK(attrib_proc(a, ids[3]) && attrib_proc(a, ids[3])->pid == 103);
	CHECK_EQ_STR(attrib_proc(a, 2)->name, "proc100");
	CHECK(attrib_proc(a, 4) && attrib_proc(a, 4)->pid == 102);
	/* 101 back: a new id, not its old one */
	uint32_t again = intern_pid(a, 101);
	CHECK(again != 3 && again != ids[3] && again >= 2);
	CHECK(attrib_proc(a, ATTRIB_NONE) == NULL);
	CHECK(attrib_proc(a, 99) == NULL);
	CHECK(attrib_proc(a, ATTRIB_TOO_MANY) != NULL);
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.procs, 3);
	CHECK_EQ_INT(c.procs_evicted, 2);
	attrib_close(a);
}

/* 20,000 processes through a table of 100 while one process is seen throughout: the
 * bound holds, held + evicted = all, the busy one keeps its id, the last 99 are found by
 * their ids and by their keys, no id is ever given twice, and no intern fails (none is
 * ATTRIB_TOO_MANY). */
#define PFLOOD 20000
static void test_proc_flood(void)
{
	struct attrib_opts o = {.max_procs = 100, .no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	static uint32_t id[PFLOOD];
	struct attrib_counters c;
	bool found = true, fresh = true, failed = false;
	uint32_t busy, max_id = 0;

	CHECK(a != NULL);
	if (!a)
		return;
	busy = intern_pid(a, 1);
	for (uint32_t i = 0; i < PFLOOD; i++) {
		id[i] = intern_pid(a, 1000 + i);
		failed = failed || id[i] == ATTRIB_TOO_MANY;
		fresh = fresh && id[i] > max_id; /* each new id is above every earlier one */
		max_id = id[i] > max_id ? id[i] : max_id;
		if (i % 50 == 0)
			CHECK_EQ_INT(intern_pid(a, 1), busy);
	}
	CHECK(!failed);
	CHECK(fresh);
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.procs, 100);
	CHECK_EQ_INT(c.procs + c.procs_evicted, PFLOOD + 1);
	CHECK(attrib_proc(a, busy) && attrib_proc(a, busy)->pid == 1);
	for (uint32_t i = PFLOOD - 99; i < PFLOOD; i++) /* by id, and by key: the same id */
		found = found && attrib_proc(a, id[i]) && attrib_proc(a, id[i])->pid == 1000 + i &&
		        intern_pid(a, 1000 + i) == id[i];
	CHECK(found);
	attrib_counters(a, &c);
	CHECK_EQ_INT(c.procs_evicted, PFLOOD + 1 - 100); /* found again: nothing more evicted */
	CHECK(attrib_proc(a, id[0]) == NULL);
	CHECK(attrib_proc(a, id[PFLOOD - 100]) == NULL);
	attrib_close(a);
}

static void test_complete_self(void)
{
	struct proc_info p = {.pid = (uint32_t)getpid(), .uid = UINT32_MAX};

	CHECK(attrib_os_complete(&p));
	CHECK(p.start != 0);
	CHECK_EQ_STR(p.name, "test_attrib");
	CHECK(strstr(p.cmdline, "test_attrib") != NULL);
	CHECK_EQ_INT(p.uid, geteuid());
	CHECK(p.user[0] != '\0');
	/* a start time that is not the process's own: a reused pid is not read */
	struct proc_info q = {.pid = (uint32_t)getpid(), .start = p.start + 1};
	CHECK(!attrib_os_complete(&q));
}

static int tcp_listen(void)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	bind(fd, (struct sockaddr *)&a, sizeof a);
	listen(fd, 4);
	return fd;
}

static int tcp_connect(uint16_t port)
{
	struct sockaddr_in a = {
	    .sin_family = AF_INET, .sin_port = htons(port), .sin_addr.s_addr = htonl(0x7f000001)};
	int fd = socket(AF_INET, SOCK_STREAM, 0);

	connect(fd, (struct sockaddr *)&a, sizeof a);
	return fd;
}

static void expect_self(struct sockdiag *s, uint8_t proto, uint16_t lport, uint16_t rport,
                        const char *what)
{
	struct sock_key k = {.family = 4, .proto = proto, .lport = lport, .rport = rport};
	struct proc_owner o;
	uint32_t lo = htonl(0x7f000001);

	memcpy(k.laddr, &lo, 4);
	memcpy(k.raddr, &lo, 4);
	check_context(what);
	CHECK_EQ_INT(sockdiag_lookup(s, &k, now_ns(), &o), OWNER_FOUND);
	CHECK_EQ_INT(o.pid, getpid());
	CHECK_EQ_STR(o.comm, "test_attrib");
}

static void test_sockdiag(void)
{
	char why[160];
	struct sockdiag *s = sockdiag_open(20, why, sizeof why);
	int l, c, acc, u1, u2;
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_addr.s_addr = htonl(0x7f000001)};

	if (!s) {
		check_skip(why);
		return;
	}
	l = tcp_listen();
	c = tcp_connect(port_of(l));
	acc = accept(l, NULL, NULL);
	expect_self(s, 6, port_of(c), port_of(l), "TCP client end");
	expect_self(s, 6, port_of(l), port_of(c), "TCP accepted end");
	expect_self(s, 6, port_of(l), 1, "TCP listener (a SYN from an unknown port)");
	u1 = socket(AF_INET, SOCK_DGRAM, 0);
	bind(u1, (struct sockaddr *)&a, sizeof a);
	u2 = socket(AF_INET, SOCK_DGRAM, 0);
	a.sin_port = htons(port_of(u1));
	connect(u2, (struct sockaddr *)&a, sizeof a);
	expect_self(s, 17, port_of(u1), port_of(u2), "UDP unconnected end");
	expect_self(s, 17, port_of(u2), port_of(u1), "UDP connected end");
	printf("sock_diag: %llu queries, %llu /proc scans, problem: \"%s\"\n",
	       (unsigned long long)sockdiag_queries(s), (unsigned long long)sockdiag_scans(s),
	       sockdiag_problem(s));
	close(u1);
	close(u2);
	close(acc);
	close(c);
	close(l);
	sockdiag_close(s);
}

static uint16_t port6_of(int fd)
{
	struct sockaddr_in6 a;
	socklen_t n = sizeof a;

	getsockname(fd, (struct sockaddr *)&a, &n);
	return ntohs(a.sin6_port);
}

/* IPv6 over ::1: a TCP connection both ways and a UDP datagram's sender. */
static void test_ipv6(void)
{
	struct attrib_opts o = {.no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	struct sockaddr_in6 sa = {.sin6_family = AF_INET6, .sin6_addr = IN6ADDR_LOOPBACK_INIT};
	int l = socket(AF_INET6, SOCK_STREAM, 0), c = socket(AF_INET6, SOCK_STREAM, 0), acc;
	int u = socket(AF_INET6, SOCK_DGRAM, 0);
	struct flow_key k = {.family = 6, .proto = 6};
	bool out;
	uint32_t id;

	if (l < 0 || bind(l, (struct sockaddr *)&sa, sizeof sa) != 0 || listen(l, 4) != 0) {
		check_skip("no IPv6 loopback here");
		close(l);
		close(c);
		close(u);
		attrib_close(a);
		return;
	}
	sa.sin6_port = htons(port6_of(l));
	connect(c, (struct sockaddr *)&sa, sizeof sa);
	acc = accept(l, NULL, NULL);
	k.sport = port6_of(c);
	k.dport = port6_of(l);
	k.src[15] = k.dst[15] = 1;
	id = attrib_packet(a, &k, true, now_ns(), &out);
	CHECK(out && attrib_proc(a, id) && attrib_proc(a, id)->pid == (uint32_t)getpid());
	sendto(u, "x", 1, 0, (struct sockaddr *)&sa, sizeof sa); /* binds u to an ephemeral port */
	k.proto = 17;
	k.sport = port6_of(u);
	usleep(300000); /* a second rescan may be paced on a busy /proc */
	id = attrib_packet(a, &k, false, now_ns(), &out);
	CHECK(out && attrib_proc(a, id) && attrib_proc(a, id)->pid == (uint32_t)getpid());
	close(acc);
	close(c);
	close(l);
	close(u);
	attrib_close(a);
}

/* attrib_packet on a loopback TCP connection: both directions one flow, owner the test. */
static void test_packet(void)
{
	struct attrib_opts o = {.no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	int l = tcp_listen(), c = tcp_connect(port_of(l)), acc = accept(l, NULL, NULL);
	struct flow_key k = key4(6, 0x7f000001, port_of(c), 0x7f000001, port_of(l));
	struct flow_key r = key4(6, 0x7f000001, port_of(l), 0x7f000001, port_of(c));
	bool out = false;
	uint32_t id;

	printf("status: %s\n", attrib_status(a));
	id = attrib_packet(a, &k, true, now_ns(), &out);
	CHECK(id >= 2);
	CHECK(out);
	CHECK(attrib_proc(a, id) && attrib_proc(a, id)->pid == (uint32_t)getpid());
	CHECK(attrib_proc(a, id) && strstr(attrib_proc(a, id)->cmdline, "test_attrib"));
	CHECK_EQ_INT(attrib_packet(a, &r, false, now_ns(), &out), id);
	CHECK(!out); /* the same flow the other way: the local end (the client) receives it */
	close(acc);
	close(c);
	close(l);
	attrib_close(a);
}

/* A child that connects from 127.0.0.1:lport to the listener and waits for a byte on `go`
 * (then closes and exits); the pipe `ready` says when it is connected. */
static pid_t connecting_child(uint16_t lport, uint16_t to, int go, int ready)
{
	pid_t pid = fork();

	if (pid == 0) {
		struct sockaddr_in a = {.sin_family = AF_INET,
		                        .sin_port = htons(lport),
		                        .sin_addr.s_addr = htonl(0x7f000001)};
		int one = 1, fd = socket(AF_INET, SOCK_STREAM, 0);
		char b;
		setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
		if (bind(fd, (struct sockaddr *)&a, sizeof a) != 0)
			_exit(1);
		a.sin_port = htons(to);
		if (connect(fd, (struct sockaddr *)&a, sizeof a) != 0)
			_exit(2);
		if (write(ready, "r", 1) != 1 || read(go, &b, 1) != 1)
			_exit(3);
		close(fd);
		_exit(0);
	}
	return pid;
}

/* pid reuse on TCP: a second process opens the same 4-tuple after the first exited; its
 * SYN is looked up again, so it is not given the first one's id. */
static void test_tcp_reuse(void)
{
	struct attrib_opts o = {.no_ebpf = true};
	struct attrib *a = attrib_open(&o);
	int l = tcp_listen(), go[2], ready[2];
	uint16_t lport = (uint16_t)(20000 + getpid() % 20000);
	struct flow_key k = key4(6, 0x7f000001, lport, 0x7f000001, port_of(l));
	uint32_t ids[2] = {0, 0};
	pid_t kids[2];
	bool out, ran = true;
	char b;

	if (pipe(go) != 0 || pipe(ready) != 0) {
		CHECK(!"pipes");
		return;
	}
	for (int i = 0; i < 2; i++) {
		int acc, st = 0;
		kids[i] = connecting_child(lport, port_of(l), go[0], ready[1]);
		struct pollfd pfd = {.fd = ready[0], .events = POLLIN};
		if (poll(&pfd, 1, 3000) != 1 || read(ready[0], &b, 1) != 1) {
			kill(kids[i], SIGKILL);
			waitpid(kids[i], &st, 0);
			check_skip("a child could not connect from the same port again: the TCP "
			           "reuse part did not run");
			ran = false;
			break;
		}
		acc = accept(l, NULL, NULL);
		/* the new socket needs a /proc rescan, which a busy /proc paces (a scan of more
		 * than 10 ms waits 5 times its cost after the one before): let it be due */
		if (i > 0)
			usleep(500000);
		ids[i] = attrib_packet(a, &k, true, now_ns(), &out);
		CHECK(attrib_proc(a, ids[i]) && attrib_proc(a, ids[i])->pid == (uint32_t)kids[i]);
		close(acc); /* the server closes first: the TIME_WAIT is its own */
		CHECK(write(go[1], "g", 1) == 1);
		waitpid(kids[i], &st, 0);
	}
	if (ran) {
		CHECK(ids[0] != ids[1]);
		/* after the second exited, a packet without SYN keeps the pid seen */
		CHECK_EQ_INT(attrib_packet(a, &k, false, now_ns(), &out), ids[1]);
	}
	close(l);
	close(go[0]);
	close(go[1]);
	close(ready[0]);
	close(ready[1]);
	attrib_close(a);
}

int main(void)
{
	test_flow_bounds();
	test_proc_bounds();
	test_proc_flood();
	test_flow_flood();
	test_complete_self();
	test_sockdiag();
	test_packet();
	test_tcp_reuse();
	test_ipv6();
	return check_done();
}
