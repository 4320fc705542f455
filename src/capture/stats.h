/*
 * stats.h - statistics mode: packets and bytes matching a BPF filter, per interval, counted
 * on one adapter through a capture handle of its own. Nothing is copied: no packet ring, no
 * spill file, no decoding; a counting thread adds wire lengths as the platform delivers them.
 *
 *   Linux (stats_linux.c): a tiny snapshot length (the wire length comes from the header),
 *   the kernel filter, TPACKET_V3 blocks handed to pcap_dispatch() and counted in place.
 *   Windows (stats_win32.c): Npcap's statistics mode (pcap_setmode MODE_STAT): the driver
 *   counts and hands over two 64-bit counters once per read timeout.
 *
 * Intervals: boundaries are whole multiples of the interval on the wall clock (1 s intervals
 * end on whole seconds), kept on the monotonic clock, so the first and the last interval are
 * partial. A packet counts in the interval that holds its capture timestamp; an interval is
 * closed a grace period (about two read timeouts) after its end, when the kernel has handed
 * over every packet stamped before it. A later straggler counts in the next interval: every
 * packet is counted exactly once. `drops` is the kernel's drop counter's growth during the
 * interval (pcap_stats ps_drop), read when the interval closes.
 *
 * Threads: stats_start() and stats_stop() on one thread (the owner); stats_next(),
 * stats_latest(), stats_wait() and stats_failed() from any thread; the counting thread is
 * private. Records are kept in a history of STATS_HISTORY intervals guarded by a mutex.
 */
#ifndef CAPSCOPE_STATS_H
#define CAPSCOPE_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/source.h"

#define STATS_MIN_INTERVAL_MS     100
#define STATS_MAX_INTERVAL_MS     60000
#define STATS_DEFAULT_INTERVAL_MS 1000
#define STATS_HISTORY             4096 /* intervals kept for readers (the graph's window) */

struct stats_opts {
	const char *iface;  /* adapter name or number from -D */
	const char *filter; /* BPF expression, NULL or "" for every packet */
	int interval_ms;    /* STATS_MIN_INTERVAL_MS .. STATS_MAX_INTERVAL_MS */
	bool promisc;
	int buffer_kib; /* kernel buffer, 0 = libpcap's default */
};

/* One closed interval. */
struct stats_rec {
	uint64_t seq;    /* 1, 2, 3, ... without gaps */
	int64_t end_ns;  /* wall clock at the interval's end, ns since the epoch */
	uint64_t dur_ns; /* its length: the interval, or less for the first and the last */
	uint64_t packets;
	uint64_t bytes; /* the packets' wire lengths summed (Windows: see stats_bytes_note) */
	uint64_t drops; /* kernel drops during the interval */
};

struct stats;

/* Opens the adapter, installs the filter and starts counting. On failure returns NULL with
 * *why and one line in err (the same advice as source_open: unknown adapter, permission). */
struct stats *stats_start(const struct stats_opts *o, enum source_err *why, char *err);
/* Stops the thread, publishes the last (partial) interval and frees nothing else: records
 * stay readable until stats_free(). */
void stats_stop(struct stats *s);
void stats_free(struct stats *s);

/* The first record with seq > after (the oldest kept when older ones are gone). False when
 * none is ready. */
bool stats_next(struct stats *s, uint64_t after, struct stats_rec *out);
/* The newest n records, oldest first, into out; returns how many were copied. */
size_t stats_latest(struct stats *s, struct stats_rec *out, size_t n);
/* The newest record's seq (0 before the first interval closes). */
uint64_t stats_seq(struct stats *s);
/* Waits up to timeout_ms for a new record or the end of counting. */
void stats_wait(struct stats *s, int timeout_ms);
/* True when counting ended by itself (a read error, the adapter went away); err then holds
 * the reason. */
bool stats_failed(struct stats *s, char *err);
/* libpcap's warning from opening the adapter (promiscuous mode refused, ...) or NULL. */
const char *stats_warning(const struct stats *s);
int stats_interval_ms(const struct stats *s);
/* What `bytes` means on this platform, one line for help texts and stderr. */
const char *stats_bytes_note(void);

/* Rates of a record: bits and packets per second over its own length. */
double stats_bps(const struct stats_rec *r);
double stats_pps(const struct stats_rec *r);

#endif
