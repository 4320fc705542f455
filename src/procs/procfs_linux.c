/*
 * procfs_linux.c - bounded readers of /proc/PID files (see procfs_linux.h).
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procs/procfs_linux.h"

long procfs_read(uint32_t pid, const char *name, char *buf, size_t n)
{
	char path[64];
	size_t got = 0;
	int fd;

	if (n == 0)
		return -1;
	snprintf(path, sizeof path, "/proc/%u/%s", pid, name);
	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -1;
	/* bounded: at most n-1 bytes, and a read that returns 0 or fails ends it */
	while (got + 1 < n) {
		ssize_t r = read(fd, buf + got, n - 1 - got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			break;
		got += (size_t)r;
	}
	close(fd);
	buf[got] = '\0';
	return (long)got;
}

/* The decimal number at *p (advancing past it); false without a digit or past 2^64. */
static bool parse_u64(const char **p, uint64_t *v)
{
	const char *s = *p;
	uint64_t x = 0;

	if (*s < '0' || *s > '9')
		return false;
	for (; *s >= '0' && *s <= '9'; s++) {
		if (x > (UINT64_MAX - 9) / 10)
			return false;
		x = x * 10 + (uint64_t)(*s - '0');
	}
	*p = s;
	*v = x;
	return true;
}

bool procfs_stat(uint32_t pid, char comm[16], uint64_t *start)
{
	char buf[1024];
	long n = procfs_read(pid, "stat", buf, sizeof buf);
	const char *open_paren, *close_paren, *p;
	size_t clen;

	if (n <= 0)
		return false;
	/* "PID (comm) S ...": comm may hold spaces and parentheses, so it ends at the last ')' */
	open_paren = memchr(buf, '(', (size_t)n);
	close_paren = open_paren ? strrchr(open_paren, ')') : NULL;
	if (!close_paren)
		return false;
	clen = (size_t)(close_paren - open_paren - 1);
	if (clen > 15)
		clen = 15;
	memcpy(comm, open_paren + 1, clen);
	comm[clen] = '\0';
	/* fields from 3 (state) on are separated by single spaces; starttime is field 22 */
	p = close_paren + 1;
	for (int field = 3; field < 22; field++) {
		p = strchr(p + 1, ' ');
		if (!p)
			return false;
	}
	p++;
	return parse_u64(&p, start);
}

uint32_t procfs_uid(uint32_t pid)
{
	char buf[2048];
	const char *p;
	uint64_t real, eff;

	if (procfs_read(pid, "status", buf, sizeof buf) <= 0 || !(p = strstr(buf, "\nUid:\t")))
		return UINT32_MAX;
	p += 6;
	if (!parse_u64(&p, &real) || *p++ != '\t' || !parse_u64(&p, &eff) || eff > UINT32_MAX - 1)
		return UINT32_MAX;
	return (uint32_t)eff;
}

uint32_t procfs_pid_name(const char *s)
{
	uint64_t v;
	const char *p = s;

	if (!parse_u64(&p, &v) || *p != '\0' || v == 0 || v > UINT32_MAX)
		return 0;
	return (uint32_t)v;
}
