/*
 * keymap.h - the one key table: every binding with its action and where it applies, and
 * the function-key bar's label. What an action does, its help note and its menu item are in
 * the action table (ui/actions.c); the help screen, the function-key bar and the menus are
 * generated from the two tables. A mouse click is turned into a key or an action before it
 * gets here.
 */
#ifndef CAPSCOPE_KEYMAP_H
#define CAPSCOPE_KEYMAP_H

#include <stdbool.h>
#include <stddef.h>

enum action {
	A_NONE = 0,
	A_QUIT,
	A_HELP,
	A_NEXT_PANE,
	A_PREV_PANE,
	A_UP,
	A_DOWN,
	A_PGUP,
	A_PGDN,
	A_HOME,
	A_END,
	A_LEFT,
	A_RIGHT,
	A_ENTER,
	A_ESC,
	A_FOLLOW,
	A_MARK,
	A_PAUSE,
	A_FILTER,
	A_TIME,
	A_GOTO,
	A_ZOOM,
	A_TOGGLE_DECODE,
	A_TOGGLE_HEX,
	A_OPEN,
	A_PICKER,
	A_SSH,
	A_REDRAW,
	A_SUSPEND,
	A_MENU,
	A_SAVE_ALL,
	A_SAVE_DISPLAYED,
	A_SAVE_MARKED,
	A_SAVE_SELECTED,
	A_SAVE_LAST,
	A_CAPTURE_START,
	A_CAPTURE_STOP,
	A_CAPTURE_RESTART,
	A_CAPTURE_OPTIONS,
	A_WRITE_WHILE,
	A_REPLAY,
	A_SEND,
	A_GRAPH,          /* show / hide the rate graph */
	A_CONV,           /* show / hide the conversations */
	A_GRAPH_INTERVAL, /* graph: next interval */
	A_GRAPH_WIDER,    /* graph: more intervals */
	A_GRAPH_NARROWER,
	A_GRAPH_METRIC,     /* graph: bits/s or packets/s */
	A_GRAPH_TOTAL,      /* graph: total traffic beside the filtered */
	A_SORT,             /* conversations: next sort column */
	A_CONV_VIEW,        /* conversations: pairs, 5-tuples, protocols */
	A_FILTER_FIELD,     /* decode pane: the selected field becomes the filter */
	A_FILTER_FIELD_AND, /* decode pane: ... is added to the filter with && */
	A_STREAM,           /* follow the selected packet's TCP or UDP stream */
	A_FOLLOW_MODE,      /* follow: ASCII, UTF-8, hex dump, raw */
	A_FOLLOW_DIR,       /* follow: both directions, A>B, B>A */
	A_FOLLOW_FILTER,    /* follow: filter the list to the stream */
	A_FOLLOW_SAVE,      /* follow: save the shown payload */
	A_SEARCH,           /* follow: search the text */
	A_SEARCH_NEXT,
	A_SEARCH_PREV,
	A_NAMES,       /* Source/Destination: addresses or names learned from the capture */
	A_PROCS,       /* show / hide the Processes pane */
	A_PROC_COLUMN, /* packet list: the Process column on / off */
	A_RESOLVE,     /* reverse (PTR) lookups on / off (--resolve) */
	A_COUNT
};

/* Where a binding applies: a bit per context; CTX_ALL for global keys. */
enum key_ctx {
	CTX_LIST = 1 << 0,
	CTX_DECODE = 1 << 1,
	CTX_HEX = 1 << 2,
	CTX_PICKER = 1 << 3,
	CTX_MENU = 1 << 4,
	CTX_GRAPH = 1 << 5,
	CTX_CONV = 1 << 6,
	CTX_FOLLOW = 1 << 7,
	CTX_PROCS = 1 << 8,
	CTX_PANES = CTX_LIST | CTX_DECODE | CTX_HEX | CTX_GRAPH | CTX_CONV | CTX_PROCS,
	CTX_ALL = 0x1ff,
};

struct keybind {
	int key; /* a character or TK_ code */
	enum action act;
	unsigned ctx;    /* enum key_ctx bits */
	const char *bar; /* label in the function-key bar, or NULL */
};

extern const struct keybind keymap[];
extern const size_t keymap_len;

/* The action bound to key in context ctx, or A_NONE. */
enum action keymap_lookup(int key, unsigned ctx);
/* Every key of an action as text ("j, Down"), for the help screen. */
const char *keymap_keys_text(enum action act, unsigned ctx, char *buf, size_t n);

#endif
