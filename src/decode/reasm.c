/*
 * reasm.c - TCP PDU reassembly (see reasm.h): pending PDUs in a fixed pool of slots keyed by
 * (tcp.stream, direction); the per-stream TLS facts are tls_conv.c's.
 * PDUs that run until the FIN (REASM_UNTIL_FIN) have their own helpers: until_fin_*().
 */
#include "decode/reasm.h"

#include <stdlib.h>
#include <string.h>

#include "decode/dissector.h"
#include "decode/stream.h"
#include "decode/tls.h"
#include "decode/tls_conv.h"
#include "decode/tls_hsr.h"

/* The protocols that reassemble: one row each. */
static const struct reasm_proto protos[] = {
    {P_TLS, tls_pdu_len, tls_dissect, NULL, NULL},
    {P_HTTP, http_reasm_len, http_dissect, http_pending_info, http_eos_len},
};

#define TLS_HDR_MIN 5 /* a TLS record header's bytes: fewer leave the record's length unknown */

struct slot {
	bool used;
	uint8_t dir;
	uint16_t proto;
	uint32_t stream;
	uint32_t next_seq; /* raw sequence number of the next byte expected */
	uint32_t need;     /* whole length, REASM_NEED_MORE while unknown */
	uint32_t have, cap;
	uint8_t *buf;
	uint64_t used_at; /* LRU clock */
	uint32_t nseg;
	uint64_t seg_frame[REASM_MAX_SEGS];
	uint32_t seg_len[REASM_MAX_SEGS];
	/* a segment was lost: the PDU can no longer complete (past_gap()); end_seq is the
	 * sequence number after its last byte */
	bool holed;
	uint32_t end_seq;
	/* the hole's bytes [hole_lo, hole_hi) of the PDU, and the segments before it */
	uint32_t hole_lo, hole_hi, hole_idx;
};

/* find()'s first filter over key[]: buckets of consecutive keys (stream numbers close
 * together, the streams open at once, fall in different ones). */
#define KEY_BUCKETS 4096u
_Static_assert(REASM_SLOTS <= UINT8_MAX, "a bucket counts at most every slot");

struct reasm {
	bool desegment;
	uint64_t clock;
	struct slot s[REASM_SLOTS];
	/* slot_key() of the direction each slot was last taken for (0: never), so find() reads
	 * 256 bytes, not a KiB-sized slot each: the slots that match are then checked whole */
	uint32_t key[REASM_SLOTS];
	/* how many of key[] fall in each bucket (key % KEY_BUCKETS): a direction whose bucket is
	 * empty has no slot, which most TCP payloads learn from one byte instead of key[] */
	uint8_t nkey[KEY_BUCKETS];
	struct tls_conv *conv; /* the streams' TLS session facts (tls_conv.h) */
	bool tail_shown;       /* start() of a PDU whose bytes the frame's PDU showed */
	struct tls_hsr *hsr;   /* TLS handshake messages across records (tls_hsr.h) */
};

struct reasm *reasm_create(bool desegment)
{
	struct reasm *r = calloc(1, sizeof *r);

	if (r)
		r->desegment = desegment;
	if (r && (!(r->hsr = tls_hsr_create()) || !(r->conv = tls_conv_create()))) {
		tls_hsr_free(r->hsr);
		free(r);
		return NULL;
	}
	return r;
}

void reasm_free(struct reasm *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < REASM_SLOTS; i++)
		free(r->s[i].buf);
	tls_hsr_free(r->hsr);
	tls_conv_free(r->conv);
	free(r);
}

static const struct reasm_proto *proto_row(uint16_t p)
{
	for (size_t i = 0; i < sizeof protos / sizeof protos[0]; i++)
		if (protos[i].proto == p)
			return &protos[i];
	return NULL;
}

/* A holed PDU whose last byte's place was reached: kept only to know its segments that come
 * late (in_holed()); new data goes to a new PDU. */
static bool over(const struct slot *s)
{
	return s->holed && s->next_seq == s->end_seq;
}

/* A direction of a stream as find() compares it first; two may share one (the stream
 * number wraps), which only costs a look at the slot. Never 0 for dir 0 or 1. */
static uint32_t slot_key(uint32_t stream, uint8_t dir)
{
	return (stream << 1 | (dir & 1u)) + 1u;
}

/* Slot i is taken for the direction whose slot_key() is k. */
static void set_key(struct reasm *r, size_t i, uint32_t k)
{
	if (r->key[i])
		r->nkey[r->key[i] % KEY_BUCKETS]--;
	r->key[i] = k;
	r->nkey[k % KEY_BUCKETS]++;
}

/* The first used slot of the stream's direction that is not over, or NULL. Every TCP
 * payload asks, and most directions have none: the key's bucket count answers that at
 * once, else the count of keys that match (a loop the compiler vectorises) before any slot
 * is read. */
static struct slot *find(struct reasm *r, uint32_t stream, uint8_t dir)
{
	uint32_t k = slot_key(stream, dir);
	unsigned n = 0;

	if (!r->nkey[k % KEY_BUCKETS])
		return NULL;
	for (size_t i = 0; i < REASM_SLOTS; i++)
		n += r->key[i] == k;
	for (size_t i = 0; n && i < REASM_SLOTS; i++) {
		if (r->key[i] != k)
			continue;
		n--;
		if (r->s[i].used && r->s[i].stream == stream && r->s[i].dir == dir &&
		    !over(&r->s[i]))
			return &r->s[i];
	}
	return NULL;
}

/* A free slot, or the least recently used one (its PDU is dropped); never the one whose
 * bytes the packet's dissection shows (d->alt). */
static struct slot *take(struct reasm *r, const uint8_t *alt)
{
	struct slot *best = NULL;

	for (size_t i = 0; i < REASM_SLOTS; i++) {
		struct slot *s = &r->s[i];
		if (s->buf && s->buf == alt)
			continue;
		if (!s->used)
			return s;
		if (!best || s->used_at < best->used_at)
			best = s;
	}
	return best;
}

/* Room for n bytes in s's buffer (n at most REASM_PDU_MAX). */
static bool reserve(struct slot *s, uint32_t n)
{
	if (n <= s->cap)
		return true;
	uint32_t cap = s->cap ? s->cap : 4096;
	while (cap < n)
		cap *= 2;
	if (cap > REASM_PDU_MAX)
		cap = REASM_PDU_MAX;
	uint8_t *b = realloc(s->buf, cap);
	if (!b)
		return false;
	s->buf = b;
	s->cap = cap;
	return true;
}

/* Appends n bytes; false when the PDU would pass the bound (the slot is then dropped). */
static bool append(struct slot *s, const uint8_t *p, uint32_t n, uint64_t frame)
{
	if (n > REASM_PDU_MAX - s->have || s->nseg >= REASM_MAX_SEGS)
		return false;
	if (!reserve(s, s->have + n))
		return false;
	memcpy(s->buf + s->have, p, n);
	s->have += n;
	s->seg_frame[s->nseg] = frame;
	s->seg_len[s->nseg++] = n;
	return true;
}

/* The whole length once the bytes tell it; false if they turn out not to be the protocol's
 * or the PDU is over the bound. */
static bool learn_need(struct slot *s)
{
	const struct reasm_proto *rp = proto_row(s->proto);

	if (s->need == REASM_NEED_MORE && rp)
		s->need = rp->pdu_len(s->buf, s->have);
	return s->need != REASM_NOT_MINE &&
	       (s->need <= REASM_PDU_MAX || s->need == REASM_UNTIL_FIN);
}

/* ---- PDUs that end at the FIN ---- */

static bool until_fin(const struct slot *s)
{
	return s->need == REASM_UNTIL_FIN;
}

/* The PDU so far is whole once the segment that carries the FIN was taken. */
static void until_fin_ends(struct slot *s, const struct stream_mark *mk)
{
	if (until_fin(s) && (mk->tcp_flags & SM_FIN))
		s->need = s->have;
}

/* A FIN in a segment of a PDU whose length was not known yet: the protocol may end it there
 * (eos_len). */
static void eos_ends(struct slot *s, const struct reasm_proto *rp, const struct stream_mark *mk,
                     bool asked_more)
{
	uint32_t n;

	if (!asked_more || s->need != REASM_NEED_MORE || !(mk->tcp_flags & SM_FIN) || !rp ||
	    !rp->eos_len)
		return;
	n = rp->eos_len(s->buf, s->have);
	if (n != REASM_NEED_MORE && n <= s->have)
		s->need = n;
}

static void set_info(struct dissection *d, const struct stream_mark *mk, const char *text)
{
	struct sbuf b;

	if (!sum_begin(d, P_TCP))
		return;
	b = sum_info(d);
	sb_str(&b, text);
	stream_info_notes(d, mk);
}

static void append_info(struct dissection *d, const char *text)
{
	struct sbuf b;

	dissect_info_write(d); /* TCP's, if left for --print's writer */
	b = (struct sbuf){d->sum.info, strlen(d->sum.info), sizeof d->sum.info};
	sb_str(&b, text);
}

/* TCP's own Info and tshark's note: a segment TCP kept for a PDU of known length without
 * handing it to the protocol. */
static void tcp_note(struct dissection *d, const struct stream_mark *mk)
{
	tcp_info_again(d);
	append_info(d, " [TCP segment of a reassembled PDU]");
	stream_info_notes(d, mk);
}

/* No Info (the PDU decoded next writes its own), not even TCP's left for later. */
static void clear_info(struct dissection *d)
{
	d->sum.info[0] = '\0';
	d->sum.info_later = NULL;
}

/* The Info of a segment whose PDU is still incomplete (p[0..n) so far): the protocol's text
 * (HTTP's first line, which tshark writes before it asks for more bytes) or TCP's own (p NULL:
 * tshark did not hand the bytes to the protocol again), then tshark's note; a protocol without
 * pending_info gets the note alone. */
static void pending_info(struct dissection *d, const struct stream_mark *mk,
                         const struct reasm_proto *rp, const uint8_t *p, uint32_t n)
{
	struct sbuf b;

	if (!rp || !rp->pending_info) {
		set_info(d, mk, "[TCP segment of a reassembled PDU]");
		return;
	}
	if (!sum_begin(d, P_TCP))
		return;
	b = sum_info(d);
	if (!p || !rp->pending_info(&b, p, n))
		tcp_info_again(d);
	append_info(d, " [TCP segment of a reassembled PDU]");
	stream_info_notes(d, mk);
}

/* Removes the fields dissect() decoded from the payload (the application layer), keeping those
 * added after it (the stream's). */
static void drop_app_fields(struct dissection *d)
{
	uint16_t a = d->app_nf, e = d->app_end;

	if (a == 0 || a >= e || e > d->nf)
		return;
	memmove(&d->f[a], &d->f[e], (size_t)(d->nf - e) * sizeof d->f[0]);
	d->nf = (uint16_t)(d->nf - (e - a));
	d->app_end = a;
}

/* Starts a pending PDU from the frame bytes [pdu_off, payload end). */
static void start(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                  uint64_t frame)
{
	const struct summary *su = &d->sum;
	uint32_t off = d->pdu_off, end = su->payload_off + su->payload_len;
	struct slot *s;

	if (off < su->payload_off || off >= end || su->payload_len != su->tcp.seglen)
		return; /* not a whole segment (cut by the capture): nothing to reassemble */
	if (d->pdu_need > REASM_PDU_MAX && d->pdu_need != REASM_UNTIL_FIN) {
		fld_add(d, off, 0, "[PDU longer than capscope reassembles: not reassembled]",
		        K_NONE, FT_TEXT, 1, 0);
		return;
	}
	s = take(r, d->alt);
	s->used = true;
	s->stream = mk->number;
	s->dir = mk->dir;
	set_key(r, (size_t)(s - r->s), slot_key(s->stream, s->dir));
	s->proto = d->pdu_proto;
	s->need = d->pdu_need;
	s->have = 0;
	s->nseg = 0;
	s->holed = false;
	s->next_seq = su->tcp.seq + su->tcp.seglen;
	s->used_at = ++r->clock;
	if (!append(s, d->data + off, end - off, frame)) {
		s->used = false;
		return;
	}
	if (!r->tail_shown) /* else the bytes are in the PDU just decoded (whole_segment()) */
		fld_add(d, off, end - off, "TCP segment data", K_TCP_SEGMENT_DATA, FT_BYTES, 1, 0);
	if (d->sum.proto == P_TCP) /* nothing whole was decoded in the segment */
		pending_info(d, mk, proto_row(s->proto), s->buf, s->have);
}

/* The reassembled PDU's fields; d->alt shows its bytes, in_alt left set. */
static void reassembled_fields(struct dissection *d, struct slot *s)
{
	fld_add(d, d->sum.payload_off, 0, "Reassembled TCP Segments", K_NONE, FT_TEXT, 0, 0);
	for (uint32_t i = 0; i < s->nseg; i++)
		fld_add(d, d->sum.payload_off, 0, "TCP segment", K_TCP_SEGMENT, FT_UINT, 1,
		        s->seg_frame[i]);
	fld_add(d, d->sum.payload_off, 0, "Segment count", K_TCP_SEGMENT_COUNT, FT_UINT, 1,
	        s->nseg);
	fld_add(d, d->sum.payload_off, 0, "Reassembled TCP length", K_TCP_REASSEMBLED_LENGTH,
	        FT_UINT, 1, s->need);
	d->alt = s->buf;
	d->alt_len = s->need;
	d->in_alt = true;
	fld_add(d, 0, s->need, "Reassembled TCP Data", K_TCP_REASSEMBLED_DATA, FT_BYTES, 1, 0);
}

/* The reassembled PDU's fields, then the protocol over it (FF_ALT). */
static void finish(struct dissection *d, struct slot *s)
{
	const struct reasm_proto *rp = proto_row(s->proto);
	struct cursor c;

	reassembled_fields(d, s);
	d->seq_base = s->buf; /* for TLS handshake messages across records (tls_hsr.h) */
	/* the PDU's first byte: this segment's first, less the bytes earlier segments gave */
	d->seq_base_seq = d->sum.tcp.seq - (s->have - s->seg_len[s->nseg - 1]);
	cur_init(&c, s->buf, s->need);
	if (rp)
		rp->dissect(d, &c, s->need);
	d->in_alt = false;
}

/* Decodes the segment's bytes after a finished PDU as the protocol (they may start another). */
static void rest(struct dissection *d, const struct reasm_proto *rp, uint32_t off)
{
	struct cursor c;
	uint32_t end = d->sum.payload_off + d->sum.payload_len;

	if (!rp || off >= end)
		return;
	cur_init(&c, d->data, end);
	cur_skip(&c, off);
	d->pdu_off = UINT32_MAX;
	rp->dissect(d, &c, end - off);
}

/* ---- a PDU after a lost segment ---- */

static void start(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                  uint64_t frame);
static void rest(struct dissection *d, const struct reasm_proto *rp, uint32_t off);

/*
 * A segment after a gap in s's bytes (a lost segment) that starts inside the PDU's known
 * length: tshark 4.0 keeps it as a segment of the PDU ("[TCP segment of a reassembled PDU]"
 * after TCP's Info, tcp.segment_data); the bytes after the PDU's end are decoded anew. The
 * PDU waits for the lost bytes (fill_hole()). False when the gap leaves the PDU (its length
 * unknown, the segment past its end or cut by the capture, a second gap: capscope keeps one
 * hole a PDU): it is abandoned.
 */
static bool past_gap(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                     struct slot *s, uint64_t frame)
{
	const struct summary *su = &d->sum;
	uint32_t first, at, take_n, off = su->payload_off;

	if (!s->holed && (s->need == REASM_NEED_MORE || s->need > REASM_PDU_MAX))
		return false;
	first = s->holed ? s->end_seq - s->need : s->next_seq - s->have;
	at = su->tcp.seq - first;
	if (at >= s->need || su->payload_len != su->tcp.seglen || s->nseg >= REASM_MAX_SEGS ||
	    (s->holed && su->tcp.seq != s->next_seq) || !reserve(s, s->need))
		return false;
	if (!s->holed) {
		s->holed = true;
		s->end_seq = first + s->need;
		s->hole_lo = s->have;
		s->hole_hi = at;
		s->hole_idx = s->nseg;
	}
	s->used_at = ++r->clock;
	take_n = s->need - at < su->payload_len ? s->need - at : su->payload_len;
	memcpy(s->buf + at, d->data + off, take_n);
	s->seg_frame[s->nseg] = frame;
	s->seg_len[s->nseg++] = take_n;
	s->next_seq = su->tcp.seq + take_n;
	drop_app_fields(d);
	tcp_info_again(d);
	fld_add(d, off, take_n, "TCP segment data", K_TCP_SEGMENT_DATA, FT_BYTES, 1, 0);
	append_info(d, " [TCP segment of a reassembled PDU]");
	d->pdu_off = UINT32_MAX;
	rest(d, proto_row(s->proto), off + take_n);
	if (d->pdu_off != UINT32_MAX)
		start(r, d, mk, frame);
	stream_info_notes(d, mk);
	return true;
}

/* The holed PDU of the stream's direction whose bytes hold seq, or NULL. */
static struct slot *holed_at(struct reasm *r, const struct stream_mark *mk, uint32_t seq)
{
	for (size_t i = 0; i < REASM_SLOTS; i++) {
		struct slot *s = &r->s[i];
		if (s->used && s->holed && s->stream == mk->number && s->dir == mk->dir &&
		    (uint32_t)(seq - (s->end_seq - s->need)) < s->need)
			return s;
	}
	return NULL;
}

/*
 * Lost bytes come late (a retransmission, or out of order) into their PDU's hole, from its
 * start: kept. tshark does not decode a PDU in such a segment (retransmitted()): once the
 * hole is filled and the rest came before, the frame shows the reassembled PDU's fields alone
 * (its segments in the PDU's order); if the rest has not all come, the PDU goes on in order.
 */
static void fill_hole(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                      uint64_t frame)
{
	const struct summary *su = &d->sum;
	struct slot *s = holed_at(r, mk, su->tcp.seq);
	uint32_t at, n = su->payload_len, k;

	if (!s)
		return;
	at = su->tcp.seq - (s->end_seq - s->need);
	if (at != s->hole_lo || n > s->hole_hi - s->hole_lo || n != su->tcp.seglen ||
	    s->nseg >= REASM_MAX_SEGS)
		return;
	memcpy(s->buf + at, d->data + su->payload_off, n);
	for (k = s->nseg; k > s->hole_idx; k--) {
		s->seg_frame[k] = s->seg_frame[k - 1];
		s->seg_len[k] = s->seg_len[k - 1];
	}
	s->seg_frame[k] = frame;
	s->seg_len[k] = n;
	s->nseg++;
	s->hole_idx++;
	s->hole_lo += n;
	s->used_at = ++r->clock;
	if (s->hole_lo < s->hole_hi)
		return;
	s->holed = false;
	s->have = s->next_seq - (s->end_seq - s->need);
	if (s->have < s->need)
		return;
	s->used = false;
	reassembled_fields(d, s);
	d->in_alt = false;
}

/*
 * The segment that told a PDU's length (it was not known before) brought more than the PDU.
 * A TLS record whose header the earlier segments split: tshark asked TCP for one more
 * segment (DESEGMENT_ONE_MORE_SEGMENT), which joins whole; the PDU shows all its bytes and
 * TLS decodes its records, a record begun at its end going on in the next segments. Others
 * (an HTTP header's end, a length known from the start) keep the PDU's bytes alone.
 */
static void whole_segment(struct slot *s, uint32_t *take_n)
{
	if (s->proto == P_TLS && s->have - *take_n < TLS_HDR_MIN) {
		s->need = s->have;
		return;
	}
	*take_n -= s->have - s->need;
	s->have = s->need;
	s->seg_len[s->nseg - 1] = *take_n;
}

/* A segment of the stream's pending PDU s. */
static void continue_pdu(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                         struct slot *s, uint64_t frame)
{
	const struct summary *su = &d->sum;
	uint32_t take_n, off = su->payload_off;
	const struct reasm_proto *rp = proto_row(s->proto);
	/* no application layer took the segment: tshark appends its note to TCP's Info */
	bool tcp_info = d->sum.proto == P_TCP;
	/* tshark hands the bytes so far to the protocol again only while their length is not
	 * known (it asked for one more segment), not for a known length or one until the FIN */
	bool asked_more = s->need == REASM_NEED_MORE;

	if (mk->aflags & TA_ANY_RETRANSMISSION || (int32_t)(su->tcp.seq - s->next_seq) < 0)
		return; /* old bytes: not appended twice; the frame decodes as it is */
	if (s->holed || su->tcp.seq != s->next_seq || su->payload_len != su->tcp.seglen) {
		/* a gap: kept as tshark keeps it, or abandoned (bytes not captured) */
		if (!past_gap(r, d, mk, s, frame))
			s->used = false;
		return;
	}
	s->used_at = ++r->clock;
	s->next_seq += su->tcp.seglen;
	take_n = su->payload_len;
	if (s->need != REASM_NEED_MORE && !until_fin(s) && s->need - s->have < take_n)
		take_n = s->need - s->have;
	drop_app_fields(d);
	if (!append(s, d->data + off, take_n, frame) || !learn_need(s)) {
		s->used = false;
		return;
	}
	until_fin_ends(s, mk);
	eos_ends(s, rp, mk, asked_more);
	if (s->need != REASM_NEED_MORE && s->have > s->need)
		whole_segment(s, &take_n);
	fld_add(d, off, take_n, "TCP segment data", K_TCP_SEGMENT_DATA, FT_BYTES, 1, 0);
	d->sum.proto = P_TCP;
	d->pdu_off = UINT32_MAX;
	if (s->need == REASM_NEED_MORE || until_fin(s) || s->have < s->need) {
		if (rp && rp->pending_info)
			pending_info(d, mk, rp, asked_more ? s->buf : NULL, s->have);
		else if (s->proto == P_TLS && !asked_more)
			tcp_note(d, mk); /* TLS did not see the bytes, whatever they look like */
		else if (tcp_info && !(asked_more && s->proto == P_TLS))
			append_info(d, " [TCP segment of a reassembled PDU]");
		else /* an app layer, or TLS handed the bytes again (it cleared TCP's Info) */
			set_info(d, mk, "[TCP segment of a reassembled PDU]");
		return;
	}
	s->used = false;
	clear_info(d);
	finish(d, s);
	r->tail_shown = d->pdu_off != UINT32_MAX;
	if (r->tail_shown) /* a record begun in the PDU's last bytes: from the frame */
		d->pdu_off = off + take_n - (s->need - d->pdu_off);
	else
		rest(d, rp, off + take_n);
	if (d->pdu_off != UINT32_MAX)
		start(r, d, mk, frame);
	r->tail_shown = false;
	stream_info_notes(d, mk);
}

/*
 * A retransmitted or out-of-order segment of a TLS stream: tshark (tcp.no_subdissector_on_error,
 * its default) does not decode its payload, which shows as "Retransmitted TCP segment data"
 * (tcp.segment_data), and the Info is TCP's. Only for TLS streams here: other protocols keep
 * the decode they had before reassembly (their corpus comparisons explain it).
 */
static void retransmitted(const struct reasm *r, struct dissection *d, const struct stream_mark *mk)
{
	drop_app_fields(d);
	if (r->desegment) /* without reassembly tshark leaves the bytes out altogether */
		fld_add(d, d->sum.payload_off, d->sum.payload_len, "Retransmitted TCP segment data",
		        K_TCP_SEGMENT_DATA, FT_BYTES, 1, 0);
	tcp_info_again(d);
	stream_info_notes(d, mk);
	d->pdu_off = UINT32_MAX;
	d->tls_version = 0;
}

/* A FIN without data that ends its direction's REASM_UNTIL_FIN PDU: the PDU is decoded in
 * the FIN's frame, which tshark counts as one of its segments. */
static void until_fin_empty(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                            uint64_t frame)
{
	struct slot *s = find(r, mk->number, mk->dir);

	if (!s || !until_fin(s) || !(mk->tcp_flags & SM_FIN) || d->sum.tcp.seq != s->next_seq)
		return;
	s->used = false;
	if (!append(s, d->data, 0, frame))
		return;
	s->need = s->have;
	clear_info(d);
	finish(d, s);
	stream_info_notes(d, mk);
}

struct tls_hsr *reasm_tls_hsr(struct reasm *r)
{
	return r ? r->hsr : NULL;
}

/* TLS's Info anew: the stream's notes before it again, and tshark's ", " between them (TLS
 * appends to the fenced notes: "[TCP Previous segment not captured] , Continuation Data"). */
static void conv_notes(struct dissection *d, const struct stream_mark *mk)
{
	char *info = d->sum.info;
	size_t was = strlen(info), now, at;

	stream_info_notes(d, mk);
	now = strlen(info);
	if (!was || now == was || now + 2 >= sizeof d->sum.info)
		return;
	at = now - was;
	memmove(info + at + 2, info + at, was + 1);
	memcpy(info + at, ", ", 2);
}

/*
 * A segment of a stream that is TLS's whose own decode took it for no record (tls_conv.h):
 * tshark hands it to TLS all the same (the conversation's dissector), unless it starts with
 * four printable bytes; or one whose records were followed by bytes that start none.
 */
static void conv_segment(struct reasm *r, struct dissection *d, const struct stream_mark *mk)
{
	const struct summary *su = &d->sum;
	uint32_t end = su->payload_off + su->payload_len;
	struct cursor c;

	cur_init(&c, d->data, end);
	if (d->tls_stop > su->payload_off && d->tls_stop < end) {
		cur_skip(&c, d->tls_stop);
		tls_conv_rest(d, &c, su->tcp.seglen - (d->tls_stop - su->payload_off),
		              tls_conv_version(r->conv, mk->number));
		return;
	}
	if (su->proto != P_TCP || d->lean || !tls_conv_is_tls(r->conv, mk->number) ||
	    !tls_conv_takes(d->data + su->payload_off, su->payload_len))
		return;
	dissect_info_write(d);
	drop_app_fields(d);
	cur_skip(&c, su->payload_off);
	d->pdu_off = UINT32_MAX;
	tls_conv_dissect(d, &c, su->tcp.seglen, tls_conv_version(r->conv, mk->number));
	if (d->pdu_off == UINT32_MAX)
		conv_notes(d, mk);
}

static void packet_pdus(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                        uint64_t frame)
{
	struct slot *s = NULL;
	bool payload = d->sum.has_payload && d->sum.payload_len > 0;

	if (mk->proto != P_TCP || d->quoted)
		return;
	if ((mk->aflags & (TA_ANY_RETRANSMISSION | TA_OUT_OF_ORDER)) && payload &&
	    (tls_is_column(d->sum.proto) || tls_conv_is_tls(r->conv, mk->number) ||
	     holed_at(r, mk, d->sum.tcp.seq))) {
		retransmitted(r, d, mk);
		fill_hole(r, d, mk, frame);
		return;
	}
	if (r->desegment && payload)
		s = find(r, mk->number, mk->dir);
	if (payload && !s)
		conv_segment(r, d, mk);
	if (r->desegment && payload) {
		if (s)
			continue_pdu(r, d, mk, s, frame);
		else if (d->pdu_off != UINT32_MAX)
			start(r, d, mk, frame);
	} else if (r->desegment && d->sum.tcp.ok) {
		until_fin_empty(r, d, mk, frame);
	}
	tls_conv_column(r->conv, d, mk->number);
}

void reasm_packet(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                  uint64_t frame)
{
	if (!r)
		return;
	packet_pdus(r, d, mk, frame);
	tls_hsr_frame(r->hsr, d, frame); /* after: a PDU decoded here may hold fragments */
}
