/*
 * app.c - the event loop: poll(terminal, ring wake-up, timer) -> keys -> actions ->
 * reactions -> at most one redraw per frame (see app.h).
 */
#include "ui/app.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/signals.h"
#include "model/kept.h"
#include "platform/os.h"

#define FRAME_NS       (40ull * 1000 * 1000)  /* 25 frames a second */
#define SSH_FRAME_NS   (100ull * 1000 * 1000) /* over SSH the display must not flood the link */
#define PUMP_BUDGET_NS (15ull * 1000 * 1000)
#define TICK_NS        (1000ull * 1000 * 1000)
#define MIN_ROWS       10
#define MIN_COLS       40

static const struct view_ops *const panes[PANE_COUNT] = {
    [PANE_LIST] = &view_packet_list, [PANE_DECODE] = &view_decode_pane, [PANE_HEX] = &view_hex_pane,
    [PANE_GRAPH] = &view_rate_graph, [PANE_CONV] = &view_conversations,
};

void app_notice(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->notice, sizeof a->notice, fmt, ap);
	va_end(ap);
	a->dirty = true;
}

void app_open_overlay(struct app *a, const struct view_ops *v)
{
	a->overlay = v;
	if (v->open)
		v->open(a);
	a->dirty = true;
}

void app_close_overlay(struct app *a)
{
	a->overlay = NULL;
	term_cursor(0, 0, false);
	a->dirty = true;
}

unsigned app_ctx(const struct app *a)
{
	if (a->overlay)
		return a->overlay->ctx;
	return panes[a->focus]->ctx;
}

bool app_open_source(struct app *a, const struct source_opts *o, const char *filter)
{
	actions_cancel(a, false); /* a save reads the store that is about to go */
	if (model_open(a->m, o, filter) < 0) {
		app_notice(a, "%s", a->m->error);
		return false;
	}
	a->sel_field = -1;
	a->notice[0] = '\0';
	a->dirty = true;
	return true;
}

/* Splits the screen: panes stacked (list 40%, decode and hex share the rest), then the
 * line for the filter bar and prompts, the status bar and the function-key bar. */
static void layout(struct app *a)
{
	int top = 0, area, shown = 0;
	int weight[PANE_COUNT] = {4, 3, 3, 6, 6}, total = 0;
	bool lower = !a->hidden[PANE_GRAPH] || !a->hidden[PANE_CONV]; /* replaces decode, hex */

	term_size(&a->rows, &a->cols);
	a->too_small = a->rows < MIN_ROWS || a->cols < MIN_COLS;
	a->bar_rect = (struct rect){a->rows - 1, 0, 1, a->cols};
	a->status_rect = (struct rect){a->rows - 2, 0, 1, a->cols};
	a->line_rect = (struct rect){a->rows - 3, 0, 1, a->cols};
	area = a->rows - 2;
	for (int p = 0; p < PANE_COUNT; p++) {
		bool on = a->zoomed ? p == (int)a->focus : !a->hidden[p];
		if (lower && !a->zoomed && (p == PANE_DECODE || p == PANE_HEX))
			on = false;
		a->pane_rect[p] = (struct rect){0, 0, 0, a->cols};
		if (on) {
			total += weight[p];
			shown++;
		} else {
			weight[p] = 0;
		}
	}
	for (int p = 0, left = area; p < PANE_COUNT; p++) {
		if (!weight[p])
			continue;
		int h = --shown ? area * weight[p] / total : left;
		a->pane_rect[p] = (struct rect){top, 0, h, a->cols};
		top += h;
		left -= h;
	}
}

static void draw(struct app *a)
{
	term_erase();
	if (a->too_small) {
		term_put(0, 0, a->cols, E_INVALID, "terminal too small");
		term_put(1, 0, a->cols, E_NORMAL, "(need 40x10)");
		term_update();
		return;
	}
	for (int p = 0; p < PANE_COUNT; p++)
		if (a->pane_rect[p].h > 0)
			panes[p]->draw(a, a->pane_rect[p], !a->overlay && a->focus == (enum pane)p);
	view_status_bar.draw(a, a->status_rect, false);
	if (a->overlay)
		a->overlay->draw(a,
		                 a->overlay == &view_help || a->overlay == &view_picker ||
		                         a->overlay == &view_menu
		                     ? (struct rect){0, 0, a->rows - 2, a->cols}
		                     : a->line_rect,
		                 true);
	term_update();
}

/* Actions every context shares; a view sees an action first and may handle it. */
static int global_action(struct app *a, enum action act)
{
	switch (act) {
	case A_HELP:
		app_open_overlay(a, &view_help);
		return R_REDRAW;
	case A_QUIT:
		if (a->m->kind != SOURCE_FILE && a->m->store && store_count(a->m->store) > 0) {
			prompt_start(a, PROMPT_CONFIRM_QUIT);
			return R_REDRAW;
		}
		return R_QUIT;
	case A_NEXT_PANE:
	case A_PREV_PANE:
		for (int i = 0; i < PANE_COUNT; i++) {
			a->focus = (enum pane)(
			    (a->focus + (act == A_NEXT_PANE ? 1 : PANE_COUNT - 1)) % PANE_COUNT);
			if (a->pane_rect[a->focus].h > 0)
				break;
		}
		return R_REDRAW;
	case A_FILTER:
		app_open_overlay(a, &view_filter_bar);
		return R_REDRAW;
	case A_OPEN:
		prompt_start(a, PROMPT_OPEN);
		return R_REDRAW;
	case A_GOTO:
		prompt_start(a, PROMPT_GOTO);
		return R_REDRAW;
	case A_PICKER:
		app_open_overlay(a, &view_picker);
		return R_REDRAW;
	case A_ZOOM:
		a->zoomed = !a->zoomed;
		return R_RELAYOUT;
	case A_TOGGLE_DECODE:
	case A_TOGGLE_HEX: {
		enum pane p = act == A_TOGGLE_DECODE ? PANE_DECODE : PANE_HEX;
		a->hidden[p] = !a->hidden[p];
		if (a->hidden[p] && a->focus == p)
			a->focus = PANE_LIST;
		return R_RELAYOUT;
	}
	case A_PAUSE:
		model_set_paused(a->m, !a->m->paused);
		return R_REDRAW;
	case A_TIME:
		a->m->time_col = (enum time_col)((a->m->time_col + 1) % TC_COUNT);
		return R_REDRAW;
	case A_REDRAW:
		term_clear();
		return R_REDRAW;
	case A_MENU:
		app_open_overlay(a, &view_menu);
		return R_REDRAW;
	case A_GRAPH:
	case A_CONV: {
		enum pane p = act == A_GRAPH ? PANE_GRAPH : PANE_CONV;
		a->hidden[p] = !a->hidden[p];
		a->focus = a->hidden[p] ? PANE_LIST : p;
		a->zoomed = false;
		return R_RELAYOUT;
	}
	case A_SSH:
		if (!a->m->ssh_filter[0]) {
			app_notice(a, "not running over SSH (SSH_CONNECTION is not set)");
			return R_REDRAW;
		}
		model_ssh_toggle(a->m);
		app_notice(a, "this SSH session's traffic is now %s",
		           a->m->ssh_excluded ? "excluded" : "included");
		return R_REDRAW;
	default:
		return actions_run(a, act);
	}
}

static const struct view_ops *focused_view(const struct app *a)
{
	return a->overlay ? a->overlay : panes[a->focus];
}

static int handle_key(struct app *a, const struct key_event *ev);

static int handle_mouse(struct app *a, const struct key_event *ev)
{
	if (ev->key == TK_CLICK && ev->y == a->bar_rect.y && a->bar_rect.h > 0) {
		struct key_event k = {status_bar_key_at(a, ev->x), -1, -1};
		return k.key == TK_NONE ? R_NONE : handle_key(a, &k);
	}
	if (a->overlay == &view_menu)
		return view_menu.mouse(a, (struct rect){0, 0, a->rows - 2, a->cols}, ev);
	if (a->overlay)
		return a->overlay->mouse ? a->overlay->mouse(a, a->line_rect, ev) : R_NONE;
	for (int p = 0; p < PANE_COUNT; p++) {
		struct rect r = a->pane_rect[p];
		if (r.h > 0 && ev->y >= r.y && ev->y < r.y + r.h) {
			if (ev->key == TK_CLICK)
				a->focus = (enum pane)p;
			return R_REDRAW | (panes[p]->mouse ? panes[p]->mouse(a, r, ev) : 0);
		}
	}
	return R_NONE;
}

static int handle_key(struct app *a, const struct key_event *ev)
{
	const struct view_ops *v = focused_view(a);
	enum action act;
	int r;

	if (ev->key == TK_RESIZE)
		return R_RELAYOUT;
	if (ev->key == TK_CLICK || ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
		return handle_mouse(a, ev);
	if (ev->key == TK_ESC && !a->overlay && a->m->refiltering) {
		model_refilter_cancel(a->m); /* a slow filter over a big file: Esc gives up on it */
		app_notice(a, "filter cancelled: every packet is shown");
		return R_REDRAW;
	}
	if (ev->key == TK_ESC && !a->overlay && actions_cancel(a, true))
		return R_REDRAW; /* the notice says what was cancelled */
	if (v->key && (r = v->key(a, ev)) >= 0)
		return r | R_REDRAW;
	act = keymap_lookup(ev->key, app_ctx(a));
	if (act == A_NONE)
		return R_NONE;
	return app_dispatch(a, act);
}

int app_dispatch(struct app *a, enum action act)
{
	const struct view_ops *v = focused_view(a);
	int r;

	if (v->action && (r = v->action(a, act)) != R_NONE)
		return r;
	return global_action(a, act);
}

/* Sleeps until a key, new packets or the next frame; *gone when the terminal went away
 * (hang-up, closed pty): the program must end, not spin. */
static void wait_events(struct app *a, uint64_t now, uint64_t next_frame, bool busy, bool *gone)
{
	int timeout = 250;

	if (busy)
		timeout = 0;
	else if (a->dirty)
		timeout = next_frame > now ? (int)((next_frame - now) / 1000000) + 1 : 0;
	if (os_wait_input(term_input_fd(), model_wake(a->m), timeout) & OS_INPUT_GONE)
		*gone = true;
}

static void react(struct app *a, int r)
{
	if (r & R_QUIT)
		a->quit = true;
	if (r & R_RELAYOUT)
		layout(a);
	if (r & (R_REDRAW | R_RELAYOUT))
		a->dirty = true;
}

static void read_keys(struct app *a)
{
	struct key_event ev;

	while (!a->quit && term_read_key(&ev)) {
		if (ev.key == TK_RESIZE)
			term_resize();
		react(a, handle_key(a, &ev));
	}
}

static void background_work(struct app *a, uint64_t now, uint64_t *next_tick)
{
	if (model_pump(a->m, PUMP_BUDGET_NS))
		a->dirty = true;
	if (model_conv_step(a->m, PUMP_BUDGET_NS))
		a->dirty = true;
	if (a->m->refiltering) {
		model_refilter_step(a->m, PUMP_BUDGET_NS);
		a->dirty = true;
	}
	if (actions_step(a, PUMP_BUDGET_NS))
		a->dirty = true;
	if (rate_graph_tick(a))
		a->dirty = true;
	if (now >= *next_tick) {
		model_tick(a->m, now);
		*next_tick = now + TICK_NS;
		a->dirty = true; /* rates and counters in the status bar */
	}
}

/* Runs until q, or until the session ends under it (returns true then: the terminal went
 * away, or a hang-up or termination signal). */
static bool loop(struct app *a)
{
	uint64_t frame_ns = a->over_ssh ? SSH_FRAME_NS : FRAME_NS, next_frame = 0, next_tick = 0;
	bool gone = false;

	while (!a->quit) {
		uint64_t now = os_monotonic_ns();
		bool busy = model_busy(a->m) || actions_busy(a);
		wait_events(a, now, next_frame, busy, &gone);
		if (gone || signals_stop_requested(NULL))
			return true;
		read_keys(a);
		now = os_monotonic_ns();
		background_work(a, now, &next_tick);
		if (a->dirty && now >= next_frame) {
			draw(a);
			a->dirty = false;
			next_frame = now + frame_ns;
		}
	}
	return false;
}

/* No source given, or it could not be opened (no permission, no such adapter): the picker,
 * which shows the model's error as the reason. */
static void open_initial(struct app *a)
{
	if (a->opts->source && app_open_source(a, a->opts->source, a->opts->filter))
		return;
	app_open_overlay(a, &view_picker);
}

int app_run(const struct app_opts *o)
{
	static struct app a;
	char err[256], kept[1400];
	bool hung_up;

	memset(&a, 0, sizeof a);
	a.opts = o;
	a.sel_field = -1;
	a.hidden[PANE_GRAPH] = a.hidden[PANE_CONV] = true;
	a.over_ssh = getenv("SSH_CONNECTION") != NULL;
	a.m = model_create();
	if (!a.m) {
		fprintf(stderr, "capscope: out of memory\n");
		return 1;
	}
	if (a.over_ssh)
		model_ssh_init(a.m, getenv("SSH_CONNECTION"), !o->filter || !o->filter[0]);
	signals_install();
	if (term_init(o->theme, err, sizeof err) < 0) {
		fprintf(stderr, "capscope: %s\n", err);
		model_destroy(a.m);
		return 2;
	}
	atexit(term_restore);
	layout(&a);
	open_initial(&a);
	kept_announce(&a);
	a.dirty = true;
	hung_up = loop(&a);
	actions_cancel(&a, true);
	rate_graph_shutdown();
	term_restore();
	if (hung_up && kept_after_hangup(a.m, kept, sizeof kept))
		fprintf(stderr, "capscope: %s\n", kept); /* seen if the terminal is still there */
	model_destroy(a.m); /* closes a file written while capturing, flushed */
	return 0;
}
