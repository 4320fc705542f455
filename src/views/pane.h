/*
 * pane.h - small helpers the pane views share: the title line, scrolling a cursor into view,
 * moving a list's cursor and counts with thousands separators. Header-only (static inline); UI
 * thread only.
 */
#ifndef CAPSCOPE_PANE_H
#define CAPSCOPE_PANE_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/view.h"

/* A pane's first line: a rule with " text " near its left end; the focused pane's title is
 * bright, the others dim. text must be terminal-safe ASCII. */
static inline void pane_title(struct rect r, bool focused, const char *text)
{
	term_line(r.y, r.x, r.w, TL_H, E_BORDER);
	term_put(r.y, r.x + 1, r.w - 2, focused ? E_TITLE : E_DIM, text);
}

/* The first line to show so that `cur` is inside a window of h lines over n lines, moving
 * `top` as little as possible. */
static inline uint64_t pane_scroll(uint64_t top, uint64_t cur, uint64_t n, uint64_t h)
{
	if (h == 0)
		return cur;
	if (cur < top)
		top = cur;
	else if (cur - top >= h)
		top = cur - h + 1;
	if (n > h && top > n - h)
		top = n - h;
	if (n <= h)
		top = 0;
	return top;
}

/* text cut to its last n-4 characters after "..." when it does not fit in n bytes: a path
 * keeps its end, where the file name is. */
static inline const char *pane_tail(const char *text, char *out, size_t n)
{
	size_t len = strlen(text);

	if (len < n)
		snprintf(out, n, "%s", text);
	else
		snprintf(out, n, "...%s", text + len - (n - 4));
	return out;
}

/* "1,234,567" into out (at least 27 bytes); returns out. */
static inline const char *pane_count(uint64_t v, char *out)
{
	char digits[24];
	int n = snprintf(digits, sizeof digits, "%llu", (unsigned long long)v), o = 0;

	for (int i = 0; i < n; i++) {
		if (i > 0 && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
	return out;
}

/* A table's row order before sorting: 0 .. n-1 in *order, grown (to twice n) when it holds
 * fewer than n; false, with the order as it was, when memory runs out. */
static inline bool pane_order_init(uint32_t **order, size_t *cap, size_t n)
{
	if (n > *cap) {
		uint32_t *o = realloc(*order, n * 2 * sizeof *o);
		if (!o)
			return false;
		*order = o;
		*cap = n * 2;
	}
	for (size_t i = 0; i < n; i++)
		(*order)[i] = (uint32_t)i;
	return true;
}

/* Enter in a table: expr becomes the display filter (the filter bar shows it) and the focus
 * goes back to the packet list; when it cannot, the status bar says why. */
static inline int pane_apply_filter(struct app *a, const char *expr)
{
	struct filter_verdict chk;

	if (!model_set_filter(a->m, expr, &chk)) {
		view_notice(a, "cannot filter: %.150s", chk.msg);
		return R_REDRAW;
	}
	view_notice(a, "filter: %.180s", expr);
	a->focus = PANE_LIST;
	return R_REDRAW;
}

/* The rows a moving action moves a list's cursor by: Up and Down one, PgUp and PgDn a page,
 * Home and End all n rows. False (and *by untouched) for any other action. */
static inline bool pane_move_by(enum action act, uint64_t n, int64_t page, int64_t *by)
{
	switch (act) {
	case A_UP:
	case A_DOWN:
		*by = act == A_UP ? -1 : 1;
		return true;
	case A_PGUP:
	case A_PGDN:
		*by = act == A_PGUP ? -page : page;
		return true;
	case A_HOME:
	case A_END:
		*by = act == A_HOME ? -(int64_t)n : (int64_t)n;
		return true;
	default:
		return false;
	}
}

/* cur moved by `by` rows and kept within n rows (0 when there are none). */
static inline uint64_t pane_moved(uint64_t cur, int64_t by, uint64_t n)
{
	int64_t c = (int64_t)cur + by;

	return n == 0 || c < 0 ? 0 : (uint64_t)c >= n ? n - 1 : (uint64_t)c;
}

#endif
