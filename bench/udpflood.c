/*
 * udpflood.c - bench/ebpf_cost.sh's load: sends N UDP datagrams of 32 bytes to 127.0.0.1:PORT
 * (a bound socket nobody reads, so every datagram crosses egress and ingress and is then
 * dropped) and prints the CPU time (user + system) and wall time per datagram in ns. On
 * loopback the receive side runs in the sender's softirq, so both directions count.
 *   udpflood N PORT connected|sendto
 */
#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <time.h>

static double cpu_ns(void)
{
	struct rusage ru;
	getrusage(RUSAGE_SELF, &ru);
	return (ru.ru_utime.tv_sec + ru.ru_stime.tv_sec) * 1e9 +
	       (ru.ru_utime.tv_usec + ru.ru_stime.tv_usec) * 1e3;
}

static double wall_ns(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1e9 + ts.tv_nsec;
}

int main(int argc, char **argv)
{
	struct sockaddr_in to = {.sin_family = AF_INET};
	char buf[32] = "capscope ebpf cost";
	long n = argc > 3 ? atol(argv[1]) : 0;
	int connected = argc > 3 && strcmp(argv[3], "connected") == 0;
	int rx = socket(AF_INET, SOCK_DGRAM, 0), tx = socket(AF_INET, SOCK_DGRAM, 0);
	double c0, w0;

	if (n <= 0 || rx < 0 || tx < 0)
		return fprintf(stderr, "usage: udpflood N PORT connected|sendto\n"), 2;
	to.sin_port = htons((unsigned short)atoi(argv[2]));
	to.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (bind(rx, (struct sockaddr *)&to, sizeof to) != 0 ||
	    (connected && connect(tx, (struct sockaddr *)&to, sizeof to) != 0))
		return perror("udpflood"), 1;
	c0 = cpu_ns();
	w0 = wall_ns();
	for (long i = 0; i < n; i++) {
		if (connected)
			send(tx, buf, sizeof buf, 0);
		else
			sendto(tx, buf, sizeof buf, 0, (struct sockaddr *)&to, sizeof to);
	}
	printf("%.1f %.1f\n", (cpu_ns() - c0) / n, (wall_ns() - w0) / n);
	return 0;
}
