/*
 * actions.h - the action table (actions.c) and the background work of running actions.
 * The host (app.c) dispatches an action to the focused view first and then to the table's
 * handler; it hands the table to the views through struct app (views/view.h) for the help
 * screen and the menus. UI thread only.
 */
#ifndef CAPSCOPE_ACTIONS_H
#define CAPSCOPE_ACTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "views/view.h"

extern const struct action_def action_table[];
extern const size_t action_count;

/* Background work of running actions (a save in slices, following a send); true while
 * some remains or the screen changed. */
bool actions_step(struct app *a, uint64_t budget_ns);
/* True while a save runs (the loop then does not sleep). */
bool actions_busy(void);
/* Gives up on a running save (before the store goes away) and, with sends, on a running
 * send too (Esc, the end of the program). Returns true if something was running. */
bool actions_cancel(struct app *a, bool sends);
/* The session ended under a running save (the terminal went away): the save is written to
 * the end. Returns 1 done, -1 failed (msg says which, for stderr), 0 when none ran. */
int actions_complete_save(char *msg, size_t n);

#endif
