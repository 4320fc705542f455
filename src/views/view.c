/*
 * view.c - the host services every view may use (see view.h): notices and errors in the
 * status bar, opening and closing overlays, the focused view and its key context. They
 * work on struct app alone, so views need nothing else of the host.
 */
#include "views/view.h"

#include <stdarg.h>
#include <stdio.h>

void view_notice(struct app *a, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(a->notice, sizeof a->notice, fmt, ap);
	va_end(ap);
	a->dirty = true;
}

void view_error(struct app *a, const char *msg)
{
	if (msg != a->m->error)
		snprintf(a->m->error, sizeof a->m->error, "%s", msg);
	a->notice[0] = '\0';
	a->dirty = true;
}

void view_open_overlay(struct app *a, const struct view_ops *v)
{
	a->overlay = v;
	if (v->open)
		v->open(a);
	a->dirty = true;
}

void view_close_overlay(struct app *a)
{
	a->overlay = NULL;
	term_cursor(0, 0, false);
	a->dirty = true;
}

struct rect view_overlay_rect(const struct app *a, const struct view_ops *v)
{
	if (v->place == VP_FULL)
		return (struct rect){0, 0, a->rows - 2, a->cols};
	return a->line_rect;
}

const struct view_ops *view_focused(const struct app *a)
{
	return a->overlay ? a->overlay : a->panes[a->focus];
}

unsigned view_ctx(const struct app *a)
{
	return view_focused(a)->ctx;
}

const struct action_def *view_action_def(const struct app *a, enum action act)
{
	for (size_t i = 0; i < a->nactions; i++)
		if (a->actions[i].act == act)
			return &a->actions[i];
	return NULL;
}
