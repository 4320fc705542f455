/*
 * tls_hsr.c - TLS handshake messages across records (see tls_hsr.h), tshark 4.0's way
 * (packet-tls.c, dissect_tls_handshake): per direction at most one message pending; a
 * handshake record of that direction continues it whatever its bytes, taking up to the
 * message's end; the frame whose record ends it decodes it over the reassembled bytes, with
 * the fragments' frame numbers. A record in the middle of a message adds nothing to Info.
 */
#include "decode/tls_hsr.h"

#include <stdlib.h>
#include <string.h>

#include "decode/dissector.h"

#define HS_HDR      4
#define TOUCHED_MAX 8

/* One direction of one TCP connection: its next sequence number and its pending message. */
struct hdir {
	bool used;
	uint16_t net, sport, dport;
	uint8_t src[16], dst[16];
	uint64_t used_at; /* LRU clock, within the set */
	uint32_t next_seq;
	bool pending;
	uint32_t have, cap;
	uint8_t *buf;
	uint32_t nfrag;
	uint64_t frag_frame[TLS_HSR_FRAGS]; /* 0: the frame being dissected (tls_hsr_frame()) */
};

struct tls_hsr {
	struct hdir dir[TLS_HSR_DIRS];
	uint64_t clock;
	/* the directions the last dissection kept fragments of frame 0 in (a frame touches few;
	 * more than TOUCHED_MAX: all are looked at) */
	struct hdir *touched[TOUCHED_MAX];
	unsigned ntouched;
	uint8_t *shown; /* the bytes d->alt shows after a message completed (see whole_at()) */
	/* the handshake record being dissected (tls_hsr_record()): its direction (NULL if it
	 * has none yet), whether its bytes are new, and the sequence number after it */
	struct hdir *cur;
	bool cur_ok;
	uint32_t cur_end;
};

struct tls_hsr *tls_hsr_create(void)
{
	return calloc(1, sizeof(struct tls_hsr));
}

void tls_hsr_free(struct tls_hsr *t)
{
	if (!t)
		return;
	for (size_t i = 0; i < TLS_HSR_DIRS; i++)
		free(t->dir[i].buf);
	free(t->shown);
	free(t);
}

static size_t addr_len(const struct summary *s)
{
	return s->net == P_IPV6 ? 16 : 4;
}

static bool is_dir(const struct hdir *h, const struct summary *s, bool reverse)
{
	size_t n = addr_len(s);
	const uint8_t *a = reverse ? s->dst : s->src, *b = reverse ? s->src : s->dst;

	return h->used && h->net == s->net && h->sport == (reverse ? s->dport : s->sport) &&
	       h->dport == (reverse ? s->sport : s->dport) && !memcmp(h->src, a, n) &&
	       !memcmp(h->dst, b, n);
}

/* The TCP sequence number of c's next byte: in the frame's segment, or in a reassembled PDU
 * whose first byte's number reasm.c gave (d->seq_base). */
static bool seq_of(const struct dissection *d, const struct cursor *c, uint32_t *seq)
{
	const struct summary *s = &d->sum;

	if (s->transport != P_TCP || !s->tcp.ok || d->quoted)
		return false;
	if (c->base == d->data && c->off >= s->payload_off) {
		*seq = s->tcp.seq + (c->off - s->payload_off);
		return true;
	}
	if (d->seq_base && c->base == d->seq_base) {
		*seq = d->seq_base_seq + c->off;
		return true;
	}
	return false;
}

/* The set of TLS_HSR_WAYS slots a direction may be in: by a hash of its addresses and ports,
 * so a lookup compares a few slots, not the whole table. */
static struct hdir *set_of(struct tls_hsr *t, const struct summary *s, bool reverse)
{
	const uint8_t *a = reverse ? s->dst : s->src, *b = reverse ? s->src : s->dst;
	uint32_t h = 2166136261u ^ (uint32_t)(reverse ? s->dport : s->sport) << 16 ^
	             (reverse ? s->sport : s->dport);
	size_t n = addr_len(s);

	for (size_t i = 0; i < n; i++)
		h = (h ^ a[i] ^ (uint32_t)b[i] << 8) * 16777619u;
	return &t->dir[(h ^ h >> 15) % (TLS_HSR_DIRS / TLS_HSR_WAYS) * TLS_HSR_WAYS];
}

/* The direction of s (its reverse when `reverse`), or NULL. */
static struct hdir *dir_find(struct tls_hsr *t, const struct summary *s, bool reverse)
{
	struct hdir *set = set_of(t, s, reverse);

	for (unsigned i = 0; i < TLS_HSR_WAYS; i++)
		if (is_dir(&set[i], s, reverse))
			return &set[i];
	return NULL;
}

/* A new direction for s in its set: a free slot, or the least recently used one's (its
 * pending message is forgotten). */
static struct hdir *dir_make(struct tls_hsr *t, const struct summary *s)
{
	struct hdir *set = set_of(t, s, false), *h = &set[0];

	for (unsigned i = 1; i < TLS_HSR_WAYS && h->used; i++)
		if (!set[i].used || set[i].used_at < h->used_at)
			h = &set[i];
	h->used = true;
	h->pending = false;
	h->net = s->net;
	h->sport = s->sport;
	h->dport = s->dport;
	memcpy(h->src, s->src, addr_len(s));
	memcpy(h->dst, s->dst, addr_len(s));
	return h;
}

void tls_hsr_record(struct dissection *d, const struct cursor *c)
{
	struct tls_hsr *t = d->tls_hsr;
	uint32_t seq;

	if (!t)
		return;
	t->cur = NULL;
	t->cur_ok = false;
	if (!seq_of(d, c, &seq))
		return;
	t->cur = dir_find(t, &d->sum, false);
	if (t->cur && (int32_t)(seq - t->cur->next_seq) < 0) {
		t->cur = NULL; /* bytes sent before: not taken twice */
		return;
	}
	t->cur_ok = true;
	t->cur_end = seq + cur_left(c);
	if (t->cur) {
		t->cur->next_seq = t->cur_end;
		t->cur->used_at = ++t->clock;
	}
}

/* Keeps n bytes of the pending message; false past the bounds (the message is dropped). */
static bool keep(struct tls_hsr *t, struct hdir *h, const uint8_t *p, uint32_t n)
{
	if (n > TLS_HSR_MSG_MAX - h->have || h->nfrag >= TLS_HSR_FRAGS) {
		h->pending = false;
		return false;
	}
	if (h->have + n > h->cap) {
		uint32_t cap = h->cap ? h->cap : 2048;
		while (cap < h->have + n)
			cap *= 2;
		uint8_t *b = realloc(h->buf, cap);
		if (!b) {
			h->pending = false;
			return false;
		}
		h->buf = b;
		h->cap = cap;
	}
	memcpy(h->buf + h->have, p, n);
	h->have += n;
	h->frag_frame[h->nfrag++] = 0;
	if (t->ntouched == 0 || t->touched[(t->ntouched - 1) % TOUCHED_MAX] != h) {
		if (t->ntouched < TOUCHED_MAX)
			t->touched[t->ntouched] = h;
		t->ntouched++;
	}
	return true;
}

bool tls_hsr_start(struct dissection *d, struct cursor *c, unsigned depth)
{
	struct tls_hsr *t = d->tls_hsr;
	struct hdir *h;
	uint32_t n = cur_left(c);

	if (!t || !t->cur_ok || n == 0)
		return false;
	if (!t->cur) {
		t->cur = dir_make(t, &d->sum);
		t->cur->next_seq = t->cur_end;
		t->cur->used_at = ++t->clock;
	}
	h = t->cur;
	h->have = 0;
	h->nfrag = 0;
	h->pending = true;
	if (!keep(d->tls_hsr, h, c->base + c->off, n))
		return false;
	fld_add(d, c->off, n, "Handshake Protocol (fragment)", K_NONE, FT_TEXT, depth, 0);
	return true;
}

/* The complete message's bytes appended to what d->alt shows (so the fields already on it
 * keep their offsets), in a buffer the table owns until the next message completes. */
static bool whole_at(struct tls_hsr *t, struct dissection *d, const struct hdir *h, uint32_t *at)
{
	uint32_t prev = d->alt ? d->alt_len : 0;
	uint8_t *b = malloc((size_t)prev + h->have);

	if (!b)
		return false;
	if (prev)
		memcpy(b, d->alt, prev);
	memcpy(b + prev, h->buf, h->have);
	free(t->shown); /* after the copy: it may be what d->alt showed */
	t->shown = b;
	d->alt = b;
	d->alt_len = prev + h->have;
	*at = prev;
	return true;
}

/* The last fragment's record: the fragments' fields, then the message over its bytes. */
static void complete(struct dissection *d, struct hdir *h, unsigned depth,
                     void (*whole)(struct dissection *d, struct cursor *msg, unsigned depth))
{
	uint32_t at;
	struct cursor m;
	bool in_alt = d->in_alt;

	fld_add(d, 0, 0, "Reassembled Handshake Fragments", K_TLS_HS_FRAGMENTS, FT_PRESENT, depth,
	        0);
	for (uint32_t i = 0; i < h->nfrag; i++)
		fld_add(d, 0, 0, "Handshake Fragment", K_TLS_HS_FRAGMENT, FT_UINT, depth + 1,
		        h->frag_frame[i]);
	fld_add(d, 0, 0, "Handshake Fragment count", K_TLS_HS_FRAGMENT_COUNT, FT_UINT, depth + 1,
	        h->nfrag);
	if (!whole_at(d->tls_hsr, d, h, &at))
		return;
	d->in_alt = true;
	cur_init(&m, d->alt, at + h->have);
	cur_skip(&m, at);
	whole(d, &m, depth);
	d->in_alt = in_alt;
}

bool tls_hsr_continue(struct dissection *d, struct cursor *c, unsigned depth,
                      void (*whole)(struct dissection *d, struct cursor *msg, unsigned depth))
{
	struct hdir *h = d->tls_hsr && d->tls_hsr->cur_ok ? d->tls_hsr->cur : NULL;
	uint8_t hdr[HS_HDR];
	uint32_t n = cur_left(c), msg_len = 0, off = c->off;

	if (!h || !h->pending || n == 0)
		return false;
	for (uint32_t i = 0; i < HS_HDR; i++) /* the header, from the fragments and this record */
		hdr[i] = i < h->have ? h->buf[i] : i - h->have < n ? c->base[off + i - h->have] : 0;
	if (h->have + n >= HS_HDR) {
		msg_len = HS_HDR + ((uint32_t)hdr[1] << 16 | (uint32_t)hdr[2] << 8 | hdr[3]);
		if (n > msg_len - h->have)
			n = msg_len - h->have;
	}
	if (!keep(d->tls_hsr, h, c->base + off, n))
		return false;
	cur_skip(c, n);
	if (h->have != msg_len) {
		fld_add(d, off, n, "Handshake Protocol (fragment)", K_NONE, FT_TEXT, depth, 0);
		return true;
	}
	h->pending = false;
	fld_add(d, off, n, "Handshake Protocol (last fragment)", K_NONE, FT_TEXT, depth, 0);
	complete(d, h, depth, whole);
	return true;
}

/* A SYN starts a new connection on its addresses: what the old one left pending goes. */
static void forget_connection(struct tls_hsr *t, const struct summary *s)
{
	for (int reverse = 0; reverse < 2; reverse++) {
		struct hdir *h = dir_find(t, s, reverse);
		if (h) {
			h->used = false;
			if (t->cur == h)
				t->cur = NULL;
		}
	}
}

void tls_hsr_number_fields(struct dissection *d, uint64_t frame)
{
	if (!d->tree) /* a summary keeps no such field: no walk (every packet asks) */
		return;
	for (uint16_t i = 0; i < d->nf; i++)
		if (d->f[i].key == K_TLS_HS_FRAGMENT && d->f[i].u == 0)
			d->f[i].u = frame;
}

/* Frame 0 (this frame) among h's fragments becomes `frame`. */
static void number_dir(struct hdir *h, uint64_t frame)
{
	for (uint32_t k = 0; h->used && k < h->nfrag; k++)
		if (h->frag_frame[k] == 0)
			h->frag_frame[k] = frame;
}

void tls_hsr_frame(struct tls_hsr *t, struct dissection *d, uint64_t frame)
{
	if (!t)
		return;
	if (d->sum.transport == P_TCP && d->sum.tcp.ok && (d->sum.tcp.flags & 0x02) && !d->quoted)
		forget_connection(t, &d->sum);
	if (t->ntouched == 0)
		return;
	for (unsigned i = 0; i < TLS_HSR_DIRS && t->ntouched > TOUCHED_MAX; i++)
		number_dir(&t->dir[i], frame);
	for (unsigned i = 0; i < t->ntouched && i < TOUCHED_MAX; i++)
		number_dir(t->touched[i], frame);
	t->ntouched = 0;
	tls_hsr_number_fields(d, frame);
}
