/*
 * remote_stream.c - ssh's stdout read in blocks and parsed in place (remote_stream.h).
 *
 * The buffer holds [off, len) unparsed bytes. A record not yet whole moves to the start
 * (at most one record: a few hundred bytes usually) and the read appends after it, so a
 * record is parsed from contiguous memory and handed out without a copy. On Linux the pipe
 * is grown to a block too (F_SETPIPE_SZ, best effort): ssh then writes, and we read, up to
 * 1 MiB at a time rather than 64 KiB, and each side is woken less often at a high rate.
 */
#define _GNU_SOURCE
#include "capture/remote_stream.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

struct remote_stream {
	int fd, wake_fd;
	uint8_t *buf;
	size_t off, len;
	bool ended;
	bool idle_told; /* REMOTE_STREAM_IDLE was returned: the next fill may block */
	struct pcaprec_file pr;
};

struct remote_stream *remote_stream_open(int fd, int wake_fd)
{
	struct remote_stream *rs = calloc(1, sizeof *rs);

	if (rs)
		rs->buf = malloc(REMOTE_STREAM_BLOCK);
	if (!rs || !rs->buf) {
		free(rs);
		close(fd);
		return NULL;
	}
	rs->fd = fd;
	rs->wake_fd = wake_fd;
#ifdef F_SETPIPE_SZ
	(void)fcntl(fd, F_SETPIPE_SZ, (int)REMOTE_STREAM_BLOCK); /* refused: 64 KiB reads */
#endif
	return rs;
}

/* Waits (timeout_ms, -1 for ever) for data or the wake-up. 1: data (or the end) to read, 0:
 * neither came, -1: woken (or poll failed). */
static int wait_data(const struct remote_stream *rs, int timeout_ms)
{
	struct pollfd pf[2] = {{.fd = rs->wake_fd, .events = POLLIN},
	                       {.fd = rs->fd, .events = POLLIN}};
	int n;

	while ((n = poll(pf, 2, timeout_ms)) < 0)
		if (errno != EINTR)
			return -1;
	return pf[0].revents ? -1 : n > 0;
}

/* Keeps the unparsed bytes, at the start, and appends what the pipe has. 1 when it did, 0
 * at the end of the stream (or woken, or a read error: the caller's end says what ssh
 * said), REMOTE_STREAM_IDLE (once, when told) when the pipe is empty now. */
static int fill(struct remote_stream *rs, bool tell_idle)
{
	ssize_t got;
	int w;

	if (rs->ended)
		return 0;
	if (rs->off > 0) {
		memmove(rs->buf, rs->buf + rs->off, rs->len - rs->off);
		rs->len -= rs->off;
		rs->off = 0;
	}
	/* a look first (no wait) when the caller is to hear of an empty pipe, else a wait */
	w = wait_data(rs, tell_idle && !rs->idle_told ? 0 : -1);
	if (w == 0) {
		rs->idle_told = true;
		return REMOTE_STREAM_IDLE;
	}
	rs->idle_told = false;
	if (w < 0) {
		rs->ended = true;
		return 0;
	}
	do
		got = read(rs->fd, rs->buf + rs->len, REMOTE_STREAM_BLOCK - rs->len);
	while (got < 0 && errno == EINTR);
	if (got <= 0) {
		rs->ended = true;
		return 0;
	}
	rs->len += (size_t)got;
	return 1;
}

int remote_stream_header(struct remote_stream *rs, struct pcaprec_file *pr, char *err,
                         size_t errlen)
{
	int rc;

	while ((rc = pcaprec_header(&rs->pr, rs->buf + rs->off, rs->len - rs->off, err, errlen)) ==
	       0)
		if (fill(rs, false) == 0)
			return 0;
	if (rc < 0)
		return -1;
	rs->off += (size_t)rc;
	*pr = rs->pr;
	return 1;
}

int remote_stream_next(struct remote_stream *rs, struct pcaprec *r, char *err, size_t errlen)
{
	long rc;
	int f;

	/* a record is whole within one block (REMOTE_STREAM_BLOCK > the largest), so fill()
	 * always makes room for the rest of it */
	while ((rc = pcaprec_next(&rs->pr, rs->buf + rs->off, rs->len - rs->off, r, err, errlen)) ==
	       0)
		if ((f = fill(rs, true)) != 1)
			return f;
	if (rc < 0)
		return -1;
	rs->off += (size_t)rc;
	return 1;
}

bool remote_stream_cut(const struct remote_stream *rs)
{
	return rs->len > rs->off;
}

void remote_stream_close(struct remote_stream *rs)
{
	if (!rs)
		return;
	close(rs->fd);
	free(rs->buf);
	free(rs);
}
