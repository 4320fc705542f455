/*
 * ssh_proc.h - the ssh client of a remote source or listing, as a child process: started
 * without a shell (fork + exec, its own process group, stdin /dev/null so it never reads the
 * terminal), its stdout a pipe for the caller, its stderr collected by a thread of its own in
 * a bounded buffer (the far side may write without end). The same thread is the start-up
 * watchdog: when ssh_proc_started() has not been called within the start timeout, it ends
 * the process (a stream that never starts), and the caller's blocked read sees the end.
 *
 * Call order: ssh_proc_start() or ssh_proc_start_remote() -> read ssh_proc_stdout() ... ->
 * ssh_proc_finish() (kills what still runs, reaps it, joins the thread) -> ssh_proc_stderr() /
 * ssh_proc_timed_out() -> ssh_proc_free(). ssh_proc_kill() may be called from any thread. POSIX
 * only (posix/ssh_proc.c): on Windows the remote source's stand-in never gets here.
 */
#ifndef CAPSCOPE_SSH_PROC_H
#define CAPSCOPE_SSH_PROC_H

#include <stdbool.h>
#include <stddef.h>

#define SSH_PROC_STDERR_MAX 4096 /* the first bytes of stderr kept; the rest is counted */

struct ssh_proc;

/* How long a remote start may take: CAPSCOPE_REMOTE_TIMEOUT seconds (1-600), default 30. */
int ssh_proc_start_timeout_ms(void);
/* Starts argv[0] (searched in PATH) with argv. start_timeout_ms > 0 arms the watchdog.
 * Returns NULL with one line in err (no fork, no pipe, or not available: under privilege
 * separation this process may not exec). */
struct ssh_proc *ssh_proc_start(char *const argv[], int start_timeout_ms, char *err, size_t n);
/* Starts ssh for a remote request (remote_request.h; label: the escaped address, for
 * messages): here as ssh_proc_start does, or, under privilege separation, in the capture
 * helper, which builds the command itself from the request and hands the pipes back. The
 * calls below work the same on both. Returns NULL with one line in err. */
struct remote_request;
struct ssh_proc *ssh_proc_start_remote(const struct remote_request *rq, const char *label,
                                       int start_timeout_ms, char *err, size_t n);
/* The read end of the child's stdout (blocking; owned: closed by ssh_proc_free unless taken
 * with ssh_proc_take_stdout, after which the caller closes it). */
int ssh_proc_stdout(const struct ssh_proc *p);
int ssh_proc_take_stdout(struct ssh_proc *p);
/* The stream started: the watchdog stands down. */
void ssh_proc_started(struct ssh_proc *p);
/* Ends the process group (SIGTERM; through the helper, one byte on its kill socket). Any
 * thread; async-signal-safe. */
void ssh_proc_kill(struct ssh_proc *p);
/* Waits up to wait_ms for the process to end by itself (0: kill at once), then kills it
 * (SIGTERM, then SIGKILL after a second), reaps it and stops the stderr thread. Returns the
 * exit status, 128 + the signal for a signal, or -1 when it could not be reaped. Idempotent. */
int ssh_proc_finish(struct ssh_proc *p, int wait_ms);
/* What the child wrote to stderr (NUL-terminated; its first SSH_PROC_STDERR_MAX bytes and the
 * last line when more came), after ssh_proc_finish. */
const char *ssh_proc_stderr(const struct ssh_proc *p);
/* True when the watchdog ended the process. */
bool ssh_proc_timed_out(const struct ssh_proc *p);
/* Finishes (if not yet) and frees. */
void ssh_proc_free(struct ssh_proc *p);

#endif
