/* keymap.c - the key table (see keymap.h). Order matters: the first match wins, and the
 * first binding of an action is the one the help and the bar show. */
#include "ui/keymap.h"

#include <string.h>

#include "ui/term.h"

const struct keybind keymap[] = {
    {TK_F1, A_HELP, CTX_ALL, "show this help", "Help"},
    {'?', A_HELP, CTX_ALL, NULL, NULL},
    {TK_F2, A_MENU, CTX_PANES, "open the menu bar (File, Capture, Send)", "Menu"},
    {'m', A_MENU, CTX_PANES, NULL, NULL},
    {'q', A_QUIT, CTX_ALL, "quit (asks first if captured packets would be lost)", "Quit"},
    {TK_CTRL_C, A_QUIT, CTX_ALL, NULL, NULL},
    {'/', A_FILTER, CTX_PANES, "edit the BPF display/capture filter", "Filter"},
    {TK_TAB, A_NEXT_PANE, CTX_PANES, "next pane", "Pane"},
    {TK_BTAB, A_PREV_PANE, CTX_PANES, "previous pane", NULL},
    {TK_UP, A_UP, CTX_ALL, "move up", NULL},
    {'k', A_UP, CTX_ALL, NULL, NULL},
    {TK_DOWN, A_DOWN, CTX_ALL, "move down", NULL},
    {'j', A_DOWN, CTX_ALL, NULL, NULL},
    {TK_PGUP, A_PGUP, CTX_ALL, "page up", NULL},
    {TK_PGDN, A_PGDN, CTX_ALL, "page down", NULL},
    {TK_HOME, A_HOME, CTX_ALL, "first packet / first line", NULL},
    {'g', A_HOME, CTX_ALL, NULL, NULL},
    {TK_END, A_END, CTX_ALL, "last packet (and follow new ones)", NULL},
    {'G', A_END, CTX_ALL, NULL, NULL},
    {TK_LEFT, A_LEFT, CTX_ALL, "collapse / previous byte", NULL},
    {'h', A_LEFT, CTX_ALL, NULL, NULL},
    {TK_RIGHT, A_RIGHT, CTX_ALL, "expand / next byte", NULL},
    {'l', A_RIGHT, CTX_ALL, NULL, NULL},
    {TK_ENTER, A_ENTER, CTX_ALL, "open: decode the packet, expand a layer, start capture", NULL},
    {TK_ESC, A_ESC, CTX_ALL, "back / cancel", NULL},
    {'F', A_FOLLOW, CTX_PANES, "follow the newest packet", NULL},
    {' ', A_MARK, CTX_PANES, "mark / unmark the packet", "Mark"},
    {'p', A_PAUSE, CTX_PANES, "pause / resume the display (capture goes on)", "Pause"},
    {'t', A_TIME, CTX_PANES, "time column: relative, absolute, delta", "Time"},
    {':', A_GOTO, CTX_PANES, "go to packet number", "Goto"},
    {'z', A_ZOOM, CTX_PANES, "zoom the focused pane", "Zoom"},
    {'D', A_TOGGLE_DECODE, CTX_PANES, "show / hide the decode pane", NULL},
    {'X', A_TOGGLE_HEX, CTX_PANES, "show / hide the hex pane", NULL},
    {'o', A_OPEN, CTX_ALL, "open a capture file", "Open"},
    {'a', A_PICKER, CTX_PANES, "choose an adapter", "Adapters"},
    {'S', A_SSH, CTX_PANES, "include / exclude this SSH session's own traffic", NULL},
    {TK_CTRL_L, A_REDRAW, CTX_ALL, "redraw the screen", NULL},
    {'S' - '@', A_SAVE_ALL, CTX_PANES, "save every packet to a pcap file", NULL},
    {'w', A_SAVE_DISPLAYED, CTX_PANES, "save the displayed (filtered) packets", "Save"},
    {'M', A_SAVE_MARKED, CTX_PANES, "save the marked packets", NULL},
    {'E', A_SAVE_SELECTED, CTX_PANES, "save the selected packet", NULL},
    {'L', A_SAVE_LAST, CTX_PANES, "save the last N seconds of the capture", NULL},
    {'E' - '@', A_CAPTURE_START, CTX_PANES, "start capturing again (after a stop)", NULL},
    {'X' - '@', A_CAPTURE_STOP, CTX_PANES, "stop capturing (the packets stay)", NULL},
    {'R' - '@', A_CAPTURE_RESTART, CTX_PANES, "restart: a new capture on the same adapter", NULL},
    {'K' - '@', A_CAPTURE_OPTIONS, CTX_PANES,
     "capture options: snap length, promiscuous, timeout, buffers", NULL},
    {'W', A_WRITE_WHILE, CTX_PANES, "write to a file while capturing (again: stop)", NULL},
    {'P' - '@', A_REPLAY, CTX_PANES, "replay a capture file to an adapter", NULL},
    {'T' - '@', A_SEND, CTX_PANES, "send the marked (or selected) packets to an adapter", NULL},
    {'r', A_GRAPH, CTX_PANES, "rate graph (bits/s, packets/s) instead of decode and hex", "Rate"},
    {'c', A_CONV, CTX_PANES, "conversations and protocols instead of decode and hex", "Conv"},
    {'i', A_GRAPH_INTERVAL, CTX_GRAPH, "graph interval: 100 ms, 1 s, 10 s, 60 s", NULL},
    {'+', A_GRAPH_WIDER, CTX_GRAPH, "graph: show more intervals", NULL},
    {'-', A_GRAPH_NARROWER, CTX_GRAPH, "graph: show fewer intervals", NULL},
    {'b', A_GRAPH_METRIC, CTX_GRAPH, "graph: bits/s or packets/s", NULL},
    {'T', A_GRAPH_TOTAL, CTX_GRAPH, "graph: total traffic beside the filtered", NULL},
    {'s', A_SORT, CTX_CONV, "conversations: sort by packets, bytes, rate", "Sort"},
    {'v', A_CONV_VIEW, CTX_CONV, "conversations: address pairs, 5-tuples, protocols", "View"},
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
