/*
 * ssh_proc.c - ssh_proc.h on POSIX: fork + execvp (only async-signal-safe calls between
 * them: the caller may have threads), pipes made close-on-exec so no other descriptor of
 * this process (the capture helper's channel, the ring's wake-up) reaches ssh, and one
 * thread that drains stderr into a bounded buffer and keeps the start-up deadline.
 * Under privilege separation this process may not exec: the capture helper runs ssh
 * (privsep.h's privsep_spawn) and hands over the same pipes, plus a kill socket; a kill is
 * then a byte on that socket (one send(), from any thread, no lock) and the reaping a
 * request (privsep_spawn_wait). Either way the rest of this file is the same.
 */
#define _GNU_SOURCE
#include "capture/ssh_proc.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/privsep.h"
#include "capture/remote_request.h"
#include "platform/os.h"

#define HEAD_MAX  (SSH_PROC_STDERR_MAX - 1024)
#define TAIL_MAX  1024
#define POLL_MS   100
#define REAP_STEP 10

#define DEFAULT_TIMEOUT_S 30

int ssh_proc_start_timeout_ms(void)
{
	const char *e = getenv("CAPSCOPE_REMOTE_TIMEOUT");
	long v = e ? strtol(e, NULL, 10) : 0;

	return (v >= 1 && v <= 600 ? (int)v : DEFAULT_TIMEOUT_S) * 1000;
}

struct ssh_proc {
	pid_t pid;   /* 0 when the capture helper runs it */
	int kill;    /* the helper's kill socket, or -1 */
	uint32_t id; /* the helper's id of it */
	int out;     /* stdout's read end, or -1 when taken */
	int err;     /* stderr's read end (the thread's) */
	pthread_t thread;
	bool thread_on;
	_Atomic bool started, quit, timed_out;
	uint64_t deadline_ns; /* 0: no watchdog */
	/* the thread's until joined */
	char head[HEAD_MAX + 1];
	size_t head_len;
	char tail[TAIL_MAX]; /* a ring of the last bytes past the head */
	size_t tail_total;
	char text[SSH_PROC_STDERR_MAX + 16];
	bool reaped;
	int status;
};

static void keep(struct ssh_proc *p, const char *b, size_t n)
{
	size_t k = n < HEAD_MAX - p->head_len ? n : HEAD_MAX - p->head_len;

	memcpy(p->head + p->head_len, b, k);
	p->head_len += k;
	for (size_t i = k; i < n; i++)
		p->tail[p->tail_total++ % TAIL_MAX] = b[i];
}

static void *drain(void *arg)
{
	struct ssh_proc *p = arg;
	char buf[4096];
	unsigned after_quit = 0;

	for (;;) {
		struct pollfd pf = {.fd = p->err, .events = POLLIN};
		int r = poll(&pf, 1, POLL_MS);
		if (r > 0) {
			ssize_t got = read(p->err, buf, sizeof buf);
			if (got > 0) {
				keep(p, buf, (size_t)got);
				/* a descendant that keeps writing must not hold finish() */
				if (!atomic_load(&p->quit) || ++after_quit < 64)
					continue;
				break;
			}
			if (got == 0 || errno != EINTR)
				break;
		}
		if (atomic_load(&p->quit))
			break;
		if (p->deadline_ns && !atomic_load(&p->started) &&
		    os_monotonic_ns() > p->deadline_ns && !atomic_load(&p->timed_out)) {
			atomic_store(&p->timed_out, true);
			ssh_proc_kill(p);
		}
	}
	return NULL;
}

/* In the child: no return. Only async-signal-safe calls. */
static void child(char *const argv[], int in, int out, int err)
{
	static const char msg[] = "capscope-remote: cannot run the ssh command\n";
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	setpgid(0, 0); /* the terminal's Ctrl-C reaches capscope, which then ends ssh */
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	sigaction(SIGPIPE, &dfl, NULL);
	sigaction(SIGINT, &dfl, NULL);
	sigaction(SIGTERM, &dfl, NULL);
	if (dup2(in, 0) < 0 || dup2(out, 1) < 0 || dup2(err, 2) < 0)
		_exit(126);
	execvp(argv[0], argv);
	if (write(2, msg, sizeof msg - 1) < 0)
		_exit(127);
	_exit(127);
}

/* Arms the watchdog and starts the stderr thread of a started process. */
static struct ssh_proc *watch(struct ssh_proc *p, int start_timeout_ms, char *err, size_t n)
{
	if (start_timeout_ms > 0)
		p->deadline_ns = os_monotonic_ns() + (uint64_t)start_timeout_ms * 1000000u;
	p->thread_on = pthread_create(&p->thread, NULL, drain, p) == 0;
	if (!p->thread_on) { /* no collection, no watchdog: the stream must not block on it */
		ssh_proc_kill(p);
		ssh_proc_finish(p, 0);
		snprintf(err, n, "capscope: cannot start a thread for ssh's messages");
		ssh_proc_free(p);
		return NULL;
	}
	return p;
}

static struct ssh_proc *start_fail(struct ssh_proc *p, int fds[5], char *err, size_t n,
                                   const char *what)
{
	snprintf(err, n, "capscope: cannot start ssh (%s): %s", what, strerror(errno));
	for (int i = 0; i < 5; i++)
		if (fds[i] >= 0)
			close(fds[i]);
	free(p);
	return NULL;
}

struct ssh_proc *ssh_proc_start(char *const argv[], int start_timeout_ms, char *err, size_t n)
{
	struct ssh_proc *p = calloc(1, sizeof *p);
	int fds[5] = {-1, -1, -1, -1, -1}; /* out r/w, err r/w, /dev/null */

	if (!p) {
		snprintf(err, n, "capscope: out of memory starting ssh");
		return NULL;
	}
	/* A process that gave up root's rights runs under a seccomp filter that kills execve:
	 * its ssh runs in the capture helper (ssh_proc_start_remote), never from an argv. */
	if (privsep_active()) {
		snprintf(err, n,
		         "capscope: a split process cannot run a command (its privilege "
		         "separation forbids it): this is a bug, please report it");
		free(p);
		return NULL;
	}
	if (pipe2(fds, O_CLOEXEC) < 0 || pipe2(fds + 2, O_CLOEXEC) < 0)
		return start_fail(p, fds, err, n, "pipe");
	if ((fds[4] = open("/dev/null", O_RDONLY | O_CLOEXEC)) < 0)
		return start_fail(p, fds, err, n, "/dev/null");
	p->kill = -1;
	p->pid = fork();
	if (p->pid < 0)
		return start_fail(p, fds, err, n, "fork");
	if (p->pid == 0)
		child(argv, fds[4], fds[1], fds[3]);
	setpgid(p->pid, p->pid); /* also here: a kill before the child ran must reach it */
	close(fds[1]);
	close(fds[3]);
	close(fds[4]);
	p->out = fds[0];
	p->err = fds[2];
	return watch(p, start_timeout_ms, err, n);
}

struct ssh_proc *ssh_proc_start_remote(const struct remote_request *rq, const char *label,
                                       int start_timeout_ms, char *err, size_t n)
{
	struct remote_argv *a = malloc(sizeof *a);
	struct ssh_proc *p = NULL;
	int fds[PS_SPAWN_FDS];
	char e[300];

	/* built here in both cases, for the same messages (the helper builds its own) */
	if (!a || remote_request_argv(rq, getenv("CAPSCOPE_SSH_COMMAND"), a, e, sizeof e) < 0) {
		snprintf(err, n, "capscope: %.200s: %.250s", label, a ? e : "out of memory");
		free(a);
		return NULL;
	}
	if (!privsep_active()) {
		p = ssh_proc_start(a->argv, start_timeout_ms, err, n);
		free(a);
		return p;
	}
	free(a);
	if (!(p = calloc(1, sizeof *p))) {
		snprintf(err, n, "capscope: out of memory starting ssh");
		return NULL;
	}
	if (privsep_spawn(rq, &p->id, fds, err, n) != 0) {
		free(p);
		return NULL;
	}
	p->out = fds[0];
	p->err = fds[1];
	p->kill = fds[2];
	return watch(p, start_timeout_ms, err, n);
}

int ssh_proc_stdout(const struct ssh_proc *p)
{
	return p->out;
}

int ssh_proc_take_stdout(struct ssh_proc *p)
{
	int fd = p->out;

	p->out = -1;
	return fd;
}

void ssh_proc_started(struct ssh_proc *p)
{
	atomic_store(&p->started, true);
}

/* SIGTERM or SIGKILL to the process group, by this process or by the capture helper. */
static void signal_group(struct ssh_proc *p, bool hard)
{
	if (p->reaped)
		return;
	if (p->kill >= 0 && send(p->kill, hard ? "K" : "T", 1, MSG_NOSIGNAL | MSG_DONTWAIT) < 0) {
		/* full (a byte is already waiting) or the helper gone, which ends ssh too */
	}
	if (p->pid > 0)
		kill(-p->pid, hard ? SIGKILL : SIGTERM);
}

void ssh_proc_kill(struct ssh_proc *p)
{
	signal_group(p, false);
}

/* waitpid for up to ms; true when reaped. */
static bool reap_within(struct ssh_proc *p, int ms)
{
	for (int waited = 0;; waited += REAP_STEP) {
		int st;
		pid_t r;

		if (p->pid == 0) { /* the helper's: it reaps, and says so (or is gone) */
			int w = privsep_spawn_wait(p->id, &p->status);
			if (w < 0)
				p->status = -1;
			if (w != 0)
				return p->reaped = true;
			if (waited >= ms)
				return false;
			poll(NULL, 0, REAP_STEP);
			continue;
		}
		r = waitpid(p->pid, &st, WNOHANG);
		if (r == p->pid) {
			p->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
			return p->reaped = true;
		}
		if (r < 0 && errno != EINTR) {
			p->status = -1;
			return p->reaped = true;
		}
		if (waited >= ms)
			return false;
		poll(NULL, 0, REAP_STEP);
	}
}

static void compose_text(struct ssh_proc *p)
{
	size_t n = p->head_len, t = p->tail_total;

	memcpy(p->text, p->head, n);
	if (t > TAIL_MAX) { /* bytes were skipped: keep the ring's last line whole */
		memcpy(p->text + n, "\n...\n", 5);
		n += 5;
	}
	for (size_t i = t > TAIL_MAX ? t - TAIL_MAX : 0; i < t; i++)
		p->text[n++] = p->tail[i % TAIL_MAX];
	for (size_t i = 0; i < n; i++) /* a NUL from the far side must not cut the text */
		if (p->text[i] == '\0')
			p->text[i] = '.';
	p->text[n] = '\0';
}

int ssh_proc_finish(struct ssh_proc *p, int wait_ms)
{
	if (!p->reaped && !reap_within(p, wait_ms)) {
		ssh_proc_kill(p);
		if (!reap_within(p, 1000)) {
			signal_group(p, true);
			reap_within(p, 5000);
		}
	}
	if (p->thread_on) {
		atomic_store(&p->quit, true);
		pthread_join(p->thread, NULL);
		p->thread_on = false;
		compose_text(p);
	}
	return p->reaped ? p->status : -1;
}

const char *ssh_proc_stderr(const struct ssh_proc *p)
{
	return p->text;
}

bool ssh_proc_timed_out(const struct ssh_proc *p)
{
	return atomic_load(&p->timed_out);
}

void ssh_proc_free(struct ssh_proc *p)
{
	if (!p)
		return;
	ssh_proc_finish(p, 0);
	if (p->out >= 0)
		close(p->out);
	close(p->err);
	if (p->kill >= 0)
		close(p->kill); /* the helper forgets it (and ends it, were it still running) */
	free(p);
}
