/*
 * capture_thread.c - the producer thread: source_next() -> ring_push(), nothing else.
 *
 * Wake-ups are batched: ring_notify() after every BATCH packets and whenever the source
 * times out, so on a quiet link a packet reaches the consumer within about one read
 * timeout, and on a busy one the consumer is woken once per batch, not per packet. A stream
 * (a pipe) may block in read() for any time, so it notifies after every packet; a remote
 * source says when its pipe is empty (source_next 0) before it blocks, so it is batched as a
 * live one (one wake-up per burst; bench/remote.sh). A file
 * never waits for the network, so it notifies every FILE_BATCH packets: a consumer faster
 * than the reader would otherwise sleep and be woken (two syscalls and a context switch)
 * every 64 packets. ring_wait_space() also wakes the consumer before the producer sleeps.
 */
#include "capture/capture_thread.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/capture_merge.h"
#include "capture/privsep.h"
#include "platform/os.h"

#define BATCH             64u
#define FILE_BATCH        4096u
#define STATS_INTERVAL_NS 250000000u
#define SPACE_WAIT_MS     100

/* 32-bit pcap_stats counters widened by adding each sample's difference (mod 2^32). */
struct wide32 {
	uint32_t last;
	uint64_t total;
};

struct capture {
	pthread_t thread;
	struct source *src;
	struct ring *ring;
	uint64_t max_packets;
	uint32_t ifidx;                /* stamped on every packet */
	struct capture_merge *merge;   /* several sources: the merge does the work; else NULL */
	_Atomic bool stop;             /* written by capture_stop */
	_Atomic uint64_t received;     /* written by the capture thread */
	_Atomic uint64_t kernel_recv;  /* written by the capture thread */
	_Atomic uint64_t kernel_drops; /* written by the capture thread */
	_Atomic uint64_t if_drops;     /* written by the capture thread */
	_Atomic bool finished;         /* written by the capture thread, last */
	/* Capture thread only until it ends; read by capture_join after the join. */
	enum source_err status;
	char err[SOURCE_ERRLEN];
	uint64_t next_stats_ns;
	struct wide32 w_recv, w_drop, w_ifdrop;
	/* A new kernel filter asked for by the consumer, applied between two reads, because
	 * libpcap's handle is not safe to change while another thread reads from it. */
	pthread_mutex_t filter_lock;
	char *pending_filter;        /* guarded by filter_lock */
	_Atomic bool filter_pending; /* set by capture_set_filter, cleared by the thread */
};

static uint64_t widen(struct wide32 *w, uint64_t raw)
{
	w->total += (uint32_t)((uint32_t)raw - w->last);
	w->last = (uint32_t)raw;
	return w->total;
}

static void read_stats(struct capture *c)
{
	uint64_t recv, drop, ifdrop;

	if (!source_stats(c->src, &recv, &drop, &ifdrop))
		return;
	/* `received` counts what source_next delivered; ps_recv is the kernel's own count */
	atomic_store_explicit(&c->kernel_recv, widen(&c->w_recv, recv), memory_order_relaxed);
	atomic_store_explicit(&c->kernel_drops, widen(&c->w_drop, drop), memory_order_relaxed);
	atomic_store_explicit(&c->if_drops, widen(&c->w_ifdrop, ifdrop), memory_order_relaxed);
}

static void maybe_read_stats(struct capture *c)
{
	uint64_t now = os_monotonic_ns();

	if (now >= c->next_stats_ns) {
		c->next_stats_ns = now + STATS_INTERVAL_NS;
		read_stats(c);
	}
}

/* Files and streams: wait for room instead of dropping. False when asked to stop. A false
 * from ring_wait_space() before its timeout means the record can never fit (or the
 * consumer left): the push that follows then counts it as a drop. */
static bool wait_for_space(struct capture *c, uint32_t caplen)
{
	if (ring_wait_space(c->ring, caplen, 0)) /* the common case: room now, no clock read */
		return true;
	for (;;) {
		uint64_t t0 = os_monotonic_ns();

		if (ring_wait_space(c->ring, caplen, SPACE_WAIT_MS))
			return true;
		if (atomic_load_explicit(&c->stop, memory_order_relaxed))
			return false;
		if (os_monotonic_ns() - t0 < (uint64_t)SPACE_WAIT_MS * 1000000u)
			return true;
	}
}

/* Handles one packet. Returns false when the loop should end. */
static bool deliver(struct capture *c, const struct pkt_hdr *h, const uint8_t *data,
                    unsigned *batch)
{
	enum source_kind kind = source_kind(c->src);
	uint64_t n;

	if (kind != SOURCE_LIVE && !wait_for_space(c, h->caplen))
		return false;
	ring_push(c->ring, h, data);
	n = atomic_load_explicit(&c->received, memory_order_relaxed) + 1;
	atomic_store_explicit(&c->received, n, memory_order_relaxed);
	if (++*batch >= (kind == SOURCE_FILE ? FILE_BATCH : BATCH) || kind == SOURCE_STREAM) {
		ring_notify(c->ring);
		*batch = 0;
		maybe_read_stats(c);
	}
	return c->max_packets == 0 || n < c->max_packets;
}

static void apply_pending_filter(struct capture *c)
{
	char *expr, err[SOURCE_ERRLEN];

	pthread_mutex_lock(&c->filter_lock);
	expr = c->pending_filter;
	c->pending_filter = NULL;
	atomic_store_explicit(&c->filter_pending, false, memory_order_relaxed);
	pthread_mutex_unlock(&c->filter_lock);
	if (expr && source_set_filter(c->src, expr, err) != SRC_OK)
		fprintf(stderr, "%s\n", err); /* validated by the caller first: not expected */
	free(expr);
}

static void run_loop(struct capture *c)
{
	struct pkt_hdr h;
	const uint8_t *data;
	unsigned batch = 0;
	int rc;

	while (!atomic_load_explicit(&c->stop, memory_order_relaxed)) {
		if (atomic_load_explicit(&c->filter_pending, memory_order_relaxed))
			apply_pending_filter(c);
		rc = source_next(c->src, &h, &data, c->err);
		h.ifidx = c->ifidx;
		if (rc == 1 && !deliver(c, &h, data, &batch))
			break;
		if (rc == 0) {
			ring_notify(c->ring);
			batch = 0;
			maybe_read_stats(c);
		}
		/* A live source only "ends" when woken by source_break(): for a stop, or for a
		 * new filter (libpcap's TPACKET_V3 reader may otherwise sleep until a packet). */
		if (rc == -1 && source_kind(c->src) == SOURCE_LIVE &&
		    !atomic_load_explicit(&c->stop, memory_order_relaxed))
			continue;
		if (rc < 0) {
			c->status = rc == -1 ? SRC_OK : source_end_status(c->src);
			break;
		}
	}
}

static void *capture_main(void *arg)
{
	struct capture *c = arg;

	c->next_stats_ns = os_monotonic_ns() + STATS_INTERVAL_NS;
	run_loop(c);
	read_stats(c);
	atomic_store_explicit(&c->finished, true, memory_order_release);
	ring_finish(c->ring);
	return NULL;
}

struct capture *capture_start(struct source *src, struct ring *ring, uint64_t max_packets,
                              char *err)
{
	return capture_start_index(src, ring, max_packets, 0, err);
}

struct capture *capture_start_index(struct source *src, struct ring *ring, uint64_t max_packets,
                                    uint32_t ifidx, char *err)
{
	struct capture *c = calloc(1, sizeof(*c));
	int rc;

	if (c == NULL) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory starting the capture");
		return NULL;
	}
	c->src = src;
	c->ring = ring;
	c->max_packets = max_packets;
	c->ifidx = ifidx;
	c->status = SRC_OK;
	pthread_mutex_init(&c->filter_lock, NULL);
	rc = pthread_create(&c->thread, NULL, capture_main, c);
	if (rc != 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot start the capture thread: %s",
		         strerror(rc));
		free(c);
		return NULL;
	}
	return c;
}

struct capture *capture_start_many(struct source *const *srcs, unsigned n, struct ring *ring,
                                   size_t ring_bytes, int hold_ms, uint64_t max_packets, char *err)
{
	struct merge_opts mo = {
	    .ring_bytes = ring_bytes, .hold_ms = hold_ms, .max_packets = max_packets};
	struct capture *c = calloc(1, sizeof(*c));

	if (c == NULL) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory starting the capture");
		return NULL;
	}
	c->ring = ring;
	if (!(c->merge = merge_start(srcs, n, ring, &mo, err))) {
		free(c);
		return NULL;
	}
	return c;
}

size_t capture_ring_share(size_t consumer)
{
	size_t b = consumer / 4;

	return b < RING_MIN_BYTES ? RING_MIN_BYTES : b;
}

int capture_hold_ms(int timeout_ms)
{
	if (timeout_ms <= 0)
		timeout_ms = SOURCE_DEFAULT_TIMEOUT_MS;
	return timeout_ms * (privsep_active() ? 3 : 1) + CAPTURE_HOLD_EXTRA_MS;
}

unsigned capture_sources(const struct capture *c)
{
	return c->merge ? merge_sources(c->merge) : 1;
}

enum source_err capture_source(const struct capture *c, unsigned i, struct capture_counters *out,
                               char *err)
{
	if (c->merge)
		return merge_source(c->merge, i, out, err);
	capture_counters(c, out);
	if (!out->finished || c->status == SRC_OK) /* finished: status written before it */
		return SRC_OK;
	snprintf(err, SOURCE_ERRLEN, "%s", c->err);
	return c->status;
}

void capture_set_filter(struct capture *c, const char *expr)
{
	char *copy;

	if (c->merge) {
		merge_set_filter(c->merge, expr);
		return;
	}
	copy = strdup(expr);

	if (!copy)
		return;
	pthread_mutex_lock(&c->filter_lock);
	free(c->pending_filter);
	c->pending_filter = copy;
	pthread_mutex_unlock(&c->filter_lock);
	atomic_store_explicit(&c->filter_pending, true, memory_order_relaxed);
	/* a remote source filters in user space, between two reads: no wake-up (which would
	 * end it, source.h) */
	if (source_kind(c->src) != SOURCE_REMOTE)
		source_break(c->src);
}

void capture_set_source_filter(struct capture *c, unsigned i, const char *expr)
{
	if (c->merge)
		merge_set_source_filter(c->merge, i, expr);
	else if (i == 0)
		capture_set_filter(c, expr);
}

void capture_stop(struct capture *c)
{
	if (c->merge) {
		merge_stop(c->merge);
		return;
	}
	atomic_store_explicit(&c->stop, true, memory_order_relaxed);
	source_break(c->src);
}

void capture_counters(const struct capture *c, struct capture_counters *out)
{
	if (c->merge) {
		merge_counters(c->merge, out);
		return;
	}
	out->finished = atomic_load_explicit(&c->finished, memory_order_acquire);
	out->received = atomic_load_explicit(&c->received, memory_order_relaxed);
	out->kernel_received = atomic_load_explicit(&c->kernel_recv, memory_order_relaxed);
	out->kernel_drops = atomic_load_explicit(&c->kernel_drops, memory_order_relaxed);
	out->if_drops = atomic_load_explicit(&c->if_drops, memory_order_relaxed);
	out->ring_drops = ring_drops(c->ring);
}

enum source_err capture_join(struct capture *c, struct capture_counters *final, char *err)
{
	return capture_join_each(c, final, NULL, err);
}

enum source_err capture_join_each(struct capture *c, struct capture_counters *final,
                                  struct capture_end *each, char *err)
{
	enum source_err st;

	if (c->merge) {
		st = merge_join(c->merge, final, each, err);
		free(c);
		return st;
	}
	pthread_join(c->thread, NULL);
	if (each != NULL) {
		capture_counters(c, &each->cnt);
		each->st = c->status;
		snprintf(each->err, SOURCE_ERRLEN, "%s", c->status != SRC_OK ? c->err : "");
	}
	if (final != NULL)
		capture_counters(c, final);
	st = c->status;
	if (st != SRC_OK)
		snprintf(err, SOURCE_ERRLEN, "%s", c->err);
	free(c->pending_filter);
	pthread_mutex_destroy(&c->filter_lock);
	free(c);
	return st;
}
