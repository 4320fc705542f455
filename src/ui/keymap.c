/* keymap.c - the key table (see keymap.h). Order matters: the first match wins, the help
 * screen lists actions in the order of their first bindings, and the bar shows bindings in
 * table order. */
#include "ui/keymap.h"

#include <string.h>

#include "ui/term.h"

const struct keybind keymap[] = {
    {TK_F1, A_HELP, CTX_ALL, "Help"},
    {'?', A_HELP, CTX_ALL, NULL},
    {TK_F2, A_MENU, CTX_PANES, "Menu"},
    {'m', A_MENU, CTX_PANES, NULL},
    {'q', A_QUIT, CTX_ALL, "Quit"},
    {TK_CTRL_C, A_QUIT, CTX_ALL, NULL},
    {'/', A_FILTER, CTX_PANES, "Filter"},
    {TK_TAB, A_NEXT_PANE, CTX_PANES, "Pane"},
    {TK_BTAB, A_PREV_PANE, CTX_PANES, NULL},
    {TK_UP, A_UP, CTX_ALL, NULL},
    {'k', A_UP, CTX_ALL, NULL},
    {TK_DOWN, A_DOWN, CTX_ALL, NULL},
    {'j', A_DOWN, CTX_ALL, NULL},
    {TK_PGUP, A_PGUP, CTX_ALL, NULL},
    {TK_PGDN, A_PGDN, CTX_ALL, NULL},
    {TK_HOME, A_HOME, CTX_ALL, NULL},
    {'g', A_HOME, CTX_ALL, NULL},
    {TK_END, A_END, CTX_ALL, NULL},
    {'G', A_END, CTX_ALL, NULL},
    {TK_LEFT, A_LEFT, CTX_ALL, NULL},
    {'h', A_LEFT, CTX_ALL, NULL},
    {TK_RIGHT, A_RIGHT, CTX_ALL, NULL},
    {'l', A_RIGHT, CTX_ALL, NULL},
    {TK_ENTER, A_ENTER, CTX_ALL, NULL},
    {TK_ESC, A_ESC, CTX_ALL, NULL},
    {'f', A_FILTER_FIELD, CTX_DECODE, NULL},
    {'F', A_FILTER_FIELD_AND, CTX_DECODE, NULL},
    {'F', A_FOLLOW, CTX_PANES, NULL},
    {' ', A_MARK, CTX_PANES, "Mark"},
    {'p', A_PAUSE, CTX_PANES, "Pause"},
    {'t', A_TIME, CTX_PANES, "Time"},
    {':', A_GOTO, CTX_PANES, "Goto"},
    {'z', A_ZOOM, CTX_PANES, "Zoom"},
    {'D', A_TOGGLE_DECODE, CTX_PANES, NULL},
    {'X', A_TOGGLE_HEX, CTX_PANES, NULL},
    {'o', A_OPEN, CTX_ALL, "Open"},
    {'a', A_PICKER, CTX_PANES, "Adapters"},
    {'S', A_SSH, CTX_PANES, NULL},
    {TK_CTRL_L, A_REDRAW, CTX_ALL, NULL},
    {TK_CTRL_Z, A_SUSPEND, CTX_ALL, NULL},
    {'S' - '@', A_SAVE_ALL, CTX_PANES, NULL},
    {'w', A_SAVE_DISPLAYED, CTX_PANES, "Save"},
    {'M', A_SAVE_MARKED, CTX_PANES, NULL},
    {'E', A_SAVE_SELECTED, CTX_PANES, NULL},
    {'L', A_SAVE_LAST, CTX_PANES, NULL},
    {'E' - '@', A_CAPTURE_START, CTX_PANES, NULL},
    {'X' - '@', A_CAPTURE_STOP, CTX_PANES, NULL},
    {'R' - '@', A_CAPTURE_RESTART, CTX_PANES, NULL},
    {'K' - '@', A_CAPTURE_OPTIONS, CTX_PANES, NULL},
    {'W', A_WRITE_WHILE, CTX_PANES, NULL},
    {'P' - '@', A_REPLAY, CTX_PANES, NULL},
    {'T' - '@', A_SEND, CTX_PANES, NULL},
    {'r', A_GRAPH, CTX_PANES, "Rate"},
    {'c', A_CONV, CTX_PANES, "Conv"},
    {'P', A_PROCS, CTX_PANES, "Procs"},
    {'C', A_PROC_COLUMN, CTX_PANES, NULL},
    {'i', A_GRAPH_INTERVAL, CTX_GRAPH, NULL},
    {'+', A_GRAPH_WIDER, CTX_GRAPH, NULL},
    {'-', A_GRAPH_NARROWER, CTX_GRAPH, NULL},
    {'b', A_GRAPH_METRIC, CTX_GRAPH, NULL},
    {'T', A_GRAPH_TOTAL, CTX_GRAPH, NULL},
    {'e', A_STREAM, CTX_LIST | CTX_DECODE | CTX_HEX, "Stream"},
    {'m', A_FOLLOW_MODE, CTX_FOLLOW, "Mode"},
    {'d', A_FOLLOW_DIR, CTX_FOLLOW, "Direction"},
    {'f', A_FOLLOW_FILTER, CTX_FOLLOW, "Filter"},
    {'w', A_FOLLOW_SAVE, CTX_FOLLOW, "Save"},
    {'/', A_SEARCH, CTX_FOLLOW, "Search"},
    {'n', A_SEARCH_NEXT, CTX_FOLLOW, "Next"},
    {'N', A_SEARCH_PREV, CTX_FOLLOW, NULL},
    {'s', A_SORT, CTX_CONV | CTX_PROCS, "Sort"},
    {'v', A_CONV_VIEW, CTX_CONV, "View"},
    {'n', A_NAMES, CTX_PANES | CTX_CONV, NULL},
    {'N', A_RESOLVE, CTX_PANES | CTX_CONV, NULL},
};

const size_t keymap_len = sizeof keymap / sizeof keymap[0];

enum action keymap_lookup(int key, unsigned ctx)
{
	for (size_t i = 0; i < keymap_len; i++)
		if (keymap[i].key == key && (keymap[i].ctx & ctx))
			return keymap[i].act;
	return A_NONE;
}

const char *keymap_keys_text(enum action act, unsigned ctx, char *buf, size_t n)
{
	size_t o = 0;
	char name[16];

	buf[0] = '\0';
	for (size_t i = 0; i < keymap_len && o + 1 < n; i++) {
		if (keymap[i].act != act || !(keymap[i].ctx & ctx))
			continue;
		const char *kn = term_key_name(keymap[i].key, name, sizeof name);
		size_t len = strlen(kn) + (o ? 2 : 0);
		if (o + len + 1 > n)
			break;
		if (o) {
			memcpy(buf + o, ", ", 2);
			o += 2;
		}
		memcpy(buf + o, kn, strlen(kn) + 1);
		o += strlen(kn);
	}
	return buf;
}
