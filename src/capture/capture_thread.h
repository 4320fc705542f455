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
/* The same, every packet stamped with source index `ifidx` (pkt_hdr.ifidx; 0 above). */
struct capture *capture_start_index(struct source *src, struct ring *ring, uint64_t max_packets,
                                    uint32_t ifidx, char *err);

/* Several sources at once (-i A -i B): at most this many. */
#define CAPTURE_MAX_SOURCES RING_MAX_IFIDX
/* Their packets wait in the merge at most the sources' read timeout plus this (see
 * capture_merge.c for the order this keeps). */
#define CAPTURE_HOLD_EXTRA_MS 150
/* Starts a thread and a ring of ring_bytes per source (packet i's source stamped as
 * pkt_hdr.ifidx = i) and a merge thread that moves their packets into `ring` in timestamp
 * order, holding a packet at most hold_ms. Returns a capture that the calls below serve as
 * one: counters are the sum, a stop stops all, the filter goes to each; it finishes when
 * every source has ended. One source failing leaves the others running
 * (capture_source() says which). */
struct capture *capture_start_many(struct source *const *srcs, unsigned n, struct ring *ring,
                                   size_t ring_bytes, int hold_ms, uint64_t max_packets, char *err);
/* capture_start_many's ring_bytes for a consumer's ring of `consumer` bytes: a quarter
 * of it, at least RING_MIN_BYTES (the merge waits for room in the consumer's ring, so only
 * these drop; 64 MiB gives 16 MiB a source, ~100k packets of 100 bytes, well over the hold
 * window at 100k packets/s a source). */
size_t capture_ring_share(size_t consumer);
/* capture_start_many's hold_ms for sources read with this read timeout: a read timeout and
 * CAPTURE_HOLD_EXTRA_MS; through the capture helper a packet takes up to two more read
 * timeouts (the helper's poll, then this side's pipe read: first packets of a quiet adapter
 * were measured 180-300 ms late with the 100 ms default). */
int capture_hold_ms(int timeout_ms);
/* A source's end, for capture_join_each(). */
struct capture_end {
	struct capture_counters cnt;
	enum source_err st;
	char err[SOURCE_ERRLEN];
};
/* capture_join() that also gives each source's final counters and status (each[i] for i
 * below capture_sources(); with one source each[0] is the capture's own). */
enum source_err capture_join_each(struct capture *c, struct capture_counters *final,
                                  struct capture_end *each, char *err);
/* The number of sources (1 for capture_start). */
unsigned capture_sources(const struct capture *c);
/* Source i's own counters, and SRC_OK while it runs or once it ended well, its error (the
 * message in err, SOURCE_ERRLEN) once it failed. Any thread, until capture_join. */
enum source_err capture_source(const struct capture *c, unsigned i, struct capture_counters *out,
                               char *err);
/* Live: replaces the kernel filter ("" = none). The thread applies it between two reads
 * (within one read timeout). The expression must have been validated (filter_check). */
void capture_set_filter(struct capture *c, const char *expr);
/* The same for source i only (several sources of other link types each have their own). */
void capture_set_source_filter(struct capture *c, unsigned i, const char *expr);
/* Asks the thread to stop. Any thread; returns at once. */
void capture_stop(struct capture *c);
/* Waits for the thread to end and frees it. Returns the final status: SRC_OK, or
 * SRC_ERR_READ or SRC_ERR_DISCONNECTED (a remote link ended) with the message in err. Reads
 * the final kernel counters first. */
enum source_err capture_join(struct capture *c, struct capture_counters *final, char *err);
void capture_counters(const struct capture *c, struct capture_counters *out);

#endif
