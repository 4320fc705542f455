/*
 * prompt.c - one-line prompts on the line above the status bar: open a capture file (with
 * Tab completion), go to a packet number, and confirm quitting a live capture.
 *
 * prompt_start() picks the kind and opens the overlay; the prompt closes itself when done.
 * Errors (file missing, no such packet) show at the right and in the status bar while the
 * prompt stays open for a correction. prompt_ask() is the general form the File, Capture
 * and Send actions use (a path with Tab completion, a number, a yes/no question).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "views/prompt.h"
#include "views/views.h"
#include "base/escape.h"
#include "ui/line_edit.h"
#include "ui/path_complete.h"

static struct {
	enum prompt_kind kind;
	struct line_edit ed;
	char msg[200]; /* at the right of the prompt (escaped) */
	enum elem msg_elem;
	char path[1024]; /* the file handed to the model (it keeps a pointer to the name) */
	bool tabbed;     /* the last key was a Tab that left the text unchanged */
	/* PROMPT_ASK */
	char ask_label[300];
	enum prompt_input input;
	int (*done)(struct app *a, const char *text);
	unsigned asked; /* counts prompt_ask() and prompt_error() calls: done() kept it open */
} question;

static const char *label(const struct app *a, char *buf, size_t n)
{
	switch (question.kind) {
	case PROMPT_OPEN:
		return "open file: ";
	case PROMPT_GOTO:
		return "go to packet: ";
	case PROMPT_ASK:
		return question.ask_label;
	case PROMPT_CONFIRM_QUIT:
	default:
		snprintf(buf, n, "Quit and discard %llu captured packets? (y/N) ",
		         (unsigned long long)(a->m->store ? store_count(a->m->store) : 0));
		return buf;
	}
}

void prompt_start(struct app *a, enum prompt_kind k)
{
	question.kind = k;
	question.msg[0] = '\0';
	question.tabbed = false;
	line_edit_clear(&question.ed);
	if (k == PROMPT_OPEN && a->open_hint[0]) { /* offered once */
		line_edit_set(&question.ed, a->open_hint);
		a->open_hint[0] = '\0';
	}
	view_open_overlay(a, &view_prompt);
}

void prompt_ask(struct app *a, const struct prompt_spec *spec)
{
	prompt_start(a, PROMPT_ASK);
	snprintf(question.ask_label, sizeof question.ask_label, "%s", spec->label);
	question.input = spec->input;
	question.done = spec->done;
	question.asked++;
	if (spec->initial)
		line_edit_set(&question.ed, spec->initial);
}

static bool yes_no(void)
{
	return question.kind == PROMPT_CONFIRM_QUIT ||
	       (question.kind == PROMPT_ASK && question.input == PI_YESNO);
}

static void draw(struct app *a, struct rect r, bool focused)
{
	char buf[96];
	const char *l = label(a, buf, sizeof buf);
	int lw = (int)strlen(l), mw = (int)strlen(question.msg), edw = r.w - lw;

	(void)focused;
	term_fill(r.y, r.x, r.w, E_NORMAL);
	term_put(r.y, r.x, r.w, yes_no() ? E_DROP_WARN : E_TITLE, l);
	if (yes_no()) {
		term_cursor(r.y, r.x + (lw < r.w ? lw : r.w - 1), true);
		return;
	}
	int room = edw - (int)question.ed.len - 3; /* the message yields to the text */
	if (mw > room)
		mw = room;
	if (mw >= 10) {
		term_put(r.y, r.x + r.w - mw, mw, question.msg_elem, question.msg);
		edw -= mw + 2;
	}
	line_edit_draw(&question.ed, r.y, r.x + lw, edw, E_NORMAL, -1);
}

/* An error at the right of the prompt and in the status bar. */
static void fail(struct app *a, const char *msg)
{
	snprintf(question.msg, sizeof question.msg, "%s", msg);
	question.msg_elem = E_INVALID;
	view_notice(a, "%s", question.msg);
}

void prompt_error(struct app *a, const char *msg)
{
	question.asked++;
	fail(a, msg);
}

/* Hands the answer to the asker; closes unless it asked again or reported an error. */
static int answer(struct app *a, const char *text)
{
	unsigned before = question.asked;
	int r = question.done(a, text);

	if (question.asked == before && a->overlay == &view_prompt)
		view_close_overlay(a);
	return r | R_REDRAW;
}

static int open_file(struct app *a)
{
	char esc[160], msg[sizeof question.msg];
	struct source_opts o = {.kind = SOURCE_FILE, .name = question.path};

	if (!question.ed.len)
		return R_REDRAW;
	path_expand(question.ed.buf, question.path, sizeof question.path);
	esc_cstr(esc, sizeof esc, question.path);
	if (access(question.path, R_OK) !=
	    0) { /* checked first: a typo must not close the open capture */
		snprintf(msg, sizeof msg, "%s: %s", esc, strerror(errno));
		fail(a, msg);
		return R_REDRAW;
	}
	if (!view_open_source(a, &o, NULL)) {
		snprintf(msg, sizeof msg, "%s", a->notice);
		fail(a, msg);
		return R_REDRAW;
	}
	view_notice(a, "opened %s", esc);
	view_close_overlay(a);
	return R_REDRAW;
}

static int go_to(struct app *a)
{
	struct model *m = a->m;
	char *end;
	unsigned long long num = strtoull(question.ed.buf, &end, 10);
	uint64_t row;

	char msg[sizeof question.msg];

	if (!question.ed.len || *end || num == 0) {
		fail(a, "type a packet number (1 is the first)");
		return R_REDRAW;
	}
	row = model_row_of_at_or_after(m, num - 1);
	if (row >= m->rows.n) {
		snprintf(msg, sizeof msg, "no shown packet at or after %llu", num);
		fail(a, msg);
		return R_REDRAW;
	}
	m->follow = false;
	model_select(m, row);
	if (model_row_index(m, row) != num - 1)
		view_notice(a, "packet %llu is not shown: went to packet %llu", num,
		            (unsigned long long)model_row_index(m, row) + 1);
	else
		a->notice[0] = '\0';
	view_close_overlay(a);
	return R_REDRAW;
}

/* Tab: extend to the common prefix; a Tab that cannot extend lists the candidates. */
static int complete(struct app *a)
{
	char out[LINE_EDIT_MAX], list[sizeof question.msg];
	size_t n = path_complete(question.ed.buf, out, sizeof out, list, sizeof list);

	question.msg[0] = '\0';
	question.msg_elem = E_DIM;
	if (n == 0) {
		snprintf(question.msg, sizeof question.msg, "no match");
	} else if (strcmp(out, question.ed.buf) != 0) {
		line_edit_set(&question.ed, out);
		question.tabbed = false;
		return R_REDRAW;
	} else if (n > 1 && question.tabbed) {
		snprintf(question.msg, sizeof question.msg, "%s", list);
		view_notice(a, "%s", list);
	} else if (n > 1) {
		snprintf(question.msg, sizeof question.msg, "%zu matches: Tab again lists them", n);
	}
	question.tabbed = true;
	return R_REDRAW;
}

static int confirm_key(struct app *a, const struct key_event *ev)
{
	view_close_overlay(a);
	return ev->key == 'y' || ev->key == 'Y' ? R_QUIT : R_REDRAW;
}

static int key(struct app *a, const struct key_event *ev)
{
	if (question.kind == PROMPT_CONFIRM_QUIT)
		return confirm_key(a, ev);
	if (yes_no())
		return ev->key == TK_ESC || ev->key == TK_CTRL_C
		           ? (view_close_overlay(a), R_REDRAW)
		           : answer(a, ev->key == 'y' || ev->key == 'Y' ? "y" : "n");
	if (ev->key == TK_TAB && (question.kind == PROMPT_OPEN ||
	                          (question.kind == PROMPT_ASK && question.input == PI_PATH)))
		return complete(a);
	question.tabbed = false;
	switch (ev->key) {
	case TK_ENTER:
		if (question.kind == PROMPT_ASK)
			return answer(a, question.ed.buf);
		return question.kind == PROMPT_OPEN ? open_file(a) : go_to(a);
	case TK_ESC:
		view_close_overlay(a);
		if (!a->m->store) /* nothing behind the prompt: back to choosing a source */
			view_open_overlay(a, &view_picker);
		return R_REDRAW;
	case TK_CTRL_C:
	case TK_CTRL_L:
		return R_UNHANDLED;
	default:
		if ((question.kind == PROMPT_GOTO ||
		     (question.kind == PROMPT_ASK && question.input == PI_DIGITS)) &&
		    ev->key >= 0x20 && ev->key <= 0x7e && (ev->key < '0' || ev->key > '9'))
			return R_NONE; /* digits only */
		if (line_edit_key(&question.ed, ev->key) == LE_CHANGED)
			question.msg[0] = '\0';
		return R_REDRAW;
	}
}

const struct view_ops view_prompt = {
    .name = "prompt",
    .ctx = CTX_ALL & ~(CTX_PANES | CTX_PICKER), /* only global keys (Ctrl-C, Ctrl-L) */
    .place = VP_LINE,
    .draw = draw,
    .key = key,
};
