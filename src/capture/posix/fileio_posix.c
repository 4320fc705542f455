/* fileio_posix.c - positional reads with pread (see fileio.h; fileio.c builds the exact read). */
#include "capture/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <unistd.h>

#include "capture/privsep.h"

/* -r FILE: the descriptor opened before the privileges were dropped, if any (privsep.h);
 * reads are pread()s, so the offset it shares does not matter. */
int fileio_open_read(const char *path)
{
	int fd = privsep_file(path, false);

	return fd >= 0 ? fd : open(path, O_RDONLY | O_CLOEXEC);
}

void fileio_close(int fd)
{
	if (fd >= 0)
		close(fd);
}

int fileio_pread_some(int fd, void *buf, size_t n, uint64_t off, size_t *got)
{
	*got = 0;
	while (*got < n) {
		ssize_t r = pread(fd, (char *)buf + *got, n - *got, (off_t)(off + *got));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* the end of the file */
		*got += (size_t)r;
	}
	return 0;
}
