/*
 * frame_meta.c - frame.number, frame.time_relative and frame.time_delta (see frame_meta.h).
 * Nanoseconds in an int64_t cover the years 1678 to 2262; a timestamp outside that (a
 * hostile file) saturates rather than overflowing.
 */
#include "decode/frame_meta.h"

void frame_clock_init(struct frame_clock *c)
{
	c->count = 0;
	c->first_ns = 0;
	c->prev_ns = 0;
}

static int64_t ts_ns(const struct pkt_hdr *h)
{
	const int64_t lim = INT64_MAX / 1000000000 - 1;

	if (h->ts_sec > lim)
		return INT64_MAX;
	if (h->ts_sec < -lim)
		return INT64_MIN;
	return h->ts_sec * 1000000000 + (int64_t)h->ts_nsec;
}

/* a - b without overflow (saturating). */
static int64_t diff_ns(int64_t a, int64_t b)
{
	if (b < 0 && a > INT64_MAX + b)
		return INT64_MAX;
	if (b > 0 && a < INT64_MIN + b)
		return INT64_MIN;
	return a - b;
}

void frame_meta_next(struct frame_clock *c, const struct pkt_hdr *h, int tsprec,
                     struct frame_meta *m)
{
	int64_t now = ts_ns(h);

	if (c->count == 0) {
		c->first_ns = now;
		c->prev_ns = now;
	}
	c->count++;
	m->number = c->count;
	m->ts_sec = h->ts_sec;
	m->ts_nsec = h->ts_nsec;
	m->rel_nsec = diff_ns(now, c->first_ns);
	m->delta_nsec = diff_ns(now, c->prev_ns);
	m->len = h->len;
	m->caplen = h->caplen;
	m->tsprec = tsprec;
	m->if_id = h->ifidx;
	m->if_name = NULL; /* the caller names the interface when it knows it */
	m->if_known = false;
	c->prev_ns = now;
}
