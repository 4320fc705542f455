/*
 * hex_pane.c - the selected packet's bytes: offset, 16 bytes in hex, ASCII column (the
 * decoder's hex_line(), where non-printable bytes are already '.').
 *
 * The bytes [off, off+len) of the selected field (a->sel_field) are highlighted in both
 * columns, exactly those bytes. When focused, a byte cursor moves over the packet and
 * selects the field that owns the byte under it, which the decode pane's cursor follows.
 */
#include <stdio.h>

#include "views/view.h"
#include "views/views.h"
#include "decode/print.h"
#include "views/pane.h"

#define ASCII_GAP 52 /* from the offset's end to the ASCII column: 2 + 16*3 + 1 + 1 */

static struct {
	uint64_t pkt; /* store index the cursor belongs to, UINT64_MAX for none */
	uint32_t cur; /* byte under the cursor */
	uint64_t top; /* first line (of 16 bytes) on screen */
	int seen_sel; /* a->sel_field as this view last set or followed it */
} hex_view = {.pkt = UINT64_MAX, .seen_sel = -1};

static int offset_width(uint32_t off)
{
	return off > 0xffff ? 8 : 4; /* as hex_line() widens jumbo offsets */
}

static int hex_col(uint32_t off, int i)
{
	return offset_width(off) + 2 + 3 * i + (i >= 8);
}

static int ascii_col(uint32_t off, int i)
{
	return offset_width(off) + ASCII_GAP + i;
}

/* The selected field, or NULL when none belongs to this packet. */
static const struct field *sel_field(const struct app *a, const struct dissection *d)
{
	if (a->sel_field < 0 || a->sel_field >= d->nf || a->sel_field_pkt != hex_view.pkt)
		return NULL;
	return &d->f[a->sel_field];
}

/* The field that owns byte b: the last in array order whose range holds it, a layer only
 * when no field inside one does; -1 for none. */
static int owner(const struct dissection *d, uint32_t b)
{
	int layer = -1;

	for (int i = d->nf - 1; i >= 0; i--) {
		const struct field *f = &d->f[i];
		if (f->len == 0 || (f->flags & FF_ALT) || b < f->off || b - f->off >= f->len)
			continue;
		if (f->type != FT_LAYER)
			return i;
		if (layer < 0)
			layer = i;
	}
	return layer;
}

static const struct dissection *sync(struct app *a)
{
	struct model *m = a->m;
	const struct dissection *d = model_selected(m);
	const struct field *f;

	if (!d) {
		hex_view.pkt = UINT64_MAX;
		return NULL;
	}
	if (m->decoded_index != hex_view.pkt) {
		hex_view.pkt = m->decoded_index;
		hex_view.cur = 0;
		hex_view.top = 0;
		hex_view.seen_sel = -1;
	}
	if (a->sel_field != hex_view.seen_sel && a->sel_field_pkt == hex_view.pkt) {
		hex_view.seen_sel = a->sel_field;
		f = sel_field(a, d);
		if (f && f->len > 0 && !(f->flags & FF_ALT) && f->off < d->caplen)
			hex_view.cur = f->off;
	}
	if (hex_view.cur >= d->caplen)
		hex_view.cur = d->caplen ? d->caplen - 1 : 0;
	return d;
}

static void recolor_byte(int y, struct rect r, uint32_t off, int i, enum elem e)
{
	int hx = r.x + hex_col(off, i), ax = r.x + ascii_col(off, i);

	if (hx + 2 <= r.x + r.w)
		term_recolor(y, hx, 2, e);
	if (ax + 1 <= r.x + r.w)
		term_recolor(y, ax, 1, e);
}

static void draw_line(const struct app *a, const struct dissection *d, int y, struct rect r,
                      uint32_t off, bool focused)
{
	const struct field *f = sel_field(a, d);
	char text[HEXLINE_MAX + 1];

	hex_line(text, d->data, d->caplen, off);
	term_put_fill(y, r.x, r.w, E_NORMAL, text);
	for (int i = 0; i < 16 && off + (uint32_t)i < d->caplen; i++) {
		uint32_t b = off + (uint32_t)i;
		if (focused && b == hex_view.cur)
			recolor_byte(y, r, off, i, E_SELECTED);
		else if (f && !(f->flags & FF_ALT) && b >= f->off && b - f->off < f->len)
			recolor_byte(y, r, off, i, E_FIELD_HILITE);
	}
}

static void hex_draw(struct app *a, struct rect r, bool focused)
{
	const struct dissection *d = sync(a);
	char title[96];
	int h = r.h - 1;
	uint64_t nlines;

	if (!d) {
		pane_title(r, focused, " Hex ");
		return;
	}
	if (d->caplen < d->len)
		snprintf(title, sizeof title, " Hex - %u of %u bytes captured ", d->caplen, d->len);
	else
		snprintf(title, sizeof title, " Hex - %u bytes ", d->caplen);
	pane_title(r, focused, title);
	if (h <= 0)
		return;
	if (d->caplen == 0) {
		term_put(r.y + 1, r.x, r.w, E_DIM, "(no bytes captured)");
		return;
	}
	nlines = (d->caplen + 15u) / 16u;
	hex_view.top = pane_scroll(hex_view.top, hex_view.cur / 16u, nlines, (uint64_t)h);
	for (int y = 0; y < h && hex_view.top + (uint64_t)y < nlines; y++)
		draw_line(a, d, r.y + 1 + y, r, (uint32_t)(hex_view.top + (uint64_t)y) * 16u,
		          focused);
}

/* Puts the cursor on byte b (clamped) and selects the field that owns it. */
static void move_to(struct app *a, const struct dissection *d, int64_t b)
{
	if (d->caplen == 0)
		return;
	hex_view.cur = b < 0 ? 0 : b >= (int64_t)d->caplen ? d->caplen - 1 : (uint32_t)b;
	a->sel_field = owner(d, hex_view.cur);
	a->sel_field_pkt = hex_view.pkt;
	hex_view.seen_sel = a->sel_field;
}

static int hex_action(struct app *a, enum action act)
{
	const struct dissection *d = sync(a);
	int64_t cur = hex_view.cur,
	        page = 16 * (a->pane_rect[PANE_HEX].h > 2 ? a->pane_rect[PANE_HEX].h - 1 : 1);

	if (!d || d->caplen == 0)
		return R_UNHANDLED;
	switch (act) {
	case A_LEFT:
		move_to(a, d, cur - 1);
		break;
	case A_RIGHT:
		move_to(a, d, cur + 1);
		break;
	case A_UP:
		move_to(a, d, cur >= 16 ? cur - 16 : cur);
		break;
	case A_DOWN:
		move_to(a, d, cur + 16 < (int64_t)d->caplen ? cur + 16 : cur);
		break;
	case A_PGUP:
		move_to(a, d, cur - page);
		break;
	case A_PGDN:
		move_to(a, d, cur + page);
		break;
	case A_HOME:
		move_to(a, d, 0);
		break;
	case A_END:
		move_to(a, d, (int64_t)d->caplen - 1);
		break;
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

/* The byte index in line `off` under column x, or -1. */
static int byte_at(uint32_t off, int x)
{
	int rel = x - hex_col(off, 0);

	if (x >= ascii_col(off, 0))
		return x - ascii_col(off, 0) < 16 ? x - ascii_col(off, 0) : -1;
	if (rel < 0 || rel >= 49)
		return -1;
	return rel < 24 ? rel / 3 : rel == 24 ? 7 : 8 + (rel - 25) / 3;
}

static int hex_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	const struct dissection *d = sync(a);
	uint32_t off;
	int i;

	if (!d || d->caplen == 0)
		return R_NONE;
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN) {
		move_to(a, d, (int64_t)hex_view.cur + (ev->key == TK_WHEEL_UP ? -48 : 48));
		return R_REDRAW;
	}
	if (ev->y <= r.y)
		return R_NONE;
	off = (uint32_t)(hex_view.top + (uint64_t)(ev->y - r.y - 1)) * 16u;
	i = byte_at(off, ev->x - r.x);
	if (off >= d->caplen || i < 0 || off + (uint32_t)i >= d->caplen)
		return R_NONE;
	move_to(a, d, (int64_t)off + i);
	return R_REDRAW;
}

const struct view_ops view_hex_pane = {
    .name = "hex",
    .ctx = CTX_HEX,
    .draw = hex_draw,
    .action = hex_action,
    .mouse = hex_mouse,
};
