/*
 * sparkline.h - a short history of a rate, drawn as one row of ASCII levels ("_.-=#").
 *
 * Fed with a growing counter (packets) and the time since the last reading; keeps the last
 * SPARKLINE_LEN per-second rates. No drawing here: sparkline_text() gives the characters
 * and the caller puts them on screen. UI thread; the caller owns the struct (zeroed = empty).
 */
#ifndef CAPSCOPE_SPARKLINE_H
#define CAPSCOPE_SPARKLINE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define SPARKLINE_LEN 12

struct sparkline {
	double rate[SPARKLINE_LEN]; /* oldest first */
	size_t n;                   /* rates held (<= SPARKLINE_LEN) */
	uint64_t last;              /* the previous counter reading */
	bool have_last;
	bool unavailable; /* the counter could not be read */
};

/* A counter reading dt_ns after the previous one (the first reading only sets the base; a
 * counter that went backwards, as when an adapter is reset, starts again). */
void sparkline_feed(struct sparkline *s, uint64_t counter, uint64_t dt_ns);
/* The counter could not be read this time. */
void sparkline_missing(struct sparkline *s);
/* The newest rate, or -1 when none yet. */
double sparkline_last(const struct sparkline *s);
/* The levels, right-aligned in w columns (out: w + 1 bytes); blanks before the first
 * reading, all blank when unavailable. Scaled to the largest rate shown. */
void sparkline_text(const struct sparkline *s, char *out, size_t w);

#endif
