/*
 * cursor.c - the bounds-checked reader (see cursor.h).
 *
 * Every read first checks that n bytes lie in [off, end); a failed read reads nothing,
 * returns 0 or NULL and sets the sticky `truncated` flag. Comparisons are written as
 * `n <= end - off` so they cannot overflow.
 */
#include <stddef.h>

#include "decode/cursor.h"

void cur_init(struct cursor *c, const uint8_t *data, uint32_t caplen)
{
	c->base = data;
	c->off = 0;
	c->end = caplen;
	c->truncated = false;
}

uint32_t cur_left(const struct cursor *c)
{
	return c->off < c->end ? c->end - c->off : 0;
}

bool cur_has(const struct cursor *c, uint32_t n)
{
	return n <= cur_left(c);
}

/* Claims n bytes: returns their start, or NULL after marking the cursor truncated. Once
 * truncated every read fails: the failed read did not advance, so a later, shorter read
 * would return bytes from the wrong offset (an Ethernet type read from the source MAC). */
static const uint8_t *take(struct cursor *c, uint32_t n)
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

uint8_t cur_u8(struct cursor *c)
{
	const uint8_t *p = take(c, 1);

	return p ? p[0] : 0;
}

uint16_t cur_be16(struct cursor *c)
{
	const uint8_t *p = take(c, 2);

	return p ? (uint16_t)(p[0] << 8 | p[1]) : 0;
}

uint32_t cur_be32(struct cursor *c)
{
	const uint8_t *p = take(c, 4);

	return p ? (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3] : 0;
}

uint16_t cur_le16(struct cursor *c)
{
	const uint8_t *p = take(c, 2);

	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

uint32_t cur_le32(struct cursor *c)
{
	const uint8_t *p = take(c, 4);

	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
}

const uint8_t *cur_bytes(struct cursor *c, uint32_t n)
{
	return take(c, n);
}

bool cur_skip(struct cursor *c, uint32_t n)
{
	return take(c, n) != NULL;
}

bool cur_peek_be16(const struct cursor *c, uint32_t at, uint16_t *out)
{
	const uint8_t *p;

	if (at < c->off || at >= c->end || c->end - at < 2)
		return false;
	p = c->base + at;
	*out = (uint16_t)(p[0] << 8 | p[1]);
	return true;
}

struct cursor cur_sub(const struct cursor *c, uint32_t n)
{
	struct cursor s = *c;

	if (cur_has(c, n)) {
		s.end = c->off + n;
	} else {
		s.truncated = true;
	}
	return s;
}

struct cursor cur_rest(const struct cursor *c)
{
	struct cursor s = *c;

	s.truncated = false;
	return s;
}
