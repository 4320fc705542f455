/*
 * app.c - the host of the views: the event loop, poll(terminal, ring wake-up, timer) ->
 * keys -> the focused view, then the action table -> reactions -> at most one redraw per
 * frame (see app.h). Views are driven only through struct view_ops (views/view.h).
 */
#include "ui/app.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "model/kept.h"
#include "model/model_procs.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"
#include "platform/os.h"
#include "platform/signals.h"
#include "ui/actions.h"
#include "views/views.h"

#define FRAME_NS       (40ull * 1000 * 1000)  /* 25 frames a second */
#define SSH_FRAME_NS   (100ull * 1000 * 1000) /* over SSH the display must not flood the link */
#define PUMP_BUDGET_NS (15ull * 1000 * 1000)
/* While an --immediate live capture attributes packets, the ring is looked at every
 * ATTRIB_POLL_MS, not only when the capture thread wakes the loop (every 64 packets or a
 * read timeout): a socket of a few ms is then still there when its first packet is
 * attributed. Without --immediate the kernel holds packets up to the read timeout anyway,
 * and the poll would only cost (200 wake-ups a second, 1.6% of a core while idle). */
#define ATTRIB_POLL_MS 5
#define TICK_NS        (1000ull * 1000 * 1000)
#define MIN_ROWS       10
#define MIN_COLS       40

/* The pane stack, top to bottom. */
static const struct view_ops *const panes[PANE_COUNT] = {
    [PANE_LIST] = &view_packet_list,   [PANE_DECODE] = &view_decode_pane,
    [PANE_HEX] = &view_hex_pane,       [PANE_GRAPH] = &view_rate_graph,
    [PANE_CONV] = &view_conversations, [PANE_PROCS] = &view_processes,
};

/* The open_source hook of struct app_hooks. */
static bool open_source(struct app *a, const struct source_opts *o, unsigned n, const char *filter)
{
	actions_cancel(a, false); /* a save reads the store that is about to go */
	if (model_open_many(a->m, o, n, filter) < 0) {
		view_notice(a, "%s", a->m->error);
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
	int weight[PANE_COUNT] = {4, 3, 3, 6, 6, 6}, total = 0;
	bool lower = !a->hidden[PANE_GRAPH] || !a->hidden[PANE_CONV] ||
	             !a->hidden[PANE_PROCS]; /* replaces decode, hex */

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
			a->panes[p]->draw(a, a->pane_rect[p],
			                  !a->overlay && a->focus == (enum pane)p);
	a->status->draw(a, a->status_rect, false);
	if (a->overlay)
		a->overlay->draw(a, view_overlay_rect(a, a->overlay), true);
	term_update();
}

static int handle_key(struct app *a, const struct key_event *ev);
static int dispatch(struct app *a, enum action act);

static int handle_mouse(struct app *a, const struct key_event *ev)
{
	if (ev->key == TK_CLICK && ev->y == a->bar_rect.y && a->bar_rect.h > 0)
		return a->status->mouse(a, a->bar_rect, ev);
	if (a->overlay)
		return a->overlay->mouse
		           ? a->overlay->mouse(a, view_overlay_rect(a, a->overlay), ev)
		           : R_NONE;
	for (int p = 0; p < PANE_COUNT; p++) {
		struct rect r = a->pane_rect[p];
		if (r.h > 0 && ev->y >= r.y && ev->y < r.y + r.h) {
			if (ev->key == TK_CLICK)
				a->focus = (enum pane)p;
			return R_REDRAW | (a->panes[p]->mouse ? a->panes[p]->mouse(a, r, ev) : 0);
		}
	}
	return R_NONE;
}

static int handle_key(struct app *a, const struct key_event *ev)
{
	const struct view_ops *v = view_focused(a);
	enum action act;
	int r;

	if (ev->key == TK_RESIZE)
		return R_RELAYOUT;
	if (ev->key == TK_CLICK || ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
		return handle_mouse(a, ev);
	if (ev->key == TK_ESC && !a->overlay && a->m->refiltering) {
		model_refilter_cancel(a->m); /* a slow filter over a big file: Esc gives up on it */
		view_notice(a, "filter cancelled: every packet is shown");
		return R_REDRAW;
	}
	if (ev->key == TK_ESC && !a->overlay && actions_cancel(a, true))
		return R_REDRAW; /* the notice says what was cancelled */
	if (v->key && (r = v->key(a, ev)) != R_UNHANDLED)
		return r | R_REDRAW;
	act = keymap_lookup(ev->key, view_ctx(a));
	if (act == A_NONE)
		return R_NONE;
	return dispatch(a, act);
}

/* The dispatch hook: the focused view first, then the action table's handler. */
static int dispatch(struct app *a, enum action act)
{
	const struct view_ops *v = view_focused(a);
	const struct action_def *def;
	int r;

	if (v->action && (r = v->action(a, act)) != R_UNHANDLED)
		return r;
	def = view_action_def(a, act);
	return def && def->run ? def->run(a) : R_NONE;
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
	if (a->m->cap && a->m->opts.immediate && model_procs_on(a->m) && timeout > ATTRIB_POLL_MS)
		timeout = ATTRIB_POLL_MS;
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
	if (model_streams_due(a->m)) {
		model_streams_step(a->m, PUMP_BUDGET_NS);
		a->dirty = true;
	}
	if (a->m->refiltering) {
		model_refilter_step(a->m, PUMP_BUDGET_NS);
		a->dirty = true;
	}
	if (model_resolve_step(a->m, PUMP_BUDGET_NS))
		a->dirty = true;
	if (actions_step(a, PUMP_BUDGET_NS))
		a->dirty = true;
	for (int p = 0; p < PANE_COUNT; p++)
		if (a->panes[p]->tick && a->panes[p]->tick(a))
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
		bool busy = model_busy(a->m) || actions_busy();
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
static void open_initial(struct app *a, const struct app_opts *o)
{
	if (o->source && open_source(a, o->source, o->nsources ? o->nsources : 1, o->filter))
		return;
	view_open_overlay(a, &view_picker);
}

/* A capture kept when an earlier session hung up: named once, its path offered by o. */
static void announce_kept(struct app *a)
{
	char notice[sizeof a->notice];

	if (kept_announce(notice, sizeof notice, a->open_hint, sizeof a->open_hint))
		view_notice(a, "%s", notice);
}

static const struct app_hooks hooks = {
    .dispatch = dispatch,
    .key = handle_key,
    .open_source = open_source,
};

static void init_host(struct app *a, const struct app_opts *o)
{
	memset(a, 0, sizeof *a);
	a->hooks = &hooks;
	memcpy(a->panes, panes, sizeof panes);
	a->status = &view_status_bar;
	a->actions = action_table;
	a->nactions = action_count;
	a->initial_filter = o->filter;
	a->sel_field = -1;
	a->hidden[PANE_GRAPH] = a->hidden[PANE_CONV] = a->hidden[PANE_PROCS] = true;
	a->over_ssh = getenv("SSH_CONNECTION") != NULL;
}

static void shutdown_views(struct app *a)
{
	for (int p = 0; p < PANE_COUNT; p++)
		if (a->panes[p]->shutdown)
			a->panes[p]->shutdown();
}

int app_run(const struct app_opts *o)
{
	static struct app a;
	char err[256], kept[1400], saved[1024];
	bool hung_up;

	init_host(&a, o);
	a.m = model_create();
	if (!a.m) {
		fprintf(stderr, "capscope: out of memory\n");
		return 1;
	}
	if (o->max_streams) /* the table is made again at the source's opening */
		a.m->max_streams = o->max_streams;
	a.m->no_reassembly = o->no_reassembly;
	a.m->display_first = o->filter_display;
	if (o->spill_max_set)
		a.m->spill_max = o->spill_max;
	a.m->spill_stop = o->spill_stop;
	a.m->no_processes = o->no_processes;
	a.m->no_ebpf = o->no_ebpf;
	a.m->resolve_servers = o->resolve_servers;
	if (o->resolve && model_resolve_set(a.m, true)) /* the name columns show them */
		a.m->show_names = true;
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
	open_initial(&a, o);
	announce_kept(&a);
	a.dirty = true;
	hung_up = loop(&a);
	if (!hung_up || actions_complete_save(saved, sizeof saved) == 0)
		saved[0] = '\0';
	actions_cancel(&a, true);
	shutdown_views(&a);
	term_restore();
	if (saved[0])
		fprintf(stderr, "capscope: %s\n", saved);
	if (hung_up && kept_after_hangup(a.m, kept, sizeof kept))
		fprintf(stderr, "capscope: %s\n", kept); /* seen if the terminal is still there */
	model_destroy(a.m); /* closes a file written while capturing, flushed */
	return 0;
}
