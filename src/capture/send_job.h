/*
 * send_job.h - a replay or a send on a worker thread, for the TUI: replay_run() and
 * send_repeat() block their thread, so the UI starts a job, reads its progress each frame
 * and may stop it (Esc) without waiting.
 *
 * The worker loads the file (replay), opens the adapter (on the sending thread, as send.h
 * asks) and sends. Call order (one thread, the UI's): send_job_start() -> send_job_poll()...
 * (send_job_stop() any time) -> send_job_join() once poll said it ended. No curses.
 */
#ifndef CAPSCOPE_SEND_JOB_H
#define CAPSCOPE_SEND_JOB_H

#include <stdbool.h>

#include "capture/replay.h"
#include "capture/send.h"

#define SEND_JOB_ERRLEN 512

struct send_job_spec {
	const char *iface;               /* adapter name or -D number */
	const char *path;                /* replay this capture file, or NULL: send frames */
	struct replay_opts ro;           /* replay timing */
	const struct send_frame *frames; /* the frames to send once each, in order (copied) */
	unsigned n;
};

struct send_job;

/* Starts the worker. NULL with err when out of memory or the thread cannot start. */
struct send_job *send_job_start(const struct send_job_spec *s, char *err);
/* The latest progress (sent, failed, total; total is 0 while a file is loading). Returns
 * true once the job has ended. */
bool send_job_poll(struct send_job *j, struct replay_progress *p);
/* Asks the worker to stop soon. */
void send_job_stop(struct send_job *j);
/* Waits for the worker and frees the job. Returns 0 (all handed over), 1 (stopped) or -1
 * with err (SEND_JOB_ERRLEN bytes); *final (may be NULL) gets the last progress. */
int send_job_join(struct send_job *j, struct replay_progress *final, char *err);

#endif
