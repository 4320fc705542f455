/*
 * capture_thread.h - the producer: reads a source and pushes records into a ring.
 *
 * It never touches the UI, the decoder or a file: it only moves packets from the source to
 * the ring. Live sources never wait for the consumer (a full ring counts a drop); file and
 * stream sources wait for ring space instead, since nothing is lost by waiting.
 * Stopping is prompt: the source's read timeout bounds how long a stop request can go unseen.
 *
 * Call order (one thread, typically main): capture_start() -> capture_stop() -> capture_join().
 * capture_counters() may be called from any thread at any time.
 */
#ifndef CAPSCOPE_CAPTURE_THREAD_H
#define CAPSCOPE_CAPTURE_THREAD_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/ring.h"
#include "capture/source.h"

struct capture;

struct capture_counters {
	uint64_t received;        /* packets read from the source (after the user-space filter) */
	uint64_t kernel_received; /* live: packets the kernel passed the filter (ps_recv) */
	uint64_t kernel_drops;    /* live: dropped by the kernel (pcap_stats ps_drop) */
	uint64_t if_drops;        /* live: dropped by the interface (ps_ifdrop) */
	uint64_t ring_drops;      /* refused because the ring was full */
	bool finished;            /* the thread has ended (end of file, error or stop) */
};

/* Starts the thread. `max_packets` > 0 stops after that many packets. */
struct capture *capture_start(struct source *src, struct ring *ring, uint64_t max_packets,
                              char *err);
/* Live: replaces the kernel filter ("" = none). The thread applies it between two reads
 * (within one read timeout). The expression must have been validated (filter_check). */
void capture_set_filter(struct capture *c, const char *expr);
/* Asks the thread to stop. Any thread; returns at once. */
void capture_stop(struct capture *c);
/* Waits for the thread to end and frees it. Returns the final status: SRC_OK, or
 * SRC_ERR_READ or SRC_ERR_DISCONNECTED (a remote link ended) with the message in err. Reads
 * the final kernel counters first. */
enum source_err capture_join(struct capture *c, struct capture_counters *final, char *err);
void capture_counters(const struct capture *c, struct capture_counters *out);

#endif
