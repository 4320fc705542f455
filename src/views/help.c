/*
 * help.c - the help overlay, generated from the key table and the action table: one line
 * per action, in the order of its first binding, with all of its keys and its help note.
 * Scrolls; Esc, q, F1 or ? close it.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "views/pane.h"

#define KEYS_MAX 64

/* Only the global bindings (CTX_ALL) reach the help: no pane's keys act under it. */
#define CTX_HELP (CTX_ALL & ~(CTX_PANES | CTX_PICKER | CTX_FOLLOW))

/* Scrolling: the first line shown, and the largest useful one (from the last draw). */
static struct {
	int top, max;
} scroll;

static bool listed(const struct keybind *const *e, int n, enum action act)
{
	for (int i = 0; i < n; i++)
		if (e[i]->act == act)
			return true;
	return false;
}

/* The first binding of each action that has a help note, in key table order. */
static int help_entries(const struct app *a, const struct keybind **out, int max)
{
	int n = 0;

	for (size_t i = 0; i < keymap_len && n < max; i++) {
		const struct action_def *def = view_action_def(a, keymap[i].act);
		if (def && def->help && !listed(out, n, keymap[i].act))
			out[n++] = &keymap[i];
	}
	return n;
}

static void help_draw(struct app *a, struct rect r, bool focused)
{
	const struct keybind *e[64];
	int n = help_entries(a, e, 64), kw = 4, h = r.h - 2;
	char keys[KEYS_MAX], line[KEYS_MAX + 128];

	(void)focused;
	for (int y = 0; y < r.h; y++)
		term_fill(r.y + y, r.x, r.w, E_NORMAL);
	pane_title(r, true, " capscope help - Esc to close ");
	for (int i = 0; i < n; i++) {
		int len = (int)strlen(keymap_keys_text(e[i]->act, CTX_ALL, keys, sizeof keys));
		kw = len > kw ? len : kw;
	}
	if (h <= 0)
		return;
	scroll.max = n - h > 0 ? n - h : 0;
	if (scroll.top > scroll.max)
		scroll.top = scroll.max;
	for (int y = 0; y < h && scroll.top + y < n; y++) {
		const struct keybind *k = e[scroll.top + y];
		snprintf(line, sizeof line, "  %-*s  %s", kw,
		         keymap_keys_text(k->act, CTX_ALL, keys, sizeof keys),
		         view_action_def(a, k->act)->help);
		term_put(r.y + 1 + y, r.x, r.w, E_NORMAL, line);
	}
	snprintf(line, sizeof line, " %d-%d of %d ", scroll.top + 1,
	         scroll.top + h < n ? scroll.top + h : n, n);
	term_line(r.y + r.h - 1, r.x, r.w, TL_H, E_BORDER);
	term_put(r.y + r.h - 1, r.x + 1, r.w - 2, E_DIM, line);
}

static int help_action(struct app *a, enum action act)
{
	int page = a->rows - 4 > 1 ? a->rows - 4 : 1;

	switch (act) {
	case A_ESC:
	case A_QUIT:
	case A_HELP:
		view_close_overlay(a);
		break;
	case A_UP:
		scroll.top = scroll.top > 0 ? scroll.top - 1 : 0;
		break;
	case A_DOWN:
		scroll.top++;
		break;
	case A_PGUP:
		scroll.top = scroll.top > page ? scroll.top - page : 0;
		break;
	case A_PGDN:
		scroll.top += page;
		break;
	case A_HOME:
		scroll.top = 0;
		break;
	case A_END:
		scroll.top = 1 << 20;
		break;
	default:
		break; /* modal: nothing else acts under the help */
	}
	if (scroll.top > scroll.max)
		scroll.top = scroll.max;
	return R_REDRAW;
}

static int help_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	(void)r;
	if (ev->key == TK_WHEEL_UP)
		return help_action(a, A_UP);
	if (ev->key == TK_WHEEL_DOWN)
		return help_action(a, A_DOWN);
	return R_NONE;
}

static void help_open(struct app *a)
{
	(void)a;
	scroll.top = 0;
}

const struct view_ops view_help = {
    .name = "help",
    .ctx = CTX_HELP,
    .place = VP_FULL,
    .draw = help_draw,
    .action = help_action,
    .mouse = help_mouse,
    .open = help_open,
};
