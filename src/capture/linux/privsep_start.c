/*
 * privsep_start.c - the split at start-up (privsep.h): fork the capture helper over a
 * socketpair, then drop the main process's privileges.
 *
 * Helper: keeps CAP_NET_RAW and CAP_NET_ADMIN only (none when it only runs ssh for remote
 * sources), plus the service's capabilities when
 * the command registered one (process attribution: CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH,
 * CAP_BPF, CAP_PERFMON; privsep_describe() lists them) (bounding set cut to them, nothing
 * inheritable or ambient), no_new_privs, not dumpable (a process of the same user cannot
 * ptrace it), ignores the terminal's signals (it ends when the main process closes the
 * socket, so the final counters can still be read after a Ctrl-C), stdin/stdout on
 * /dev/null (a pipe reader sees the end when the main process ends), every other inherited
 * descriptor closed, and keeps CAPSCOPE_SSH_COMMAND as it was at the fork (helper_spawn.c:
 * the ssh it runs for remote sources, as the user capscope was run as, with no capability).
 * Modes that capture nothing (-r, --list-fields) fork no helper: they only drop, after -r's
 * and -w's files were opened (privsep_files.c).
 * Main process: to the target user (-Z USER; SUDO_UID/SUDO_GID under sudo; "nobody" as
 * plain root; unchanged for a setcap'd binary run by a user), every capability cleared
 * (bounding, ambient, effective, permitted, inheritable), no_new_privs, then (where built
 * with libseccomp) the seccomp filter of privsep_seccomp.c. Any step that fails ends the
 * start with an error: going on with privileges kept would be a lie.
 */
#define _GNU_SOURCE
#include "capture/privsep.h"

#include <errno.h>
#include <fcntl.h>
#include <grp.h>
#include <linux/capability.h>
#include <linux/securebits.h>
#include <pwd.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/linux/helper.h"
#include "capture/linux/privsep_caps.h"
#include "capture/linux/privsep_client.h"
#include "capture/linux/privsep_files.h"
#include "capture/linux/privsep_seccomp.h"

#define HELPER_CAPS ((1ull << CAP_NET_RAW) | (1ull << CAP_NET_ADMIN))
#define NOBODY_ID   65534u

struct target {
	uid_t uid;
	gid_t gid;
	bool change; /* root: set the uid and gids; a setcap'd binary keeps its user */
	bool nobody; /* plain root, no -Z and no sudo: nobody, who has no folder of its own */
	char name[64];
	char home[256];
};

/* What the drop did, for privsep_end() and privsep_denied_hint(). */
static char private_tmp[64];
static char dropped_to[64];

static int fail(char *err, size_t n, const char *what)
{
	snprintf(err, n, "privilege separation: %s: %s", what, strerror(errno));
	return -1;
}

static void from_passwd(struct target *t, const struct passwd *pw)
{
	t->uid = pw->pw_uid;
	t->gid = pw->pw_gid;
	snprintf(t->name, sizeof t->name, "%s", pw->pw_name);
	snprintf(t->home, sizeof t->home, "%s", pw->pw_dir ? pw->pw_dir : "");
}

static bool parse_id(const char *s, unsigned long *v)
{
	char *end;

	errno = 0;
	*v = s ? strtoul(s, &end, 10) : 0;
	return s && *s && !*end && !errno && *v < NOBODY_ID * 2;
}

/* SUDO_UID and SUDO_GID (set by sudo, so trusted only when the real uid is root). */
static bool from_sudo(struct target *t)
{
	unsigned long uid, gid;
	const struct passwd *pw;

	if (getuid() != 0 || !parse_id(getenv("SUDO_UID"), &uid) ||
	    !parse_id(getenv("SUDO_GID"), &gid) || uid == 0)
		return false;
	pw = getpwuid((uid_t)uid);
	if (pw)
		from_passwd(t, pw);
	t->uid = (uid_t)uid;
	t->gid = (gid_t)gid;
	return true;
}

static int choose_target(const struct privsep_opts *o, struct target *t, char *err, size_t n)
{
	const struct passwd *pw;

	memset(t, 0, sizeof *t);
	t->change = geteuid() == 0;
	if (!t->change) { /* a setcap'd binary: the user who ran it */
		t->uid = getuid();
		t->gid = getgid();
		return 0;
	}
	if (o->user) {
		pw = getpwnam(o->user);
		if (!pw) {
			snprintf(err, n, "-Z: no such user '%.64s'", o->user);
			return -1;
		}
		from_passwd(t, pw);
		return 0;
	}
	if (from_sudo(t))
		return 0;
	t->nobody = true;
	pw = getpwnam("nobody");
	if (pw)
		from_passwd(t, pw);
	else
		t->uid = t->gid = NOBODY_ID;
	return 0;
}

static void quiet_fds(int keep)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
		if (null > STDERR_FILENO && null != keep)
			close(null);
	}
	for (int fd = STDERR_FILENO + 1; fd < 1024; fd++)
		if (fd != keep)
			close(fd);
}

/* The ssh a root helper runs must not get root's capabilities back at its exec: besides
 * no_new_privs (which caps what an exec may grant at what the process held), a root process
 * gains none at exec (SECBIT_NOROOT, locked). Needs CAP_SETPCAP: nothing to do without it (a
 * setcap'd binary's helper is not root). */
static int no_root_exec(void)
{
	if (!(caps_permitted() >> CAP_SETPCAP & 1))
		return 0;
	return prctl(PR_SET_SECUREBITS, SECBIT_NOROOT | SECBIT_NOROOT_LOCKED, 0, 0, 0);
}

static _Noreturn void helper_child(int ctl, pid_t parent, const struct privsep_opts *o)
{
	static const int ignored[] = {SIGINT, SIGTERM, SIGHUP, SIGQUIT, SIGPIPE, SIGTSTP};

	prctl(PR_SET_PDEATHSIG, SIGKILL, 0, 0, 0);
	if (getppid() != parent)
		_exit(1);
	for (size_t i = 0; i < sizeof ignored / sizeof ignored[0]; i++)
		signal(ignored[i], SIG_IGN);
	quiet_fds(ctl);
	helper_set_service(o->service);
	helper_spawn_init(getenv("CAPSCOPE_SSH_COMMAND")); /* now: not what a request says */
	if (no_root_exec() != 0 ||
	    caps_keep(((o->no_capture ? 0 : HELPER_CAPS) | o->service_caps) & caps_permitted()) !=
	        0 ||
	    prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
	    prctl(PR_SET_DUMPABLE, 0, 0, 0, 0) != 0) {
		fprintf(stderr, "capscope: capture helper: cannot drop privileges: %s\n",
		        strerror(errno));
		_exit(1);
	}
	_exit(helper_serve(ctl));
}

static int set_user(const struct target *t, char *err, size_t n)
{
	int groups;

	if (!t->change)
		return 0;
	groups = t->name[0] ? initgroups(t->name, t->gid) : setgroups(1, &t->gid);
	if (groups != 0)
		return fail(err, n, "setgroups");
	if (setresgid(t->gid, t->gid, t->gid) != 0)
		return fail(err, n, "setresgid");
	caps_cut_bounding(0); /* while CAP_SETPCAP is still held */
	if (setresuid(t->uid, t->uid, t->uid) != 0)
		return fail(err, n, "setresuid");
	if (t->home[0])
		setenv("HOME", t->home, 1); /* state files go to the user's home, not root's */
	return 0;
}

/* CAPSCOPE_SECCOMP=0: no filter (valgrind cannot run one), said on stderr. */
static bool seccomp_off(void)
{
	const char *v = getenv("CAPSCOPE_SECCOMP");

	if (!v || strcmp(v, "0") != 0)
		return false;
	fprintf(stderr, "capscope: CAPSCOPE_SECCOMP=0: no seccomp filter (privileges are dropped"
	                " all the same)\n");
	return true;
}

/* Everything or an error: a process that kept a privilege must not run on. */
static int drop_main(const struct target *t, bool seccomp, char *err, size_t n)
{
	uid_t r, e, s;

	if (set_user(t, err, n) != 0)
		return -1;
	if (caps_keep(0) != 0 || !caps_none())
		return fail(err, n, "clearing capabilities");
	if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0)
		return fail(err, n, "no_new_privs");
	/* The uid change made the process undumpable; LeakSanitizer's exit check attaches to
	 * its threads and needs it back. Release builds stay undumpable. */
	if (caps_sanitizer_build())
		prctl(PR_SET_DUMPABLE, 1, 0, 0, 0);
	if (getresuid(&r, &e, &s) != 0 || r != t->uid || e != t->uid || s != t->uid) {
		snprintf(err, n, "privilege separation: the user id did not change");
		return -1;
	}
	return seccomp && !seccomp_off() ? seccomp_main(err, n) : 0;
}

/* nobody cannot write in root's TMPDIR (often root's own folder): the monitor's spill goes
 * to a folder made for this run in /tmp, nobody's, 0700, which privsep_end() removes when it
 * is empty (a spill kept at a hang-up stays in it). */
static int make_private_tmp(const struct target *t, char *err, size_t n)
{
	snprintf(private_tmp, sizeof private_tmp, "/tmp/capscope-nobody-XXXXXX");
	if (!mkdtemp(private_tmp)) {
		private_tmp[0] = '\0';
		return fail(err, n, "creating a temporary folder in /tmp for nobody");
	}
	if (chown(private_tmp, t->uid, t->gid) != 0) {
		fail(err, n, "giving the temporary folder to nobody");
		rmdir(private_tmp);
		private_tmp[0] = '\0';
		return -1;
	}
	setenv("TMPDIR", private_tmp, 1);
	return 0;
}

static bool privileged(void)
{
	return geteuid() == 0 || caps_permitted() != 0;
}

static int fork_helper(const struct privsep_opts *o, char *err, size_t n)
{
	pid_t parent = getpid(), pid;
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
		return fail(err, n, "socketpair");
	fflush(NULL);
	pid = fork();
	if (pid < 0)
		return fail(err, n, "fork");
	if (pid == 0) {
		close(sv[0]);
		helper_child(sv[1], parent, o);
	}
	close(sv[1]);
	return ps_client_connect(sv[0], pid, err, n);
}

int privsep_start(const struct privsep_opts *o, char *err, size_t n)
{
	struct target t;

	if (!o->split || !privileged())
		return 0;
	if (choose_target(o, &t, err, n) != 0)
		return -1;
	if (t.change) /* a setcap'd binary's user opens their files as themselves */
		files_preopen(o->preread, o->precreate, o->precreate_each, t.uid, t.gid);
	if (t.change && t.nobody && o->private_tmp && make_private_tmp(&t, err, n) != 0)
		return -1;
	if (o->helper && fork_helper(o, err, n) != 0)
		return -1;
	if (t.change)
		snprintf(dropped_to, sizeof dropped_to, "%s",
		         t.name[0]  ? t.name
		         : t.nobody ? "nobody"
		                    : "another user");
	return drop_main(&t, o->seccomp, err, n);
}

void privsep_end(void)
{
	ps_client_close();
	if (private_tmp[0])
		rmdir(private_tmp); /* fails, as it should, when a kept spill is in it */
}

const char *privsep_denied_hint(int errnum)
{
	static char text[256];

	if (!dropped_to[0] || (errnum != EACCES && errnum != EPERM))
		return "";
	/* short: it ends the monitor's one-line message after the path */
	snprintf(text, sizeof text, " (writing as %.60s: use sudo or -Z USER)", dropped_to);
	return text;
}

const char *privsep_describe(void)
{
	static char text[1024];

	snprintf(
	    text, sizeof text,
	    "privilege separation: with privileges, live capture, --stats, -D, --send, --replay,"
	    " the monitor (on an adapter or a file) and remote (ssh://) sources run through a"
	    " capture helper (CAP_NET_RAW, CAP_NET_ADMIN, none for remote sources alone; with "
	    "process attribution also CAP_SYS_PTRACE and"
	    " CAP_DAC_READ_SEARCH for other users' /proc/PID/fd, and CAP_BPF and CAP_PERFMON"
	    " for the eBPF socket records unless --no-ebpf: only those the process was"
	    " given); headless -r and --list-fields need no helper; all of these drop to the"
	    " user; --stats and the monitor's rate graph count in the helper, which also runs"
	    " ssh for remote sources (as the user capscope was run as, with no capability);"
	    " %s",
	    seccomp_describe());
	return text;
}
