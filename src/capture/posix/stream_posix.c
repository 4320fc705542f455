/*
 * stream_posix.c - stream.h with a cookie FILE (fopencookie on Linux, funopen on the BSDs and
 * macOS): reads first return the bytes peeked for the precision, then read(2) the
 * descriptor directly, so a live pipe is not held back by stdio waiting for a full buffer.
 */
#define _GNU_SOURCE
#include "capture/stream.h"

#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/privsep.h"
#include "capture/tsprec.h"

struct replay {
	struct tsprec_peek pk;
	size_t off; /* next peeked byte to hand out */
	FILE *src;
	int fd;
};

static size_t fd_read(void *ctx, uint8_t *dst, size_t n)
{
	const struct replay *rp = ctx;
	ssize_t got;

	do
		got = read(rp->fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got > 0 ? (size_t)got : 0;
}

static ssize_t replay_read(void *c, char *dst, size_t n)
{
	struct replay *rp = c;
	ssize_t got;

	if (rp->off < rp->pk.len) {
		size_t k = rp->pk.len - rp->off < n ? rp->pk.len - rp->off : n;

		memcpy(dst, rp->pk.buf + rp->off, k);
		rp->off += k;
		return (ssize_t)k;
	}
	do
		got = read(rp->fd, dst, n);
	while (got < 0 && errno == EINTR);
	return got;
}

static int replay_close(void *c)
{
	struct replay *rp = c;

	if (rp->src != stdin)
		fclose(rp->src);
	free(rp->pk.buf);
	free(rp);
	return 0;
}

#if defined(__linux__)
static FILE *replay_open(struct replay *rp)
{
	cookie_io_functions_t io = {.read = replay_read, .close = replay_close};

	return fopencookie(rp, "rb", io);
}
#else
static int funopen_read(void *c, char *dst, int n)
{
	return (int)replay_read(c, dst, (size_t)n);
}

static FILE *replay_open(struct replay *rp)
{
	return funopen(rp, funopen_read, NULL, NULL, replay_close);
}
#endif

FILE *stream_wrap(FILE *src, int *tsprec, char *err, size_t errlen)
{
	struct replay *rp = calloc(1, sizeof(*rp));
	FILE *f;

	if (rp == NULL) {
		snprintf(err, errlen, "out of memory");
		goto fail;
	}
	rp->src = src;
	rp->fd = fileno(src);
	*tsprec = tsprec_sniff(fd_read, rp, &rp->pk);
	if (*tsprec < 0 || (f = replay_open(rp)) == NULL) {
		snprintf(err, errlen, "%s", *tsprec < 0 ? "out of memory" : strerror(errno));
		free(rp->pk.buf);
		free(rp);
		goto fail;
	}
	return f;
fail:
	if (src != stdin)
		fclose(src);
	return NULL;
}

/* A FILE that reads a kept -r descriptor with pread() at an offset of its own: the open file
 * is shared with every other descriptor privsep_file() hands out (pktfile's positional
 * reads, a reader of the same file later), whose offset a plain fdopen() would move under
 * them. */
struct at_file {
	int fd;
	off64_t off;
};

static ssize_t at_read(void *c, char *dst, size_t n)
{
	struct at_file *a = c;
	ssize_t got;

	do
		got = pread(a->fd, dst, n, a->off);
	while (got < 0 && errno == EINTR);
	if (got > 0)
		a->off += got;
	return got;
}

static int at_seek(void *c, off64_t *pos, int whence)
{
	struct at_file *a = c;
	struct stat st;
	off64_t base = whence == SEEK_CUR ? a->off : 0;

	if (whence == SEEK_END) {
		if (fstat(a->fd, &st) != 0)
			return -1;
		base = st.st_size;
	}
	if (base + *pos < 0) {
		errno = EINVAL;
		return -1;
	}
	a->off = *pos = base + *pos;
	return 0;
}

static int at_close(void *c)
{
	struct at_file *a = c;
	int rc = close(a->fd);

	free(a);
	return rc;
}

static FILE *at_open(int fd)
{
	cookie_io_functions_t io = {.read = at_read, .seek = at_seek, .close = at_close};
	struct at_file *a = calloc(1, sizeof *a);
	struct stat st;
	FILE *f;

	if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode) || !a) { /* a pipe: one reader */
		free(a);
		return fdopen(fd, "rb");
	}
	a->fd = fd;
	f = fopencookie(a, "rb", io);
	if (!f)
		free(a);
	return f;
}

FILE *stream_fopen(const char *path, bool write)
{
	int fd = privsep_file(path, write);
	FILE *f;

	if (fd < 0)
		return fopen(path, write ? "wb" : "rb");
	f = write ? fdopen(fd, "wb") : at_open(fd);
	if (f == NULL)
		close(fd);
	return f;
}

FILE *stream_stdout_dup(void)
{
	int fd;
	FILE *f;

	fflush(stdout);
	fd = dup(STDOUT_FILENO);
	if (fd < 0)
		return NULL;
	f = fdopen(fd, "wb");
	if (f == NULL)
		close(fd);
	return f;
}

uint64_t stream_record_pos(FILE *libpcap_stream)
{
	off_t at = ftello(libpcap_stream);

	return at < 0 ? UINT64_MAX : (uint64_t)at;
}

int stream_dump_close(struct pcap_dumper *pd, FILE *fp)
{
	(void)pd; /* == fp: see stream.h */
	return fclose(fp) == 0 ? 0 : -1;
}
