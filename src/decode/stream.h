/*
 * stream.h - TCP and UDP streams across the packets of one capture: tshark 4.0's stream index
 * (tcp.stream, udp.stream) and TCP sequence analysis (tcp.analysis.*, relative sequence
 * numbers, per-stream times), added to each packet's dissection as catalogue fields.
 *
 * Call order: stream_table_create() once per capture; then, for every packet in capture order
 * (the numbering and the analysis depend on every earlier packet, filtered or not),
 * dissect() or dissect_summary(), frame_meta_next(), stream_annotate(); stream_table_free() at
 * the end. A table is owned by one thread (the headless reader's); no locking.
 *
 * Bounded state: a stream is one fixed record (STREAM_RECORD_BYTES, about 1 KiB with its
 * last STREAM_UNACKED unacknowledged segments each way); no payload is kept. At most
 * `max_streams` records live at once (STREAM_DEFAULT_MAX: about 64 MiB); a new stream beyond
 * that takes the least recently used record. A packet of an evicted stream that comes back
 * starts a new stream with a new number, where tshark (which never forgets) keeps the old one:
 * those packets are counted (struct stream_stats.revived), so a reader knows the numbering
 * differs from tshark's from there on. Hostile traffic (every packet a new 4-tuple, SYN floods,
 * sequence numbers jumping by 2^31) costs one record per stream and constant work per packet.
 */
#ifndef CAPSCOPE_STREAM_H
#define CAPSCOPE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"

#define STREAM_DEFAULT_MAX 65536u
#define STREAM_MIN_MAX     16u

struct stream_table;

struct stream_stats {
	uint64_t tcp_streams; /* numbers handed out (the next tcp.stream) */
	uint64_t udp_streams;
	uint64_t live;    /* records in use */
	uint64_t evicted; /* records taken back for a new stream */
	/* packets whose stream had been evicted (probably: a 64 Ki-bit filter of evicted keys
	 * answers) and got a new number: tshark numbers these packets differently */
	uint64_t revived;
};

/* A table of at most max_streams streams (at least STREAM_MIN_MAX). `analysis` false keeps
 * only the stream index and times (--no-analysis). NULL when out of memory. */
struct stream_table *stream_table_create(size_t max_streams, bool analysis);
void stream_table_free(struct stream_table *t);
/* Bytes the table holds for max_streams streams (what create() allocates). */
size_t stream_table_bytes(size_t max_streams);
void stream_table_stats(const struct stream_table *t, struct stream_stats *out);

struct frame_meta;

/*
 * Numbers the packet's innermost TCP or UDP stream (as d->sum names it: not a packet quoted in
 * an ICMP error) and, for TCP, runs tshark's sequence analysis. Appends the fields (tcp.stream,
 * tcp.seq, tcp.analysis.* ...; udp.stream) to d when it has a tree, and prefixes d->sum.info
 * with tshark's analysis notes ("[TCP Retransmission] "). A packet with no TCP or UDP header
 * is left alone.
 */
void stream_annotate(struct stream_table *t, struct dissection *d, const struct frame_meta *m);

#endif
