/*
 * act_view.c - the monitor's own actions: help, quit, moving between panes, showing and
 * hiding panes and overlays, pausing, the time column, the SSH exclusion. UI thread only.
 */
#include "ui/act.h"
#include "views/follow_view.h"
#include "model/model_procs.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"
#include "views/prompt.h"
#include "views/views.h"

int act_help(struct app *a)
{
	view_open_overlay(a, &view_help);
	return R_REDRAW;
}

/* A live capture's or a stream's packets would be lost: ask first. */
int act_quit(struct app *a)
{
	if (a->m->kind != SOURCE_FILE && a->m->store && store_count(a->m->store) > 0) {
		prompt_start(a, PROMPT_CONFIRM_QUIT);
		return R_REDRAW;
	}
	return R_QUIT;
}

/* The next shown pane, forwards or backwards. */
static int cycle_panes(struct app *a, int step)
{
	for (int i = 0; i < PANE_COUNT; i++) {
		a->focus = (enum pane)((a->focus + step + PANE_COUNT) % PANE_COUNT);
		if (a->pane_rect[a->focus].h > 0)
			break;
	}
	return R_REDRAW;
}

int act_next_pane(struct app *a)
{
	return cycle_panes(a, 1);
}

int act_prev_pane(struct app *a)
{
	return cycle_panes(a, -1);
}

int act_filter(struct app *a)
{
	view_open_overlay(a, &view_filter_bar);
	return R_REDRAW;
}

int act_open(struct app *a)
{
	prompt_start(a, PROMPT_OPEN);
	return R_REDRAW;
}

int act_goto(struct app *a)
{
	prompt_start(a, PROMPT_GOTO);
	return R_REDRAW;
}

int act_picker(struct app *a)
{
	view_open_overlay(a, &view_picker);
	return R_REDRAW;
}

int act_zoom(struct app *a)
{
	a->zoomed = !a->zoomed;
	return R_RELAYOUT;
}

static int toggle_pane(struct app *a, enum pane p)
{
	a->hidden[p] = !a->hidden[p];
	if (a->hidden[p] && a->focus == p)
		a->focus = PANE_LIST;
	return R_RELAYOUT;
}

int act_toggle_decode(struct app *a)
{
	return toggle_pane(a, PANE_DECODE);
}

int act_toggle_hex(struct app *a)
{
	return toggle_pane(a, PANE_HEX);
}

int act_pause(struct app *a)
{
	model_set_paused(a->m, !a->m->paused);
	return R_REDRAW;
}

int act_time(struct app *a)
{
	a->m->time_col = (enum time_col)((a->m->time_col + 1) % TC_COUNT);
	return R_REDRAW;
}

int act_names(struct app *a)
{
	a->m->show_names = !a->m->show_names;
	return R_REDRAW;
}

/* Key N: reverse lookups on (and names shown) or off; why not, when they cannot start. */
int act_resolve(struct app *a)
{
	bool on = !model_resolve_on(a->m);

	if (!model_resolve_set(a->m, on)) {
		view_notice(a, "%s", a->m->error);
		return R_REDRAW;
	}
	if (on)
		a->m->show_names = true;
	view_notice(a, "reverse lookups %s", on ? "on" : "off");
	return R_REDRAW;
}

int act_redraw(struct app *a)
{
	(void)a;
	term_clear();
	return R_REDRAW;
}

int act_suspend(struct app *a)
{
	(void)a;
	return term_suspend() ? R_REDRAW : 0;
}

int act_menu(struct app *a)
{
	view_open_overlay(a, &view_menu);
	return R_REDRAW;
}

/* The graph and the conversations take the place of the decode and hex panes. */
static int toggle_lower(struct app *a, enum pane p)
{
	a->hidden[p] = !a->hidden[p];
	a->focus = a->hidden[p] ? PANE_LIST : p;
	a->zoomed = false;
	return R_RELAYOUT;
}

int act_graph(struct app *a)
{
	return toggle_lower(a, PANE_GRAPH);
}

int act_conv(struct app *a)
{
	return toggle_lower(a, PANE_CONV);
}

int act_procs(struct app *a)
{
	return toggle_lower(a, PANE_PROCS);
}

/* The first toggle turns the default (on while packets are attributed) into a choice. */
int act_proc_column(struct app *a)
{
	a->m->proc_col = model_proc_column(a->m) ? PC_OFF : PC_ON;
	return R_REDRAW;
}

/* Follow stream on the selected packet. */
int act_stream(struct app *a)
{
	struct stream_mark mk;

	if (!a->m->store || a->m->rows.n == 0) {
		view_notice(a, "no packet selected: nothing to follow");
		return R_REDRAW;
	}
	model_streams_finish(a->m); /* the stream's chain whole, to the last stored packet */
	if (!model_stream_mark(a->m, model_row_index(a->m, a->m->selected), &mk)) {
		view_notice(a, "the selected packet is not TCP or UDP: no stream to follow");
		return R_REDRAW;
	}
	return follow_view_open(a, mk.proto, mk.number);
}

int act_ssh(struct app *a)
{
	if (!a->m->ssh_filter[0]) {
		view_notice(a, "not running over SSH (SSH_CONNECTION is not set)");
		return R_REDRAW;
	}
	model_ssh_toggle(a->m);
	view_notice(a, "this SSH session's traffic is now %s",
	            a->m->ssh_excluded ? "excluded" : "included");
	return R_REDRAW;
}
