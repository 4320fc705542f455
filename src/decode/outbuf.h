/*
 * outbuf.h - a large output buffer over a stdio stream, for the per-packet text paths.
 *
 * Formatting a million lines through printf costs more than the decoding; writers here
 * reserve space, write bytes directly and commit. The first write error is kept (errno
 * text in `err`) and every later flush is skipped, so a closed pipe ends the output once.
 * One thread owns an outbuf.
 */
#ifndef CAPSCOPE_OUTBUF_H
#define CAPSCOPE_OUTBUF_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define OUTBUF_SIZE        (256u << 10)
#define OUTBUF_RESERVE_MAX (64u << 10) /* the most one ob_reserve() may ask for */

struct outbuf {
	FILE *fp;
	size_t len;
	int err; /* errno of the first failed write, or 0 */
	char buf[OUTBUF_SIZE];
};

void ob_init(struct outbuf *ob, FILE *fp);
/* Writes the buffer to the stream (keeping the first error) and empties it. */
void ob_drain(struct outbuf *ob);
void ob_mem(struct outbuf *ob, const void *p, size_t n);
void ob_u64(struct outbuf *ob, uint64_t v);
/* Bytes as lowercase hex pairs without separators ("0a1b"), however many. */
void ob_hex(struct outbuf *ob, const uint8_t *p, size_t n);

/* The calls below run a dozen times per packet for --json, so they are inline (a call and a
 * loop each cost more than the bytes they copy). */

/* A pointer where n (<= OUTBUF_RESERVE_MAX) bytes may be written; then ob_commit(). */
static inline char *ob_reserve(struct outbuf *ob, size_t n)
{
	if (ob->len + n > OUTBUF_SIZE)
		ob_drain(ob);
	return ob->buf + ob->len;
}

static inline void ob_commit(struct outbuf *ob, size_t n)
{
	ob->len += n;
}

static inline void ob_str(struct outbuf *ob, const char *s)
{
	size_t n = strlen(s);

	if (n > OUTBUF_RESERVE_MAX) {
		ob_mem(ob, s, n);
		return;
	}
	memcpy(ob_reserve(ob, n), s, n);
	ob->len += n;
}

static inline void ob_char(struct outbuf *ob, char c)
{
	*ob_reserve(ob, 1) = c;
	ob->len++;
}
/* Writes the buffer to the stream and fflush()es it. Returns 0 or -1 (ob->err set). */
int ob_flush(struct outbuf *ob);

#endif
