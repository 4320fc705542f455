/*
 * filter_bar.c - the filter bar, an overlay on the line above the status bar.
 *
 * "filter: " and a line editor that takes a BPF expression or a display filter and is
 * checked as the user types (model_check_filter: green when it compiles, with which kind it
 * is at the right; red with the reason when not). Enter applies a valid expression (an
 * empty one clears the filter), adds it to the history and closes; on an invalid one the bar
 * stays open, the list is unchanged, and the message names the column, which is
 * highlighted. Tab completes display filter field and protocol names and says what a lone
 * match is. Up/Down recall past filters; Esc leaves the applied filter alone.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "model/field_complete.h"
#include "model/history.h"
#include "ui/line_edit.h"

#define PROMPT     "filter: "
#define DLT_EN10MB 1

/* Each header libpcap's plain filters do not look past: its filter keyword and its name. */
static const struct {
	unsigned shim;
	const char *word, *what, *note;
} shims[] = {
    {SHIM_VLAN, "vlan", "VLAN tags", ""},
    {SHIM_MPLS, "mpls", "MPLS labels", " (one 'mpls' per label)"},
    {SHIM_PPPOE, "pppoes", "PPPoE sessions", ""},
};

/* The text being edited, what it is, and what Tab last said about it. */
static struct {
	struct line_edit ed;
	struct filter_verdict chk; /* of ed's current text */
	bool submitted;            /* Enter was pressed on the current (invalid) text */
	char tab_note[400];        /* Tab's matches or the lone match's type, until the next edit */
	struct history hist;
} filter_edit = {.hist = HISTORY_INIT("filter_history")};

/* True if expr names word as a whole word (letters, digits and '_' around it end it). */
static bool has_word(const char *expr, const char *word)
{
	size_t n = strlen(word);

	for (const char *p = expr; (p = strstr(p, word)) != NULL; p += n) {
		bool start = p == expr || !(p[-1] == '_' || (p[-1] >= 'a' && p[-1] <= 'z') ||
		                            (p[-1] >= '0' && p[-1] <= '9'));
		char c = p[n];
		bool end = !(c == '_' || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9'));
		if (start && end)
			return true;
	}
	return false;
}

/* libpcap's "ip" after an 802.1Q tag (or an MPLS label, a PPPoE header) matches nothing
 * unless "vlan" ("mpls", "pppoes") shifts the offsets first. Returns the index in shims[] of
 * a header the capture has and the filter misses, or -1. */
static int shim_trap(const struct app *a, const char *expr)
{
	static const char *const l3[] = {"ip",  "ip6",  "tcp", "udp",  "icmp",      "icmp6",
	                                 "arp", "host", "net", "port", "portrange", "proto"};
	bool uses_l3 = false;

	for (size_t i = 0; i < sizeof l3 / sizeof l3[0]; i++)
		uses_l3 |= has_word(expr, l3[i]);
	for (size_t i = 0; uses_l3 && i < sizeof shims / sizeof shims[0]; i++)
		if ((a->m->seen_shims & shims[i].shim) && !has_word(expr, shims[i].word))
			return (int)i;
	return -1;
}

static void check(struct app *a)
{
	model_check_filter(a->m, filter_edit.ed.buf, &filter_edit.chk);
	filter_edit.submitted = false;
	filter_edit.tab_note[0] = '\0';
}

static void open_bar(struct app *a)
{
	line_edit_set(&filter_edit.ed, a->m->filter_text);
	history_reset(&filter_edit.hist);
	check(a);
}

static void close_bar(struct app *a)
{
	history_reset(&filter_edit.hist);
	view_close_overlay(a);
}

#define MIN_EDITOR  12
#define MSG_MAX     (FILTER_VERDICT_MAX + 40)
#define MSG_CHOICES 3

/* A reason, then shorter forms of it: without "display filter ", without its column. */
static int reasons(const char *msg, char out[MSG_CHOICES][MSG_MAX])
{
	const char *p = strncmp(msg, "display filter ", 15) == 0 ? msg + 15 : msg;
	const char *colon = strncmp(p, "column ", 7) == 0 ? strstr(p, ": ") : NULL;

	snprintf(out[0], MSG_MAX, "%.600s", msg);
	snprintf(out[1], MSG_MAX, "%.600s", p);
	snprintf(out[2], MSG_MAX, "%.600s", colon ? colon + 2 : p);
	return 3;
}

/* A valid display filter: the kind, and on a live capture where it will run. */
static int display_messages(const struct app *a, char out[MSG_CHOICES][MSG_MAX])
{
	bool live = a->m->kind == SOURCE_LIVE && a->m->cap;

	if (live) {
		snprintf(out[0], MSG_MAX, "display filter, %s  Enter apply", filter_edit.chk.msg);
		snprintf(out[1], MSG_MAX, "display filter, %s", filter_edit.chk.msg);
	} else {
		snprintf(out[0], MSG_MAX, "display filter  Enter apply  Esc cancel  Tab completes");
		snprintf(out[1], MSG_MAX, "display filter  Enter apply  Esc cancel");
	}
	snprintf(out[2], MSG_MAX, "display filter");
	return 3;
}

/* What to say at the right of the bar, longest first: the first that leaves the editor
 * room is shown. Returns how many (at least one) and the element to draw them in. */
static int messages(const struct app *a, char out[MSG_CHOICES][MSG_MAX], enum elem *e)
{
	int col = filter_edit.chk.column + 1, trap;

	*e = filter_edit.chk.ok ? E_DIM : E_INVALID;
	bool display = strncmp(filter_edit.chk.msg, "display filter ", 15) == 0;

	if (!filter_edit.chk.ok && filter_edit.submitted && col > 0 && !display) {
		snprintf(out[0], MSG_MAX, "%s (at column %d)", filter_edit.chk.msg, col);
		snprintf(out[1], MSG_MAX, "%s (col %d)", filter_edit.chk.msg, col);
		snprintf(out[2], MSG_MAX, "%s", filter_edit.chk.msg);
		return 3;
	}
	if (filter_edit.tab_note[0]) {
		*e = E_TITLE;
		snprintf(out[0], MSG_MAX, "%s", filter_edit.tab_note);
		return 1;
	}
	if (!filter_edit.chk.ok)
		return reasons(filter_edit.chk.msg, out);
	if (filter_edit.chk.kind == FK_DISPLAY)
		return display_messages(a, out);
	if ((trap = shim_trap(a, filter_edit.ed.buf)) >= 0) {
		const char *w = shims[trap].word, *what = shims[trap].what;
		*e = E_TITLE;
		snprintf(out[0], MSG_MAX,
		         "hint: the capture has %s; use '%s and ip' or '(ip or (%s and ip))'%s",
		         what, w, w, shims[trap].note);
		snprintf(out[1], MSG_MAX, "hint: %s seen; use '%s and ip' or '(ip or (%s and ip))'",
		         what, w, w);
		snprintf(out[2], MSG_MAX, "hint: %s seen; try '%s and ...'", what, w);
		return 3;
	}
	snprintf(out[0], MSG_MAX, "%s",
	         filter_edit.ed.len ? "BPF  Enter apply  Esc cancel  Up/Down history"
	                            : "Enter: show every packet  Esc cancel");
	snprintf(out[1], MSG_MAX, "%s", filter_edit.ed.len ? "BPF  Enter apply  Esc cancel" : "");
	snprintf(out[2], MSG_MAX, "%s", filter_edit.ed.len ? "BPF" : "");
	return 3;
}

static void draw(struct app *a, struct rect r, bool focused)
{
	char msg[MSG_CHOICES][MSG_MAX];
	enum elem e;
	int n = messages(a, msg, &e), k = 0;
	int avail = r.w - (int)strlen(PROMPT), ex = r.x + r.w - avail;
	int need =
	    (int)filter_edit.ed.len + 2 > MIN_EDITOR ? (int)filter_edit.ed.len + 2 : MIN_EDITOR;
	int mark = filter_edit.submitted && !filter_edit.chk.ok ? filter_edit.chk.column : -1;

	(void)focused;
	while (k < n - 1 && avail - (int)strlen(msg[k]) - 2 < need)
		k++;
	int mlen = (int)strlen(msg[k]), room = avail - (need < avail ? need : avail) - 2;
	int shown = mlen < room ? mlen : room, edw = shown > 0 ? avail - shown - 2 : avail;
	term_fill(r.y, r.x, r.w, E_NORMAL);
	term_put(r.y, r.x, r.w, E_TITLE, PROMPT);
	if (shown > 0)
		term_put(r.y, r.x + r.w - shown, shown, e, msg[k]);
	line_edit_draw(&filter_edit.ed, r.y, ex, edw,
	               filter_edit.chk.ok ? E_FILTER_OK : E_FILTER_BAD, mark);
}

static int submit(struct app *a)
{
	struct filter_verdict chk;

	if (!a->m->store) {
		view_notice(a, "no capture is open: press o to open a file or a for an adapter");
		close_bar(a);
		return R_REDRAW;
	}
	if (!model_set_filter(a->m, filter_edit.ed.buf, &chk)) {
		filter_edit.chk = chk; /* the bar shows the message and marks the column */
		filter_edit.submitted = true;
		return R_REDRAW;
	}
	history_add(&filter_edit.hist, filter_edit.ed.buf);
	a->notice[0] = '\0';
	if (a->m->filter_kind == FK_DISPLAY && a->m->kind == SOURCE_LIVE && a->m->cap)
		view_notice(a, "display filter %s", a->m->filter_note);
	close_bar(a);
	return R_REDRAW;
}

/* Tab: the field or protocol name before the cursor, completed as far as it is one; the
 * matches, or what a lone match is, show at the right until the next edit. */
static int complete(struct app *a)
{
	struct line_edit *ed = &filter_edit.ed;
	size_t start = field_word_start(ed->buf, ed->cursor), typed = ed->cursor - start;
	char out[LINE_EDIT_MAX], list[sizeof filter_edit.tab_note - 32], about[sizeof list];
	size_t n = field_complete(ed->buf + start, typed, out, sizeof out, list, sizeof list, about,
	                          sizeof about);
	char *note = filter_edit.tab_note;

	if (strlen(out) > typed)
		line_edit_insert(ed, out + typed);
	check(a);
	if (n == 0)
		snprintf(note, sizeof filter_edit.tab_note,
		         "no field or protocol starts with '%.*s'", (int)typed, ed->buf + start);
	else if (n == 1)
		snprintf(note, sizeof filter_edit.tab_note, "%s", about);
	else
		snprintf(note, sizeof filter_edit.tab_note, "%zu names: %s", n, list);
	return R_REDRAW;
}

static void recall(struct app *a, const char *s)
{
	if (!s)
		return;
	line_edit_set(&filter_edit.ed, s);
	check(a);
}

static int key(struct app *a, const struct key_event *ev)
{
	switch (ev->key) {
	case TK_ENTER:
		return submit(a);
	case TK_TAB:
		return complete(a);
	case TK_ESC:
		close_bar(a);
		return R_REDRAW;
	case TK_UP:
		recall(a, history_prev(&filter_edit.hist, filter_edit.ed.buf));
		return R_REDRAW;
	case TK_DOWN:
		recall(a, history_next(&filter_edit.hist));
		return R_REDRAW;
	case TK_CTRL_C:
	case TK_CTRL_L:
		return R_UNHANDLED;
	default:
		if (line_edit_key(&filter_edit.ed, ev->key) == LE_CHANGED)
			check(a);
		return R_REDRAW;
	}
}

const struct view_ops view_filter_bar = {
    .name = "filter",
    .ctx = CTX_ALL & ~(CTX_PANES | CTX_PICKER), /* only global keys (Ctrl-C, Ctrl-L) */
    .place = VP_LINE,
    .draw = draw,
    .key = key,
    .open = open_bar,
};
