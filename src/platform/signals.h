/*
 * signals.h - Ctrl-C, SIGTERM and SIGHUP (an SSH disconnect) become a stop request that the
 * consumer loop polls, so captures end by draining the ring and closing the file cleanly.
 * The handlers restart interrupted calls (SA_RESTART on POSIX), so output in progress
 * completes. SIGPIPE is ignored: a closed output pipe is seen as a write error instead.
 * Install once from the main thread before starting the capture thread.
 */
#ifndef CAPSCOPE_SIGNALS_H
#define CAPSCOPE_SIGNALS_H

#include <signal.h>
#include <stdbool.h>

void signals_install(void);
/* True once a terminating signal arrived; *signo says which (for the exit status). */
bool signals_stop_requested(int *signo);

/* Set by the platform's handlers (signals_posix.c, signals_win32.c); read it through
 * signals_stop_requested(). */
extern volatile sig_atomic_t signals_stop;

#endif
