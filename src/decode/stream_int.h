/*
 * stream_int.h - the records behind stream.h, shared by its three files (not a public API):
 * stream_table.c finds and numbers streams (hash, LRU), stream_tcp.c runs tshark's TCP
 * sequence analysis on one record, stream_annotate.c turns the verdict into fields.
 * Everything here belongs to the thread that owns the table.
 */
#ifndef CAPSCOPE_STREAM_INT_H
#define CAPSCOPE_STREAM_INT_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/stream.h"

/* Unacknowledged segments kept per direction (tshark keeps up to 10000): an ACK for an older
 * one gets no tcp.analysis.acks_frame/ack_rtt, and bytes in flight count from the oldest
 * kept segment's start. */
#define STREAM_UNACKED 16

/* Both endpoints, the lower (address, port) first, so both directions find one stream. */
struct stream_key {
	uint8_t proto; /* P_TCP or P_UDP */
	uint8_t alen;  /* address bytes: 4, 16 (or 6 for a MAC) */
	uint16_t port[2];
	uint8_t addr[2][16];
};

struct tcp_seg {
	uint32_t seq, nextseq; /* raw sequence numbers */
	uint64_t frame;
	int64_t ns;
};

/* One direction's state, named as tshark's tcp_flow fields are (0 = not known yet, as there). */
struct tcp_dir {
	uint32_t base_seq;
	uint32_t nextseq;         /* highest seq + len seen */
	uint32_t maxseqtobeacked; /* highest contiguous one */
	uint32_t lastack;
	uint32_t window; /* the last calculated (scaled) window */
	uint32_t dupacknum;
	uint64_t lastnondupack; /* frame */
	uint32_t lastflags;     /* TA_* of the last segment */
	uint32_t sacked;        /* what the SACK blocks of the last segment span */
	int64_t nextseq_ns;
	int64_t lastack_ns;
	int8_t win_scale; /* shift; -1 unknown, -2 not used */
	bool base_set;
	bool valid_bif;
	uint8_t nseg; /* kept unacked segments: seg[0..nseg), oldest first */
	/* last: a new stream clears what comes before it only (stream_table.c) */
	struct tcp_seg seg[STREAM_UNACKED];
};

struct stream_rec {
	struct stream_key key;
	uint32_t number;
	int64_t first_ns, last_ns;
	int64_t mru_syn_ns;    /* the latest SYN (without ACK) */
	int64_t first_rtt_ns;  /* initial RTT: SYN to the first ACK after it; 0 unknown */
	bool revived;          /* its key had been evicted before: numbered unlike tshark */
	bool fresh;            /* numbered by the packet being annotated (read and cleared there) */
	uint8_t first_dir;     /* the direction of the stream's first packet */
	struct tcp_dir dir[2]; /* [0]: sent by key endpoint 0 */
};

#define STREAM_NIL UINT32_MAX

/* The TCP header facts of one packet (from d->sum.tcp) and its frame. */
struct tcp_pkt {
	uint32_t seq, ack, seglen;
	uint16_t flags; /* TH_* bits as in the header */
	uint16_t win;   /* raw window field */
	int8_t wscale;  /* window scale option's shift, -1 if none */
	uint64_t frame;
	int64_t ns;
	uint32_t sacked; /* bytes its SACK blocks span (sum_tcp.sacked) */
};

/* What the analysis found for one packet: tshark's tcp_acked ("ta") and the relative numbers. */
struct tcp_verdict {
	uint32_t flags; /* enum tcp_aflag */
	uint32_t rel_seq, rel_ack, rel_nxtseq;
	uint32_t win_calc; /* tcp.window_size */
	uint64_t acks_frame;
	int64_t ack_rtt_ns;
	uint32_t bytes_in_flight;
	uint32_t dupack_num;
	uint64_t dupack_frame;
	bool has_ta; /* tshark made a tcp_acked record: the SEQ/ACK analysis tree is shown */
	bool raw;    /* no segment length (stream_tcp_raw): raw numbers, no tcp.nxtseq */
};

#define TH_FIN 0x01
#define TH_SYN 0x02
#define TH_RST 0x04
#define TH_ACK 0x10

/* stream_tcp.c: a fresh record's TCP state (unknown bases, unknown window scales). */
void stream_tcp_init(struct stream_rec *r);
/* True if this packet starts a new session on the same ports (tshark: a SYN without ACK whose
 * sequence number differs from the one the stream began with in that direction). */
bool stream_tcp_reuses(const struct stream_rec *r, int dir, const struct tcp_pkt *p);
/* Runs the analysis for a packet sent in direction dir of r and updates r. */
void stream_tcp_analyze(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                        struct tcp_verdict *v);
/* Relative numbers and window only (--no-analysis keeps tcp.seq/tcp.ack as tshark shows). */
void stream_tcp_relative(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                         struct tcp_verdict *v);

/* A segment without a known length (a first IP fragment, a header longer than the segment):
 * tshark 4.0 shows its numbers raw and leaves the analysis state alone; only the initial RTT
 * (taken outside that analysis) still counts it when `analysis` is on. */
void stream_tcp_raw(struct stream_rec *r, const struct tcp_pkt *p, struct tcp_verdict *v,
                    bool analysis);

/* stream_table.c: the record for the packet's key (created, numbered, LRU-touched), and the
 * direction it was sent in (0: from key endpoint 0). `tcp` is NULL for UDP. Never NULL. */
struct stream_rec *stream_find(struct stream_table *t, const struct stream_key *k, int dir,
                               const struct tcp_pkt *tcp, int64_t ns, bool *reused);
bool stream_analysis_on(const struct stream_table *t);
/* The table's ICMP echo requests (echo_match.h). */
struct echo_table *stream_echo_table(struct stream_table *t);

#endif
