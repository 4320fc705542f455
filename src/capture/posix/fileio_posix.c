/* fileio_posix.c - positional reads with pread (see fileio.h). */
#include "capture/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

int fileio_open_read(const char *path)
{
	return open(path, O_RDONLY | O_CLOEXEC);
}

void fileio_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int fileio_pread(int fd, void *buf, size_t n, uint64_t off)
{
	size_t done = 0;

	while (done < n) {
		ssize_t r = pread(fd, (char *)buf + done, n - done, (off_t)(off + done));
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0) {
			if (r == 0)
				errno = EIO; /* the file is shorter than its index says */
			return -1;
		}
		done += (size_t)r;
	}
	return 0;
}
