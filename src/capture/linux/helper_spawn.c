/*
 * helper_spawn.c - ssh run by the capture helper for the main process (PS_SPAWN), which its
 * seccomp filter keeps from exec. The helper builds ssh's argv itself from the checked
 * request (remote_request.h) and the CAPSCOPE_SSH_COMMAND it was started with, so a main
 * process taken over by a hostile packet can name a host and an adapter, never a program.
 *
 * The child keeps the user id the helper has (the one capscope was run as: ssh reads that
 * user's keys and ~/.ssh/config, as when capscope runs ssh unsplit) and nothing else: every
 * capability cleared (effective, permitted, inheritable, ambient; the bounding set too where
 * the helper may still cut it), no_new_privs inherited from the helper (so an exec of a root
 * process gains nothing: the kernel caps its permitted set at the empty one it had), its own
 * process group, stdin /dev/null, no descriptor of the helper's, and SIGTERM when the helper
 * dies (PR_SET_PDEATHSIG survives the exec of a plain binary).
 *
 * Each child has a kill socket whose other end goes to the main process: a byte on it ends
 * the process group (written by any thread there, without the control channel's lock), its
 * closing ends it for good. The helper reaps its children between requests; PS_SPAWN_WAIT
 * takes the status. When the main process goes away every child is ended and reaped.
 * Only the helper's one thread calls these.
 */
#define _GNU_SOURCE
#include "capture/linux/helper.h"

#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/linux/privsep_caps.h"
#include "capture/remote_request.h"

#define END_GRACE_MS 1000
#define STEP_MS      10

struct child {
	pid_t pid; /* 0: the slot is free */
	int kill;  /* the helper's end of the kill socket, -1 once the main process closed it */
	bool reaped;
	int status;
};

static struct child kids[PS_MAX_SPAWN];
static char ssh_command[REMOTE_WORDS_BYTES];
static bool ssh_command_set;

void helper_spawn_init(const char *cmd)
{
	ssh_command_set = cmd && *cmd && strlen(cmd) < sizeof ssh_command;
	snprintf(ssh_command, sizeof ssh_command, "%s", ssh_command_set ? cmd : "");
}

/* In the child: no return. */
static _Noreturn void child(char *const argv[], pid_t helper, const int io[3])
{
	static const char msg[] = "capscope-remote: cannot run the ssh command\n";
	static const char caps[] = "capscope-remote: cannot drop the helper's capabilities\n";
	struct sigaction dfl = {.sa_handler = SIG_DFL};
	sigset_t none;

	setpgid(0, 0);
	prctl(PR_SET_PDEATHSIG, SIGTERM, 0, 0, 0);
	if (getppid() != helper)
		_exit(126);
	for (int s = 1; s < NSIG; s++) /* the helper ignores the terminal's signals */
		sigaction(s, &dfl, NULL);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	if (dup2(io[0], 0) < 0 || dup2(io[1], 1) < 0 || dup2(io[2], 2) < 0)
		_exit(126);
	if (syscall(SYS_close_range, 3u, ~0u, 0u) != 0)
		for (int fd = 3; fd < 4096; fd++)
			close(fd);
	if (caps_keep(0) != 0 || !caps_none() || prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0) {
		(void)!write(2, caps, sizeof caps - 1);
		_exit(126);
	}
	execvp(argv[0], argv);
	(void)!write(2, msg, sizeof msg - 1);
	_exit(127);
}

static int free_slot(void)
{
	for (unsigned i = 0; i < PS_MAX_SPAWN; i++)
		if (kids[i].pid == 0)
			return (int)i;
	return -1;
}

static void close_all(int *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (v[i] >= 0)
			close(v[i]);
}

/* The pipes and the kill socket: fd[0..5] = out r/w, err r/w, kill ours/theirs; fd[6]
 * /dev/null. */
static bool make_fds(int fd[7])
{
	return pipe2(fd, O_CLOEXEC) == 0 && pipe2(fd + 2, O_CLOEXEC) == 0 &&
	       socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, fd + 4) == 0 &&
	       (fd[6] = open("/dev/null", O_RDONLY | O_CLOEXEC)) >= 0 &&
	       fcntl(fd[4], F_SETFL, O_NONBLOCK) == 0;
}

static enum source_err fork_ssh(char *const argv[], int slot, int out[PS_SPAWN_FDS], char *err)
{
	int fd[7] = {-1, -1, -1, -1, -1, -1, -1};
	pid_t helper = getpid(), pid;

	if (!make_fds(fd)) {
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot start ssh (pipe): %s",
		         strerror(errno));
		close_all(fd, 7);
		return SRC_ERR_OTHER;
	}
	pid = fork();
	if (pid == 0)
		child(argv, helper, (const int[3]){fd[6], fd[1], fd[3]});
	if (pid < 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot start ssh (fork): %s",
		         strerror(errno));
		close_all(fd, 7);
		return SRC_ERR_OTHER;
	}
	setpgid(pid, pid); /* also here: a kill before the child ran must reach its group */
	kids[slot] = (struct child){.pid = pid, .kill = fd[4]};
	close_all((int[]){fd[1], fd[3], fd[6]}, 3);
	out[0] = fd[0];
	out[1] = fd[2];
	out[2] = fd[5];
	return SRC_OK;
}

enum source_err helper_spawn(const struct ps_spawn *o, const char *filter, uint32_t *id,
                             int fds[PS_SPAWN_FDS], char *err)
{
	struct remote_request rq = {
	    .what = (enum remote_what)o->what,
	    .url = o->url,
	    .cap = {filter[0] ? filter : NULL, o->snaplen, o->promisc, o->immediate, o->sudo},
	};
	struct remote_argv *a = malloc(sizeof *a);
	int slot = free_slot();
	enum source_err e;

	if (slot < 0 || !a) {
		snprintf(err, SOURCE_ERRLEN, "capscope: %s",
		         a ? "too many remote sources at once" : "out of memory starting ssh");
		free(a);
		return SRC_ERR_OTHER;
	}
	if (remote_request_argv(&rq, ssh_command_set ? ssh_command : NULL, a, err, SOURCE_ERRLEN) <
	    0) {
		free(a);
		return SRC_ERR_OTHER;
	}
	e = fork_ssh(a->argv, slot, fds, err);
	free(a);
	*id = (uint32_t)slot;
	return e;
}

bool helper_spawn_used(uint32_t id)
{
	return id < PS_MAX_SPAWN && kids[id].pid != 0;
}

static void release(struct child *k)
{
	if (k->pid != 0 && k->kill >= 0)
		close(k->kill);
	*k = (struct child){.kill = -1};
}

static void reap(struct child *k)
{
	int st;
	pid_t r;

	if (k->pid == 0 || k->reaped)
		return;
	r = waitpid(k->pid, &st, WNOHANG);
	if (r == k->pid)
		k->status = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
	else if (r < 0 && errno != EINTR)
		k->status = -1;
	else
		return;
	k->reaped = true;
	if (k->kill < 0) /* the main process gave it up: nobody will ask for the status */
		release(k);
}

bool helper_spawn_wait(uint32_t id, int32_t *status)
{
	struct child *k = &kids[id];

	reap(k);
	if (!k->reaped)
		return false;
	*status = k->status;
	release(k);
	return true;
}

static void signal_group(const struct child *k, int sig)
{
	if (k->pid > 0 && !k->reaped) /* reaped: its id may be another process's now */
		kill(-k->pid, sig);
}

bool helper_spawn_pollfd(uint32_t id, struct pollfd *p)
{
	if (id >= PS_MAX_SPAWN || kids[id].pid == 0 || kids[id].kill < 0)
		return false;
	*p = (struct pollfd){.fd = kids[id].kill, .events = POLLIN};
	return true;
}

void helper_spawn_signal(uint32_t id)
{
	struct child *k = &kids[id];
	char b[16];
	ssize_t n = read(k->kill, b, sizeof b);

	if (n < 0 && (errno == EAGAIN || errno == EINTR))
		return;
	if (n <= 0) { /* the main process closed its end (or died): nothing may outlive that */
		signal_group(k, SIGKILL);
		close(k->kill);
		k->kill = -1;
		reap(k);
		return;
	}
	signal_group(k, memchr(b, 'K', (size_t)n) ? SIGKILL : SIGTERM);
}

void helper_spawn_reap_all(void)
{
	for (unsigned i = 0; i < PS_MAX_SPAWN; i++)
		reap(&kids[i]);
}

void helper_spawn_end_all(void)
{
	for (unsigned i = 0; i < PS_MAX_SPAWN; i++)
		signal_group(&kids[i], SIGTERM);
	for (int waited = 0; waited <= END_GRACE_MS; waited += STEP_MS) {
		bool left = false;

		helper_spawn_reap_all();
		for (unsigned i = 0; i < PS_MAX_SPAWN; i++)
			left |= kids[i].pid != 0 && !kids[i].reaped;
		if (!left)
			break;
		poll(NULL, 0, STEP_MS);
	}
	for (unsigned i = 0; i < PS_MAX_SPAWN; i++) {
		signal_group(&kids[i], SIGKILL);
		if (kids[i].pid && !kids[i].reaped)
			waitpid(kids[i].pid, NULL, 0);
		release(&kids[i]);
	}
}
