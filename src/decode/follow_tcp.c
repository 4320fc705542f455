/*
 * follow_tcp.c - TCP reassembly for the follow engine (the rules are in follow.h): relative
 * sequence numbers, the next expected number per direction, held out-of-order segments in
 * arrival order, and gap notes when the peer ACKs past a hole.
 *
 * All sequence arithmetic is modulo 2^32: a is before b when (int32_t)(a - b) < 0, and after
 * it when b is before a, so a stream may wrap around 2^32 any number of times. As in tshark,
 * two numbers exactly 2^31 apart are each before and after the other.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/follow_int.h"

#define TH_SYN 0x02
#define TH_ACK 0x10

/* A segment beyond the next expected number, waiting for the hole before it. */
struct held {
	uint32_t seq; /* relative */
	uint64_t frame;
	uint32_t len;
	uint8_t data[]; /* the captured bytes */
};

struct tcp_dir {
	uint32_t base; /* relative numbering: seq - base */
	bool base_set;
	uint32_t next;      /* the next expected relative number; 0 = not started (tshark's rule) */
	uint64_t written;   /* bytes emitted in order, for that rule */
	struct held **held; /* arrival order */
	uint32_t nheld, cap, held_bytes;
};

struct follow_tcp {
	struct tcp_dir dir[2];
	uint64_t dropped;
};

static bool seq_lt(uint32_t a, uint32_t b)
{
	return (int32_t)(a - b) < 0;
}

static bool seq_gt(uint32_t a, uint32_t b)
{
	return seq_lt(b, a);
}

struct follow_tcp *follow_tcp_create(void)
{
	return calloc(1, sizeof(struct follow_tcp));
}

static void drop_held(struct tcp_dir *d)
{
	for (uint32_t i = 0; i < d->nheld; i++)
		free(d->held[i]);
	free(d->held);
	d->held = NULL;
	d->nheld = d->cap = d->held_bytes = 0;
}

void follow_tcp_free(struct follow_tcp *t)
{
	if (!t)
		return;
	drop_held(&t->dir[0]);
	drop_held(&t->dir[1]);
	free(t);
}

/* tshark's analysis sets a direction's base from its first packet (a SYN's own number, else
 * one less than the first number seen), or from the peer's first ACK (one less). */
static void set_bases(struct follow_tcp *t, int node, const struct follow_seg *s)
{
	struct tcp_dir *f = &t->dir[node], *b = &t->dir[!node];

	if (!f->base_set) {
		f->base = (s->flags & TH_SYN) ? s->seq : s->seq - 1;
		f->base_set = true;
	}
	if (!b->base_set && (s->flags & TH_ACK)) {
		b->base = s->ack - 1;
		b->base_set = true;
	}
}

static void emit_data(struct follow *f, int node, uint64_t frame, const uint8_t *p, size_t n,
                      follow_emit_fn emit, void *ctx)
{
	follow_emit_chunk(f, &(struct follow_chunk){(uint8_t)node, false, frame, p, n, 0}, emit,
	                  ctx);
}

static void remove_held(struct tcp_dir *d, uint32_t i)
{
	d->held_bytes -= d->held[i]->len;
	free(d->held[i]);
	memmove(d->held + i, d->held + i + 1, (d->nheld - i - 1) * sizeof d->held[0]);
	d->nheld--;
}

/* Emits the new part of held segment i if it reaches past `next`, and forgets it. */
static void place_held(struct follow *f, struct tcp_dir *d, int node, uint32_t i,
                       follow_emit_fn emit, void *ctx)
{
	struct held *h = d->held[i];
	uint32_t end = h->seq + h->len;

	if (seq_gt(end, d->next)) {
		uint32_t pos = d->next - h->seq;
		emit_data(f, node, h->frame, h->data + pos, h->len - pos, emit, ctx);
		d->next = end;
	}
	remove_held(d, i);
}

/*
 * One step of tshark's fragment check: the first held segment (arrival order) that starts at
 * or before the next expected number is placed; failing that, an ACK (use_ack) past the
 * lowest held number turns the hole into a gap note. Returns true if it did either.
 */
static bool drain_step(struct follow *f, struct follow_tcp *t, int node, bool use_ack, uint32_t ack,
                       uint64_t frame, follow_emit_fn emit, void *ctx)
{
	struct tcp_dir *d = &t->dir[node];
	uint32_t lowest;

	if (d->nheld == 0)
		return false;
	lowest = d->held[0]->seq;
	for (uint32_t i = 0; i < d->nheld; i++) {
		if (seq_gt(lowest, d->held[i]->seq))
			lowest = d->held[i]->seq;
		if (seq_lt(d->held[i]->seq, d->next) || d->held[i]->seq == d->next) {
			place_held(f, d, node, i, emit, ctx);
			return true;
		}
	}
	if (!use_ack || !seq_gt(ack, lowest))
		return false;
	follow_emit_chunk(
	    f, &(struct follow_chunk){(uint8_t)node, false, frame, NULL, 0, lowest - d->next}, emit,
	    ctx);
	d->next = lowest;
	return true;
}

/* Keeps the captured bytes of a segment beyond the next expected number, within bounds. */
static void hold(struct follow_tcp *t, struct tcp_dir *d, uint32_t rel, const struct follow_seg *s)
{
	struct held *h;

	if (d->nheld >= FOLLOW_MAX_HELD_SEGS || s->caplen > FOLLOW_MAX_HELD_BYTES - d->held_bytes) {
		t->dropped++;
		return;
	}
	if (d->nheld == d->cap) {
		uint32_t ncap = d->cap ? d->cap * 2 : 8;
		struct held **n = realloc(d->held, ncap * sizeof *n);
		if (!n) {
			t->dropped++;
			return;
		}
		d->held = n;
		d->cap = ncap;
	}
	h = malloc(sizeof *h + s->caplen);
	if (!h) {
		t->dropped++;
		return;
	}
	*h = (struct held){rel, s->frame, s->caplen};
	memcpy(h->data, s->data, s->caplen);
	d->held[d->nheld++] = h;
	d->held_bytes += s->caplen;
}

void follow_tcp_segment(struct follow *f, struct follow_tcp *t, int node,
                        const struct follow_seg *s, follow_emit_fn emit, void *ctx)
{
	struct tcp_dir *d = &t->dir[node], *peer = &t->dir[!node];
	uint32_t rel, len = s->seglen, off = 0, cap = s->caplen, ack;

	set_bases(t, node, s);
	rel = s->seq - d->base + ((s->flags & TH_SYN) ? 1u : 0u);
	ack = (s->flags & TH_ACK) && peer->base_set ? s->ack - peer->base : s->ack;
	/* this packet may ACK data the capture missed in the other direction */
	while (drain_step(f, t, !node, true, ack, s->frame, emit, ctx))
		;
	if (d->written == 0 && d->next == 0)
		d->next = rel;
	if (cap == 0) /* nothing captured: not followed (tshark leaves `next` alone too) */
		return;
	if (seq_lt(rel, d->next)) { /* starts with bytes already emitted: keep only the new */
		uint32_t end = rel + len;
		if (!seq_gt(end, d->next))
			return;
		off = d->next - rel;
		cap = cap > off ? cap - off : 0;
		len = end - d->next;
		rel = d->next;
	}
	if (rel != d->next) {
		hold(t, d, rel, s);
		return;
	}
	emit_data(f, node, s->frame, s->data + off, cap, emit, ctx);
	d->written += cap;
	d->next += len; /* the whole segment, captured or not */
	while (drain_step(f, t, node, false, 0, s->frame, emit, ctx))
		;
}

/* Held segments, lowest relative to `next` first: the order they would have been placed. */
static void finish_dir(struct follow *f, struct tcp_dir *d, int node, follow_emit_fn emit,
                       void *ctx)
{
	while (d->nheld) {
		uint32_t best = 0;
		for (uint32_t i = 1; i < d->nheld; i++)
			if (d->held[i]->seq - d->next < d->held[best]->seq - d->next)
				best = i;
		struct held *h = d->held[best];
		follow_emit_chunk(
		    f, &(struct follow_chunk){(uint8_t)node, true, h->frame, h->data, h->len, 0},
		    emit, ctx);
		remove_held(d, best);
	}
	drop_held(d);
}

void follow_tcp_finish(struct follow *f, struct follow_tcp *t, follow_emit_fn emit, void *ctx)
{
	finish_dir(f, &t->dir[0], 0, emit, ctx);
	finish_dir(f, &t->dir[1], 1, emit, ctx);
}

void follow_tcp_held(const struct follow_tcp *t, uint32_t segs[2], uint32_t bytes[2],
                     uint64_t *dropped)
{
	for (int i = 0; i < 2; i++) {
		segs[i] = t->dir[i].nheld;
		bytes[i] = t->dir[i].held_bytes;
	}
	*dropped = t->dropped;
}
