/*
 * tcp_streams.c - the conversations pane's TCP streams table: one row per tcp.stream (its
 * number, the endpoints with A the first sender, packets and bytes each way, duration,
 * retransmissions, initial RTT and state: open, half-closed, closed, reset), sortable, from
 * the totals the model keeps as packets enter the store (model_streams.h: the streams that
 * still have packets held, in a capture whose spill file's ring drops the oldest). Enter follows
 * the selected stream. Endpoints come from decoding each shown stream's first packet, cached with
 * their names (Name A/Name B beside the addresses, or in their place under key n when the pane is
 * narrow) until the names table changes.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/tcp_streams.h"
#include "views/follow_view.h"
#include "views/views.h"
#include "decode/names.h"
#include "decode/print.h"
#include "model/model_streams.h"
#include "platform/os.h"
#include "views/pane.h"

#define RESORT_NS  (500ull * 1000 * 1000)
#define EP_SLOTS   256 /* endpoint texts cached, direct-mapped by stream number */
#define ADDR_W     21  /* "255.255.255.255.65535" */
#define NAME_W_MIN 10
#define NAME_W_MAX 40

enum ts_sort { BY_NUMBER, BY_BYTES, BY_PACKETS, BY_RETRANS, BY_RTT, BY_DURATION, BY_COUNT };
static const char *const sort_names[BY_COUNT] = {"stream",  "bytes", "packets",
                                                 "retrans", "iRTT",  "duration"};
static const char *const state_names[] = {"open", "half-closed", "closed", "reset"};

struct ep_cache {
	const struct store *store;
	uint64_t number;
	bool valid;
	bool named;          /* a and b are names (key n, narrow pane) */
	uint64_t generation; /* names_generation() when filled */
	char a[ENDPOINT_MAX], b[ENDPOINT_MAX];
	char na[NAME_W_MAX + 1], nb[NAME_W_MAX + 1]; /* the Name cells */
};

static struct {
	enum ts_sort sort;
	uint64_t *order;             /* positions in sums, in display order */
	struct tcp_stream_sum *sums; /* the streams with packets held, as the model lists them */
	uint64_t n, cap;
	uint64_t sel, top, sel_number;
	uint64_t sorted_ns;
	bool stale;
	struct ep_cache ep[EP_SLOTS];
	struct dissection d;
	uint8_t buf[SOURCE_DEFAULT_SNAPLEN];
} ts = {.stale = true};

static double key_of(const struct tcp_stream_sum *s, uint64_t number)
{
	switch (ts.sort) {
	case BY_BYTES:
		return (double)(s->bytes[0] + s->bytes[1]);
	case BY_PACKETS:
		return (double)(s->packets[0] + s->packets[1]);
	case BY_RETRANS:
		return (double)s->retrans;
	case BY_RTT:
		return (double)s->irtt_ns;
	case BY_DURATION:
		return (double)(s->last_ns - s->first_ns);
	default:
		return -(double)number; /* ascending numbers */
	}
}

static int by_key(const void *x, const void *y)
{
	const struct tcp_stream_sum *a = &ts.sums[*(const uint64_t *)x];
	const struct tcp_stream_sum *b = &ts.sums[*(const uint64_t *)y];
	double ka = key_of(a, a->number), kb = key_of(b, b->number);

	if (ka != kb)
		return ka < kb ? 1 : -1;
	return a->number < b->number ? -1 : 1;
}

static bool grow(uint64_t n)
{
	if (n <= ts.cap)
		return true;
	uint64_t cap = n * 2;
	uint64_t *o = realloc(ts.order, cap * sizeof *o);
	if (!o)
		return false;
	ts.order = o;
	struct tcp_stream_sum *s = realloc(ts.sums, cap * sizeof *s);
	if (!s)
		return false;
	ts.sums = s;
	ts.cap = cap;
	return true;
}

/* Takes the model's totals again and sorts them, at most twice a second. */
static void refresh(struct model *m)
{
	uint64_t now = os_monotonic_ns(), k = 0, count = model_tcp_stream_count(m);

	if (!ts.stale && count == ts.n && now - ts.sorted_ns < RESORT_NS)
		return;
	if (!grow(count))
		return;
	for (uint64_t i = 0; i < count; i++)
		if (model_tcp_stream_at(m, i, &ts.sums[k])) {
			ts.order[k] = k;
			k++;
		}
	ts.n = k;
	if (k)
		qsort(ts.order, k, sizeof *ts.order, by_key);
	ts.sorted_ns = now;
	ts.stale = false;
	ts.sel = 0;
	for (uint64_t r = 0; r < k; r++)
		if (ts.sums[ts.order[r]].number == ts.sel_number)
			ts.sel = r;
}

/* The Name cell of the summary's source or destination address. */
static void name_of(struct model *m, const struct summary *sum, bool source, char *out)
{
	size_t alen = sum->net == P_IPV4 ? 4 : sum->net == P_IPV6 ? 16 : 0;

	out[0] = '\0';
	if (alen && sum->has_addrs)
		names_cell(m->names, source ? sum->src : sum->dst, alen, out, NAME_W_MAX);
}

static const struct ep_cache *endpoints(struct model *m, uint64_t k, bool swap)
{
	uint64_t number = ts.sums[k].number;
	struct ep_cache *e = &ts.ep[number % EP_SLOTS];
	uint64_t gen = names_generation(m->names);

	if (e->valid && e->store == m->store && e->number == number && e->named == swap &&
	    e->generation == gen)
		return e;
	*e = (struct ep_cache){m->store, number, true, swap, gen, "?", "?", "", ""};
	if (!model_decode(m, ts.sums[k].first_index, &ts.d, ts.buf))
		return e;
	if (swap) { /* key n */
		names_endpoint(m->names, &ts.d.sum, true, e->a);
		names_endpoint(m->names, &ts.d.sum, false, e->b);
	} else {
		summary_endpoint(&ts.d.sum, true, e->a);
		summary_endpoint(&ts.d.sum, false, e->b);
	}
	name_of(m, &ts.d.sum, true, e->na);
	name_of(m, &ts.d.sum, false, e->nb);
	return e;
}

static void ms_text(int64_t ns, char *out, size_t n)
{
	if (ns <= 0)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.3f", (double)ns / 1e6);
}

/* Column widths: endpoints (aw), names (nw, 0 when the pane has no room for them). */
struct ts_cols {
	int aw, nw;
};

static struct ts_cols ts_widths(int w)
{
	int fixed = 7 + 8 + 10 + 8 + 10 + 9 + 7 + 8 + 11 + 10, side = (w - fixed) / 2;
	struct ts_cols c = {ADDR_W, side - ADDR_W - 1};

	if (c.nw < NAME_W_MIN) {
		c.nw = 0;
		c.aw = side < 8 ? 8 : side > ENDPOINT_MAX - 1 ? ENDPOINT_MAX - 1 : side;
	} else if (c.nw > NAME_W_MAX) {
		c.aw += c.nw - NAME_W_MAX; /* room for IPv6 endpoints */
		c.aw = c.aw > ENDPOINT_MAX - 1 ? ENDPOINT_MAX - 1 : c.aw;
		c.nw = NAME_W_MAX;
	}
	return c;
}

static void draw_row(struct model *m, uint64_t k, int y, struct rect r, const struct ts_cols *w,
                     enum elem e)
{
	const struct tcp_stream_sum *s = &ts.sums[k];
	const struct ep_cache *ep = endpoints(m, k, w->nw == 0 && m->show_names);
	char line[640], p0[32], p1[32], b0[32], b1[32], rt[32], rtt[32], num[32];
	int aw = w->aw, nw = w->nw;

	ms_text(s->irtt_ns, rtt, sizeof rtt);
	snprintf(line, sizeof line,
	         "%7s %-*.*s %-*.*s%s%-*.*s %-*.*s%s%8s %10s %8s %10s %9.3f %7s %8s %s",
	         pane_count(s->number, num), aw, aw, ep->a, nw, nw, ep->na, nw ? " " : "", aw, aw,
	         ep->b, nw, nw, ep->nb, nw ? " " : "", pane_count(s->packets[0], p0),
	         pane_count(s->bytes[0], b0), pane_count(s->packets[1], p1),
	         pane_count(s->bytes[1], b1), (double)(s->last_ns - s->first_ns) / 1e9,
	         pane_count(s->retrans, rt), rtt, state_names[s->state]);
	term_put_fill(y, r.x, r.w, e, line);
}

void tcp_streams_draw(struct app *a, struct rect r, bool focused)
{
	struct ts_cols w = ts_widths(r.w);
	bool swap = w.nw == 0 && a->m->show_names;
	char head[640];
	uint64_t h = r.h > 2 ? (uint64_t)(r.h - 2) : 0;

	refresh(a->m);
	snprintf(head, sizeof head, "%7s %-*s %-*s%s%-*s %-*s%s%8s %10s %8s %10s %9s %7s %8s %s",
	         "Stream", w.aw, swap ? "Name A" : "Address A", w.nw, w.nw ? "Name A" : "",
	         w.nw ? " " : "", w.aw, swap ? "Name B" : "Address B", w.nw, w.nw ? "Name B" : "",
	         w.nw ? " " : "", "Pkts A>B", "Bytes A>B", "Pkts B>A", "Bytes B>A", "Duration",
	         "Retrans", "iRTT ms", "State");
	term_put_fill(r.y + 1, r.x, r.w, E_HEADER, head);
	if (ts.n == 0) {
		if (h)
			term_put(r.y + 2, r.x + 2, r.w - 2, E_DIM, "No TCP streams.");
		return;
	}
	ts.top = pane_scroll(ts.top, ts.sel, ts.n, h);
	for (uint64_t i = 0; i < h && ts.top + i < ts.n; i++) {
		uint64_t row = ts.top + i, k = ts.order[row];
		enum elem e = row == ts.sel        ? (focused ? E_SELECTED : E_SELECTED_DIM)
		              : ts.sums[k].retrans ? E_BAD_TCP
		                                   : E_NORMAL;
		draw_row(a->m, k, r.y + 2 + (int)i, r, &w, e);
	}
}

const char *tcp_streams_sort_name(void)
{
	return sort_names[ts.sort];
}

static void move_sel(int64_t by)
{
	ts.sel = pane_moved(ts.sel, by, ts.n);
	if (ts.sel < ts.n)
		ts.sel_number = ts.sums[ts.order[ts.sel]].number;
}

/* Enter: the follow view of the selected stream. */
static int follow_selected(struct app *a)
{
	if (ts.sel >= ts.n)
		return R_REDRAW;
	return follow_view_open(a, P_TCP, ts.sums[ts.order[ts.sel]].number);
}

int tcp_streams_action(struct app *a, enum action act)
{
	int64_t by;

	if (pane_move_by(act, ts.n, 20, &by)) {
		move_sel(by);
		return R_REDRAW;
	}
	switch (act) {
	case A_ENTER:
		return follow_selected(a);
	case A_SORT:
		ts.sort = (enum ts_sort)((ts.sort + 1) % BY_COUNT);
		ts.stale = true;
		break;
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

void tcp_streams_click(uint64_t row_on_screen)
{
	move_sel((int64_t)(ts.top + row_on_screen) - (int64_t)ts.sel);
}

void tcp_streams_scroll(int by)
{
	move_sel(by);
}
