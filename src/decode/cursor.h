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
 */
#ifndef CAPSCOPE_CURSOR_H
#define CAPSCOPE_CURSOR_H

#include <stdbool.h>
#include <stdint.h>

struct cursor {
	const uint8_t *base; /* start of the whole packet: offsets are relative to it */
	uint32_t off;        /* next byte to read */
	uint32_t end;        /* one past the last readable byte (<= caplen) */
	bool truncated;      /* sticky: a read ran past end */
};

void cur_init(struct cursor *c, const uint8_t *data, uint32_t caplen);
uint32_t cur_left(const struct cursor *c);
bool cur_has(const struct cursor *c, uint32_t n);
uint8_t cur_u8(struct cursor *c);
uint16_t cur_be16(struct cursor *c);
uint32_t cur_be32(struct cursor *c);
uint16_t cur_le16(struct cursor *c);
uint32_t cur_le32(struct cursor *c);
/* Returns a pointer to n bytes and advances, or NULL (and sets truncated). */
const uint8_t *cur_bytes(struct cursor *c, uint32_t n);
bool cur_skip(struct cursor *c, uint32_t n);
/* Peeks without advancing; returns false (without setting truncated) if not available. */
bool cur_peek_be16(const struct cursor *c, uint32_t at, uint16_t *out);
/*
 * A window of n bytes from the current position. If fewer than n bytes were captured the
 * window is cut at the parent's end and marked truncated; the parent is not advanced.
 */
struct cursor cur_sub(const struct cursor *c, uint32_t n);
/* A window from absolute offset `from` to the parent's end (used to hand off a payload). */
struct cursor cur_rest(const struct cursor *c);

#endif
