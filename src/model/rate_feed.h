/*
 * rate_feed.h - the numbers behind the rate graph: per-interval bits/s and packets/s of the
 * displayed traffic (and of all traffic) over the last n intervals.
 *
 * Live adapters: statistics mode (capture/stats.h) on the model's adapter, with the display
 * filter (and the SSH exclusion) as its own kernel filter, plus a second, unfiltered counter
 * for the total when asked. The counters keep running while the display is paused and while
 * the graph is hidden; they restart when the adapter, filter or interval changes and stop
 * when the capture stops. Files and streams, and a live capture of several sources: the
 * intervals are summed from the store's index (timestamps and lengths, no packet is read),
 * ending at the newest packet (live: at this second, if later); with several sources each
 * one's displayed packets are summed apart too.
 *
 * UI thread only. No drawing here.
 */
#ifndef CAPSCOPE_RATE_FEED_H
#define CAPSCOPE_RATE_FEED_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

#define RATE_FEED_MAX 600 /* intervals in the widest window */

struct rate_series {
	int n;              /* slots, oldest first; the newest is slot n - 1; -1: no interval */
	int valid;          /* slots that hold an interval (the newest ones) */
	int64_t newest_end; /* wall clock, ns */
	double bps[RATE_FEED_MAX], pps[RATE_FEED_MAX];
	bool has_total;
	double tbps[RATE_FEED_MAX], tpps[RATE_FEED_MAX];
	/* several sources: each one's share of the displayed packets (0 when one source) */
	unsigned nsrc;
	double src_bps[MODEL_MAX_SOURCES][RATE_FEED_MAX], src_pps[MODEL_MAX_SOURCES][RATE_FEED_MAX];
};

/* Starts, restarts or stops the counters to match the model; true when a new interval
 * arrived since the last call. want_total: count all traffic too. */
bool rate_feed_sync(struct model *m, int interval_ms, bool want_total);
/* The last n intervals (live: frozen at the moment of pausing while m->paused). */
void rate_feed_series(struct model *m, int interval_ms, int n, struct rate_series *out);
/* True while counters run (a live adapter); they keep running while the graph is hidden. */
bool rate_feed_running(void);
/* Why there is no live series (permission, adapter gone), or "". */
const char *rate_feed_error(void);
void rate_feed_stop(void);

#endif
