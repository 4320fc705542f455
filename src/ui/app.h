/*
 * app.h - the full-screen program: one event loop, one redraw point, views as const ops.
 *
 * The loop polls the terminal, the ring's wake-up descriptor and a frame timer; keys become
 * actions through the key table; views return reaction flags and only the loop acts on them
 * (redraw, quit). Frames are drawn at most ~25 times a second (10 over SSH), never per
 * packet. All of this runs on the UI thread; the capture thread only feeds the ring.
 */
#ifndef CAPSCOPE_APP_H
#define CAPSCOPE_APP_H

#include <stdbool.h>
#include <stdint.h>

#include "ui/keymap.h"
#include "model/model.h"
#include "ui/term.h"

enum react {
	R_NONE = 0,
	R_REDRAW = 1 << 0,
	R_QUIT = 1 << 1,     /* leave now */
	R_RELAYOUT = 1 << 2, /* pane sizes changed */
};

/* PANE_GRAPH and PANE_CONV start hidden and take the place of the decode and hex panes. */
enum pane { PANE_LIST, PANE_DECODE, PANE_HEX, PANE_GRAPH, PANE_CONV, PANE_COUNT };

struct rect {
	int y, x, h, w;
};

struct app;

/* A view: a pane, a bar or a modal overlay. A view draws only inside its rect and never
 * calls term_update(); its private state lives in its own file. */
struct view_ops {
	const char *name;
	unsigned ctx; /* key table context (enum key_ctx) */
	void (*draw)(struct app *a, struct rect r, bool focused);
	/* An action from the key table (NULL: none handled). Returns enum react flags. */
	int (*action)(struct app *a, enum action act);
	/* Raw keys, for views that take text (prompts, filter bar); NULL otherwise. Called
	 * before the key table; return -1 to let the key table handle the key. */
	int (*key)(struct app *a, const struct key_event *ev);
	/* A click or wheel event inside r (absolute coordinates). */
	int (*mouse)(struct app *a, struct rect r, const struct key_event *ev);
	/* Called when the view is opened as an overlay. */
	void (*open)(struct app *a);
};

struct app_opts {
	const char *theme;                /* "default" or "mono" */
	const struct source_opts *source; /* NULL: start with the adapter picker */
	const char *filter;               /* initial filter, may be NULL */
};

struct app {
	struct model *m;
	const struct app_opts *opts;
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

extern const struct view_ops view_packet_list;
extern const struct view_ops view_decode_pane;
extern const struct view_ops view_hex_pane;
extern const struct view_ops view_status_bar;
extern const struct view_ops view_filter_bar;
extern const struct view_ops view_help;
extern const struct view_ops view_picker;
extern const struct view_ops view_prompt;
extern const struct view_ops view_menu;
extern const struct view_ops view_rate_graph;
extern const struct view_ops view_conversations;

/* The rate graph's own counting (views/rate_graph.c): follows the model's adapter and
 * filter; true when a new interval arrived for a shown graph. Shutdown stops it. */
bool rate_graph_tick(struct app *a);
void rate_graph_shutdown(void);

/* Prompts (views/prompt.c) on the line above the status bar. */
enum prompt_kind { PROMPT_OPEN, PROMPT_GOTO, PROMPT_CONFIRM_QUIT, PROMPT_ASK };
void prompt_start(struct app *a, enum prompt_kind k);

/* A general prompt (PROMPT_ASK): label and initial text are copied. Enter calls done with
 * the text ("y" or "n" for PI_YESNO, which any key answers); the prompt then closes unless
 * done called prompt_error() (stay open for a correction) or prompt_ask() (the next
 * question). Esc closes it without calling done. */
enum prompt_input { PI_TEXT, PI_PATH /* Tab completes */, PI_DIGITS, PI_YESNO };
struct prompt_spec {
	const char *label;
	enum prompt_input input;
	const char *initial;                          /* may be NULL */
	int (*done)(struct app *a, const char *text); /* returns enum react flags */
};
void prompt_ask(struct app *a, const struct prompt_spec *spec);
void prompt_error(struct app *a, const char *msg);

/* The File, Capture and Send actions (actions.c): R_NONE for other actions. */
int actions_run(struct app *a, enum action act);
/* Background work of those actions (a save in slices); true while some remains. */
bool actions_step(struct app *a, uint64_t budget_ns);
bool actions_busy(const struct app *a);
/* Gives up on a running save (before the store goes away) and, with sends, on a running
 * send too (Esc, the end of the program). Returns true if something was running. */
bool actions_cancel(struct app *a, bool sends);

/* Opens the adapter picker to choose where to send: Enter closes it and calls chosen with
 * the adapter's name and link type (-1: unknown); Esc closes it without a call. */
typedef int (*picker_target_fn)(struct app *a, const char *name, int dlt);
void picker_choose_target(struct app *a, picker_target_fn chosen);

/* The key of the function-key bar entry at column x, or TK_NONE (a click becomes a key). */
int status_bar_key_at(const struct app *a, int x);
/* Runs an action as its key would: the focused view first, then the global actions. */
int app_dispatch(struct app *a, enum action act);

/* Runs the TUI until quit. Returns the process exit status. */
int app_run(const struct app_opts *o);

void app_open_overlay(struct app *a, const struct view_ops *v);
void app_close_overlay(struct app *a);
/* Shows a one-line message in the status bar (printf-style; pass escaped text only). */
void app_notice(struct app *a, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Opens a source (file or live) in the model; on failure the error shows as a notice. */
bool app_open_source(struct app *a, const struct source_opts *o, const char *filter);
/* The key-table context of the focused pane or overlay. */
unsigned app_ctx(const struct app *a);

#endif
