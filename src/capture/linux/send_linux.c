/*
 * send_linux.c - send_int.h on Linux: an AF_PACKET raw socket bound to the adapter, frames
 * handed over SEND_BATCH at a time with sendmmsg(), and PACKET_QDISC_BYPASS, which skips
 * the queueing discipline (and the copy to local packet sockets on this host: a capture on
 * the sending adapter does not see replayed frames, the far end does). Measured on a veth,
 * 64-byte frames: see docs/BENCHMARKS.md "Replay".
 * A full transmit queue (ENOBUFS, EAGAIN) is retried for a while, then the frame counts as
 * failed; a frame the adapter refuses (EMSGSIZE over the MTU, EINVAL) counts as failed.
 */
#define _GNU_SOURCE
#include "capture/send_int.h"
#include "capture/privsep.h"

#include <errno.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define RETRY_MAX     200   /* tries for a frame the queue keeps refusing ... */
#define RETRY_WAIT_NS 50000 /* ... this long apart: 10 ms in all */
#define SNDBUF_BYTES  (4 << 20)

struct send_platform {
	int fd;
	unsigned retries; /* for the frame at the head of the current batch */
	struct mmsghdr m[SEND_BATCH];
	struct iovec iov[SEND_BATCH];
};

static struct send_platform *open_fail(struct send_platform *p, const char *what,
                                       const char *ifname, char *err)
{
	snprintf(err, SEND_ERRLEN, "capscope: cannot send on '%s': %s: %s%s", ifname, what,
	         strerror(errno), errno == EPERM ? " (run with sudo or grant CAP_NET_RAW)" : "");
	if (p->fd >= 0)
		close(p->fd);
	free(p);
	return NULL;
}

/* The bound socket: made here, or by the capture helper when it serves this process. */
static struct send_platform *open_socket(struct send_platform *p, const char *ifname, char *err)
{
	struct sockaddr_ll ll = {.sll_family = AF_PACKET};

	if (privsep_active()) {
		p->fd = privsep_send_socket(ifname, err, SEND_ERRLEN);
		if (p->fd < 0)
			free(p);
		return p->fd < 0 ? NULL : p;
	}
	p->fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0); /* protocol 0: receives nothing */
	if (p->fd < 0)
		return open_fail(p, "socket", ifname, err);
	ll.sll_ifindex = (int)if_nametoindex(ifname);
	if (ll.sll_ifindex == 0)
		return open_fail(p, "if_nametoindex", ifname, err);
	if (bind(p->fd, (struct sockaddr *)&ll, sizeof ll) < 0)
		return open_fail(p, "bind", ifname, err);
	return p;
}

struct send_platform *send_platform_open(const char *ifname, char *err)
{
	struct send_platform *p = calloc(1, sizeof *p);
	int one = 1, sndbuf = SNDBUF_BYTES;

	if (!p) {
		snprintf(err, SEND_ERRLEN, "capscope: out of memory opening '%s'", ifname);
		return NULL;
	}
	p->fd = -1;
	if (!open_socket(p, ifname, err))
		return NULL;
	/* Both are best effort: without them sending still works, a little slower. */
	setsockopt(p->fd, SOL_PACKET, PACKET_QDISC_BYPASS, &one, sizeof one);
	setsockopt(p->fd, SOL_SOCKET, SO_SNDBUF, &sndbuf, sizeof sndbuf);
	/* The default 50 us timer slack would make every deadline sleep wake late. */
	prctl(PR_SET_TIMERSLACK, 1UL, 0, 0, 0);
	for (unsigned i = 0; i < SEND_BATCH; i++) {
		p->m[i].msg_hdr.msg_iov = &p->iov[i];
		p->m[i].msg_hdr.msg_iovlen = 1;
	}
	return p;
}

void send_platform_close(struct send_platform *p)
{
	if (!p)
		return;
	close(p->fd);
	free(p);
}

static void pause_briefly(void)
{
	struct timespec ts = {.tv_sec = 0, .tv_nsec = RETRY_WAIT_NS};

	nanosleep(&ts, NULL);
}

/* The first frame of the batch failed with errno e. Returns frames consumed or -1. */
static int first_failed(struct send_platform *p, int e, uint64_t *failed, char *err)
{
	switch (e) {
	case EINTR:
		return 0;
	case ENOBUFS:
	case EAGAIN:
		if (++p->retries < RETRY_MAX) {
			pause_briefly();
			return 0;
		}
		break;
	case EMSGSIZE:
	case EINVAL:
	case EFAULT:
		break;
	default:
		snprintf(err, SEND_ERRLEN, "capscope: sending failed: %s", strerror(e));
		return -1;
	}
	p->retries = 0;
	(*failed)++;
	return 1;
}

int send_platform_frames(void *platform, const struct send_frame *f, unsigned n, uint64_t *failed,
                         char *err)
{
	struct send_platform *p = platform;
	int r;

	if (n > SEND_BATCH)
		n = SEND_BATCH;
	for (unsigned i = 0; i < n; i++) {
		p->iov[i].iov_base = (void *)f[i].data;
		p->iov[i].iov_len = f[i].len;
	}
	for (;;) {
		r = sendmmsg(p->fd, p->m, n, 0);
		if (r > 0) {
			p->retries = 0;
			return r;
		}
		r = first_failed(p, r < 0 ? errno : EAGAIN, failed, err);
		if (r != 0)
			return r;
	}
}
