/*
 * send.h - putting frames on an adapter: one interface, one file per platform.
 *   send_linux.c  an AF_PACKET socket with sendmmsg() batches and PACKET_QDISC_BYPASS
 *   send_win32.c  Npcap: pcap_sendpacket() for one frame, a send queue for a batch
 *   send.c        common: opening by name or -D number (with libpcap's typed errors turned
 *                 into advice), and send_repeat() for "send these packets N times"
 *
 * A sender is used by one thread at a time. Call order: send_open() -> send_frames()... ->
 * send_close(). The schedulers (replay.c, send_repeat) call it through struct send_target,
 * so tests can put a fake adapter in its place.
 */
#ifndef CAPSCOPE_SEND_H
#define CAPSCOPE_SEND_H

#include <stdbool.h>
#include <stdint.h>

#define SEND_ERRLEN 512
#define SEND_BATCH  64 /* frames handed to the platform at once, at most */

struct send_frame {
	const uint8_t *data; /* the whole link-layer frame, as captured */
	uint32_t len;
	/* When it is due (os_monotonic_ns), 0: now. A replay's batch carries its frames' own
	 * deadlines, which Windows' send queue keeps the gaps of (send_win32.c). */
	uint64_t due_ns;
};

/* Something frames can be sent to. send() returns how many of the n frames it consumed
 * (sent, or refused one by one and added to *failed: too big for the MTU, too short), at
 * least 0, or -1 on an error that ends sending (the adapter went away) with err filled. */
struct send_target {
	int (*send)(void *ctx, const struct send_frame *f, unsigned n, uint64_t *failed, char *err);
	void *ctx;
};

struct sender;

/* Opens `name` (a name, or a number from capscope -D) for sending. On Linux also lowers
 * the calling thread's timer slack so that deadline sleeps wake on time: open from the
 * thread that will send. NULL with a one-line message in err (SEND_ERRLEN). */
struct sender *send_open(const char *name, char *err);
void send_close(struct sender *s);
int send_linktype(const struct sender *s); /* DLT_ value of the adapter */
const char *send_name(const struct sender *s);
struct send_target send_target(struct sender *s);

/* Sends the n frames in order, the whole list `times` times over (the TUI's "send selected
 * packets"). Stops early when stop (may be NULL) returns true. Returns 0 with *sent and
 * *failed set, or -1 with err. */
int send_repeat(struct send_target t, const struct send_frame *f, unsigned n, uint64_t times,
                bool (*stop)(void *arg), void *arg, uint64_t *sent, uint64_t *failed, char *err);

#endif
