/*
 * fileio.h - positional reads on a file descriptor, per platform (fileio_posix.c uses
 * pread; fileio_win32.c seeks and reads under the caller's single-thread ownership).
 */
#ifndef CAPSCOPE_FILEIO_H
#define CAPSCOPE_FILEIO_H

#include <stddef.h>
#include <stdint.h>

/* Opens read-only (binary); returns a descriptor or -1 with errno. */
int fileio_open_read(const char *path);
void fileio_close(int fd);
/* Reads exactly n bytes at off. Returns 0, or -1 (errno set; EIO-like 0 for a short file). */
int fileio_pread(int fd, void *buf, size_t n, uint64_t off);
/* Reads up to n bytes at off, fewer at the end of the file: *got says how many. Returns 0,
 * or -1 with errno. */
int fileio_pread_some(int fd, void *buf, size_t n, uint64_t off, size_t *got);

#endif
