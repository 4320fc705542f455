/*
 * act.h - the handlers behind the action table (actions.c), one file per menu:
 * act_view.c (the monitor's own actions: panes, overlays, pausing...), act_save.c (saves
 * and writing while capturing), act_capture.c (start, stop, restart, options) and
 * act_send.c (replay and send). Each handler returns enum react flags. UI thread only.
 */
#ifndef CAPSCOPE_ACT_H
#define CAPSCOPE_ACT_H

#include <stdbool.h>
#include <stdint.h>

#include "views/view.h"

/* act_view.c */
int act_help(struct app *a);
int act_quit(struct app *a);
int act_next_pane(struct app *a);
int act_prev_pane(struct app *a);
int act_filter(struct app *a);
int act_open(struct app *a);
int act_goto(struct app *a);
int act_picker(struct app *a);
int act_zoom(struct app *a);
int act_toggle_decode(struct app *a);
int act_toggle_hex(struct app *a);
int act_pause(struct app *a);
int act_time(struct app *a);
int act_names(struct app *a);
int act_resolve(struct app *a);
int act_redraw(struct app *a);
int act_suspend(struct app *a);
int act_menu(struct app *a);
int act_graph(struct app *a);
int act_conv(struct app *a);
int act_procs(struct app *a);
int act_proc_column(struct app *a);
int act_stream(struct app *a);
int act_ssh(struct app *a);

/* act_save.c */
int act_save_all(struct app *a);
int act_save_displayed(struct app *a);
int act_save_marked(struct app *a);
int act_save_selected(struct app *a);
int act_save_last(struct app *a);
int act_write_while(struct app *a);
/* A running save: one slice of at most budget_ns (true while more remains), whether one
 * runs, and giving up on it (its temporary file goes; true if one was running). */
bool act_save_step(struct app *a, uint64_t budget_ns);
bool act_save_busy(void);
bool act_save_cancel(struct app *a);
/* The session ended under a running save (a hang-up): it is written to the end rather than
 * lost. Returns 1 (done) or -1 (failed) with msg for stderr, 0 when no save was running. */
int act_save_complete(char *msg, size_t n);

/* act_capture.c */
int act_capture_start(struct app *a);
int act_capture_stop(struct app *a);
int act_capture_restart(struct app *a);
int act_capture_options(struct app *a);

/* act_send.c */
int act_replay(struct app *a);
int act_send(struct app *a);
/* Follows a running send: progress into the status bar, the report at the end. Returns
 * true when the screen changed. */
bool act_send_step(struct app *a);
/* Stops a running send and waits for its worker. Returns true if one was running. */
bool act_send_cancel(struct app *a);

#endif
