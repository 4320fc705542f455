/*
 * view.h - the view host interface: what a view is, what it may ask of the monitor that
 * hosts it, and the state the host shares with every view.
 *
 * A view is a pane (packet list, decode, hex, rate graph, conversations), the status bar,
 * or an overlay (a full-screen one such as help, picker, menu; or one on the line above the
 * status bar such as a prompt or the filter bar). It is one file in views/ exporting one
 * const struct view_ops; its private state lives in that file. A view draws only inside the
 * rectangle it is given and never calls term_update(): the host (ui/app.c) draws once per
 * frame. Keys, actions and clicks return reaction flags (enum react), or R_UNHANDLED to let
 * the host try the next handler; only the host acts on the flags.
 *
 * Views reach the host through this header alone: the notices and errors of the status
 * bar, overlays, running an action as its key would, opening a source. The host fills the
 * hooks and the pane table before the first view runs. UI thread only.
 */
#ifndef CAPSCOPE_VIEW_H
#define CAPSCOPE_VIEW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "model/model.h"
#include "ui/keymap.h"
#include "ui/term.h"

/* Reactions: what the host does after a key, an action or a click. */
enum react {
	R_NONE = 0,          /* handled, nothing to do */
	R_REDRAW = 1 << 0,   /* draw the next frame */
	R_QUIT = 1 << 1,     /* leave now */
	R_RELAYOUT = 1 << 2, /* pane sizes changed */
};
/* A key or action the view does not take: the host passes it on (the key table, then the
 * action table). The one "not handled" value for every handler. */
#define R_UNHANDLED (-1)

/* PANE_GRAPH, PANE_CONV and PANE_PROCS start hidden and take the place of the decode and hex
 * panes. */
enum pane { PANE_LIST, PANE_DECODE, PANE_HEX, PANE_GRAPH, PANE_CONV, PANE_PROCS, PANE_COUNT };

struct rect {
	int y, x, h, w;
};

/* Where the host puts a view. */
enum view_place {
	VP_PANE, /* a pane of the stack, or the status bar */
	VP_LINE, /* an overlay on the line above the status bar (prompts, the filter bar) */
	VP_FULL, /* an overlay over every pane (help, picker, menu) */
};

struct app;

struct view_ops {
	const char *name;
	unsigned ctx; /* key table context (enum key_ctx) */
	enum view_place place;
	void (*draw)(struct app *a, struct rect r, bool focused);
	/* Raw keys, for views that take text (prompts, filter bar); NULL otherwise. Called
	 * before the key table; R_UNHANDLED lets the key table handle the key. */
	int (*key)(struct app *a, const struct key_event *ev);
	/* An action of the key table; R_UNHANDLED passes it to the action table. */
	int (*action)(struct app *a, enum action act);
	/* A click or wheel event inside r (absolute coordinates); R_UNHANDLED: ignored. */
	int (*mouse)(struct app *a, struct rect r, const struct key_event *ev);
	/* Called when the view is opened as an overlay. */
	void (*open)(struct app *a);
	/* Background work once a loop turn, shown or not; true when the screen changed. */
	bool (*tick)(struct app *a);
	/* The program ends: stop what the view started (threads, counters). */
	void (*shutdown)(void);
};

/* What the host does for views (set by ui/app.c; views call the view_* wrappers below). */
struct app_hooks {
	/* Runs an action as its key would: the focused view first, then the action table. */
	int (*dispatch)(struct app *a, enum action act);
	/* Handles a key as if typed (a click on the function-key bar). */
	int (*key)(struct app *a, const struct key_event *ev);
	/* Opens n sources in the model (a file, or n live adapters merged into one capture); on
	 * failure the error shows as a notice. */
	bool (*open_source)(struct app *a, const struct source_opts *o, unsigned n,
	                    const char *filter);
};

/* One row of the action table (ui/actions.c): the one place an action is described. */
enum action_menu { MENU_NONE = -1, MENU_FILE, MENU_CAPTURE, MENU_SEND, MENU_ANALYZE, MENU_COUNT };
struct action_def {
	enum action act;
	const char *help;  /* the help screen's note */
	int menu;          /* enum action_menu */
	const char *label; /* the menu item, or NULL */
	/* What the action does when no view took it; NULL for actions only views handle. */
	int (*run)(struct app *a);
};

/* The state the host shares with its views. */
struct app {
	struct model *m;
	const struct app_hooks *hooks;
	const struct view_ops *panes[PANE_COUNT];
	const struct view_ops *status; /* the status bar and function-key bar */
	const struct action_def *actions;
	size_t nactions;
	const char *initial_filter; /* from the command line, may be NULL */
	enum pane focus;
	bool hidden[PANE_COUNT];
	bool zoomed;
	struct rect pane_rect[PANE_COUNT];
	struct rect status_rect, bar_rect, line_rect; /* line_rect: filter bar / prompts */
	const struct view_ops *overlay;               /* modal view on top, or NULL */
	int rows, cols;
	bool too_small;
	bool dirty;
	bool quit;
	bool over_ssh;
	int sel_field;          /* index in m->diss.f selected in the decode pane, or -1 */
	uint64_t sel_field_pkt; /* the store index sel_field belongs to */
	char notice[200];       /* one line for the status bar (errors, results) */
	char open_hint[1024];   /* the next open prompt starts with this path (a kept capture) */
};

/* Shows a one-line message in the status bar (printf-style; pass escaped text only). */
void view_notice(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Shows an error in the status bar, in the error colour, at once (it replaces the notice). */
void view_error(struct app *a, const char *msg);
void view_open_overlay(struct app *a, const struct view_ops *v);
void view_close_overlay(struct app *a);
/* The overlay's rectangle for its placement. */
struct rect view_overlay_rect(const struct app *a, const struct view_ops *v);
/* The focused view: the overlay, else the focused pane. */
const struct view_ops *view_focused(const struct app *a);
/* The key-table context of the focused pane or overlay. */
unsigned view_ctx(const struct app *a);
/* The action table's row for act, or NULL. */
const struct action_def *view_action_def(const struct app *a, enum action act);

static inline int view_dispatch(struct app *a, enum action act)
{
	return a->hooks->dispatch(a, act);
}

static inline int view_key(struct app *a, const struct key_event *ev)
{
	return a->hooks->key(a, ev);
}

static inline bool view_open_source(struct app *a, const struct source_opts *o, const char *filter)
{
	return a->hooks->open_source(a, o, 1, filter);
}

static inline bool view_open_sources(struct app *a, const struct source_opts *o, unsigned n,
                                     const char *filter)
{
	return a->hooks->open_source(a, o, n, filter);
}

#endif
