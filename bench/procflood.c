/*
 * procflood.c - a paced UDP or TCP sender that counts what it sends, for the process
 * attribution benchmark (bench/procs.sh): each sender process knows its pid and the bytes it
 * handed to its sockets, so per-process totals from capscope and nethogs can be checked.
 *
 *   procflood udp DST PORT FLOWS PPS SECS PAYLOAD   -> "pid=P writes=N sent=S payload_bytes=B"
 *   procflood tcp DST PORT FLOWS PPS SECS PAYLOAD   (PPS: writes per second of PAYLOAD bytes)
 *   procflood sink PORT SECS                        (TCP and UDP sink on PORT, for the peer)
 *   procflood short udp|tcp DST PORT CONNS PAYLOAD  CONNS sockets one after another, each
 *                                                   sending PAYLOAD bytes once, then closed
 *                                                   after ~5 ms (short-lived connections)
 * FLOWS sockets (source ports chosen by the kernel) share the rate; sending is paced in
 * 1 ms slices with sendmmsg for UDP. Bounded by SECS.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define MAX_FLOWS 256
#define BATCH     64

static uint64_t now_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_MONOTONIC, &t);
	return (uint64_t)t.tv_sec * 1000000000u + (uint64_t)t.tv_nsec;
}

static int sink(int port, int secs)
{
	struct sockaddr_in a = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	int one = 1, u = socket(AF_INET, SOCK_DGRAM, 0), l = socket(AF_INET, SOCK_STREAM, 0);
	struct pollfd p[MAX_FLOWS + 2];
	int n = 2;
	uint64_t end = now_ns() + (uint64_t)secs * 1000000000u;
	static char buf[65536];

	setsockopt(l, SOL_SOCKET, SO_REUSEADDR, &one, sizeof one);
	if (bind(u, (void *)&a, sizeof a) || bind(l, (void *)&a, sizeof a) || listen(l, 64)) {
		perror("sink");
		return 1;
	}
	p[0] = (struct pollfd){.fd = u, .events = POLLIN};
	p[1] = (struct pollfd){.fd = l, .events = POLLIN};
	while (now_ns() < end) {
		if (poll(p, (nfds_t)n, 100) <= 0)
			continue;
		if (p[0].revents)
			while (recv(u, buf, sizeof buf, MSG_DONTWAIT) > 0)
				;
		if (p[1].revents && n < MAX_FLOWS + 2) {
			int c = accept(l, NULL, NULL);
			if (c >= 0)
				p[n++] = (struct pollfd){.fd = c, .events = POLLIN};
		}
		for (int i = 2; i < n; i++)
			if (p[i].revents && recv(p[i].fd, buf, sizeof buf, MSG_DONTWAIT) == 0) {
				close(p[i].fd);
				p[i] = p[--n];
			}
	}
	return 0;
}

/* Short-lived sockets: each lives about 5 ms and sends its payload once. */
static int short_lived(int tcp, const char *dst_ip, int port, int conns, size_t payload)
{
	struct sockaddr_in dst = {.sin_family = AF_INET, .sin_port = htons((uint16_t)port)};
	static char buf[65536];
	uint64_t bytes = 0, done = 0;

	if (conns < 1 || conns > 100000 || payload > sizeof buf ||
	    inet_pton(AF_INET, dst_ip, &dst.sin_addr) != 1)
		return 2;
	for (int i = 0; i < conns; i++) {
		int fd = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
		struct timespec d = {0, 5000000};
		ssize_t w;

		if (fd < 0 || connect(fd, (void *)&dst, sizeof dst)) {
			if (fd >= 0)
				close(fd);
			continue;
		}
		w = send(fd, buf, payload, 0);
		if (w > 0) {
			bytes += (uint64_t)w;
			done++;
		}
		nanosleep(&d, NULL);
		close(fd);
	}
	printf("pid=%d writes=%d sent=%llu payload_bytes=%llu\n", (int)getpid(), conns,
	       (unsigned long long)done, (unsigned long long)bytes);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && !strcmp(argv[1], "sink"))
		return sink(atoi(argv[2]), atoi(argv[3]));
	if (argc == 7 && !strcmp(argv[1], "short"))
		return short_lived(!strcmp(argv[2], "tcp"), argv[3], atoi(argv[4]), atoi(argv[5]),
		                   (size_t)atoi(argv[6]));
	if (argc != 8) {
		fprintf(stderr, "usage: procflood udp|tcp DST PORT FLOWS PPS SECS PAYLOAD | sink "
		                "PORT SECS | short udp|tcp DST PORT CONNS PAYLOAD\n");
		return 2;
	}
	int tcp = !strcmp(argv[1], "tcp");
	int flows = atoi(argv[4]), pps = atoi(argv[5]), secs = atoi(argv[6]);
	size_t payload = (size_t)atoi(argv[7]);
	struct sockaddr_in dst = {.sin_family = AF_INET,
	                          .sin_port = htons((uint16_t)atoi(argv[3]))};
	int fd[MAX_FLOWS];
	static char buf[65536];
	uint64_t packets = 0, sent = 0, bytes = 0;

	if (flows < 1 || flows > MAX_FLOWS || pps < 1 || payload > sizeof buf ||
	    inet_pton(AF_INET, argv[2], &dst.sin_addr) != 1)
		return 2;
	for (int i = 0; i < flows; i++) {
		fd[i] = socket(AF_INET, tcp ? SOCK_STREAM : SOCK_DGRAM, 0);
		if (fd[i] < 0 || connect(fd[i], (void *)&dst, sizeof dst)) {
			perror("connect");
			return 1;
		}
	}
	struct mmsghdr mm[BATCH];
	struct iovec iov = {.iov_base = buf, .iov_len = payload};
	for (int i = 0; i < BATCH; i++)
		mm[i] = (struct mmsghdr){.msg_hdr = {.msg_iov = &iov, .msg_iovlen = 1}};
	uint64_t t0 = now_ns(), end = t0 + (uint64_t)secs * 1000000000u;
	int f = 0;
	for (uint64_t t = t0; t < end; t = now_ns()) {
		/* packets due by now at the paced rate, sent in batches of one flow */
		uint64_t due = (t - t0) * (uint64_t)pps / 1000000000u;
		while (packets < due) {
			unsigned k = (unsigned)(due - packets < BATCH ? due - packets : BATCH);
			if (tcp) {
				ssize_t w = send(fd[f], buf, payload, MSG_DONTWAIT);
				if (w > 0)
					bytes += (uint64_t)w;
				packets++; /* a write, sent or not: pacing goes on */
			} else {
				int s = sendmmsg(fd[f], mm, k, 0);
				if (s > 0) {
					sent += (uint64_t)s;
					bytes += (uint64_t)s * payload; /* what the socket took */
				}
				packets += k; /* attempted: pacing goes on after a full queue */
			}
			f = (f + 1) % flows;
		}
		struct timespec d = {0, 1000000};
		nanosleep(&d, NULL);
	}
	for (int i = 0; i < flows; i++)
		close(fd[i]);
	/* writes: attempted (the pacing); sent: UDP datagrams the sockets took */
	printf("pid=%d writes=%llu sent=%llu payload_bytes=%llu\n", (int)getpid(),
	       (unsigned long long)packets, (unsigned long long)sent, (unsigned long long)bytes);
	return 0;
}
