/*
 * stream_tcp.c - tshark 4.0's TCP sequence analysis on one stream record (stream_int.h).
 *
 * The checks run in tshark's order, each as the Wireshark user guide's "TCP Analysis" section
 * states it, and each may end the ones after it as there: zero window probe, zero window, lost
 * segment, keep-alive, window update, window full, keep-alive ACK, zero window probe ACK,
 * duplicate ACK; then ACKed unseen segment; then spurious retransmission, fast retransmission,
 * out-of-order and retransmission for a segment that does not advance the sequence. Sequence
 * comparisons are modulo 2^32 (RFC 9293's arithmetic), and 0 means "not known yet" for
 * nextseq, lastack and maxseqtobeacked, as tshark has it (a stream whose sequence really
 * reaches 0 behaves as it does there too).
 */
#include <string.h>

#include "decode/stream_int.h"

#define FAST_RETRANS_NS  20000000 /* a retransmission within 20 ms of the 2nd dup ACK */
#define OOO_DEFAULT_NS   3000000  /* out-of-order threshold without an initial RTT */
#define BIF_MAX          2000000000u
#define WSCALE_MAX_SHIFT 14         /* RFC 7323 2.3 */
#define DUPACK_UNSEEN    UINT32_MAX /* dupacknum after an ACK of unseen data (ack_unseen) */

static bool gt_seq(uint32_t a, uint32_t b)
{
	return (int32_t)(b - a) < 0;
}

static bool lt_seq(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static bool le_seq(uint32_t a, uint32_t b)
{
	return !gt_seq(a, b);
}

void stream_tcp_init(struct stream_rec *r)
{
	for (int i = 0; i < 2; i++) {
		r->dir[i].win_scale = -1;
		r->dir[i].valid_bif = true;
	}
}

bool stream_tcp_reuses(const struct stream_rec *r, int dir, const struct tcp_pkt *p)
{
	const struct tcp_dir *f = &r->dir[dir];

	return (p->flags & (TH_SYN | TH_ACK)) == TH_SYN && f->base_set && p->seq != f->base_seq;
}

/* Window scaling as tshark settles it from the SYNs: a SYN without the option means neither
 * side scales (-2), as does a SYN/ACK with it after a SYN without. */
static void settle_scaling(struct stream_rec *r, int dir, const struct tcp_pkt *p)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];

	if (!(p->flags & TH_SYN))
		return;
	if (p->wscale >= 0)
		f->win_scale =
		    (int8_t)(p->wscale > WSCALE_MAX_SHIFT ? WSCALE_MAX_SHIFT : p->wscale);
	if (f->win_scale == -1) {
		f->win_scale = -2;
		b->win_scale = -2;
	} else if ((p->flags & TH_ACK) && b->win_scale == -2) {
		f->win_scale = -2;
	}
}

/* The first sequence number each way, and relative numbers from them (tshark's default). */
static void set_bases(struct stream_rec *r, int dir, const struct tcp_pkt *p)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];

	if (!f->base_set) {
		f->base_seq = (p->flags & TH_SYN) ? p->seq : p->seq - 1;
		f->base_set = true;
	}
	if (!b->base_set && (p->flags & TH_ACK)) {
		b->base_seq = p->ack - 1;
		b->base_set = true;
	}
}

void stream_tcp_relative(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                         struct tcp_verdict *v)
{
	const struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];
	uint32_t next = p->seq + p->seglen + !!(p->flags & TH_SYN) + !!(p->flags & TH_FIN);

	/* A SYN/ACK whose sequence number is not the one its direction began with (a SYN without
	 * ACK starts a new stream instead, stream_table.c): tshark 4.0 keeps the stream, flags
	 * "Port numbers reused" and counts that direction from this SYN/ACK (zeek
	 * tcp__rst-inject-rae: an injected RST before the real SYN/ACK; tests/gen tcpa-syn-late).
	 */
	if ((p->flags & (TH_SYN | TH_ACK)) == (TH_SYN | TH_ACK) && f->base_set &&
	    p->seq != f->base_seq) {
		r->dir[dir].base_seq = p->seq;
		v->flags |= TA_REUSED_PORTS;
	}
	set_bases(r, dir, p);
	settle_scaling(r, dir, p);
	v->rel_seq = p->seq - f->base_seq;
	v->rel_nxtseq = next - f->base_seq;
	/* without the ACK flag tshark shows the field as it is */
	v->rel_ack = b->base_set && (p->flags & TH_ACK) ? p->ack - b->base_seq : p->ack;
	v->win_calc = p->win;
	if (!(p->flags & TH_SYN) && f->win_scale >= 0)
		v->win_calc = (uint32_t)p->win << f->win_scale;
}

/* ---- the checks before the retransmission family, in tshark's order ---- */

/* Zero window probe, zero window, lost segment; true when a probe ends the checks. */
static bool check_probe_and_loss(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                                 uint32_t win, struct tcp_verdict *v)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];

	if (p->seglen == 1 && p->seq == f->nextseq && b->window == 0) {
		v->flags |= TA_ZERO_WINDOW_PROBE;
		return true;
	}
	if (win == 0 && !(p->flags & (TH_RST | TH_FIN | TH_SYN)))
		v->flags |= TA_ZERO_WINDOW;
	if (f->nextseq && gt_seq(p->seq, f->nextseq) && !(p->flags & TH_RST)) {
		v->flags |= TA_LOST_PACKET;
		f->valid_bif = false; /* until the other side ACKs again */
	}
	return false;
}

/* An empty segment that repeats the last one's sequence and ACK (window updates, dup ACKs). */
static bool same_position(const struct tcp_dir *f, const struct tcp_pkt *p)
{
	return p->seglen == 0 && p->seq == f->nextseq && p->ack == f->lastack &&
	       !(p->flags & (TH_SYN | TH_FIN | TH_RST));
}

/* Keep-alive, window update, window full, keep-alive ACK, zero window probe ACK, dup ACK;
 * true when one of them ends the checks. */
static bool check_acks(struct stream_rec *r, int dir, const struct tcp_pkt *p, uint32_t win,
                       struct tcp_verdict *v)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];

	if (p->seglen <= 1 && !(p->flags & (TH_SYN | TH_FIN | TH_RST)) &&
	    p->seq == f->nextseq - 1) {
		v->flags |= TA_KEEP_ALIVE;
		return true;
	}
	if (same_position(f, p) && win && win != f->window)
		v->flags |= TA_WINDOW_UPDATE;
	if (p->seglen > 0 && b->win_scale != -1 && p->seq + p->seglen == b->lastack + b->window &&
	    !(p->flags & (TH_SYN | TH_FIN | TH_RST)))
		v->flags |= TA_WINDOW_FULL;
	if (same_position(f, p) && win && win == f->window && (b->lastflags & TA_KEEP_ALIVE)) {
		v->flags |= TA_KEEP_ALIVE_ACK;
		return true;
	}
	if (same_position(f, p) && win == 0 && f->window == 0 &&
	    (b->lastflags & TA_ZERO_WINDOW_PROBE)) {
		v->flags |= TA_ZERO_WINDOW_PROBE_ACK;
		return true;
	}
	if (same_position(f, p) && win && win == f->window) {
		f->dupacknum = f->dupacknum == DUPACK_UNSEEN ? 1 : f->dupacknum + 1;
		v->flags |= TA_DUPLICATE_ACK;
		v->dupack_num = f->dupacknum;
		v->dupack_frame = f->lastnondupack;
	}
	return false;
}

/* An ACK beyond the other side's highest contiguous sequence. When the other side left a hole
 * we saw, tshark 4.0 flags it and moves that mark to the highest sequence seen. When the ACK
 * passes everything that side sent, tshark flags it only while that side's dup ACK count is 0
 * and then sets the count to "unseen" (the same ACK again is not flagged until that side's ACK
 * number moves); that count passes the ">= 2 dup ACKs" test, so a retransmission answering it
 * is a fast one, and a dup ACK from that side counts 1. */
static void ack_unseen(struct tcp_dir *b, struct tcp_verdict *v)
{
	v->has_ta = true; /* tshark shows the SEQ/ACK analysis even when it does not flag it */
	if (lt_seq(b->maxseqtobeacked, b->nextseq)) {
		v->flags |= TA_ACK_LOST_PACKET;
		b->maxseqtobeacked = b->nextseq;
		return;
	}
	if (b->dupacknum == 0)
		v->flags |= TA_ACK_LOST_PACKET;
	b->dupacknum = DUPACK_UNSEEN;
}

/* ---- the retransmission family ---- */

static void check_retransmission(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                                 struct tcp_verdict *v)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];
	bool not_advanced = f->nextseq && lt_seq(p->seq, f->nextseq);
	int64_t ooo_ns = r->first_rtt_ns ? r->first_rtt_ns : OOO_DEFAULT_NS;
	/* where the segment ends, its SYN or FIN counted: a resent FIN (or SYN) that ends where the
	 * highest one did is a retransmission in tshark 4.0 however soon it comes, not out-of-order
	 */
	uint32_t end = p->seq + p->seglen + !!(p->flags & TH_SYN) + !!(p->flags & TH_FIN);

	if (!(p->seglen > 0 || (p->flags & (TH_SYN | TH_FIN))) || (v->flags & TA_KEEP_ALIVE))
		return;
	if (p->seglen > 1 && f->nextseq - 1 == p->seq) /* data after a zero window probe */
		not_advanced = false;
	if (p->seglen > 0 && b->lastack && le_seq(p->seq + p->seglen, b->lastack)) {
		v->flags |= TA_SPURIOUS_RETRANSMISSION;
		return;
	}
	if (!not_advanced)
		return;
	if (b->dupacknum >= 2 && b->lastack == p->seq && p->ns - b->lastack_ns < FAST_RETRANS_NS)
		v->flags |= TA_FAST_RETRANSMISSION;
	else if (p->ns - f->nextseq_ns < ooo_ns && f->nextseq != end)
		v->flags |= TA_OUT_OF_ORDER;
	else
		v->flags |= TA_RETRANSMISSION;
}

/* ---- bookkeeping after the checks ---- */

static void add_unacked(struct tcp_dir *f, const struct tcp_pkt *p, uint32_t nextseq)
{
	if (f->nseg == STREAM_UNACKED) { /* the oldest goes: bounded, unlike tshark's list */
		memmove(&f->seg[0], &f->seg[1], (STREAM_UNACKED - 1) * sizeof f->seg[0]);
		f->nseg--;
	}
	f->seg[f->nseg++] = (struct tcp_seg){p->seq, nextseq, p->frame, p->ns};
}

/* Remembers the segment, the highest sequence seen and the highest contiguous one. */
static void advance(struct tcp_dir *f, const struct tcp_pkt *p, uint32_t win,
                    const struct tcp_verdict *v)
{
	uint32_t nextseq = p->seq + p->seglen;
	bool probe = v->flags & TA_ZERO_WINDOW_PROBE;

	if (p->seglen || (p->flags & (TH_SYN | TH_FIN))) {
		nextseq += !!(p->flags & (TH_SYN | TH_FIN));
		add_unacked(f, p, nextseq);
	}
	if ((gt_seq(nextseq, f->nextseq) || !f->nextseq) && !probe) {
		f->nextseq = nextseq;
		f->nextseq_ns = p->ns;
	}
	if ((p->seq == f->maxseqtobeacked || !f->maxseqtobeacked) && !probe)
		f->maxseqtobeacked = f->nextseq;
	f->window = win;
	f->lastack = p->ack;
	f->lastack_ns = p->ns;
	f->lastflags = v->flags;
	f->sacked = p->sacked;
}

/* The other side's segments this ACK covers: the one it ends exactly gives acks_frame and the
 * RTT; covered ones go, a partly covered one keeps its unacknowledged rest. */
static void take_acked(struct tcp_dir *b, const struct tcp_pkt *p, struct tcp_verdict *v)
{
	uint8_t kept = 0;

	for (uint8_t i = 0; i < b->nseg; i++) {
		struct tcp_seg *s = &b->seg[i];
		if (p->ack == s->nextseq) { /* of several (retransmissions), the first sent */
			if (v->acks_frame)
				continue;
			v->acks_frame = s->frame;
			v->ack_rtt_ns = p->ns - s->ns;
			v->has_ta = true;
			continue;
		}
		if (gt_seq(p->ack, s->seq) && le_seq(p->ack, s->nextseq))
			s->seq = p->ack;
		else if (!gt_seq(s->nextseq, p->ack))
			continue;
		b->seg[kept++] = *s;
	}
	b->nseg = kept;
}

/* Bytes in flight after a data segment: from the lowest kept start to the highest end, less
 * what the SACK blocks of the other side's last segment span (tshark 4.0 subtracts every block,
 * wherever it lies; a result below 1 or past 2^31 shows no value). */
static void bytes_in_flight(const struct tcp_dir *f, const struct tcp_dir *b,
                            const struct tcp_pkt *p, struct tcp_verdict *v)
{
	uint32_t first, last, flight;

	if (p->seglen == 0 || f->nseg == 0 || !f->valid_bif)
		return;
	v->has_ta = true; /* tshark counts the bytes pushed here: the analysis tree is shown */
	first = f->seg[0].seq - f->base_seq;
	last = f->seg[0].nextseq - f->base_seq;
	for (uint8_t i = 1; i < f->nseg; i++) {
		if (f->seg[i].nextseq - f->base_seq > last)
			last = f->seg[i].nextseq - f->base_seq;
		if (f->seg[i].seq - f->base_seq < first)
			first = f->seg[i].seq - f->base_seq;
	}
	flight = last - first - b->sacked;
	/* a SYN's or FIN's sequence number carries no byte (a flight of 1 so shows 0 in tshark and
	 * no value here: it needs SACK blocks covering all but that number) */
	if (flight > 0 && flight < BIF_MAX)
		v->bytes_in_flight = flight - !!(p->flags & (TH_SYN | TH_FIN));
}

/* The SYN-to-first-ACK time, tshark's initial RTT. */
static void initial_rtt(struct stream_rec *r, const struct tcp_pkt *p)
{
	if ((p->flags & (TH_SYN | TH_ACK)) == TH_SYN)
		r->mru_syn_ns = p->ns;
	else if ((p->flags & (TH_SYN | TH_ACK)) == TH_ACK && r->mru_syn_ns && !r->first_rtt_ns)
		r->first_rtt_ns = p->ns - r->mru_syn_ns;
}

void stream_tcp_raw(struct stream_rec *r, const struct tcp_pkt *p, struct tcp_verdict *v,
                    bool analysis)
{
	v->rel_seq = p->seq;
	v->rel_ack = p->ack;
	v->win_calc = p->win; /* tshark scales the window only with a segment length */
	v->raw = true;
	if (analysis)
		initial_rtt(r, p);
}

void stream_tcp_analyze(struct stream_rec *r, int dir, const struct tcp_pkt *p,
                        struct tcp_verdict *v)
{
	struct tcp_dir *f = &r->dir[dir], *b = &r->dir[!dir];
	uint32_t win;
	/* A SYN whose direction's first sequence number is already known (from the other side's
	 * ACK: a SYN captured after its SYN/ACK or after a pure ACK) shows an empty SEQ/ACK
	 * analysis tree in tshark 4.0 even when nothing is flagged (zeek tcp__handshake-reorder,
	 * tests/gen tcpa-syn-late); with a number that differs it is a reuse (a new record). */
	bool known_syn = (p->flags & (TH_SYN | TH_ACK)) == TH_SYN && f->base_set;

	stream_tcp_relative(r, dir, p, v);
	initial_rtt(r, p);
	win = v->win_calc;
	if (!check_probe_and_loss(r, dir, p, win, v))
		check_acks(r, dir, p, win, v);
	/* tshark restarts the dup ACK count when the ACK number moves, not at every packet that is
	 * no dup ACK: data carrying the same ACK keeps the count (and the frame dup ACKs refer to),
	 * so a retransmission after it can still be a fast one. */
	if (p->ack != f->lastack) {
		f->lastnondupack = p->frame;
		f->dupacknum = 0;
	}
	if (b->maxseqtobeacked && gt_seq(p->ack, b->maxseqtobeacked) && (p->flags & TH_ACK))
		ack_unseen(b, v);
	check_retransmission(r, dir, p, v);
	advance(f, p, win, v);
	take_acked(b, p, v);
	if (p->flags & TH_ACK)
		b->valid_bif = true;
	bytes_in_flight(f, b, p, v);
	if (v->flags || known_syn)
		v->has_ta = true;
}
