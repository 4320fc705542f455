/*
 * send_win32.c - send_int.h on Windows (Npcap): one frame goes out with pcap_sendpacket(); a
 * batch goes into a send queue (pcap_sendqueue_alloc/queue/transmit), which Npcap hands to
 * the driver in one call. The batches come from replay.c's scheduler, which hands over the
 * frames whose time has come; each queued header carries the frame's deadline less the
 * first one's, and the queue is transmitted synchronised (sync 1): the driver keeps the gaps
 * between a batch's frames (a user-space loop cannot, with Windows' timer resolution), and
 * the batch itself leaves on the scheduler's deadline.
 * pcap_sendqueue_* are Npcap-only; pcap.h declares them under _WIN32. Where they cannot be
 * called (under wine: npcap.h), every frame goes out with pcap_sendpacket().
 */
#include "capture/send_int.h"
#include "capture/npcap.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCAP_REC_HDR_BYTES 16u /* what a send queue stores before each frame */

struct send_platform {
	pcap_t *p;
};

struct send_platform *send_platform_open(const char *ifname, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	struct send_platform *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, SEND_ERRLEN, "capscope: out of memory opening '%s'", ifname);
		return NULL;
	}
	s->p = pcap_open_live(ifname, 128, 0, 100, ebuf);
	if (!s->p) {
		snprintf(err, SEND_ERRLEN, "capscope: cannot send on '%s': %s", ifname, ebuf);
		free(s);
		return NULL;
	}
	return s;
}

void send_platform_close(struct send_platform *s)
{
	if (!s)
		return;
	pcap_close(s->p);
	free(s);
}

static int send_one(struct send_platform *s, const struct send_frame *f, uint64_t *failed)
{
	if (pcap_sendpacket(s->p, f->data, (int)f->len) != 0)
		(*failed)++;
	return 1;
}

static int send_queue(struct send_platform *s, const struct send_frame *f, unsigned n,
                      uint64_t *failed, char *err)
{
	struct pcap_pkthdr h;
	u_int total = 0, sent;
	pcap_send_queue *q;

	for (unsigned i = 0; i < n; i++)
		total += PCAP_REC_HDR_BYTES + f[i].len;
	q = pcap_sendqueue_alloc(total);
	if (!q) {
		snprintf(err, SEND_ERRLEN, "capscope: out of memory for a send queue");
		return -1;
	}
	memset(&h, 0, sizeof h);
	for (unsigned i = 0; i < n; i++) {
		uint64_t gap = f[i].due_ns > f[0].due_ns ? f[i].due_ns - f[0].due_ns : 0;

		h.ts.tv_sec = (long)(gap / 1000000000u);
		h.ts.tv_usec = (long)(gap % 1000000000u / 1000u);
		h.caplen = h.len = f[i].len;
		pcap_sendqueue_queue(q, &h, f[i].data);
	}
	/* Npcap stops at the first frame it cannot send: that one and the rest count as
	 * failed, found from the bytes it did send. */
	sent = pcap_sendqueue_transmit(s->p, q, 1);
	for (unsigned i = 0; i < n; i++) {
		if (sent < PCAP_REC_HDR_BYTES + f[i].len) {
			*failed += n - i;
			break;
		}
		sent -= PCAP_REC_HDR_BYTES + f[i].len;
	}
	pcap_sendqueue_destroy(q);
	return (int)n;
}

int send_platform_frames(void *platform, const struct send_frame *f, unsigned n, uint64_t *failed,
                         char *err)
{
	struct send_platform *s = platform;

	if (n == 0)
		return 0;
	if (n == 1 || !npcap_ext_usable()) { /* wine: its send queues abort (npcap.h) */
		for (unsigned i = 0; i < n; i++)
			send_one(s, &f[i], failed);
		return (int)n;
	}
	return send_queue(s, f, n, failed, err);
}
