/*
 * cursor.c - the bounds-checked reader's less frequent reads (see cursor.h, which has the
 * hot ones inline). Each checks that its bytes lie in [off, end) before reading.
 */
#include "decode/cursor.h"

void cur_init(struct cursor *c, const uint8_t *data, uint32_t caplen)
{
	c->base = data;
	c->off = 0;
	c->end = caplen;
	c->truncated = false;
}

uint16_t cur_le16(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 2);

	return p ? (uint16_t)(p[1] << 8 | p[0]) : 0;
}

uint32_t cur_le32(struct cursor *c)
{
	const uint8_t *p = cur_take(c, 4);

	return p ? (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0] : 0;
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
