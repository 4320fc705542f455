/*
 * actions.c - the one action table: every action with its help note, its menu and menu
 * label, and its handler, and the background work of the actions that run for a while
 * (saves, sends). The help screen, the menu bar and the dispatcher read this table; the key
 * table (keymap.c) only binds keys to actions. Rows come in menu order within each menu.
 * UI thread only.
 */
#include "ui/actions.h"

#include "ui/act.h"

/* Actions without a handler are the focused view's alone (moving, expanding...). */
const struct action_def action_table[] = {
    {A_OPEN, "open a capture file", MENU_FILE, "Open capture...", act_open},
    {A_SAVE_ALL, "save every packet to a pcap file", MENU_FILE, "Save all...", act_save_all},
    {A_SAVE_DISPLAYED, "save the displayed (filtered) packets", MENU_FILE,
     "Save displayed (filtered)...", act_save_displayed},
    {A_SAVE_MARKED, "save the marked packets", MENU_FILE, "Save marked...", act_save_marked},
    {A_SAVE_SELECTED, "save the selected packet", MENU_FILE, "Save selected...", act_save_selected},
    {A_SAVE_LAST, "save the last N seconds of the capture", MENU_FILE, "Save last N seconds...",
     act_save_last},
    {A_QUIT, "quit (asks first if captured packets would be lost)", MENU_FILE, "Quit", act_quit},
    {A_CAPTURE_START, "start a new capture on the same adapters (after a stop)", MENU_CAPTURE,
     "Start", act_capture_start},
    {A_CAPTURE_STOP, "stop capturing (the packets stay)", MENU_CAPTURE, "Stop", act_capture_stop},
    {A_CAPTURE_RESTART,
     "restart: a link that dropped, or an adapter of several that failed, comes back alone (the "
     "packets stay, the others capture on); else a new capture on the same adapters",
     MENU_CAPTURE, "Restart", act_capture_restart},
    {A_PICKER, "choose an adapter (Space there marks several to capture on at once)", MENU_CAPTURE,
     "Choose adapter...", act_picker},
    {A_CAPTURE_OPTIONS, "capture options: snap length, promiscuous, timeout, buffers", MENU_CAPTURE,
     "Options...", act_capture_options},
    {A_WRITE_WHILE, "write to a file while capturing (again: stop)", MENU_CAPTURE,
     "Write to file while capturing...", act_write_while},
    {A_REPLAY, "replay a capture file to an adapter", MENU_SEND, "Replay capture to adapter...",
     act_replay},
    {A_SEND, "send the marked (or selected) packets to an adapter", MENU_SEND,
     "Send selected packet(s) to adapter...", act_send},
    {A_STREAM, "follow the selected packet's TCP or UDP stream (its payload both ways)",
     MENU_ANALYZE, "Follow stream", act_stream},
    {A_CONV, "conversations, protocols and TCP streams instead of decode and hex", MENU_ANALYZE,
     "Conversations and TCP streams", act_conv},
    {A_PROCS,
     "processes of a live capture (bits/s in and out, packets, connections) instead of decode "
     "and hex; Enter filters the list to one",
     MENU_ANALYZE, "Processes", act_procs},
    {A_NAMES,
     "Source/Destination: addresses or names learned from the capture (DNS answers, "
     "SNI, Host, DHCP; and PTR answers with reverse lookups on)",
     MENU_ANALYZE, "Names in the packet list", act_names},
    {A_RESOLVE,
     "reverse (PTR) lookups of the addresses seen on / off (--resolve): asynchronous, 10 a "
     "second; their own packets are left out of the list",
     MENU_ANALYZE, "Reverse lookups (PTR)", act_resolve},
    {A_HELP, "show this help", MENU_NONE, NULL, act_help},
    {A_NEXT_PANE, "next pane", MENU_NONE, NULL, act_next_pane},
    {A_PREV_PANE, "previous pane", MENU_NONE, NULL, act_prev_pane},
    {A_UP, "move up", MENU_NONE, NULL, NULL},
    {A_DOWN, "move down", MENU_NONE, NULL, NULL},
    {A_PGUP, "page up", MENU_NONE, NULL, NULL},
    {A_PGDN, "page down", MENU_NONE, NULL, NULL},
    {A_HOME, "first packet / first line", MENU_NONE, NULL, NULL},
    {A_END, "last packet (and follow new ones)", MENU_NONE, NULL, NULL},
    {A_LEFT, "collapse / previous byte", MENU_NONE, NULL, NULL},
    {A_RIGHT, "expand / next byte", MENU_NONE, NULL, NULL},
    {A_ENTER, "open: decode the packet, expand a layer, start capture", MENU_NONE, NULL, NULL},
    {A_ESC, "back / cancel", MENU_NONE, NULL, NULL},
    {A_FOLLOW, "follow the newest packet", MENU_NONE, NULL, NULL},
    {A_MARK, "mark / unmark the packet", MENU_NONE, NULL, NULL},
    {A_PAUSE, "pause / resume the display (capture goes on)", MENU_NONE, NULL, act_pause},
    {A_FILTER, "edit the BPF display/capture filter", MENU_NONE, NULL, act_filter},
    {A_TIME, "time column: relative, absolute, delta", MENU_NONE, NULL, act_time},
    {A_PROC_COLUMN,
     "Process column (name[pid]) on / off; on by default while a live capture attributes "
     "packets to processes",
     MENU_NONE, NULL, act_proc_column},
    {A_GOTO, "go to packet number", MENU_NONE, NULL, act_goto},
    {A_ZOOM, "zoom the focused pane", MENU_NONE, NULL, act_zoom},
    {A_TOGGLE_DECODE, "show / hide the decode pane", MENU_NONE, NULL, act_toggle_decode},
    {A_TOGGLE_HEX, "show / hide the hex pane", MENU_NONE, NULL, act_toggle_hex},
    {A_SSH, "include / exclude this SSH session's own traffic", MENU_NONE, NULL, act_ssh},
    {A_REDRAW, "redraw the screen", MENU_NONE, NULL, act_redraw},
    {A_SUSPEND, "suspend to the shell (fg comes back)", MENU_NONE, NULL, act_suspend},
    {A_MENU, "open the menu bar (File, Capture, Send, Analyze)", MENU_NONE, NULL, act_menu},
    {A_GRAPH, "rate graph (bits/s, packets/s) instead of decode and hex", MENU_NONE, NULL,
     act_graph},
    {A_GRAPH_INTERVAL, "graph interval: 100 ms, 1 s, 10 s, 60 s", MENU_NONE, NULL, NULL},
    {A_GRAPH_WIDER, "graph: show more intervals", MENU_NONE, NULL, NULL},
    {A_GRAPH_NARROWER, "graph: show fewer intervals", MENU_NONE, NULL, NULL},
    {A_GRAPH_METRIC, "graph: bits/s or packets/s", MENU_NONE, NULL, NULL},
    {A_GRAPH_TOTAL, "graph: total traffic beside the filtered", MENU_NONE, NULL, NULL},
    {A_SORT, "conversations, processes: next sort column (packets, bytes, rate...)", MENU_NONE,
     NULL, NULL},
    {A_FILTER_FIELD, "decode pane: filter on the selected field (field == value)", MENU_NONE, NULL,
     NULL},
    {A_FILTER_FIELD_AND, "decode pane: add the selected field to the filter (&&)", MENU_NONE, NULL,
     NULL},
    {A_CONV_VIEW, "conversations: address pairs, 5-tuples, protocols, TCP streams", MENU_NONE, NULL,
     NULL},
    {A_FOLLOW_MODE, "follow: ASCII, UTF-8, hex dump, raw", MENU_NONE, NULL, NULL},
    {A_FOLLOW_DIR, "follow: both directions, A>B only, B>A only", MENU_NONE, NULL, NULL},
    {A_FOLLOW_FILTER, "follow: filter the packet list to this stream", MENU_NONE, NULL, NULL},
    {A_FOLLOW_SAVE, "follow: save the shown direction(s) to a file", MENU_NONE, NULL, NULL},
    {A_SEARCH, "follow: search the text", MENU_NONE, NULL, NULL},
    {A_SEARCH_NEXT, "follow: next match", MENU_NONE, NULL, NULL},
    {A_SEARCH_PREV, "follow: previous match", MENU_NONE, NULL, NULL},
};

const size_t action_count = sizeof action_table / sizeof action_table[0];

bool actions_step(struct app *a, uint64_t budget_ns)
{
	bool sent = act_send_step(a);

	return act_save_step(a, budget_ns) || sent;
}

bool actions_busy(void)
{
	return act_save_busy();
}

int actions_complete_save(char *msg, size_t n)
{
	return act_save_complete(msg, n);
}

bool actions_cancel(struct app *a, bool sends)
{
	bool sent = sends && act_send_cancel(a);

	return act_save_cancel(a) || sent;
}
