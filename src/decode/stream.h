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
#define STREAM_MAX_MAX     (1u << 24) /* --max-streams' ceiling: 16 GiB of records */

struct stream_table;

struct stream_stats {
	uint64_t tcp_streams; /* numbers handed out or skipped (the next tcp.stream, mod 2^32) */
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
/* The next new streams are numbered from n, as if n streams had come before (a test hook
 * for the wrap; both protocols). Numbers are 32-bit, as tshark's: from the 2^32nd stream of a
 * protocol on (22 days at 2,200 new streams a second) they start again from 0, skipping the
 * numbers of the streams still in the table, so two streams held never share a number; a
 * number is given again only to a stream after the older one with it was evicted. */
void stream_table_number_from(struct stream_table *t, uint64_t n);
/* Bytes the table holds for max_streams streams (what create() allocates). */
size_t stream_table_bytes(size_t max_streams);
void stream_table_stats(const struct stream_table *t, struct stream_stats *out);

struct frame_meta;

/* tshark's analysis flags (TCP_A_*), in the order its Info column notes are added. */
enum tcp_aflag {
	TA_RETRANSMISSION = 1u << 0,
	TA_FAST_RETRANSMISSION = 1u << 1,
	TA_SPURIOUS_RETRANSMISSION = 1u << 2,
	TA_OUT_OF_ORDER = 1u << 3,
	TA_LOST_PACKET = 1u << 4,
	TA_ACK_LOST_PACKET = 1u << 5,
	TA_WINDOW_UPDATE = 1u << 6,
	TA_WINDOW_FULL = 1u << 7,
	TA_KEEP_ALIVE = 1u << 8,
	TA_KEEP_ALIVE_ACK = 1u << 9,
	TA_DUPLICATE_ACK = 1u << 10,
	TA_ZERO_WINDOW_PROBE = 1u << 11,
	TA_ZERO_WINDOW = 1u << 12,
	TA_ZERO_WINDOW_PROBE_ACK = 1u << 13,
	TA_REUSED_PORTS = 1u << 14,
};

/* tshark shows a fast or spurious retransmission as a retransmission too */
#define TA_ANY_RETRANSMISSION                                                                      \
	(TA_RETRANSMISSION | TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION)

/* The TCP flags a mark keeps (struct stream_mark.tcp_flags). */
enum { SM_FIN = 1, SM_SYN = 2, SM_RST = 4, SM_ACK = 16 };

/* What stream_annotate() found for one packet, small enough to keep for every packet. */
struct stream_mark {
	uint32_t number;       /* tcp.stream or udp.stream */
	uint8_t proto;         /* P_TCP, P_UDP, or 0: the packet belongs to no stream */
	uint8_t dir;           /* 1: sent by the stream's second endpoint (the one that did not send
	                        * its first packet) */
	uint8_t tcp_flags;     /* SM_* of the header */
	uint8_t first;         /* 1: the packet started its stream (got a number not used before
	                        * by a stream still in the table: see stream_table_number_from) */
	uint16_t aflags;       /* enum tcp_aflag */
	uint32_t seglen;       /* tcp.len (0 for UDP) */
	uint64_t dupack_frame; /* with TA_DUPLICATE_ACK: "[TCP Dup ACK 12#3]" (12) */
	uint32_t dupack_num;   /* and its number (3) */
	int64_t irtt_ns;       /* the stream's initial RTT once known, else 0 */
	/* proto 0 and an ICMP/ICMPv6 echo (d->sum.echo): the frame of the request a reply
	 * answers (echo_match.h), else 0 */
	uint64_t echo_request;
};

/*
 * Numbers the packet's innermost TCP or UDP stream (as d->sum names it: not a packet quoted in
 * an ICMP error) and, for TCP, runs tshark's sequence analysis. Appends the fields (tcp.stream,
 * tcp.seq, tcp.analysis.* ...; udp.stream) to d when it has a tree, and prefixes d->sum.info
 * with tshark's analysis notes ("[TCP Retransmission] "). A packet with no TCP or UDP header
 * is left alone. An ICMP or ICMPv6 echo (d->sum.echo) is matched with its request instead
 * (echo_match.h: "(request in N)", icmp.resp_to, icmp.resptime).
 */
void stream_annotate(struct stream_table *t, struct dissection *d, const struct frame_meta *m);
/* The same, and what it found in *out (proto 0 when the packet has no TCP or UDP stream). */
void stream_annotate_mark(struct stream_table *t, struct dissection *d, const struct frame_meta *m,
                          struct stream_mark *out);
/* Puts the analysis notes of a mark in front of d->sum.info, as stream_annotate() does (for a
 * summary decoded again later, from a kept mark). */
void stream_info_notes(struct dissection *d, const struct stream_mark *mk);

#endif
