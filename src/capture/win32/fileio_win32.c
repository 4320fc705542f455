/* fileio_win32.c - positional reads with _lseeki64 + _read (see fileio.h; fileio.c builds
 * the exact read). */
#include "capture/fileio.h"

#include <errno.h>
#include <fcntl.h>
#include <io.h>
#include <stdio.h>

int fileio_open_read(const char *path)
{
	return _open(path, _O_RDONLY | _O_BINARY);
}

void fileio_close(int fd)
{
	if (fd >= 0)
		_close(fd);
}

int fileio_pread_some(int fd, void *buf, size_t n, uint64_t off, size_t *got)
{
	*got = 0;
	if (_lseeki64(fd, (__int64)off, SEEK_SET) < 0)
		return -1;
	while (*got < n) {
		unsigned chunk = n - *got > (1u << 30) ? (1u << 30) : (unsigned)(n - *got);
		int r = _read(fd, (char *)buf + *got, chunk);
		if (r < 0)
			return -1;
		if (r == 0)
			break; /* the end of the file */
		*got += (size_t)r;
	}
	return 0;
}
