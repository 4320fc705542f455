/*
 * follow_view.h - opening the follow stream view (views/follow_view.c) on a stream, from the
 * packet list's selected packet (the A_STREAM action) or the TCP streams table. UI thread.
 */
#ifndef CAPSCOPE_FOLLOW_VIEW_H
#define CAPSCOPE_FOLLOW_VIEW_H

#include "views/view.h"

/* Reads stream `number` of proto (P_TCP or P_UDP) and shows it over the whole screen; an
 * error (no such stream, a read error) shows in the status bar instead. Returns react flags. */
int follow_view_open(struct app *a, int proto, uint64_t number);

#endif
