/* chunkarr.c - a per-packet array that forgets its head (see chunkarr.h). */
#include "base/chunkarr.h"

#include <stdlib.h>
#include <string.h>

void chunkarr_init(struct chunkarr *a, size_t elem)
{
	memset(a, 0, sizeof *a);
	a->elem = elem;
}

static size_t chunk_bytes(const struct chunkarr *a)
{
	return (size_t)CHUNKARR_LEN * a->elem;
}

/* A chunk no longer needed becomes a spare, or is freed when there are enough. */
static void release(struct chunkarr *a, uint8_t *c)
{
	if (a->nspare < CHUNKARR_SPARES)
		a->spare[a->nspare++] = c;
	else
		free(c);
}

void chunkarr_reset(struct chunkarr *a)
{
	for (size_t k = 0; k < a->nchunks; k++)
		free(a->chunks[k]);
	for (size_t k = 0; k < a->nspare; k++)
		free(a->spare[k]);
	free(a->chunks);
	chunkarr_init(a, a->elem);
}

void chunkarr_free(struct chunkarr *a)
{
	chunkarr_reset(a);
}

/* A zeroed chunk: a spare when there is one (calloc's pages cost nothing until touched, a
 * spare's were touched already: clearing them costs about a byte's write an element byte). */
static uint8_t *new_chunk(struct chunkarr *a)
{
	if (a->nspare) {
		uint8_t *c = a->spare[--a->nspare];
		memset(c, 0, chunk_bytes(a));
		return c;
	}
	return calloc(1, chunk_bytes(a));
}

static int add_chunk(struct chunkarr *a)
{
	if (a->nchunks == a->cap) {
		size_t cap = a->cap ? a->cap * 2 : 16;
		uint8_t **v = realloc(a->chunks, cap * sizeof *v);
		if (!v)
			return -1;
		a->chunks = v;
		a->cap = cap;
	}
	if (!(a->chunks[a->nchunks] = new_chunk(a)))
		return -1;
	a->nchunks++;
	return 0;
}

void *chunkarr_push(struct chunkarr *a)
{
	if (a->nchunks == 0)
		a->base = a->n >> CHUNKARR_SHIFT;
	if ((a->n >> CHUNKARR_SHIFT) - a->base >= a->nchunks && add_chunk(a) < 0)
		return NULL;
	a->n++;
	return chunkarr_at(a, a->n - 1);
}

void chunkarr_drop_head(struct chunkarr *a, uint64_t first)
{
	size_t k = 0;

	if (first <= a->first)
		return;
	if (first > a->n)
		a->n = first;
	a->first = first;
	/* the chunks wholly before `first` go; the table shifts down (a few pointers) */
	while (k < a->nchunks && a->base + k < first >> CHUNKARR_SHIFT)
		release(a, a->chunks[k++]);
	if (k == 0)
		return;
	memmove(a->chunks, a->chunks + k, (a->nchunks - k) * sizeof *a->chunks);
	a->nchunks -= k;
	a->base += k;
}

void chunkarr_truncate(struct chunkarr *a, uint64_t n)
{
	uint64_t keep; /* chunks numbered below it hold elements before n */

	if (n < a->first)
		n = a->first;
	if (n >= a->n)
		return;
	a->n = n;
	keep = (n + CHUNKARR_LEN - 1) >> CHUNKARR_SHIFT;
	while (a->nchunks > 0 && a->base + a->nchunks - 1 >= keep)
		release(a, a->chunks[--a->nchunks]);
	/* pushes promise zeroed elements: clear the cut tail of the last chunk */
	if (a->nchunks > 0 && (n & (CHUNKARR_LEN - 1)))
		memset(a->chunks[a->nchunks - 1] + (n & (CHUNKARR_LEN - 1)) * a->elem, 0,
		       (CHUNKARR_LEN - (n & (CHUNKARR_LEN - 1))) * a->elem);
}

size_t chunkarr_bytes(const struct chunkarr *a)
{
	return (a->nchunks + a->nspare) * chunk_bytes(a) + a->cap * sizeof *a->chunks;
}
