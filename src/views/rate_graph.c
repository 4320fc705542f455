/*
 * rate_graph.c - the rate graph pane: bits/s or packets/s over the last N intervals, as
 * Wireshark's I/O graph or bmon show it. An auto-scaled axis with SI units, a time axis,
 * current / average / peak, bars drawn with Unicode block characters (eighths of a cell) or
 * ASCII in other locales; the total traffic drawn behind the filtered when asked (T). Both
 * metrics are stacked when the pane is tall enough (zoomed). With several sources a row per
 * source comes first (its name, current / average / peak and a one-row sparkline) and the
 * plot is their sum. The numbers come from rate_feed.c; pausing freezes the picture while
 * the counting goes on.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "views/pane.h"
#include "model/rate_feed.h"

#define LABEL_W    6  /* y-axis labels */
#define TALL_PANE  18 /* from this height both metrics are shown */
#define SRC_NAME_W 16 /* a source's row: its name's widest */

static const int intervals_ms[] = {100, 1000, 10000, 60000};
static const int windows[] = {30, 60, 120, 300, 600};

static struct {
	int interval_i, window_i;
	bool packets; /* the metric of a single plot */
	bool total;
	struct rate_series s;
} graph_view = {.interval_i = 1, .window_i = 1};

static int interval_ms(void)
{
	return intervals_ms[graph_view.interval_i];
}

/* "1.50M", "950k", "12.0": three significant digits and an SI prefix. */
static const char *si(double v, char *out, size_t n)
{
	static const char pre[] = " kMGTP";
	const char *fmt;
	int i = 0;

	while (v >= 999.5 && i < 5) {
		v /= 1000;
		i++;
	}
	fmt = v < 9.995 ? "%.2f%c" : v < 99.95 ? "%.1f%c" : "%.0f%c";
	if (i == 0 && v == (double)(long long)v)
		fmt = "%.0f%c"; /* whole units: "200", not "200.00" */
	snprintf(out, n, fmt, v, pre[i]);
	if (out[strlen(out) - 1] == ' ')
		out[strlen(out) - 1] = '\0';
	return out;
}

/* The axis top: 1, 2, 2.5 or 5 times a power of ten, at least v. */
static double nice_ceil(double v)
{
	static const double steps[] = {1, 2, 2.5, 5};
	double p = 1;

	if (v <= 0)
		return 1;
	while (p * 10 < v)
		p *= 10;
	while (p > v * 10 && p > 1e-3)
		p /= 10;
	for (int i = 0; i < 4; i++)
		if (steps[i] * p >= v)
			return steps[i] * p;
	return 10 * p;
}

/* One column's cell glyph for a bar covering `eighths` of it. */
static wchar_t glyph(int eighths)
{
	static const wchar_t blocks[] = L" \u2581\u2582\u2583\u2584\u2585\u2586\u2587\u2588";
	static const wchar_t ascii[] = L" ...:::##";

	return term_unicode() ? blocks[eighths] : ascii[eighths];
}

/* Column values: the newest at the right; k intervals per column when n exceeds w. */
static int columns(const double *v, int n, int valid, int w, double *out)
{
	int k = (n + w - 1) / w, cols = (n + k - 1) / k;

	for (int c = 0; c < cols; c++) {
		double sum = 0;
		int have = 0;
		for (int i = 0; i < k; i++) {
			int slot = n - 1 - ((cols - 1 - c) * k + i);
			if (slot >= 0 && slot >= n - valid && v[slot] >= 0)
				sum += v[slot], have++;
		}
		out[c] = have ? sum / have : -1;
	}
	return cols;
}

static void draw_bars(int y, int x, int h, int cols, const double *vs, const double *vt, double top)
{
	for (int row = 0; row < h; row++) {
		double lo = top * (h - 1 - row) / h, cell = top / h;
		for (int c = 0; c < cols; c++) {
			int es = vs[c] > lo ? (int)((vs[c] - lo) / cell * 8 + 0.5) : 0;
			int et = vt && vt[c] > lo ? (int)((vt[c] - lo) / cell * 8 + 0.5)
			                          : 0; /* -1: none */
			wchar_t ch;
			es = es > 8 ? 8 : es;
			et = et > 8 ? 8 : et;
			if (es == 0 && et == 0)
				continue;
			ch = glyph(es ? es : et);
			term_put_glyphs(y + row, x + c, es ? E_GRAPH : E_GRAPH_TOTAL, &ch, 1);
		}
	}
}

/* "-30s", "-2m", "-1.5s": how long before the newest interval's end. */
static void ago_text(double secs, char *out, size_t n)
{
	if (secs < 10 && secs != (int)secs)
		snprintf(out, n, "-%.1fs", secs);
	else if (secs < 120)
		snprintf(out, n, "-%.0fs", secs);
	else if (secs < 7200)
		snprintf(out, n, "-%.0fm", secs / 60);
	else
		snprintf(out, n, "-%.0fh", secs / 3600);
}

/* The axis under w columns starting at x; the newest interval is the rightmost of `cols`. */
static void time_axis(int y, int x, int w, int cols, int per_col)
{
	double col_s = per_col * interval_ms() / 1000.0;
	int right = x + w - 1;
	char t[16];

	term_line(y, x - 1, 1, TL_BOT_L, E_BORDER);
	term_line(y, x, w, TL_H, E_BORDER);
	term_put(y + 1, right - 2, 3, E_DIM, "now");
	for (int back = 10; back < cols; back += 10) {
		int len;
		ago_text(back * col_s, t, sizeof t);
		len = (int)strlen(t);
		term_line(y, right - back, 1, TL_TEE_L, E_BORDER);
		if (right - back - len / 2 >= x)
			term_put(y + 1, right - back - len / 2, len, E_DIM, t);
	}
}

/* One plot: y-axis labels, bars, time axis (h rows including the axis and its labels). */
static void plot(struct rect r, const double *v, const double *vt, const char *unit)
{
	double vs[RATE_FEED_MAX], vtot[RATE_FEED_MAX], peak = 0, top;
	int x0 = r.x + LABEL_W + 1, w = r.w - LABEL_W - 2, h = r.h - 2, cols;
	int per_col = (graph_view.s.n + w - 1) / (w > 0 ? w : 1);
	char lab[16], u[24];

	if (w < 4 || h < 2)
		return;
	cols = columns(v, graph_view.s.n, graph_view.s.valid, w, vs);
	if (vt)
		columns(vt, graph_view.s.n, graph_view.s.valid, w, vtot);
	for (int c = 0; c < cols; c++)
		peak = vs[c] > peak ? vs[c] : vt && vtot[c] > peak ? vtot[c] : peak;
	top = nice_ceil(peak);
	term_line(r.y, x0 - 1, h, TL_V, E_BORDER);
	term_put(r.y, r.x, LABEL_W, E_DIM, si(top, lab, sizeof lab));
	term_put(r.y + h / 2, r.x, LABEL_W, E_DIM, si(top / 2, lab, sizeof lab));
	term_put(r.y + h - 1, r.x, LABEL_W, E_DIM, "0");
	snprintf(u, sizeof u, "%s", unit);
	term_put(r.y, x0 + 1, (int)strlen(u), E_DIM, u);
	draw_bars(r.y, x0 + w - cols, h, cols, vs, vt ? vtot : NULL, top);
	time_axis(r.y + h, x0, w, cols, per_col);
}

/* "cur 1.20M avg 800k peak 2.00M": over the shown intervals. */
static void summary(const double *v, char *out, size_t n)
{
	double cur = -1, sum = 0, peak = 0;
	int have = 0;
	char a[16], b[16], c[16];

	for (int i = graph_view.s.n - graph_view.s.valid; i < graph_view.s.n; i++) {
		if (v[i] < 0)
			continue;
		cur = v[i];
		sum += v[i];
		peak = v[i] > peak ? v[i] : peak;
		have++;
	}
	snprintf(out, n, "cur %s avg %s peak %s", si(cur > 0 ? cur : 0, a, sizeof a),
	         si(have ? sum / have : 0, b, sizeof b), si(peak, c, sizeof c));
}

static void stats_line(struct app *a, int y, int x, int w, bool bits)
{
	char buf[200], s1[80], s2[80];
	int len;

	summary(bits ? graph_view.s.bps : graph_view.s.pps, s1, sizeof s1);
	len = snprintf(buf, sizeof buf, "%s%s %s", graph_view.s.nsrc ? "all " : "",
	               bits ? "bits/s" : "pkts/s", s1);
	term_put(y, x, w, E_GRAPH, buf);
	if (graph_view.s.has_total) {
		summary(bits ? graph_view.s.tbps : graph_view.s.tpps, s2, sizeof s2);
		snprintf(buf, sizeof buf, " | total %s", s2);
		term_put(y, x + len + 1, w - len - 1, E_GRAPH_TOTAL, buf);
	}
	(void)a;
}

static void draw_title(struct app *a, struct rect r, bool focused)
{
	char t[300], f[120], iv[16];
	int ms = interval_ms();

	snprintf(iv, sizeof iv, ms < 1000 ? "%d ms" : "%d s", ms < 1000 ? ms : ms / 1000);
	snprintf(f, sizeof f, "%.100s", a->m->filter_text[0] ? a->m->filter_text : "all traffic");
	for (char *p = f; *p; p++)
		*p = *p >= 0x20 && *p < 0x7f ? *p : '?';
	snprintf(t, sizeof t, " Rate: %s | %s x %d%s%s ", f, iv, windows[graph_view.window_i],
	         a->m->paused ? " | paused" : "", rate_feed_running() ? "" : " | from the store");
	pane_title(r, focused, t);
}

/* Several sources: a row each, "cs1  cur 1.20M avg 800k peak 2.00M  <sparkline>" for the
 * metric shown, over the intervals of the plot. Returns the rows used. */
static int source_rows(struct app *a, int y, int x, int w, bool bits)
{
	const struct rate_series *s = &graph_view.s;
	char text[200], sum[80], name[SRC_NAME_W + 1];
	double cols[RATE_FEED_MAX], peak = 0;

	for (unsigned k = 0; k < s->nsrc; k++) {
		const double *v = bits ? s->src_bps[k] : s->src_pps[k];
		int sw, n, at;
		summary(v, sum, sizeof sum);
		snprintf(name, sizeof name, "%s", a->m->srcs[k].label); /* escaped */
		at = snprintf(text, sizeof text, "%-*s %s", SRC_NAME_W, name, sum);
		term_put(y + (int)k, x, w, E_GRAPH, text);
		sw = w - at - 2;
		if (sw < 4)
			continue;
		n = columns(v, s->n, s->valid, sw, cols);
		for (int c = 0; c < n; c++)
			peak = cols[c] > peak ? cols[c] : peak;
		for (int c = 0; c < n; c++) {
			wchar_t ch =
			    glyph(cols[c] > 0 && peak > 0 ? 1 + (int)(cols[c] / peak * 7) : 0);
			term_put_glyphs(y + (int)k, x + at + 2 + (sw - n) + c, E_GRAPH, &ch, 1);
		}
		peak = 0;
	}
	return (int)s->nsrc;
}

static void graph_draw(struct app *a, struct rect r, bool focused)
{
	const char *err = rate_feed_error();
	int body = r.h - 2, top;

	draw_title(a, r, focused);
	rate_feed_series(a->m, interval_ms(), windows[graph_view.window_i], &graph_view.s);
	if (err[0] || graph_view.s.valid == 0) {
		term_put(r.y + 1, r.x + 1, r.w - 2, err[0] ? E_INVALID : E_DIM,
		         err[0] ? err
		         : a->m->kind == SOURCE_LIVE && a->m->cap
		             ? "counting: the first interval is not over yet"
		             : "no packets (open a file or capture on an adapter)");
		return;
	}
	/* a row per source when it leaves the plot room */
	top =
	    graph_view.s.nsrc && body - (int)graph_view.s.nsrc >= 5
	        ? source_rows(a, r.y + 1, r.x + 1, r.w - 2, r.h >= TALL_PANE || !graph_view.packets)
	        : 0;
	r.y += top;
	r.h -= top;
	body -= top;
	if (r.h >= TALL_PANE) {
		stats_line(a, r.y + 1, r.x + 1, r.w - 2, true);
		plot((struct rect){r.y + 2, r.x, body / 2 - 1, r.w}, graph_view.s.bps,
		     graph_view.s.has_total ? graph_view.s.tbps : NULL, "b/s");
		stats_line(a, r.y + 1 + body / 2, r.x + 1, r.w - 2, false);
		plot((struct rect){r.y + 2 + body / 2, r.x, body - body / 2 - 1, r.w},
		     graph_view.s.pps, graph_view.s.has_total ? graph_view.s.tpps : NULL, "pkt/s");
		return;
	}
	stats_line(a, r.y + 1, r.x + 1, r.w - 2, !graph_view.packets);
	plot((struct rect){r.y + 2, r.x, body, r.w},
	     graph_view.packets ? graph_view.s.pps : graph_view.s.bps,
	     graph_view.s.has_total ? (graph_view.packets ? graph_view.s.tpps : graph_view.s.tbps)
	                            : NULL,
	     graph_view.packets ? "pkt/s" : "b/s");
}

static bool graph_tick(struct app *a);

static int graph_action(struct app *a, enum action act)
{
	const int nw = (int)(sizeof windows / sizeof windows[0]);

	switch (act) {
	case A_GRAPH_INTERVAL:
		graph_view.interval_i = (graph_view.interval_i + 1) %
		                        (int)(sizeof intervals_ms / sizeof intervals_ms[0]);
		view_notice(a, "graph interval %d ms (counting starts again)", interval_ms());
		break;
	case A_GRAPH_WIDER:
		graph_view.window_i =
		    graph_view.window_i + 1 < nw ? graph_view.window_i + 1 : graph_view.window_i;
		break;
	case A_GRAPH_NARROWER:
		graph_view.window_i = graph_view.window_i > 0 ? graph_view.window_i - 1 : 0;
		break;
	case A_GRAPH_METRIC:
		graph_view.packets = !graph_view.packets;
		break;
	case A_GRAPH_TOTAL:
		graph_view.total = !graph_view.total;
		view_notice(a, graph_view.total ? "graph: total traffic on (with a filter)"
		                                : "graph: total off");
		break;
	default:
		return R_UNHANDLED;
	}
	graph_tick(a);
	return R_REDRAW;
}

/* The graph's own counting follows the model's adapter and filter, shown or not: true when
 * a new interval arrived for a shown graph. */
static bool graph_tick(struct app *a)
{
	bool shown = !a->hidden[PANE_GRAPH];

	if (!shown && !rate_feed_running())
		return false;
	return rate_feed_sync(a->m, interval_ms(), graph_view.total) && shown;
}

static void graph_shutdown(void)
{
	rate_feed_stop();
}

const struct view_ops view_rate_graph = {
    .name = "rate graph",
    .ctx = CTX_GRAPH,
    .draw = graph_draw,
    .place = VP_PANE,
    .action = graph_action,
    .tick = graph_tick,
    .shutdown = graph_shutdown,
};
