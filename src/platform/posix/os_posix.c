/*
 * os_posix.c - os.h for POSIX systems: a non-blocking self-pipe for wake-ups (portable, and
 * poll()-able beside the terminal), CLOCK_MONOTONIC for intervals.
 */
#include "platform/os.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <time.h>
#include <unistd.h>

/* fd[0] is read by the waiting thread, fd[1] written by the signalling one. A full pipe
 * means a signal is already pending, so a failed write loses nothing. */
struct os_wake {
	int fd[2];
};

static int set_nonblock_cloexec(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	if (fl < 0 || fcntl(fd, F_SETFL, fl | O_NONBLOCK) < 0)
		return -1;
	return fcntl(fd, F_SETFD, FD_CLOEXEC);
}

struct os_wake *os_wake_create(char *err, unsigned errlen)
{
	struct os_wake *w = malloc(sizeof(*w));

	if (w == NULL) {
		snprintf(err, errlen, "cannot create a wake-up pipe: out of memory");
		return NULL;
	}
	if (pipe(w->fd) < 0) {
		snprintf(err, errlen,
		         "cannot create a wake-up pipe: %s (raise the open-file limit)",
		         strerror(errno));
		free(w);
		return NULL;
	}
	if (set_nonblock_cloexec(w->fd[0]) < 0 || set_nonblock_cloexec(w->fd[1]) < 0) {
		snprintf(err, errlen, "cannot set up the wake-up pipe: %s", strerror(errno));
		os_wake_destroy(w);
		return NULL;
	}
	return w;
}

void os_wake_destroy(struct os_wake *w)
{
	if (w == NULL)
		return;
	close(w->fd[0]);
	close(w->fd[1]);
	free(w);
}

void os_wake_signal(struct os_wake *w)
{
	const char b = 1;
	ssize_t n;

	do
		n = write(w->fd[1], &b, 1);
	while (n < 0 && errno == EINTR);
}

void os_wake_clear(struct os_wake *w)
{
	char buf[64];
	ssize_t n;

	do
		n = read(w->fd[0], buf, sizeof(buf));
	while (n > 0 || (n < 0 && errno == EINTR));
}

bool os_wake_wait(struct os_wake *w, int timeout_ms)
{
	struct pollfd p = {.fd = w->fd[0], .events = POLLIN};
	int n;

	do
		n = poll(&p, 1, timeout_ms);
	while (n < 0 && errno == EINTR);
	if (n <= 0)
		return false;
	os_wake_clear(w);
	return true;
}

int os_wake_fd(const struct os_wake *w)
{
	return w->fd[0];
}

uint64_t os_monotonic_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000u + (uint64_t)ts.tv_nsec;
}

void os_sleep_until_ns(uint64_t deadline_ns)
{
	struct timespec ts = {.tv_sec = (time_t)(deadline_ns / 1000000000u),
	                      .tv_nsec = (long)(deadline_ns % 1000000000u)};

	/* clock_nanosleep returns the error number itself; EINTR means sleep again. */
	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

const char *os_capture_permission_hint(void)
{
	return "run as root (sudo) or grant the capabilities: "
	       "sudo setcap cap_net_raw,cap_net_admin=eip <path of the binary>";
}

int os_wait_input(int input_fd, struct os_wake *w, int timeout_ms)
{
	struct pollfd p[2] = {{.fd = input_fd, .events = POLLIN},
	                      {.fd = w ? w->fd[0] : -1, .events = POLLIN}};
	int got = 0;

	if (poll(p, w ? 2 : 1, timeout_ms) < 0)
		return errno == EINTR ? 0 : OS_INPUT_GONE;
	if (p[0].revents & (POLLHUP | POLLERR | POLLNVAL)) /* hang-up, closed pty */
		got |= OS_INPUT_GONE;
	if (p[0].revents & POLLIN)
		got |= OS_INPUT;
	if (w && (p[1].revents & POLLIN))
		got |= OS_WOKEN;
	return got;
}

bool os_is_privileged(void)
{
	return geteuid() == 0;
}

bool os_locale_utf8(void)
{
	return strcmp(nl_langinfo(CODESET), "UTF-8") == 0;
}

void os_describe(char *buf, unsigned n)
{
	struct utsname u;

	if (n == 0)
		return;
	buf[0] = '\0';
	if (uname(&u) == 0)
		snprintf(buf, n, "%s %s", u.sysname, u.release);
}

bool os_exe_dir(char *buf, unsigned n)
{
	ssize_t k = n > 1 ? readlink("/proc/self/exe", buf, n - 1) : -1; /* Linux only */
	char *slash;

	if (k <= 0 || (size_t)k >= n - 1) /* a full buffer may be a cut name */
		return false;
	buf[k] = '\0';
	slash = strrchr(buf, '/');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

int os_mkdir_private(const char *path)
{
	return mkdir(path, 0700);
}

int os_sync_file(FILE *f)
{
	return fsync(fileno(f));
}

int os_file_size(const char *path, uint64_t *size)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

FILE *os_terminal_input(void)
{
	return isatty(STDIN_FILENO) ? stdin : fopen("/dev/tty", "r");
}
