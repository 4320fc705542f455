/*
 * conversations.c - the conversations pane: per address pair or per 5-tuple, packets, bytes,
 * the rate over the last whole second and first/last seen (relative to the first packet),
 * sortable by packets, bytes or rate; and a protocol breakdown. Fed by model.c as packets
 * enter the store (decode/conv.h), so it covers every packet held, whatever the display
 * filter. Enter applies the selected conversation (or protocol) as the display filter.
 * Name A/Name B beside the addresses hold the names learned from the capture (and --resolve's
 * reverse lookups), escaped and cut with '~'; a pane too narrow for them shows names in the
 * address columns under key n instead.
 * A fourth view, the TCP streams table, is tcp_streams.c's.
 * The order is recomputed at most twice a second, and the selection follows its entry.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "base/escape.h"
#include "decode/names.h"
#include "platform/os.h"
#include "views/pane.h"
#include "views/tcp_streams.h"

#define RESORT_NS  (500ull * 1000 * 1000)
#define NUM_W      9 /* the packets, bytes and rate columns */
#define TIME_W     9
#define ADDR_W     21 /* "255.255.255.255:65535" */
#define NAME_W_MIN 10 /* narrower, names take the address columns' place under key n */
#define NAME_W_MAX 40

enum cv_view { CV_PAIRS, CV_FLOWS, CV_PROTOS, CV_STREAMS, CV_COUNT };
enum cv_sort { SORT_PACKETS, SORT_BYTES, SORT_RATE, SORT_COUNT };

static const char *const view_names[CV_COUNT] = {"address pairs", "5-tuples", "protocols",
                                                 "TCP streams"};
static const char *const sort_names[SORT_COUNT] = {"packets", "bytes", "rate"};
static const char *const proto_filters[CP_COUNT] = {
    [CP_IPV4] = "ip",
    [CP_IPV4_TCP] = "ip and tcp",
    [CP_IPV4_UDP] = "ip and udp",
    [CP_IPV4_ICMP] = "icmp",
    [CP_IPV6] = "ip6",
    [CP_IPV6_TCP] = "ip6 and tcp",
    [CP_IPV6_UDP] = "ip6 and udp",
    [CP_IPV6_ICMP6] = "icmp6",
    [CP_ARP] = "arp",
};

static struct {
	enum cv_view view;
	enum cv_sort sort;
	uint32_t *order; /* entry indices in display order */
	size_t n, cap;
	uint64_t sorted_frames, sorted_ns;
	bool stale;          /* view or sort key changed */
	uint64_t sel_serial; /* the selected conversation (an index is reused once evicted) */
	uint64_t sel, top;
	int64_t now_sec;
	const struct conv_table *t;
} table = {.stale = true};

static enum conv_kind kind(void)
{
	return table.view == CV_FLOWS ? CONV_FLOW : CONV_PAIR;
}

static double sort_value(const struct conv *c)
{
	switch (table.sort) {
	case SORT_BYTES:
		return (double)c->bytes;
	case SORT_RATE:
		return conv_rate_bps(c, table.now_sec);
	default:
		return (double)c->packets;
	}
}

static int by_value(const void *x, const void *y)
{
	const struct conv *a = conv_get(table.t, kind(), *(const uint32_t *)x);
	const struct conv *b = conv_get(table.t, kind(), *(const uint32_t *)y);
	double va = sort_value(a), vb = sort_value(b);

	if (va != vb)
		return va < vb ? 1 : -1;
	return a->serial < b->serial ? -1 : 1; /* stable: first seen first */
}

static void resort(struct model *m, uint64_t now)
{
	size_t n = conv_count(m->conv, kind());

	/* Re-ordering known rows is rate-limited; new conversations (e.g. while the tables catch
	 * up from the store) show at once. */
	if (!table.stale && n == table.n &&
	    (conv_frames(m->conv) == table.sorted_frames || now - table.sorted_ns < RESORT_NS))
		return;
	if (!pane_order_init(&table.order, &table.cap, n))
		return;
	table.t = m->conv;
	table.now_sec = model_rate_now(m);
	if (n > 0) /* qsort may not be given a NULL array, even for no elements */
		qsort(table.order, n, sizeof *table.order, by_value);
	table.n = n;
	table.sorted_frames = conv_frames(m->conv);
	table.sorted_ns = now;
	table.stale = false;
	for (size_t r = 0; r < n; r++)
		if (conv_get(m->conv, kind(), table.order[r])->serial == table.sel_serial)
			table.sel = r;
}

static uint64_t rows(void)
{
	return table.view == CV_PROTOS ? CP_COUNT : table.n;
}

static void rel_time(const struct model *m, int64_t ns, char *out, size_t n)
{
	int64_t base = m->store && store_count(m->store) ? store_first_ts(m->store) : ns;

	snprintf(out, n, "%.3f", (double)(ns - base) / 1e9);
}

/* "udp", "tcp", "icmp", or the protocol number: the 5-tuples' Proto column. */
static const char *proto_text(const struct conv *c, char *out, size_t n)
{
	static const struct {
		uint8_t p;
		const char *name;
	} names[] = {{6, "tcp"}, {17, "udp"}, {1, "icmp"}, {58, "icmp6"}};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].p == c->key.proto)
			return names[i].name;
	snprintf(out, n, "%u", (unsigned)c->key.proto);
	return out;
}

/* An endpoint, its address replaced by the name learned from the capture under key n when
 * the pane is too narrow for the Name columns. */
static void named_endpoint(struct model *m, const struct conv *c, bool a_side, bool swap, char *out)
{
	bool a = a_side != c->b_first;
	char name[50];

	conv_endpoint(c, kind(), a_side, out);
	if (!swap || !names_cell(m->names, a ? c->key.a : c->key.b, c->key.family == 6 ? 16 : 4,
	                         name, sizeof name - 1))
		return;
	if (kind() == CONV_PAIR || !(c->key.proto == 6 || c->key.proto == 17))
		snprintf(out, CONV_ENDPOINT_MAX, "%s", name);
	else
		snprintf(out, CONV_ENDPOINT_MAX, "%s:%u", name,
		         (unsigned)(a ? c->key.pa : c->key.pb));
}

/* Column widths: addresses (aw), names (nw, 0 when the pane has no room for them). */
struct conv_cols {
	int aw, nw;
	bool times;
};

/* The Name cell of one side: the escaped name learned for its address, cut to nw. */
static void name_cell(struct model *m, const struct conv *c, bool a_side, int nw, char *out)
{
	bool a = a_side != c->b_first;

	names_cell(m->names, a ? c->key.a : c->key.b, c->key.family == 6 ? 16 : 4, out, (size_t)nw);
}

static void conv_row(struct model *m, const struct conv *c, int y, int x, const struct conv_cols *w,
                     enum elem e)
{
	char a[CONV_ENDPOINT_MAX], b[CONV_ENDPOINT_MAX], pk[32], by[32], rate[32], line[600];
	char first[24] = "", last[24] = "", pn[8], na[NAME_W_MAX + 1] = "", nb[NAME_W_MAX + 1] = "";
	int nw = w->nw;

	if (table.view == CV_FLOWS) {
		x += snprintf(line, sizeof line, "%-5s ", proto_text(c, pn, sizeof pn));
		term_put_fill(y, x - 6, 6, e, line);
	}
	named_endpoint(m, c, true, nw == 0 && m->show_names, a);
	named_endpoint(m, c, false, nw == 0 && m->show_names, b);
	if (nw) {
		name_cell(m, c, true, nw, na);
		name_cell(m, c, false, nw, nb);
	}
	snprintf(rate, sizeof rate, "%.0f", conv_rate_bps(c, table.now_sec));
	if (w->times) {
		rel_time(m, c->first_ns, first, sizeof first);
		rel_time(m, c->last_ns, last, sizeof last);
	}
	snprintf(line, sizeof line, "%-*.*s %-*.*s%s%-*.*s %-*.*s%s%*s %*s %*s %*s %*s", w->aw,
	         w->aw, a, nw, nw, na, nw ? " " : "", w->aw, w->aw, b, nw, nw, nb, nw ? " " : "",
	         NUM_W, pane_count(c->packets, pk), NUM_W + 2, pane_count(c->bytes, by), NUM_W,
	         rate, w->times ? TIME_W : 0, first, w->times ? TIME_W : 0, last);
	term_put_fill(y, x, (int)strlen(line) + 1, e, line);
}

/* Addresses get what they need (ADDR_W, more for IPv6 when there is room), names the rest
 * up to NAME_W_MAX; a pane narrower than two addresses and two NAME_W_MIN names has no Name
 * columns, and key n shows names in place of the addresses there. */
static struct conv_cols conv_widths(int w)
{
	struct conv_cols c;
	int pw = table.view == CV_FLOWS ? 6 : 0, fixed, side;

	c.times = w >= 2 * 21 + 3 * NUM_W + 2 * TIME_W + 9;
	fixed = 3 * NUM_W + 2 + 5 + pw + (c.times ? 2 * TIME_W + 2 : 0);
	side = (w - 2 - fixed) / 2;
	c.aw = kind() == CONV_PAIR ? ADDR_W - 6 : ADDR_W;
	c.nw = side - c.aw - 1;
	if (c.nw < NAME_W_MIN) {
		c.nw = 0;
		c.aw = side > CONV_ENDPOINT_MAX - 1 ? CONV_ENDPOINT_MAX - 1 : side;
	} else if (c.nw > NAME_W_MAX) {
		c.aw += c.nw - NAME_W_MAX; /* room for IPv6 addresses */
		c.aw = c.aw > CONV_ENDPOINT_MAX - 1 ? CONV_ENDPOINT_MAX - 1 : c.aw;
		c.nw = NAME_W_MAX;
	}
	return c;
}

static void draw_convs(struct app *a, struct rect r, bool focused)
{
	struct conv_cols w = conv_widths(r.w);
	bool swap = w.nw == 0 && a->m->show_names;
	char head[600];
	uint64_t h = (uint64_t)(r.h - 2);

	snprintf(head, sizeof head, "%s%-*s %-*s%s%-*s %-*s%s%*s %*s %*s %*s %*s",
	         table.view == CV_FLOWS ? "Proto " : "", w.aw, swap ? "Name A" : "Address A", w.nw,
	         w.nw ? "Name A" : "", w.nw ? " " : "", w.aw, swap ? "Name B" : "Address B", w.nw,
	         w.nw ? "Name B" : "", w.nw ? " " : "", NUM_W, "Packets", NUM_W + 2, "Bytes", NUM_W,
	         "bits/s", w.times ? TIME_W : 0, w.times ? "First" : "", w.times ? TIME_W : 0,
	         w.times ? "Last" : "");
	term_put_fill(r.y + 1, r.x, r.w, E_HEADER, head);
	table.top = pane_scroll(table.top, table.sel, table.n, h);
	for (uint64_t i = 0; i < h && table.top + i < table.n; i++) {
		uint64_t row = table.top + i;
		const struct conv *c = conv_get(a->m->conv, kind(), table.order[row]);
		enum elem e = row == table.sel ? (focused ? E_SELECTED : E_SELECTED_DIM) : E_NORMAL;
		conv_row(a->m, c, r.y + 2 + (int)i, r.x, &w, e);
	}
}

static void draw_protos(struct app *a, struct rect r, bool focused)
{
	const struct conv_count *p = conv_protos(a->m->conv);
	double all_p = p[CP_ALL].packets ? (double)p[CP_ALL].packets : 1;
	double all_b = p[CP_ALL].bytes ? (double)p[CP_ALL].bytes : 1;
	char line[200], name[40], pk[32], by[32];

	snprintf(line, sizeof line, "%-20s %12s %7s %14s %7s", "Protocol", "Packets", "%", "Bytes",
	         "%");
	term_put_fill(r.y + 1, r.x, r.w, E_HEADER, line);
	table.top = pane_scroll(table.top, table.sel, CP_COUNT, (uint64_t)(r.h - 2));
	for (int i = 0; i + 2 < r.h && table.top + (uint64_t)i < CP_COUNT; i++) {
		enum conv_proto cp = (enum conv_proto)(table.top + (uint64_t)i);
		enum elem e =
		    (uint64_t)cp == table.sel ? (focused ? E_SELECTED : E_SELECTED_DIM) : E_NORMAL;
		snprintf(name, sizeof name, "%*s%s", 2 * conv_proto_depth(cp), "",
		         conv_proto_name(cp));
		snprintf(line, sizeof line, "%-20s %12s %6.1f%% %14s %6.1f%%", name,
		         pane_count(p[cp].packets, pk), 100.0 * (double)p[cp].packets / all_p,
		         pane_count(p[cp].bytes, by), 100.0 * (double)p[cp].bytes / all_b);
		term_put_fill(r.y + 2 + i, r.x, (int)strlen(line) + 1, e, line);
	}
}

static void conv_draw(struct app *a, struct rect r, bool focused)
{
	model_conv_enable(a->m); /* counting starts the first time the view shows */
	char title[200], un[32], ev[32], evp[32];
	uint64_t untracked = conv_untracked(a->m->conv), ev_pkts = 0;
	uint64_t evicted = table.view == CV_PAIRS || table.view == CV_FLOWS
	                       ? conv_evicted(a->m->conv, kind(), &ev_pkts)
	                       : 0;

	resort(a->m, os_monotonic_ns());
	snprintf(title, sizeof title, " Conversations: %s (v)%s%s%s ", view_names[table.view],
	         table.view == CV_PROTOS ? "" : " | sort: ",
	         table.view == CV_PROTOS    ? ""
	         : table.view == CV_STREAMS ? tcp_streams_sort_name()
	                                    : sort_names[table.sort],
	         untracked ? " | untracked: " : "");
	if (untracked)
		strncat(title, pane_count(untracked, un), sizeof title - strlen(title) - 1);
	if (evicted) /* the idle conversations the bound took out, and the packets they had */
		snprintf(title + strlen(title), sizeof title - strlen(title),
		         " | evicted: %s (%s pkts not counted)", pane_count(evicted, ev),
		         pane_count(ev_pkts, evp));
	pane_title(r, focused, title);
	if (r.h < 3)
		return;
	if (table.view == CV_STREAMS)
		tcp_streams_draw(a, r, focused);
	else if (table.view == CV_PROTOS)
		draw_protos(a, r, focused);
	else
		draw_convs(a, r, focused);
}

static int apply_filter(struct app *a)
{
	char expr[300];

	if (table.view == CV_PROTOS) {
		const char *f = proto_filters[table.sel < CP_COUNT ? table.sel : 0];
		if (!f)
			return R_REDRAW;
		snprintf(expr, sizeof expr, "%s", f);
	} else if (table.sel < table.n) {
		conv_filter(conv_get(a->m->conv, kind(), table.order[table.sel]), kind(), expr,
		            sizeof expr);
	} else {
		return R_REDRAW;
	}
	return pane_apply_filter(a, expr);
}

static void move_sel(int64_t by)
{
	const struct conv *c;

	table.sel = pane_moved(table.sel, by, rows());
	c = table.view != CV_PROTOS && table.sel < table.n
	        ? conv_get(table.t, kind(), table.order[table.sel])
	        : NULL;
	if (c)
		table.sel_serial = c->serial;
}

static int conv_action(struct app *a, enum action act)
{
	int rc;
	int64_t by;

	if (table.view == CV_STREAMS && (rc = tcp_streams_action(a, act)) != R_UNHANDLED)
		return rc;
	if (pane_move_by(act, rows(), 20, &by)) {
		move_sel(by);
		return R_REDRAW;
	}
	switch (act) {
	case A_ENTER:
		return apply_filter(a);
	case A_SORT:
		table.sort = (enum cv_sort)((table.sort + 1) % SORT_COUNT);
		table.stale = true;
		break;
	case A_CONV_VIEW:
		table.view = (enum cv_view)((table.view + 1) % CV_COUNT);
		table.stale = true;
		table.sel = table.top = 0;
		break;
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

static int conv_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	(void)a;
	if (table.view == CV_STREAMS) {
		if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
			tcp_streams_scroll(ev->key == TK_WHEEL_UP ? -3 : 3);
		else if (ev->key == TK_CLICK && ev->y >= r.y + 2)
			tcp_streams_click((uint64_t)(ev->y - r.y - 2));
		return R_REDRAW;
	}
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
		move_sel(ev->key == TK_WHEEL_UP ? -3 : 3);
	else if (ev->key == TK_CLICK && ev->y >= r.y + 2)
		move_sel((int64_t)(table.top + (uint64_t)(ev->y - r.y - 2)) - (int64_t)table.sel);
	return R_REDRAW;
}

const struct view_ops view_conversations = {
    .name = "conversations",
    .ctx = CTX_CONV,
    .draw = conv_draw,
    .action = conv_action,
    .mouse = conv_mouse,
};
