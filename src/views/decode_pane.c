/*
 * decode_pane.c - the selected packet as a tree: one line per layer (collapsible, with a
 * headline of its addresses or ports) and per field ("label: value", indented by depth).
 *
 * Collapsed layers are remembered per protocol across packets, as in Wireshark; the parts of
 * a field's value (the bits of a flags field, an address's LG/IG bits) start collapsed under
 * it, as in Wireshark, and opened ones are remembered by label across packets. The cursor
 * line selects a field for the hex pane through a->sel_field; when the hex pane changes
 * a->sel_field, the cursor follows it here. f makes the selected field the display filter
 * ("ip.src == 10.0.0.1", a layer's protocol name), F adds it to the current one with &&.
 * A field that names another frame (the segment an ACK acknowledges, the ACK a duplicate
 * repeats) is drawn as a link, and Enter on it selects that frame in the list.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "base/escape.h"
#include "decode/field_expr.h"
#include "views/pane.h"

#define LINE_MALFORMED (-1) /* the summary of d->malformed, first when set */
#define LINE_CUT       (-2) /* the note that the tree was cut (d->fields_full) */
#define TEXT_MAX       512
#define OPEN_MAX       32 /* field subtrees the user opened */

static struct {
	bool collapsed[P_COUNT];
	uint64_t pkt; /* store index the cursor belongs to, UINT64_MAX for none */
	int cur, top; /* lines */
	int seen_sel; /* a->sel_field as this view last set or followed it */
	int lines[DISS_MAX_FIELDS + 2];
	int nlines;
	const char *open[OPEN_MAX]; /* labels (static strings) of opened field subtrees */
	int nopen;
	/* the Frame line's ", on interface NAME, id N" of a live capture (as Wireshark's Frame
	 * line and tshark's "Interface id: 0 (cs1)"), or "" */
	char iface[MODEL_LABEL_MAX + 32];
} tree_view = {.pkt = UINT64_MAX, .seen_sel = -1};

/* The fields whose values headline their layer's line ("IPv4, Src: 10.0.0.1, ..."). */
static const struct {
	uint16_t key;
	const char *name;
} headline[] = {
    {K_ETH_DST, "Dst"},          {K_ETH_SRC, "Src"},          {K_VLAN_ID, "ID"},
    {K_ARP_OPCODE, "Opcode"},    {K_IP_SRC, "Src"},           {K_IP_DST, "Dst"},
    {K_IPV6_SRC, "Src"},         {K_IPV6_DST, "Dst"},         {K_UDP_SRCPORT, "Src Port"},
    {K_UDP_DSTPORT, "Dst Port"}, {K_TCP_SRCPORT, "Src Port"}, {K_TCP_DSTPORT, "Dst Port"},
    {K_ICMP_TYPE, "Type"},       {K_ICMPV6_TYPE, "Type"},     {K_DNS_QRY_NAME, "Query"},
};

static const char *headline_name(uint16_t key)
{
	for (size_t i = 0; i < sizeof headline / sizeof headline[0]; i++)
		if (headline[i].key == key)
			return headline[i].name;
	return NULL;
}

static bool is_layer(const struct field *f)
{
	return f->type == FT_LAYER;
}

/* Fields whose value is a frame number of this capture. */
static bool is_frame_link(const struct field *f)
{
	return f->key == K_TCP_ANALYSIS_ACKS_FRAME || f->key == K_TCP_ANALYSIS_DUPLICATE_ACK_FRAME;
}

/* A field with a value and the parts of that value under it (a flags field and its bits, an
 * address and its LG/IG bits); a label that only groups fields ("Queries") is not one. */
static bool has_subtree(const struct dissection *d, int i)
{
	return !is_layer(&d->f[i]) && d->f[i].type != FT_TEXT && i + 1 < d->nf &&
	       !is_layer(&d->f[i + 1]) && d->f[i + 1].depth > d->f[i].depth;
}

static int open_slot(const char *label)
{
	for (int k = 0; k < tree_view.nopen; k++)
		if (tree_view.open[k] == label)
			return k;
	return -1;
}

/* Whether line i hides what is under it: a collapsed layer, or an unopened field subtree. */
static bool closed(const struct dissection *d, int i)
{
	const struct field *f = &d->f[i];

	if (is_layer(f))
		return f->proto < P_COUNT && tree_view.collapsed[f->proto];
	return has_subtree(d, i) && open_slot(f->label) < 0;
}

static void build_lines(const struct dissection *d)
{
	int hide_depth = -1;

	tree_view.nlines = 0;
	if (d->malformed[0])
		tree_view.lines[tree_view.nlines++] = LINE_MALFORMED;
	for (int i = 0; i < d->nf; i++) {
		const struct field *f = &d->f[i];
		if (hide_depth >= 0 && f->depth > hide_depth)
			continue;
		hide_depth = -1;
		tree_view.lines[tree_view.nlines++] = i;
		if (closed(d, i))
			hide_depth = f->depth;
	}
	if (d->fields_full)
		tree_view.lines[tree_view.nlines++] = LINE_CUT;
}

static int line_of(int field)
{
	for (int l = 0; l < tree_view.nlines; l++)
		if (tree_view.lines[l] == field)
			return l;
	return -1;
}

/* The line showing field i: its own, or that of the collapsed layer hiding it. */
static int visible_line_of(const struct dissection *d, int i)
{
	int l = line_of(i);
	unsigned depth = d->f[i].depth;

	for (int j = i - 1; l < 0 && j >= 0; j--) {
		if (d->f[j].depth >= depth)
			continue;
		depth = d->f[j].depth;
		l = line_of(j);
	}
	return l < 0 ? 0 : l;
}

static void select_line(struct app *a, int line)
{
	if (tree_view.nlines == 0)
		return;
	tree_view.cur = line < 0 ? 0 : line >= tree_view.nlines ? tree_view.nlines - 1 : line;
	a->sel_field = tree_view.lines[tree_view.cur] >= 0 ? tree_view.lines[tree_view.cur] : -1;
	a->sel_field_pkt = tree_view.pkt;
	tree_view.seen_sel = a->sel_field;
}

static void frame_interface(const struct model *m)
{
	unsigned id;
	const char *name = model_packet_interface(m, m->decoded_index, &id);

	tree_view.iface[0] = '\0';
	if (m->kind == SOURCE_LIVE && name[0]) /* escaped by the model */
		snprintf(tree_view.iface, sizeof tree_view.iface, ", on interface %s, id %u", name,
		         id);
}

/* The selected packet with the tree's lines built; resets the cursor when the packet
 * changed and follows a->sel_field when another view changed it. */
static const struct dissection *sync(struct app *a)
{
	struct model *m = a->m;
	const struct dissection *d = model_selected(m);

	if (!d) {
		tree_view.nlines = 0;
		tree_view.pkt = UINT64_MAX;
		return NULL;
	}
	if (m->decoded_index != tree_view.pkt) {
		tree_view.pkt = m->decoded_index;
		tree_view.cur = tree_view.top = 0;
		a->sel_field = tree_view.seen_sel = -1;
	}
	build_lines(d);
	frame_interface(m);
	if (a->sel_field != tree_view.seen_sel && a->sel_field_pkt == tree_view.pkt) {
		tree_view.seen_sel = a->sel_field;
		if (a->sel_field >= 0 && a->sel_field < d->nf)
			tree_view.cur = visible_line_of(d, a->sel_field);
	}
	if (tree_view.cur >= tree_view.nlines)
		tree_view.cur = tree_view.nlines ? tree_view.nlines - 1 : 0;
	return d;
}

static size_t layer_text(const struct dissection *d, int i, char *out, size_t n)
{
	const struct field *l = &d->f[i];
	size_t o;
	char v[128];
	const char *sep = ", ";

	o = (size_t)snprintf(out, n, "%c %s", tree_view.collapsed[l->proto % P_COUNT] ? '+' : '-',
	                     l->label);
	if (l->proto == P_FRAME)
		return o + (size_t)snprintf(out + o, n - o, ": %u bytes on wire, %u captured%s",
		                            d->len, d->caplen, tree_view.iface);
	/* the layer's own fields; a nested layer (a packet quoted by ICMP) ends them */
	for (int j = i + 1; j < d->nf && d->f[j].depth > l->depth && o < n; j++) {
		const char *name = headline_name(d->f[j].key);
		if (is_layer(&d->f[j]))
			break;
		if (!name)
			continue;
		field_value_text(d, &d->f[j], v, sizeof v);
		o += (size_t)snprintf(out + o, n - o, "%s%s: %s", sep, name, v);
	}
	return o;
}

static void line_text(const struct dissection *d, int line, char *out, size_t n)
{
	int i = tree_view.lines[line];
	char esc[128];

	if (i == LINE_MALFORMED) {
		snprintf(out, n, "Malformed packet: %s", esc_cstr(esc, sizeof esc, d->malformed));
		return;
	}
	if (i == LINE_CUT) {
		snprintf(out, n, "[more fields than fit: the tree is cut]");
		return;
	}
	const struct field *f = &d->f[i];
	int ind = 2 * f->depth;
	size_t o = (size_t)snprintf(out, n, "%*s", ind, "");
	if (is_layer(f))
		layer_text(d, i, out + o, n - o);
	else if (f->type == FT_TEXT)
		snprintf(out + o, n - o, "%s", f->label);
	else {
		if (has_subtree(d, i))
			o += (size_t)snprintf(out + o, n - o, "%c ", closed(d, i) ? '+' : '-');
		if (f->type == FT_PRESENT) { /* a label with no value ("SEQ/ACK analysis") */
			snprintf(out + o, n - o, "%s", f->label);
			return;
		}
		o += (size_t)snprintf(out + o, n - o, "%s: ", f->label);
		if (o < n)
			field_value_text(d, f, out + o, n - o);
	}
}

static enum elem line_elem(const struct dissection *d, int line)
{
	int i = tree_view.lines[line];

	if (i == LINE_MALFORMED || i == LINE_CUT)
		return E_INVALID;
	if (d->f[i].flags & FF_INVALID)
		return E_INVALID;
	if (d->f[i].flags & FF_TRUNCATED)
		return E_TRUNCATED;
	return is_frame_link(&d->f[i]) ? E_LINK : E_NORMAL;
}

static int body_height(struct rect r)
{
	return r.h - 1 > 0 ? r.h - 1 : 0;
}

static void decode_draw(struct app *a, struct rect r, bool focused)
{
	const struct dissection *d = sync(a);
	char text[TEXT_MAX];
	int h = body_height(r);

	if (!d) {
		pane_title(r, focused, " Decode ");
		return;
	}
	snprintf(text, sizeof text, " Decode - packet %llu ",
	         (unsigned long long)tree_view.pkt + 1);
	pane_title(r, focused, text);
	tree_view.top = (int)pane_scroll((uint64_t)tree_view.top, (uint64_t)tree_view.cur,
	                                 (uint64_t)tree_view.nlines, (uint64_t)(h > 0 ? h : 1));
	for (int y = 0; y < h && tree_view.top + y < tree_view.nlines; y++) {
		int line = tree_view.top + y;
		enum elem e = line_elem(d, line);
		if (line == tree_view.cur && focused)
			e = E_SELECTED;
		else if (line == tree_view.cur && a->sel_field >= 0 &&
		         a->sel_field_pkt == tree_view.pkt)
			e = E_SELECTED_DIM;
		line_text(d, line, text, sizeof text);
		term_put_fill(r.y + 1 + y, r.x, r.w, e, text);
	}
}

/* Opens or closes what line `field` holds: a layer, or a field's subtree. */
static void toggle(struct app *a, const struct dissection *d, int field, bool collapse)
{
	const struct field *f = &d->f[field];
	int k = open_slot(f->label);

	if (is_layer(f))
		tree_view.collapsed[f->proto % P_COUNT] = collapse;
	else if (collapse && k >= 0)
		tree_view.open[k] = tree_view.open[--tree_view.nopen];
	else if (!collapse && k < 0 && tree_view.nopen < OPEN_MAX)
		tree_view.open[tree_view.nopen++] = f->label;
	build_lines(d);
	select_line(a, line_of(field));
}

static bool can_open(const struct dissection *d, int i)
{
	return i >= 0 && (is_layer(&d->f[i]) || has_subtree(d, i));
}

/* Left: close an open layer or subtree, else go to the line that holds this one. */
static void left(struct app *a, const struct dissection *d)
{
	int i = tree_view.lines[tree_view.cur];

	if (i < 0)
		return;
	if (can_open(d, i) && !closed(d, i)) {
		toggle(a, d, i, true);
		return;
	}
	for (int j = i - 1; j >= 0; j--)
		if (d->f[j].depth < d->f[i].depth && line_of(j) >= 0) {
			select_line(a, line_of(j));
			return;
		}
}

/* Enter on a frame link: that frame becomes the selected row. */
static int follow_link(struct app *a, const struct field *f)
{
	uint64_t from = tree_view.pkt + 1;

	if (f->u == 0 || !model_select_packet(a->m, f->u - 1)) {
		view_notice(a, "frame %llu is not in the list: the filter hides it",
		            (unsigned long long)f->u);
		return R_REDRAW;
	}
	view_notice(a, "frame %llu, from frame %llu", (unsigned long long)f->u,
	            (unsigned long long)from);
	return R_REDRAW;
}

/* f and F: the selected field as a display filter, alone or added to the current filter. */
static int filter_on_field(struct app *a, const struct dissection *d, int i, bool and)
{
	char expr[600], full[sizeof expr + sizeof a->m->filter_text + 16];
	struct filter_verdict v;

	if (!field_expr(d, i, expr, sizeof expr)) {
		view_notice(a, "cannot filter on it: %s", expr);
		return R_REDRAW;
	}
	if (and&&a->m->filter_text[0])
		snprintf(full, sizeof full, "(%s) && %s", a->m->filter_text, expr);
	else
		snprintf(full, sizeof full, "%s", expr);
	if (!model_set_filter(a->m, full, &v)) {
		if (and&&a->m->filter_kind == FK_BPF)
			view_notice(
			    a, "F adds to a display filter and this one is BPF: f replaces it");
		else
			view_notice(a, "cannot filter: %.300s", v.msg);
		return R_REDRAW;
	}
	view_notice(a, "filter: %.180s", full);
	return R_REDRAW;
}

static int decode_action(struct app *a, enum action act)
{
	const struct dissection *d = sync(a);
	int page = body_height(a->pane_rect[PANE_DECODE]);
	int i;

	if (!d || tree_view.nlines == 0)
		return R_UNHANDLED;
	i = tree_view.lines[tree_view.cur];
	switch (act) {
	case A_UP:
		select_line(a, tree_view.cur - 1);
		break;
	case A_DOWN:
		select_line(a, tree_view.cur + 1);
		break;
	case A_PGUP:
		select_line(a, tree_view.cur - (page > 1 ? page : 1));
		break;
	case A_PGDN:
		select_line(a, tree_view.cur + (page > 1 ? page : 1));
		break;
	case A_HOME:
		select_line(a, 0);
		break;
	case A_END:
		select_line(a, tree_view.nlines - 1);
		break;
	case A_LEFT:
		left(a, d);
		break;
	case A_RIGHT:
		if (can_open(d, i))
			toggle(a, d, i, false);
		break;
	case A_ENTER:
		if (i >= 0 && is_frame_link(&d->f[i]))
			return follow_link(a, &d->f[i]);
		if (can_open(d, i))
			toggle(a, d, i, !closed(d, i));
		break;
	case A_FILTER_FIELD:
	case A_FILTER_FIELD_AND:
		return filter_on_field(a, d, i, act == A_FILTER_FIELD_AND);
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

static int decode_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	const struct dissection *d = sync(a);
	int line, i;

	if (!d || tree_view.nlines == 0)
		return R_NONE;
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN) {
		select_line(a, tree_view.cur + (ev->key == TK_WHEEL_UP ? -3 : 3));
		return R_REDRAW;
	}
	line = tree_view.top + ev->y - (r.y + 1);
	if (ev->y <= r.y || line >= tree_view.nlines)
		return R_NONE;
	select_line(a, line);
	i = tree_view.lines[line];
	if (can_open(d, i))
		toggle(a, d, i, !closed(d, i));
	return R_REDRAW;
}

const struct view_ops view_decode_pane = {
    .name = "decode",
    .ctx = CTX_DECODE,
    .draw = decode_draw,
    .action = decode_action,
    .mouse = decode_mouse,
};
