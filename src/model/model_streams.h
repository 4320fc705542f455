/*
 * model_streams.h - TCP and UDP streams in the monitor: every packet of the store gets its
 * stream (tcp.stream / udp.stream, numbered as tshark numbers them) and its TCP analysis
 * flags, kept as a 12-byte mark a packet; the packets of each stream are chained, so a view
 * can read one stream's packets by store index without scanning the capture.
 *
 * The marks are made by a pass of their own behind the store (model_streams_step), reading
 * packets back in budgeted slices when the ring has been drained: taking packets in stays as
 * fast as before (a file is indexed, a live capture drained, at the same speed), and under a
 * load the ring cannot keep up with, the marks wait instead of the capture.
 *
 * What the marks are for: the list's Info notes ("[TCP Retransmission] ...") and colour, the
 * status bar's counts, the TCP streams table, follow stream, and the decode pane, whose full
 * stream fields (relative numbers, SEQ/ACK analysis with its frame links) come from running
 * the analysis again over that one stream's packets, up to the selected one.
 *
 * Memory, bounded for days-long captures: the marks (12 B a packet held: they leave with the
 * packets the spill file's ring drops), a record of about 80 B a stream that still has a
 * packet held (chain, initial RTT, TCP totals; a stream whose every packet left is forgotten,
 * and if it sends again its chain and totals start anew; at most 4 x m->max_streams records,
 * past which the packets of new streams are not chained, and counted), the duplicate ACKs' numbers
 * of the packets held, and a stream table of at most m->max_streams records (stream.h: about 1 KiB
 * each, touched only as used); the display filter keeps a second table while a display
 * filter is applied. Packets the ring dropped before the pass reached them are skipped
 * (counted): the analysis goes on from the first packet held.
 * UI thread only, like the rest of the model.
 */
#ifndef CAPSCOPE_MODEL_STREAMS_H
#define CAPSCOPE_MODEL_STREAMS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/stream.h"

struct model;
struct model_streams;

#define MS_NONE UINT64_MAX /* no packet: the end of a stream's chain */

/* Counts over every stored packet, for the status bar. */
struct ms_counts {
	uint64_t flagged; /* packets with any analysis flag */
	uint64_t retrans; /* any kind of retransmission */
	uint64_t lost;    /* previous segment not captured, ACKed unseen segment */
	uint64_t dup_ack;
	uint64_t out_of_order;
	uint64_t zero_window;
	uint64_t streams[2]; /* numbers handed out: [0] TCP, [1] UDP */
	uint64_t untracked;  /* streams whose record was taken back (LRU) for a newer one */
	uint64_t unchained;  /* packets not chained: their stream was over the bound of records */
	uint64_t skipped;    /* packets that left the spill file before the pass reached them */
};

/* One TCP stream's totals, for the TCP streams table. Direction 0 is the stream's first
 * sender (the client, when the capture saw the SYN). */
enum tcp_state { TS_OPEN, TS_HALF_CLOSED, TS_CLOSED, TS_RESET };
struct tcp_stream_sum {
	uint64_t number;               /* tcp.stream */
	uint64_t first_index;          /* store index of its first packet held */
	uint64_t packets[2], bytes[2]; /* frames and frame bytes each way */
	int64_t first_ns, last_ns;
	uint64_t retrans; /* packets marked as any kind of retransmission */
	int64_t irtt_ns;  /* tcp.analysis.initial_rtt, 0 when the handshake was not seen */
	enum tcp_state state;
};

/* Creates m's stream state (at model_create); false when out of memory. */
bool model_streams_init(struct model *m);
void model_streams_free(struct model *m);
/* Forgets every mark and stream (a new source). */
void model_streams_reset(struct model *m);
/* The stream pass numbers its next new streams from n (a test hook, as model_number_from:
 * as if n streams had come; stream_table_number_from). */
void model_streams_number_from(struct model *m, uint64_t n);
/* Marks the next stored packets for at most budget_ns; true while more remain. */
bool model_streams_step(struct model *m, uint64_t budget_ns);
/* Whether the pass should run now: packets wait for it, the ring has been drained, and a
 * file has been read (taking packets in comes first: a file's small ring would make its
 * reader wait, and a busy loop would take the reader's CPU). */
bool model_streams_due(const struct model *m);
/* Stored packets not marked yet. */
uint64_t model_streams_pending(const struct model *m);
/* Marks every stored packet now (before following a stream: its chain must be whole). */
void model_streams_finish(struct model *m);
/* Store packets from n on are gone (a spill write that failed part-way). */
void model_streams_truncate(struct model *m, uint64_t n);
/* Store packets before `first` left (the spill file's ring): their marks, the streams none of
 * whose packets is held, and their duplicate ACK and row notes leave memory. */
void model_streams_drop_head(struct model *m, uint64_t first);
/* Bytes of memory the marks, stream records, duplicate ACK notes and context rows hold. */
size_t model_streams_memory(const struct model *m);

/* True once the stream pass has reached store packet index. */
bool model_stream_marked(const struct model *m, uint64_t index);
/* The mark of store packet index; false (proto 0) when it has none (or none yet). */
bool model_stream_mark(const struct model *m, uint64_t index, struct stream_mark *out);
/* The first packet (store index) of stream `number` of proto (P_TCP or P_UDP), or MS_NONE. */
uint64_t model_stream_first(const struct model *m, int proto, uint64_t number);
/* The packet after store packet index in its stream, or MS_NONE. */
uint64_t model_stream_next(const struct model *m, uint64_t index);
void model_stream_counts(const struct model *m, struct ms_counts *out);
/* The totals of tcp.stream `number`; false when there is no such stream (or none of its
 * packets is held). */
bool model_tcp_stream_sum(const struct model *m, uint64_t number, struct tcp_stream_sum *out);
/* The TCP streams with packets held, for the TCP streams table: their count, and the k-th
 * (in no particular order) of them. */
uint64_t model_tcp_stream_count(const struct model *m);
bool model_tcp_stream_at(const struct model *m, uint64_t k, struct tcp_stream_sum *out);
/* tshark's "Bad TCP" colouring rule: analysis flags other than window update and keep-alive. */
bool model_stream_bad(const struct model *m, uint64_t index);

/* The pass's Protocol column and Info of packet index decoded in context (QUIC connections,
 * TCP reassembly: model_ctxrows.h) into sum; false when it kept none (a row decoded alone is
 * right, not reached yet, or over the bound). */
bool model_stream_row_summary(const struct model *m, uint64_t index, struct summary *sum);
/* Puts the mark's analysis notes in front of d's Info (a row decoded again for the list); an
 * ICMP/ICMPv6 echo gets its request/reply note as Wireshark's second pass shows it ("(reply in
 * N)", "(request in N)", "(no response found!)" once every packet is marked). */
void model_stream_notes(const struct model *m, uint64_t index, struct dissection *d);
/* Before packet index is dissected into d for model_stream_fields(): runs its stream up to it
 * and gives d the TLS handshake messages pending there and the stream's QUIC connections
 * (d->tls_hsr, d->quic_conns: valid until the next call for another stream; NULL when the
 * packet has no stream). */
void model_stream_prepare(struct model *m, uint64_t index, struct dissection *d);
/* Adds the stream fields of packet index (already dissected into d with its tree) and its
 * Info notes, by running the analysis over its stream's packets up to it; an echo's fields
 * (icmp.resp_in, icmp.no_resp, icmp.resp_to, icmp.resptime) as model_stream_notes() says. */
void model_stream_fields(struct model *m, uint64_t index, struct dissection *d);

/* The display filter's own pass (its fields need the full analysis of every packet in
 * order): adds the stream fields to d, packet `index` being the next one in store order
 * since model_streams_filter_reset(); an echo request also gets icmp.resp_in / icmp.no_resp
 * once the stream pass has marked its reply (or every packet). */
void model_streams_filter_reset(struct model *m);
/* Before packet index is dissected into d for the filter (dissect_pdus): gives d the pass's
 * TLS handshake messages and QUIC connections (d->tls_hsr, d->quic_conns). */
void model_streams_filter_prepare(struct model *m, uint64_t index, struct dissection *d);
/* After: the stream fields, the reassembled PDUs ending here, the QUIC fragments' frame. */
void model_streams_filter(struct model *m, uint64_t index, struct dissection *d);

#endif
