/*
 * privsep_seccomp.c - the main process's system call filter, with libseccomp (see
 * privsep_seccomp.h). Installed after the drop, so it covers only what runs after start-up:
 * reading the helper's pipes, decoding, printing, writing files (and rotating them),
 * --resolve's DNS sockets, threads, clocks and signals; in the monitor also the terminal
 * (ncurses' ioctls, SIGWINCH, Ctrl-Z: ncurses stops the process with kill(getpid(),
 * SIGTSTP)), saves, the spill, the resolve thread and the picker (through the helper).
 *
 * The list was taken from `strace -f` of headless live captures (-w, -w with -C/-W,
 * --print, --json, -T fields, -Y, -x, --resolve, -z follow) and of the monitor (open,
 * filter, picker, save, resize, Ctrl-Z and fg, quit) and the libc calls around them; the
 * TUI tests run with CAPSCOPE_SECCOMP=strict, in which a call not listed ends capscope with
 * a line naming it, so a call the monitor needs and the list lacks fails them.
 *
 * Default action: EPERM, not a kill. A call nobody listed then fails like any refused call
 * and capscope reports an error (or goes on without the feature), where a kill-on-deny filter
 * would take the capture down in a mode no test ran. What only an attacker would do is
 * killed at once (SCMP_ACT_KILL_PROCESS): execve/execveat, ptrace (except in sanitizer
 * builds: LeakSanitizer stops the threads with it at exit), process_vm_readv/writev, and
 * ioctl TIOCSTI/TIOCLINUX (pushing keystrokes into the terminal of the shell that started
 * capscope, perhaps root's). Sockets: AF_UNIX, AF_INET and AF_INET6, and NETLINK_ROUTE for
 * getifaddrs() (no packet sockets, no sock_diag: they run in the helper).
 */
#include "capture/linux/privsep_seccomp.h"
#include "capture/linux/privsep_caps.h"

#include <errno.h>
#include <seccomp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/socket.h>
#include <linux/netlink.h>

static const int allowed[] = {
    /* memory, files, descriptors */
    SCMP_SYS(read),
    SCMP_SYS(write),
    SCMP_SYS(readv),
    SCMP_SYS(writev),
    SCMP_SYS(pread64),
    SCMP_SYS(pwrite64),
    SCMP_SYS(close),
    SCMP_SYS(openat),
    SCMP_SYS(open),
    SCMP_SYS(lseek),
    SCMP_SYS(newfstatat),
    SCMP_SYS(fstat),
    SCMP_SYS(stat),
    SCMP_SYS(lstat),
    SCMP_SYS(statx),
    SCMP_SYS(statfs),
    SCMP_SYS(fstatfs),
    SCMP_SYS(fcntl),
    SCMP_SYS(dup),
    SCMP_SYS(dup2),
    SCMP_SYS(dup3),
    SCMP_SYS(pipe),
    SCMP_SYS(pipe2),
    SCMP_SYS(eventfd2),
    SCMP_SYS(ftruncate),
    SCMP_SYS(fsync),
    SCMP_SYS(fdatasync),
    SCMP_SYS(fallocate),
    SCMP_SYS(fadvise64),
    SCMP_SYS(rename),
    SCMP_SYS(renameat),
    SCMP_SYS(renameat2),
    SCMP_SYS(unlink),
    SCMP_SYS(unlinkat),
    SCMP_SYS(mkdir),
    SCMP_SYS(mkdirat),
    SCMP_SYS(rmdir), /* the private TMPDIR of a run as nobody, at the end */
    SCMP_SYS(fchmod),
    SCMP_SYS(umask),
    SCMP_SYS(getdents),
    SCMP_SYS(getdents64),
    SCMP_SYS(readlink),
    SCMP_SYS(readlinkat),
    SCMP_SYS(access),
    SCMP_SYS(faccessat),
    SCMP_SYS(faccessat2),
    SCMP_SYS(getcwd),
    SCMP_SYS(mmap),
    SCMP_SYS(munmap),
    SCMP_SYS(mprotect),
    SCMP_SYS(mremap),
    SCMP_SYS(brk),
    SCMP_SYS(madvise),
    SCMP_SYS(ioctl), /* TIOCSTI and TIOCLINUX are killed first (kill_rules) */
    /* waiting, polling, time */
    SCMP_SYS(poll),
    SCMP_SYS(ppoll),
    SCMP_SYS(select),
    SCMP_SYS(pselect6),
    SCMP_SYS(futex),
    SCMP_SYS(nanosleep),
    SCMP_SYS(clock_nanosleep),
    SCMP_SYS(clock_gettime),
    SCMP_SYS(clock_getres),
    SCMP_SYS(gettimeofday),
    SCMP_SYS(time),
    SCMP_SYS(sched_yield),
    SCMP_SYS(wait4),
    SCMP_SYS(restart_syscall),
    /* threads, signals, process */
    SCMP_SYS(clone),
    SCMP_SYS(clone3),
    SCMP_SYS(set_robust_list),
    SCMP_SYS(rseq),
    SCMP_SYS(set_tid_address),
    SCMP_SYS(exit),
    SCMP_SYS(exit_group),
    SCMP_SYS(rt_sigaction),
    SCMP_SYS(rt_sigprocmask),
    SCMP_SYS(rt_sigreturn),
    SCMP_SYS(sigaltstack),
    SCMP_SYS(tgkill),
    SCMP_SYS(tkill),
    SCMP_SYS(getpid),
    SCMP_SYS(gettid),
    SCMP_SYS(getppid),
    SCMP_SYS(getuid),
    SCMP_SYS(geteuid),
    SCMP_SYS(getgid),
    SCMP_SYS(getegid),
    SCMP_SYS(getresuid),
    SCMP_SYS(getresgid),
    SCMP_SYS(uname),
    SCMP_SYS(getrandom),
    SCMP_SYS(prlimit64),
    SCMP_SYS(getrlimit),
    SCMP_SYS(sysinfo),
    SCMP_SYS(sched_getaffinity),
    SCMP_SYS(prctl),
    SCMP_SYS(membarrier),
    /* --resolve's sockets (socket() itself: by family, below) */
    SCMP_SYS(connect),
    SCMP_SYS(bind),
    SCMP_SYS(sendto),
    SCMP_SYS(recvfrom),
    SCMP_SYS(sendmsg),
    SCMP_SYS(recvmsg),
    SCMP_SYS(sendmmsg),
    SCMP_SYS(recvmmsg),
    SCMP_SYS(getsockopt),
    SCMP_SYS(setsockopt),
    SCMP_SYS(getsockname),
    SCMP_SYS(getpeername),
    SCMP_SYS(shutdown),
};

static int kill_rules(scmp_filter_ctx f)
{
	int rc = 0;

	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(execve), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(execveat), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(process_vm_readv), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(process_vm_writev), 0);
	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ioctl), 1,
	                       SCMP_A1(SCMP_CMP_EQ, TIOCSTI));
	rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ioctl), 1,
	                       SCMP_A1(SCMP_CMP_EQ, TIOCLINUX));
	if (caps_sanitizer_build())
		rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(ptrace), 0);
	else
		rc |= seccomp_rule_add(f, SCMP_ACT_KILL_PROCESS, SCMP_SYS(ptrace), 0);
	return rc;
}

/* kill() only of this process: ncurses' SIGTSTP handler stops it so (Ctrl-Z). */
static int signal_rules(scmp_filter_ctx f)
{
	return seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(kill), 1,
	                        SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)getpid()));
}

static int socket_rules(scmp_filter_ctx f)
{
	static const int families[] = {AF_UNIX, AF_INET, AF_INET6};
	int rc = 0;

	for (size_t i = 0; i < sizeof families / sizeof families[0]; i++)
		rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(socket), 1,
		                       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)families[i]));
	/* getifaddrs() (process attribution's list of this namespace's own addresses) reads
	 * NETLINK_ROUTE, which without capabilities can only be read */
	rc |= seccomp_rule_add(f, SCMP_ACT_ALLOW, SCMP_SYS(socket), 2,
	                       SCMP_A0(SCMP_CMP_EQ, (scmp_datum_t)AF_NETLINK),
	                       SCMP_A2(SCMP_CMP_EQ, (scmp_datum_t)NETLINK_ROUTE));
	return rc;
}

/* SIGSYS of a call the filter does not list, in strict mode: one line naming its number,
 * then the end (only async-signal-safe calls here). */
static void refused(int sig, siginfo_t *si, void *ctx)
{
	static const char head[] = "capscope: seccomp: system call ";
	static const char tail[] = " is not in the allow-list (privsep_seccomp.c)\n";
	char num[12], *p = num + sizeof num;
	unsigned v = si->si_syscall < 0 ? 0 : (unsigned)si->si_syscall;

	(void)sig;
	(void)ctx;
	do
		*--p = (char)('0' + v % 10);
	while ((v /= 10) != 0);
	(void)!write(STDERR_FILENO, head, sizeof head - 1);
	(void)!write(STDERR_FILENO, p, (size_t)(num + sizeof num - p));
	(void)!write(STDERR_FILENO, tail, sizeof tail - 1);
	_exit(159);
}

/* CAPSCOPE_SECCOMP=strict (the tests set it): a call not listed ends the process with a line
 * that names it, where the default refuses it (EPERM) and capscope goes on without what
 * needed it: a missing entry fails a test instead of turning a feature off unseen. */
static uint32_t default_action(void)
{
	const char *v = getenv("CAPSCOPE_SECCOMP");
	struct sigaction sa = {.sa_sigaction = refused, .sa_flags = SA_SIGINFO};

	if (!v || strcmp(v, "strict") != 0)
		return SCMP_ACT_ERRNO(EPERM);
	sigaction(SIGSYS, &sa, NULL);
	return SCMP_ACT_TRAP;
}

int seccomp_main(char *err, size_t n)
{
	scmp_filter_ctx f = seccomp_init(default_action());
	int rc = f ? 0 : -ENOMEM;

	for (size_t i = 0; f && rc == 0 && i < sizeof allowed / sizeof allowed[0]; i++)
		if (allowed[i] >= 0) /* a call this architecture lacks: libseccomp's negative */
			rc = seccomp_rule_add(f, SCMP_ACT_ALLOW, allowed[i], 0);
	if (rc == 0 && f)
		rc = kill_rules(f) | socket_rules(f) | signal_rules(f);
	if (rc == 0 && f)
		rc = seccomp_load(f);
	seccomp_release(f);
	if (rc == 0)
		return 0;
	snprintf(err, n,
	         "privilege separation: cannot install the seccomp filter: %s (under valgrind,"
	         " set CAPSCOPE_SECCOMP=0)",
	         strerror(rc < 0 ? -rc : EINVAL));
	return -1;
}

const char *seccomp_describe(void)
{
	static char text[160];
	const struct scmp_version *v = seccomp_version();

	snprintf(text, sizeof text, "seccomp: libseccomp %u.%u.%u filter%s", v ? v->major : 0,
	         v ? v->minor : 0, v ? v->micro : 0,
	         caps_sanitizer_build() ? " (sanitizer build: ptrace allowed for LeakSanitizer)"
	                                : "");
	return text;
}
