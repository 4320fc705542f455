/*
 * actions_send.h - the Send menu's actions (actions_send.c), called by actions.c. UI thread.
 */
#ifndef CAPSCOPE_ACTIONS_SEND_H
#define CAPSCOPE_ACTIONS_SEND_H

#include <stdbool.h>

#include "ui/app.h"

/* A_REPLAY and A_SEND; R_NONE for other actions. */
int actions_send_run(struct app *a, enum action act);
/* Follows a running send: progress into the status bar, the report at the end. Returns
 * true when the screen changed. */
bool actions_send_step(struct app *a);
/* Stops a running send and waits for its worker. Returns true if one was running. */
bool actions_send_cancel(struct app *a);

#endif
