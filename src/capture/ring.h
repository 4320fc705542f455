/*
 * ring.h - bounded single-producer/single-consumer ring of variable-size packet records.
 *
 * The one object shared between the capture thread (producer) and its consumer (the
 * headless writer/printer or the UI thread). Memory is allocated (and prefaulted) once at
 * ring_create(); ring_push() never blocks and never allocates: when a record does not fit, it is
 * dropped and counted. Producers reading files (where waiting loses nothing) may call
 * ring_wait_space() before pushing instead of dropping.
 *
 * Threads: ring_push, ring_wait_space, ring_notify and ring_finish are the producer's;
 * ring_peek, ring_pop, ring_wait and ring_wake_fd are the consumer's; the counters may be
 * read by anyone.
 */
#ifndef CAPSCOPE_RING_H
#define CAPSCOPE_RING_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"

#define RING_DEFAULT_BYTES (64u << 20)
#define RING_MIN_BYTES     (1u << 20)
/* Enough for files and streams, whose producer waits for room instead of dropping: a larger
 * ring there only adds page faults and cache misses (bench/, docs/BENCHMARKS.md). */
#define RING_FILE_BYTES (2u << 20)

struct ring;

/* Packets keep their source index (pkt_hdr.ifidx) below this through the ring; higher bits
 * are lost. The capture's bound on sources (CAPTURE_MAX_SOURCES) is this. */
#define RING_MAX_IFIDX 8u

struct ring_rec {
	struct pkt_hdr hdr;
	const uint8_t *data; /* hdr.caplen bytes, valid until ring_pop() */
};

struct ring *ring_create(size_t bytes, char *err, unsigned errlen);
void ring_destroy(struct ring *r);

/* Producer. Returns false (and counts a drop) when the record does not fit. */
bool ring_push(struct ring *r, const struct pkt_hdr *h, const uint8_t *data);
/* Producer: blocks until a record of caplen bytes fits, the consumer is gone or timeout_ms
 * passes. Returns true if it fits now. Returns false at once when the consumer is gone or
 * the record could never fit (larger than half the ring and not fitting an empty one).
 * Wakes a sleeping consumer (ring_notify) before it sleeps, so the consumer can make room. */
bool ring_wait_space(struct ring *r, uint32_t caplen, int timeout_ms);
/* Producer: wakes the consumer if it is waiting. Call once per batch of pushes. */
void ring_notify(struct ring *r);
/* Producer: no more records will come. Wakes the consumer. */
void ring_finish(struct ring *r);

/* Consumer: the oldest record, or false if the ring is empty. */
bool ring_peek(struct ring *r, struct ring_rec *out);
/* Consumer: releases the record returned by the last ring_peek(). */
void ring_pop(struct ring *r);
/* Consumer: waits until a record is available, the producer finished, or timeout_ms passes.
 * Returns true if a record is available. With timeout_ms 0 it also arms the wake-up: after
 * it returns false, the next ring_notify() or ring_finish() makes ring_wake_fd() readable,
 * so a poll() loop calls ring_wait(r, 0) before each poll(). */
bool ring_wait(struct ring *r, int timeout_ms);
/* Consumer: true once the producer has finished and every record has been popped. */
bool ring_drained(struct ring *r);
/* Consumer: releases a waiting producer for good (the consumer is leaving). */
void ring_abandon(struct ring *r);
/* Consumer (POSIX): a descriptor to poll() beside the terminal; after it is readable call
 * ring_wait(r, 0). */
int ring_wake_fd(const struct ring *r);
/* Consumer: the wake-up itself, to wait on beside the terminal with os_wait_input() (every
 * platform); after it fires call ring_wait(r, 0). */
struct os_wake *ring_wake(const struct ring *r);

uint64_t ring_drops(const struct ring *r);  /* records refused because the ring was full */
uint64_t ring_pushed(const struct ring *r); /* records accepted */
size_t ring_capacity(const struct ring *r);
/* Bytes held (records, their headers and padding), at some moment between the call and its
 * return: exact for the consumer, an estimate for anyone else. */
size_t ring_used(const struct ring *r);

#endif
