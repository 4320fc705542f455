/*
 * cursor.h - the only way a dissector reads packet bytes.
 *
 * A cursor is a window [off, end) over a packet buffer. Every read is checked against
 * `end`; a read that does not fit returns 0 (or NULL), reads nothing and sets the sticky
 * `truncated` flag, and every later read on that cursor fails the same way, so a dissector
 * can read a whole header and test the flag once.
 * `end` never exceeds the packet's caplen: nothing can be read past what was captured.
 * cur_sub() narrows a window to a declared payload length (tcpdump's ND_TCHECK idea): a
 * layer hands the next one only the bytes its header says it carries.
 *
 * The reads every header makes are static inline here: a packet takes some 150 of them, and
 * as calls into cursor.c they were ~7% of --print's time (perf). The rest is in cursor.c.
 * Comparisons are written as `n <= end - off` so they cannot overflow.
 */
#ifndef CAPSCOPE_CURSOR_H
#define CAPSCOPE_CURSOR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct cursor {
	const uint8_t *base; /* start of the whole packet: offsets are relative to it */
	uint32_t off;        /* next byte to read */
	uint32_t end;        /* one past the last readable byte (<= caplen) */
	bool truncated;      /* sticky: a read ran past end */
};

void cur_init(struct cursor *c, const uint8_t *data, uint32_t caplen);

static inline uint32_t cur_left(const struct cursor *c)
{
	return c->off < c->end ? c->end - c->off : 0;
}

static inline bool cur_has(const struct cursor *c, uint32_t n)
{
	return n <= cur_left(c);
}

/* Claims n bytes: returns their start, or NULL after marking the cursor truncated. Once
 * truncated every read fails: the failed read did not advance, so a later, shorter read
 * would return bytes from the wrong offset (an Ethernet type read from the source MAC). */
static inline const uint8_t *cur_take(struct cursor *c, uint32_t n)
{
	const uint8_t *p;

	if (c->truncated || !cur_has(c, n)) {
		c->truncated = true;
		return NULL;
	}
	p = c->base + c->off;
	c->off += n;
	return p;
}

static inline uint8_t cur_u8(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 1);

	return p ? p[0] : 0;
}

static inline uint16_t cur_be16(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

static inline uint32_t cur_be32(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 4);

	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

uint16_t cur_le16(struct cursor *c);
uint32_t cur_le32(struct cursor *c);

/* Returns a pointer to n bytes and advances, or NULL (and sets truncated). */
static inline const uint8_t *cur_bytes(struct cursor *c, uint32_t n)
{
	return cur_take(c, n);
}

static inline bool cur_skip(struct cursor *c, uint32_t n)
{
	return cur_take(c, n) != NULL;
}

/* Peeks without advancing; returns false (without setting truncated) if not available. */
bool cur_peek_be16(const struct cursor *c, uint32_t at, uint16_t *out);

/*
 * A window of n bytes from the current position. If fewer than n bytes were captured the
 * window is cut at the parent's end and marked truncated; the parent is not advanced.
 */
static inline struct cursor cur_sub(const struct cursor *c, uint32_t n)
{
	struct cursor s = *c;

	if (cur_has(c, n))
		s.end = c->off + n;
	else
		s.truncated = true;
	return s;
}

/* A window from absolute offset `from` to the parent's end (used to hand off a payload). */
static inline struct cursor cur_rest(const struct cursor *c)
{
	struct cursor s = *c;

	s.truncated = false;
	return s;
}

#endif
