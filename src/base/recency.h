/*
 * recency.h - the order in which the entries of a bounded table were last seen, so that a
 * table that is full can give up its least recently seen entry for a new one (an LRU list).
 * Entries are indices 0 .. cap - 1 of the owner's own array; the links live in two arrays
 * beside it (8 bytes an entry), so the owner's entries stay as they are. An entry is either
 * in the list or not (pinned entries the owner never gives up are simply never pushed).
 *
 * Ownership: the owner's; recency_free releases the links. One thread; no locking.
 */
#ifndef CAPSCOPE_RECENCY_H
#define CAPSCOPE_RECENCY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define RECENCY_NIL UINT32_MAX /* no entry: the list's end, or an empty list */

struct recency {
	uint32_t *prev, *next; /* cap each: the next older and the next newer entry */
	uint32_t lru, mru;     /* least and most recently seen, RECENCY_NIL when empty */
	size_t cap;
};

/* An empty list with room for no entry (recency_grow gives it room). */
void recency_init(struct recency *r);
void recency_free(struct recency *r);
/* Room for entries 0 .. cap - 1 (cap only grows); false when out of memory (r unchanged). */
bool recency_grow(struct recency *r, size_t cap);
/* Takes entry i (in the list) out of it. */
void recency_unlink(struct recency *r, uint32_t i);
/* Puts entry i (not in the list) at its most recent end. */
void recency_push(struct recency *r, uint32_t i);

/* Entry i (in the list) was just seen: it moves to the most recent end. A run of one entry's
 * uses moves nothing. */
static inline void recency_touch(struct recency *r, uint32_t i)
{
	if (r->mru == i)
		return;
	recency_unlink(r, i);
	recency_push(r, i);
}

#endif
