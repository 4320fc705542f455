/*
 * processes.c - the Processes pane (issue 13), as nethogs and bandwhich show it: one row per
 * local process of a live capture (or of a pcapng file's process comments) (name[pid], user, bits/s
 * in and out over the last whole second, packets, bytes, connections and a sparkline of its rate)
 * and a row for the unattributed traffic, from the totals the model keeps as packets enter the
 * store (model_procs.h), so it covers every packet held, whatever the display filter. Sortable with
 * s; Enter filters the packet list to the selected process ("process.pid == N") and returns to it.
 * The order is recomputed at most twice a second and the selection follows its process. Everything
 * from a process (its name, its user) is escaped.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "base/escape.h"
#include "model/model_procs.h"
#include "platform/os.h"
#include "ui/sparkline.h"
#include "views/pane.h"

#define RESORT_NS (500ull * 1000 * 1000)
#define NUM_W     10
#define NAME_W    24
#define USER_W    10

enum pr_sort { BY_RATE, BY_BYTES, BY_PACKETS, BY_CONNS, BY_COUNT };
static const char *const sort_names[BY_COUNT] = {"rate", "bytes", "packets", "connections"};

static struct {
	enum pr_sort sort;
	uint32_t *order; /* row indices of the totals, in display order */
	size_t n, cap;
	uint64_t sorted_packets, sorted_ns;
	uint64_t sorted_evicted; /* rows evicted at the sort: a reused index is another process */
	bool stale;
	uint32_t sel_id; /* the selected process, followed across re-sorts once chosen */
	bool chosen;     /* before the user moves, the top row is selected */
	uint64_t sel, top;
	int64_t now_sec;
	const struct proc_stats *t;
} pv = {.stale = true};

static double total_bps(const struct proc_stat *s)
{
	return proc_stat_bps(s, PS_IN, pv.now_sec) + proc_stat_bps(s, PS_OUT, pv.now_sec);
}

static double sort_value(const struct proc_stat *s)
{
	switch (pv.sort) {
	case BY_BYTES:
		return (double)(s->bytes[0] + s->bytes[1]);
	case BY_PACKETS:
		return (double)(s->packets[0] + s->packets[1]);
	case BY_CONNS:
		return (double)s->conns;
	default:
		return total_bps(s);
	}
}

static int by_value(const void *x, const void *y)
{
	uint32_t ia = *(const uint32_t *)x, ib = *(const uint32_t *)y;
	const struct proc_stat *a = proc_stats_get(pv.t, ia), *b = proc_stats_get(pv.t, ib);
	double va = sort_value(a), vb = sort_value(b);

	if (va != vb)
		return va < vb ? 1 : -1;
	if (va == 0 && pv.sort == BY_RATE) { /* idle processes: by bytes, then first seen */
		va = (double)(a->bytes[0] + a->bytes[1]);
		vb = (double)(b->bytes[0] + b->bytes[1]);
		if (va != vb)
			return va < vb ? 1 : -1;
	}
	if (a->first_ns != b->first_ns) /* row indices are reused: not an order of their own */
		return a->first_ns < b->first_ns ? -1 : 1;
	return ia < ib ? -1 : 1;
}

static void resort(struct model *m, uint64_t now)
{
	const struct proc_stats *t = model_proc_stats(m);
	size_t n = proc_stats_count(t);
	uint64_t evicted = proc_stats_evicted(t, NULL, NULL);

	if (!pv.stale && n == pv.n && evicted == pv.sorted_evicted &&
	    now - pv.sorted_ns < RESORT_NS)
		return;
	if (!pane_order_init(&pv.order, &pv.cap, n))
		return;
	pv.t = t;
	pv.now_sec = model_rate_now(m);
	if (n > 0)
		qsort(pv.order, n, sizeof *pv.order, by_value);
	pv.n = n;
	pv.sorted_packets = proc_stats_packets(t);
	pv.sorted_ns = now;
	pv.sorted_evicted = evicted;
	pv.stale = false;
	pv.sel = pv.chosen ? pv.sel : 0;
	for (size_t r = 0; pv.chosen && r < n; r++)
		if (proc_stats_get(t, pv.order[r])->id == pv.sel_id)
			pv.sel = r;
}

/* "12.3M"-style bits/s, or "-" for the unattributed row (no direction is known). */
static const char *rate_text(double bps, bool none, char *out, size_t n)
{
	static const char units[] = " kMGT";
	int u = 0;

	if (none)
		return "-";
	while (bps >= 1000 && u < 4) {
		bps /= 1000;
		u++;
	}
	snprintf(out, n, u ? "%.1f%c" : "%.0f", bps, units[u]);
	return out;
}

static void spark_text(const struct proc_stat *s, char *out, size_t w)
{
	struct sparkline sp = {.n = SPARKLINE_LEN, .have_last = true};

	proc_stat_history(s, pv.now_sec, sp.rate, SPARKLINE_LEN);
	sparkline_text(&sp, out, w);
}

static void who(const struct model *m, const struct proc_stat *s, char *name, char *user)
{
	const struct proc_info *pi = model_proc_info(m, s->id);

	if (s->id == ATTRIB_NONE) {
		snprintf(name, NAME_W * 4 + 1, "(unattributed)");
		user[0] = '\0';
		return;
	}
	model_proc_label(m, s->id, name, NAME_W * 4 + 1);
	if (!pi)
		user[0] = '\0';
	else
		esc_str(user, USER_W * 4 + 1, (const uint8_t *)pi->user,
		        strnlen(pi->user, sizeof pi->user));
}

static void draw_row(struct model *m, const struct proc_stat *s, int y, struct rect r, enum elem e)
{
	char name[NAME_W * 4 + 1], user[USER_W * 4 + 1], in[16], out[16], pk[32], by[32];
	char cn[32], spark[SPARKLINE_LEN + 1], line[400];
	bool none = s->id == ATTRIB_NONE;

	who(m, s, name, user);
	spark_text(s, spark, SPARKLINE_LEN);
	snprintf(line, sizeof line, "%-*.*s %-*.*s %*s %*s %*s %*s %*s %s", NAME_W, NAME_W, name,
	         USER_W, USER_W, user, NUM_W,
	         rate_text(proc_stat_bps(s, PS_IN, pv.now_sec), none, in, sizeof in), NUM_W,
	         rate_text(proc_stat_bps(s, PS_OUT, pv.now_sec), none, out, sizeof out), NUM_W,
	         pane_count(s->packets[0] + s->packets[1], pk), NUM_W + 3,
	         pane_count(s->bytes[0] + s->bytes[1], by), 6,
	         none ? "-" : pane_count(s->conns, cn), spark);
	term_put_fill(y, r.x, r.w, e, line);
}

static void draw_table(struct app *a, struct rect r, bool focused)
{
	char head[300];
	uint64_t h = r.h > 2 ? (uint64_t)(r.h - 2) : 0;

	snprintf(head, sizeof head, "%-*s %-*s %*s %*s %*s %*s %*s %s", NAME_W, "Process", USER_W,
	         "User", NUM_W, "bits/s in", NUM_W, "bits/s out", NUM_W, "Packets", NUM_W + 3,
	         "Bytes", 6, "Conns", "Rate");
	term_put_fill(r.y + 1, r.x, r.w, E_HEADER, head);
	if (pv.n == 0 || !model_procs_on(a->m)) {
		if (h)
			term_put(r.y + 2, r.x + 2, r.w - 2, E_DIM,
			         model_procs_on(a->m) ? "No TCP or UDP packets yet."
			                              : model_procs_status(a->m));
		return;
	}
	pv.top = pane_scroll(pv.top, pv.sel, pv.n, h);
	for (uint64_t i = 0; i < h && pv.top + i < pv.n; i++) {
		uint64_t row = pv.top + i;
		enum elem e = row == pv.sel ? (focused ? E_SELECTED : E_SELECTED_DIM) : E_NORMAL;
		draw_row(a->m, proc_stats_get(pv.t, pv.order[row]), r.y + 2 + (int)i, r, e);
	}
}

/* Appends to title what the bounds gave up: rows (and the packets no row counts any more) and
 * flows (no packet is lost with a flow: its rows counted them; one seen again counts as a new
 * connection). */
static void evicted_text(const struct proc_stats *t, char *title, size_t n)
{
	char un[32], ev[32], evp[32], fl[32];
	uint64_t ev_pkts, rows = proc_stats_evicted(t, &ev_pkts, NULL);
	uint64_t flows = proc_stats_flows_evicted(t);
	size_t len = strlen(title);

	if (proc_stats_untracked(t))
		len += (size_t)snprintf(title + len, n - len, " | untracked: %s",
		                        pane_count(proc_stats_untracked(t), un));
	if (rows && len < n)
		len += (size_t)snprintf(title + len, n - len, " | evicted: %s (%s pkts in no row)",
		                        pane_count(rows, ev), pane_count(ev_pkts, evp));
	if (flows && len < n)
		snprintf(title + len, n - len, " | flows evicted: %s", pane_count(flows, fl));
}

static void procs_draw(struct app *a, struct rect r, bool focused)
{
	char title[200];
	const struct proc_stats *t = model_proc_stats(a->m);

	resort(a->m, os_monotonic_ns());
	snprintf(title, sizeof title, " Processes | sort: %s (s)", sort_names[pv.sort]);
	evicted_text(t, title, sizeof title - 1);
	strcat(title, " ");
	pane_title(r, focused, title);
	if (r.h >= 3)
		draw_table(a, r, focused);
}

/* The selected row's totals, or NULL (none, or the totals were reset since the sort). */
static const struct proc_stat *selected(void)
{
	return pv.sel < pv.n ? proc_stats_get(pv.t, pv.order[pv.sel]) : NULL;
}

/* Enter: the packet list shows the selected process's packets (a display filter). */
static int apply_filter(struct app *a)
{
	char expr[64];
	const struct proc_stat *s = selected();
	const struct proc_info *pi;

	if (!s)
		return R_REDRAW;
	if (s->id == ATTRIB_NONE) {
		snprintf(expr, sizeof expr, "!process.pid");
	} else if ((pi = model_proc_info(a->m, s->id))) {
		snprintf(expr, sizeof expr, "process.pid == %u", (unsigned)pi->pid);
	} else {
		view_notice(a, "no process to filter on in this row");
		return R_REDRAW;
	}
	return pane_apply_filter(a, expr);
}

static void move_sel(int64_t by)
{
	const struct proc_stat *s;

	pv.sel = pane_moved(pv.sel, by, pv.n);
	if ((s = selected())) {
		pv.sel_id = s->id;
		pv.chosen = true;
	}
}

static int procs_action(struct app *a, enum action act)
{
	int64_t by;

	if (pane_move_by(act, pv.n, 20, &by)) {
		move_sel(by);
		return R_REDRAW;
	}
	switch (act) {
	case A_ENTER:
		return apply_filter(a);
	case A_SORT:
		pv.sort = (enum pr_sort)((pv.sort + 1) % BY_COUNT);
		pv.stale = true;
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

static int procs_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	(void)a;
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
		move_sel(ev->key == TK_WHEEL_UP ? -3 : 3);
	else if (ev->key == TK_CLICK && ev->y >= r.y + 2)
		move_sel((int64_t)(pv.top + (uint64_t)(ev->y - r.y - 2)) - (int64_t)pv.sel);
	return R_REDRAW;
}

static void procs_shutdown(void)
{
	free(pv.order);
	pv.order = NULL;
	pv.n = pv.cap = 0;
}

const struct view_ops view_processes = {
    .name = "processes",
    .ctx = CTX_PROCS,
    .draw = procs_draw,
    .action = procs_action,
    .mouse = procs_mouse,
    .shutdown = procs_shutdown,
};
