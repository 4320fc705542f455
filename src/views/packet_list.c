/*
 * packet_list.c - the packet list pane: one line per displayed packet (No., Time, Interface
 * with several sources, Source, Destination, Protocol, Length, Process when shown, Info),
 * coloured by protocol (and red on black
 * for TCP analysis problems, as Wireshark's "Bad TCP" rule), following the newest packet.
 *
 * Only the rows on screen are decoded, into the view's own scratch dissection; their
 * summaries are cached by store index so scrolling one line decodes one packet. Row
 * arithmetic is uint64_t: millions of rows cost nothing beyond the screen.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "decode/names.h"
#include "decode/print.h"
#include "decode/timefmt.h"
#include "model/model_procs.h"
#include "model/model_streams.h"
#include "views/pane.h"

#define CACHE_SLOTS 1024 /* direct-mapped by store index; more than any screen shows */
#define MAX_ROWS    512  /* rows formatted per frame (taller screens show blank space) */
#define INFO_MIN    6    /* the Info column keeps this much before addresses are cut */
#define NARROW_LEN  72   /* below this width the Length column is hidden */
#define NARROW_TIME 60   /* and below this one the Time column */
#define PROC_W      24   /* the Process column's widest (name[pid], escaped) */
#define IFACE_W     24   /* the Interface column's widest (the adapter's escaped name) */
#define NCOLS       8    /* the columns before Info */

struct cached {
	const struct store *store; /* with pos and ts_ns: the slot's packet, or a stale one */
	uint64_t index, pos;
	int64_t ts_ns;
	struct summary sum;
	bool valid;
	bool marked; /* decoded after the stream pass had reached it (its Info notes are in) */
};

struct row {
	uint64_t index;
	char no[24], time[40], src[ENDPOINT_MAX], dst[ENDPOINT_MAX], len[16];
	char proc[PROC_NAME_MAX * 4 + 16]; /* "name[pid]", escaped; "" when none */
	const char *iface;                 /* the source's escaped name (several sources) */
	const struct summary *sum;
	bool marked;
	bool bad; /* TCP analysis flags worth a look (model_stream_bad) */
};

struct widths {
	int no, time, iface, src, dst, proto, len, proc; /* 0: the column is off */
};

static struct {
	uint64_t top; /* first displayed row on screen */
	struct dissection diss;
	uint8_t buf[SOURCE_DEFAULT_SNAPLEN];
	struct cached cache[CACHE_SLOTS];
	struct row rows[MAX_ROWS];
	struct timefmt tf;
} list_view;

static const struct summary *row_summary(struct model *m, uint64_t index)
{
	const struct store_pkt *p = store_get(m->store, index);
	struct cached *c = &list_view.cache[index % CACHE_SLOTS];

	if (c->valid && c->store == m->store && c->index == index && c->pos == p->pos &&
	    c->ts_ns == p->ts_ns && (c->marked || !model_stream_marked(m, index)))
		return &c->sum;
	model_decode(m, index, &list_view.diss, list_view.buf);
	*c = (struct cached){m->store,
	                     index,
	                     p->pos,
	                     p->ts_ns,
	                     list_view.diss.sum,
	                     true,
	                     model_stream_marked(m, index)};
	return &c->sum;
}

/* Seconds with 6 decimals, signed (captures are not always in time order). */
static void secs_text(char *out, size_t n, int64_t ns)
{
	uint64_t v = ns < 0 ? (uint64_t)0 - (uint64_t)ns : (uint64_t)ns;

	v /= 1000;
	snprintf(out, n, "%s%llu.%06llu", ns < 0 ? "-" : "", (unsigned long long)(v / 1000000),
	         (unsigned long long)(v % 1000000));
}

static void time_text(struct model *m, uint64_t row, const struct store_pkt *p, char *out, size_t n)
{
	int64_t base;

	switch (m->time_col) {
	case TC_ABSOLUTE: {
		int64_t sec = p->ts_ns / 1000000000, ns = p->ts_ns % 1000000000;
		if (ns < 0) {
			sec--;
			ns += 1000000000;
		}
		timefmt_write(&list_view.tf, out, sec, (uint32_t)ns);
		return;
	}
	case TC_DELTA:
		base = row ? store_get(m->store, model_row_index(m, row - 1))->ts_ns : p->ts_ns;
		break;
	default:
		base = store_first_ts(m->store);
		break;
	}
	secs_text(out, n, p->ts_ns - base);
}

static void format_row(struct model *m, uint64_t row, struct row *r)
{
	const struct store_pkt *p;

	r->index = model_row_index(m, row);
	p = store_get(m->store, r->index);
	r->sum = row_summary(m, r->index);
	r->marked = store_marked(m->store, r->index);
	r->bad = model_stream_bad(m, r->index);
	snprintf(r->no, sizeof r->no, "%llu", (unsigned long long)r->index + 1);
	time_text(m, row, p, r->time, sizeof r->time);
	if (m->show_names) { /* key n */
		names_endpoint(m->names, r->sum, true, r->src);
		names_endpoint(m->names, r->sum, false, r->dst);
	} else {
		summary_endpoint(r->sum, true, r->src);
		summary_endpoint(r->sum, false, r->dst);
	}
	snprintf(r->len, sizeof r->len, "%u", p->len);
	r->iface = model_packet_interface(m, r->index, NULL);
	r->proc[0] = '\0';
	if (model_proc_column(m)) {
		bool out;
		model_proc_label(m, model_packet_proc(m, r->index, &out), r->proc, sizeof r->proc);
	}
}

static int max_int(int a, int b)
{
	return a > b ? a : b;
}

/* The widest Source or Destination may be, with the other columns as they are. */
static int address_cap(const struct widths *c, int w)
{
	int rest =
	    w - (2 + c->no + 1 + (c->time ? c->time + 1 : 0) + (c->iface ? c->iface + 1 : 0) + 2 +
	         c->proto + 1 + (c->len ? c->len + 1 : 0) + (c->proc ? c->proc + 1 : 0));

	return max_int(6, (rest - INFO_MIN) / 2);
}

/* Column widths from the rows on screen. Narrow screens drop Length, then Time; a tight
 * one shortens the Protocol and Length headers; the addresses are cut last, keeping a
 * little of Info. A width of 0 hides a column. */
static struct widths measure(struct model *m, int nrows, int w)
{
	char total[24];
	uint64_t count = m->store ? store_count(m->store) : 0;
	struct widths c = {
	    .no = max_int(3, snprintf(total, sizeof total, "%llu", (unsigned long long)count)),
	    .time = w < NARROW_TIME ? 0 : 4,
	    .src = 6,
	    .dst = 11,
	    .proto = w < NARROW_LEN ? 5 : 8,
	    .len = w < NARROW_LEN ? 0 : 6,
	    .proc = model_proc_column(m) ? 7 : 0,
	    .iface = m->nsrc > 1 ? 9 : 0, /* "Interface" */
	};
	int cap, proto_w = 0, len_w = 0;

	for (int i = 0; i < nrows; i++) {
		const struct row *r = &list_view.rows[i];
		if (c.time)
			c.time = max_int(c.time, (int)strlen(r->time));
		len_w = max_int(len_w, (int)strlen(r->len));
		c.src = max_int(c.src, (int)strlen(r->src));
		c.dst = max_int(c.dst, (int)strlen(r->dst));
		proto_w = max_int(proto_w, (int)strlen(proto_name((enum proto)r->sum->proto)));
		if (c.proc)
			c.proc = max_int(c.proc, (int)strlen(r->proc));
		if (c.iface)
			c.iface = max_int(c.iface, (int)strlen(r->iface));
	}
	c.proc = c.proc > PROC_W ? PROC_W : c.proc;
	c.iface = c.iface > IFACE_W ? IFACE_W : c.iface;
	c.proto = max_int(c.proto, proto_w);
	c.len = c.len ? max_int(c.len, len_w) : 0;
	cap = address_cap(&c, w);
	if (c.src > cap || c.dst > cap) {
		c.proto = max_int(5, proto_w);
		c.len = c.len ? max_int(3, len_w) : 0;
		cap = address_cap(&c, w);
	}
	c.src = c.src < cap ? c.src : cap;
	c.dst = c.dst < cap ? c.dst : cap;
	return c;
}

static enum elem proto_elem(unsigned proto)
{
	switch (proto) {
	case P_TCP:
		return E_PROTO_TCP;
	case P_UDP:
		return E_PROTO_UDP;
	case P_DNS:
		return E_PROTO_DNS;
	case P_ICMP:
	case P_ICMPV6:
		return E_PROTO_ICMP;
	case P_ARP:
		return E_PROTO_ARP;
	default:
		return E_PROTO_OTHER;
	}
}

/* Puts the cells of one line; right-aligned columns pad on the left. `cells` in column
 * order: No., Time, Interface, Source, Destination, Protocol, Length, Process, Info. */
static void put_cells(int y, struct rect r, const struct widths *c, enum elem e,
                      const char *const cells[NCOLS + 1])
{
	const int wid[NCOLS] = {c->no,  c->time,  c->iface, c->src,
	                        c->dst, c->proto, c->len,   c->proc};
	const bool right[NCOLS] = {true, true, false, false, false, false, true, false};
	int x = r.x + 2, end = r.x + r.w;

	for (int i = 0; i < NCOLS && x < end; i++) {
		if (wid[i] == 0)
			continue;
		int pad = right[i] ? max_int(0, wid[i] - (int)strlen(cells[i])) : 0;
		int cw = wid[i] - pad < end - x - pad ? wid[i] - pad : end - x - pad;
		term_put(y, x + pad, cw, e, cells[i]);
		x += wid[i] + 1;
	}
	if (x < end)
		term_put(y, x, end - x, e, cells[NCOLS]);
}

static void draw_row(int y, struct rect r, const struct widths *c, const struct row *row,
                     bool selected, bool focused)
{
	enum elem e = selected   ? (focused ? E_SELECTED : E_SELECTED_DIM)
	              : row->bad ? E_BAD_TCP
	                         : proto_elem(row->sum->proto);
	const char *cells[NCOLS + 1] = {
	    row->no,  row->time, row->iface,
	    row->src, row->dst,  proto_name((enum proto)row->sum->proto),
	    row->len, row->proc, row->sum->info};

	term_fill(y, r.x, r.w, e);
	if (row->marked)
		term_put(y, r.x, 1, selected ? e : E_MARKED, "*");
	put_cells(y, r, c, e, cells);
}

static void draw_title(struct app *a, struct rect r, bool focused)
{
	struct model *m = a->m;
	char title[200], shown[32], total[32], from[64] = "", first[32];

	if (m->store && store_first(m->store) > 0) /* the spill file's ring dropped the oldest */
		snprintf(from, sizeof from, " - kept from No. %s",
		         pane_count(store_first(m->store) + 1, first));
	snprintf(title, sizeof title, " Packets %s shown of %s%s%s%s ",
	         pane_count(m->rows.n, shown),
	         pane_count(m->store ? store_count(m->store) : 0, total), from,
	         m->paused ? " - paused" : "",
	         m->follow && m->state == CS_RUNNING ? " - following" : "");
	pane_title(r, focused, title);
}

static const char *empty_text(const struct model *m)
{
	if (!m->store)
		return "No capture open: o opens a file, a chooses an adapter.";
	if (m->refiltering)
		return "Filtering...";
	if (store_count(m->store) > 0)
		return "No packet matches the filter.";
	return m->state == CS_RUNNING ? "Waiting for packets..." : "No packets.";
}

static void list_draw(struct app *a, struct rect r, bool focused)
{
	static const char *const head[NCOLS + 1] = {"No.",    "Time",        "Interface",
	                                            "Source", "Destination", "Protocol",
	                                            "Length", "Process",     "Info"};
	struct model *m = a->m;
	int body = r.h - 2, nrows = 0;
	struct widths c;

	draw_title(a, r, focused);
	if (r.h < 2)
		return;
	if (m->rows.n == 0) {
		if (body > 0)
			term_put(r.y + 2, r.x + 2, r.w - 2, E_DIM, empty_text(m));
		c = measure(m, 0, r.w);
		term_fill(r.y + 1, r.x, r.w, E_HEADER);
		put_cells(r.y + 1, r, &c, E_HEADER, head);
		return;
	}
	if (m->follow)
		model_select(m, m->rows.n - 1);
	if (body > MAX_ROWS)
		body = MAX_ROWS;
	list_view.top =
	    pane_scroll(list_view.top, m->selected, m->rows.n, body > 0 ? (uint64_t)body : 1);
	timefmt_init(&list_view.tf, TM_LOCAL, 6);
	for (; nrows < body && list_view.top + (uint64_t)nrows < m->rows.n; nrows++)
		format_row(m, list_view.top + (uint64_t)nrows, &list_view.rows[nrows]);
	c = measure(m, nrows, r.w);
	term_fill(r.y + 1, r.x, r.w, E_HEADER);
	put_cells(r.y + 1, r, &c, E_HEADER, head);
	for (int i = 0; i < nrows; i++)
		draw_row(r.y + 2 + i, r, &c, &list_view.rows[i],
		         list_view.top + (uint64_t)i == m->selected, focused);
}

static uint64_t page(const struct app *a)
{
	int h = a->pane_rect[PANE_LIST].h - 2;

	return h > 1 ? (uint64_t)h : 1;
}

/* Moves the selection by delta rows (clamped); moving up stops following. */
static void move(struct model *m, int64_t delta)
{
	uint64_t sel = m->selected, last = m->rows.n - 1;

	if (delta < 0) {
		uint64_t d = (uint64_t)0 - (uint64_t)delta;
		m->follow = false;
		sel = sel > d ? sel - d : 0;
	} else {
		sel = last - sel > (uint64_t)delta ? sel + (uint64_t)delta : last;
	}
	model_select(m, sel);
}

static int focus_decode(struct app *a)
{
	a->hidden[PANE_DECODE] = false;
	a->focus = PANE_DECODE;
	return R_RELAYOUT;
}

static int list_action(struct app *a, enum action act)
{
	struct model *m = a->m;

	if (m->rows.n == 0)
		return R_UNHANDLED;
	switch (act) {
	case A_UP:
		move(m, -1);
		break;
	case A_DOWN:
		move(m, 1);
		break;
	case A_PGUP:
		move(m, -(int64_t)page(a));
		break;
	case A_PGDN:
		move(m, (int64_t)page(a));
		break;
	case A_HOME:
		m->follow = false;
		model_select(m, 0);
		break;
	case A_END:
	case A_FOLLOW:
		m->follow = true;
		model_select(m, m->rows.n - 1);
		break;
	case A_MARK:
		model_toggle_mark(m, m->selected);
		move(m, 1);
		break;
	case A_ENTER:
		return focus_decode(a);
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

static int list_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	struct model *m = a->m;

	if (m->rows.n == 0)
		return R_NONE;
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN) {
		move(m, ev->key == TK_WHEEL_UP ? -3 : 3);
		return R_REDRAW;
	}
	if (ev->y < r.y + 2)
		return R_NONE;
	uint64_t row = list_view.top + (uint64_t)(ev->y - r.y - 2);
	if (row < m->rows.n) {
		m->follow = false;
		model_select(m, row);
	}
	return R_REDRAW;
}

const struct view_ops view_packet_list = {
    .name = "packet list",
    .ctx = CTX_LIST,
    .draw = list_draw,
    .action = list_action,
    .mouse = list_mouse,
};
