/*
 * views.h - every view the monitor has, for the host that arranges them (ui/app.c) and for
 * the actions that open one. A new view is one file in views/ and one line here.
 */
#ifndef CAPSCOPE_VIEWS_H
#define CAPSCOPE_VIEWS_H

#include "views/view.h"

/* Panes */
extern const struct view_ops view_packet_list;
extern const struct view_ops view_decode_pane;
extern const struct view_ops view_hex_pane;
extern const struct view_ops view_rate_graph;
extern const struct view_ops view_conversations;
extern const struct view_ops view_processes;
/* The status bar with the function-key bar under it */
extern const struct view_ops view_status_bar;
/* Overlays */
extern const struct view_ops view_filter_bar;
extern const struct view_ops view_help;
extern const struct view_ops view_picker;
extern const struct view_ops view_prompt;
extern const struct view_ops view_menu;
extern const struct view_ops view_follow;

#endif
