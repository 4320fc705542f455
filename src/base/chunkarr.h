/*
 * chunkarr.h - an array indexed by a 64-bit sequence number (a store packet index) that
 * grows at its end and forgets its head, for the per-packet arrays of a capture that runs for
 * days: elements [first, n) live in fixed chunks of CHUNKARR_LEN elements; a chunk wholly
 * before `first` is released (a few are kept as spares for the next chunks, so a capture in
 * its steady state allocates nothing), so memory follows what is kept, not what was ever
 * appended. A lookup is O(1): a shift, a subtraction and two loads. Chunks never move: a
 * pointer to an element stays valid until its chunk is dropped. Numbers are 64-bit: an array
 * may start anywhere (chunkarr_drop_head() on an empty one skips ahead).
 *
 * One owner thread; no locking. Pure C, no platform code.
 */
#ifndef CAPSCOPE_CHUNKARR_H
#define CAPSCOPE_CHUNKARR_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define CHUNKARR_SHIFT  12
#define CHUNKARR_LEN    (1u << CHUNKARR_SHIFT)
#define CHUNKARR_SPARES 4

struct chunkarr {
	uint8_t **chunks; /* chunks[k]: the elements of chunk number base + k */
	size_t nchunks, cap;
	uint64_t base;     /* chunk number of chunks[0] */
	uint64_t first, n; /* the elements held: [first, n) */
	size_t elem;       /* bytes an element */
	uint8_t *spare[CHUNKARR_SPARES];
	size_t nspare;
};

/* An empty array of elements of `elem` bytes, numbered from 0. */
void chunkarr_init(struct chunkarr *a, size_t elem);
/* Releases every chunk; the array is empty and numbered from 0 again. */
void chunkarr_reset(struct chunkarr *a);
void chunkarr_free(struct chunkarr *a);
/* Appends a zeroed element (number n); returns it, or NULL when out of memory (nothing
 * appended). */
void *chunkarr_push(struct chunkarr *a);
/* Forgets the elements before `first` (a number past n empties the array, which then goes
 * on from `first`). Never goes back. */
void chunkarr_drop_head(struct chunkarr *a, uint64_t first);
/* Forgets the elements from n on (n >= first). */
void chunkarr_truncate(struct chunkarr *a, uint64_t n);
/* Bytes of memory held: chunks, spares and the chunk table. */
size_t chunkarr_bytes(const struct chunkarr *a);

/* Element i, or NULL when it is not held (before first, or from n on). */
static inline void *chunkarr_at(const struct chunkarr *a, uint64_t i)
{
	if (i < a->first || i >= a->n)
		return NULL;
	return a->chunks[(i >> CHUNKARR_SHIFT) - a->base] + (i & (CHUNKARR_LEN - 1)) * a->elem;
}

#endif
