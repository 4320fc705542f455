/*
 * privsep_files.c - -r FILE and -w FILE opened before the main process drops its
 * privileges, as tcpdump -Z opens its input first (privsep_files.h, privsep.h's
 * privsep_file). Root may read a file only root can read and write where only root may
 * create a file; the user the process becomes then reads and writes through the descriptor.
 *
 * Only regular files are kept, and for -r the pipe of bash's <(...) (/dev/fd/N): another
 * FIFO or a device named on the command line is opened later by the command as it always
 * was (opening a FIFO here would block, or, non-blocking, read an end of file before its
 * writer came). -r follows symbolic links as the unsplit reader did; -w does not
 * (O_NOFOLLOW: a link planted by another user must not steer root's write), and the command
 * then opens such a path as the user. A new -w file is given to the user, as before the
 * split; an existing one keeps its owner and is truncated only when the command opens it.
 */
#define _GNU_SOURCE
#include "capture/linux/privsep_files.h"
#include "capture/privsep.h"

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

/* [0]: -r, then the files written (-w, or a pcap per source with several -i). Written before
 * other threads start, read-only after. */
#define KEPT_MAX 10
static struct {
	char *path;
	int fd;
} kept[KEPT_MAX] = {{NULL, -1}};

/* A path that names a descriptor this process holds: bash's <(...) process substitution. */
static bool own_descriptor(const char *path)
{
	return strncmp(path, "/dev/fd/", 8) == 0 || strncmp(path, "/proc/self/fd/", 14) == 0;
}

/* path opened with flags when it is a regular file (or, for reading, the pipe of an own
 * descriptor); -1 otherwise (closed again). */
static int open_kept(const char *path, int flags)
{
	bool rd = (flags & O_ACCMODE) == O_RDONLY;
	int fd =
	    open(path, flags | O_NONBLOCK | (rd ? 0 : O_NOFOLLOW) | O_NOCTTY | O_CLOEXEC, 0644);
	struct stat st;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 ||
	    !(S_ISREG(st.st_mode) || (rd && S_ISFIFO(st.st_mode) && own_descriptor(path)))) {
		close(fd);
		return -1;
	}
	fcntl(fd, F_SETFL, fcntl(fd, F_GETFL) & ~O_NONBLOCK);
	return fd;
}

static void keep(int slot, const char *path, int fd)
{
	if (fd < 0)
		return;
	kept[slot].path = strdup(path);
	if (!kept[slot].path) {
		close(fd);
		return;
	}
	kept[slot].fd = fd;
}

static bool named(const char *path)
{
	return path && path[0] && strcmp(path, "-") != 0;
}

static void preopen_write(int slot, const char *write_path, uid_t uid, gid_t gid)
{
	int fd;

	if (!named(write_path))
		return;
	fd = open_kept(write_path, O_WRONLY | O_CREAT | O_EXCL);
	if (fd >= 0 && fchown(fd, uid, gid) != 0)
		fprintf(stderr, "capscope: cannot give %s to uid %u\n", write_path, (unsigned)uid);
	if (fd < 0 && errno == EEXIST)
		fd = open_kept(write_path, O_WRONLY);
	keep(slot, write_path, fd);
}

void files_preopen(const char *read_path, const char *write_path, const char *const *write_each,
                   uid_t uid, gid_t gid)
{
	int slot = 1;

	if (named(read_path))
		keep(0, read_path, open_kept(read_path, O_RDONLY));
	preopen_write(slot++, write_path, uid, gid);
	for (const char *const *p = write_each; p && *p && slot < KEPT_MAX; p++)
		preopen_write(slot++, *p, uid, gid);
}

int privsep_file(const char *path, bool write)
{
	int slot = write ? 1 : 0, fd;

	if (!path)
		return -1;
	while (write && slot < KEPT_MAX - 1 &&
	       !(kept[slot].path && strcmp(path, kept[slot].path) == 0))
		slot++;
	if (!kept[slot].path || strcmp(path, kept[slot].path) != 0)
		return -1;
	fd = fcntl(kept[slot].fd, F_DUPFD_CLOEXEC, 0);
	if (fd < 0)
		return -1;
	if (write && (ftruncate(fd, 0) != 0 || lseek(fd, 0, SEEK_SET) < 0)) {
		close(fd);
		return -1;
	}
	return fd;
}
