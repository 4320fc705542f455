/* rate_feed.c - statistics-mode counters and file intervals for the graph (see rate_feed.h). */
#include "model/rate_feed.h"

#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture/stats.h"

#define FILE_SCAN_MAX 4000000u /* packets looked at per file series */

struct counter {
	struct stats *st;
	char filter[1400];
};

static struct {
	struct counter shown, total;
	const struct source *src; /* the model's source the counters follow */
	int interval_ms;
	bool failed; /* the last start failed: no retry until something changes */
	char err[SOURCE_ERRLEN];
	uint64_t seen_seq, frozen_seq;
	bool was_paused;
} feed;

static void counter_stop(struct counter *c)
{
	stats_free(c->st);
	c->st = NULL;
}

void rate_feed_stop(void)
{
	counter_stop(&feed.shown);
	counter_stop(&feed.total);
	feed.src = NULL;
	feed.seen_seq = feed.frozen_seq = 0;
}

const char *rate_feed_error(void)
{
	return feed.failed ? feed.err : "";
}

bool rate_feed_running(void)
{
	return feed.shown.st != NULL;
}

/* What the model's own capture sees: the filter's BPF form (none for a display filter that
 * has none: the graph then counts all traffic), minus our SSH session. */
static void wanted_filter(const struct model *m, char *out, size_t n)
{
	const char *ssh = m->ssh_excluded ? m->ssh_filter : "", *expr = model_kernel_expr(m);

	if (!expr[0] || !ssh[0])
		snprintf(out, n, "%s%s", expr, ssh);
	else
		snprintf(out, n, "(%s) and %s", expr, ssh);
}

static bool counter_start(struct counter *c, const struct model *m, const char *filter)
{
	struct stats_opts so = {
	    .iface = source_name(m->src),
	    .filter = filter,
	    .interval_ms = feed.interval_ms,
	    .promisc = m->opts.promisc,
	};
	enum source_err why;

	snprintf(c->filter, sizeof c->filter, "%s", filter);
	c->st = stats_start(&so, &why, feed.err);
	return c->st != NULL;
}

static bool needs_restart(const struct model *m, const char *filter, int interval_ms)
{
	return feed.src != m->src || feed.interval_ms != interval_ms ||
	       strcmp(feed.shown.filter, filter);
}

bool rate_feed_sync(struct model *m, int interval_ms, bool want_total)
{
	char filter[sizeof feed.shown.filter];
	uint64_t seq;

	/* several sources: from the store (statistics mode counts one adapter) */
	if (m->kind != SOURCE_LIVE || !m->src || !m->cap || m->nsrc > 1) {
		rate_feed_stop();
		feed.failed = false;
		return false;
	}
	wanted_filter(m, filter, sizeof filter);
	if (needs_restart(m, filter, interval_ms)) {
		rate_feed_stop();
		feed.src = m->src;
		feed.interval_ms = interval_ms;
		feed.failed = !counter_start(&feed.shown, m, filter);
	}
	want_total = want_total && filter[0] && !feed.failed;
	if (want_total && !feed.total.st && !feed.failed)
		feed.failed = !counter_start(&feed.total, m, "");
	if (!want_total && feed.total.st)
		counter_stop(&feed.total);
	seq = feed.shown.st ? stats_seq(feed.shown.st) : 0;
	if (seq == feed.seen_seq)
		return false;
	feed.seen_seq = seq;
	return true;
}

/* Puts the records of c ending at or before last_seq into slots by their end time. */
static void fill_live(struct counter *c, uint64_t last_seq, struct rate_series *s, bool total)
{
	int64_t step = (int64_t)feed.interval_ms * 1000000;
	uint64_t after = last_seq > (uint64_t)s->n ? last_seq - (uint64_t)s->n : 0;
	struct stats_rec r;

	while (after < last_seq && stats_next(c->st, after, &r)) {
		int64_t back = (s->newest_end - r.end_ns + step / 2) / step;
		int slot = s->n - 1 - (int)back;
		after = r.seq;
		if (back < 0 || slot < 0)
			continue;
		(total ? s->tbps : s->bps)[slot] = stats_bps(&r);
		(total ? s->tpps : s->pps)[slot] = stats_pps(&r);
		if (!total && s->n - slot > s->valid)
			s->valid = s->n - slot;
	}
}

static void series_live(struct model *m, struct rate_series *s)
{
	struct stats_rec newest;
	uint64_t last;

	if (m->paused && !feed.was_paused)
		feed.frozen_seq = stats_seq(feed.shown.st);
	feed.was_paused = m->paused;
	last = m->paused ? feed.frozen_seq : stats_seq(feed.shown.st);
	if (last == 0 || !stats_next(feed.shown.st, last - 1, &newest))
		return;
	s->newest_end = newest.end_ns;
	fill_live(&feed.shown, last, s, false);
	if (feed.total.st) {
		s->has_total = true;
		fill_live(&feed.total, stats_seq(feed.total.st), s, true);
	}
}

/* Where the series ends: after the newest packet, on a whole multiple of the interval; for a
 * live capture at this second if that is later (a quiet link still moves the graph). */
static int64_t series_end(const struct model *m, int64_t newest_ns, int64_t step)
{
	int64_t now = (int64_t)time(NULL) * 1000000000;

	if (m->kind == SOURCE_LIVE && m->cap && now > newest_ns)
		newest_ns = now;
	return (newest_ns / step + 1) * step;
}

/* Adds packet p's length and count to slot of the series of source ifidx. */
static void add_source(struct rate_series *s, unsigned ifidx, int slot, const struct store_pkt *p,
                       int64_t step)
{
	if (ifidx >= s->nsrc)
		return;
	s->src_bps[ifidx][slot] += p->len * 8e9 / (double)step;
	s->src_pps[ifidx][slot] += 1e9 / (double)step;
}

/* Files: intervals on whole multiples of the interval, the last one holding the newest
 * packet; the shown rows for the series (and each source's), every stored packet for the
 * total. */
static void series_file(struct model *m, int interval_ms, struct rate_series *s, bool total)
{
	uint64_t cnt = total ? store_count(m->store) : m->rows.n, scanned = 0;
	uint64_t low = total ? store_first(m->store) : 0; /* the packets held */
	int64_t step = (int64_t)interval_ms * 1000000, start;
	double *bps = total ? s->tbps : s->bps, *pps = total ? s->tpps : s->pps;

	if (!cnt)
		return;
	if (!total) {
		int64_t t = store_get(m->store, model_row_index(m, cnt - 1))->ts_ns;
		s->newest_end = series_end(m, t, step);
		s->valid = s->n;
		s->nsrc = m->nsrc > 1 ? m->nsrc : 0;
	}
	start = s->newest_end - step * s->n;
	for (int i = 0; i < s->n; i++) {
		bps[i] = pps[i] = 0;
		for (unsigned k = 0; !total && k < s->nsrc; k++)
			s->src_bps[k][i] = s->src_pps[k][i] = 0;
	}
	for (uint64_t i = cnt; i-- > low && scanned++ < FILE_SCAN_MAX;) {
		uint64_t index = total ? i : model_row_index(m, i);
		const struct store_pkt *p = store_get(m->store, index);
		if (p->ts_ns < start || p->ts_ns >= s->newest_end)
			continue; /* out of order or outside the window */
		int slot = (int)((p->ts_ns - start) / step);
		bps[slot] += p->len * 8e9 / (double)step;
		pps[slot] += 1e9 / (double)step;
		if (!total)
			add_source(s, store_ifidx(m->store, index), slot, p, step);
	}
	s->has_total |= total;
}

void rate_feed_series(struct model *m, int interval_ms, int n, struct rate_series *s)
{
	memset(s, 0, sizeof *s);
	s->n = n < RATE_FEED_MAX ? n : RATE_FEED_MAX;
	for (int i = 0; i < RATE_FEED_MAX; i++) /* no interval there */
		s->bps[i] = s->pps[i] = s->tbps[i] = s->tpps[i] = -1;
	if (feed.shown.st) {
		series_live(m, s);
		return;
	}
	if (!m->store || (m->kind == SOURCE_LIVE && m->nsrc < 2))
		return;
	series_file(m, interval_ms, s, false);
	if (s->valid && m->filter_text[0])
		series_file(m, interval_ms, s, true);
}
