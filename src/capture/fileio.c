/* fileio.c - exact positional reads on top of each platform's fileio_pread_some (see
 * fileio.h). */
#include "capture/fileio.h"

#include <errno.h>

int fileio_pread(int fd, void *buf, size_t n, uint64_t off)
{
	size_t got;

	if (fileio_pread_some(fd, buf, n, off, &got) < 0)
		return -1;
	if (got < n) {
		errno = EIO; /* the file is shorter than its index says */
		return -1;
	}
	return 0;
}
