/*
 * tcp_streams.h - the TCP streams table the conversations pane shows as one of its views
 * (tcp_streams.c); conversations.c hands it the pane's drawing, actions and mouse.
 */
#ifndef CAPSCOPE_TCP_STREAMS_H
#define CAPSCOPE_TCP_STREAMS_H

#include "views/view.h"

void tcp_streams_draw(struct app *a, struct rect r, bool focused);
/* R_UNHANDLED for actions it does not take. */
int tcp_streams_action(struct app *a, enum action act);
/* What the rows are sorted by ("bytes" ...), for the pane's title. */
const char *tcp_streams_sort_name(void);
/* A click on the row_on_screen-th row, and the mouse wheel. */
void tcp_streams_click(uint64_t row_on_screen);
void tcp_streams_scroll(int by);

#endif
