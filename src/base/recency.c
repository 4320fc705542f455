/* recency.c - least-recently-seen order over a table's entries (see recency.h). */
#include "base/recency.h"

#include <stdlib.h>

void recency_init(struct recency *r)
{
	*r = (struct recency){NULL, NULL, RECENCY_NIL, RECENCY_NIL, 0};
}

void recency_free(struct recency *r)
{
	free(r->prev);
	free(r->next);
	recency_init(r);
}

bool recency_grow(struct recency *r, size_t cap)
{
	uint32_t *prev, *next;

	if (cap <= r->cap)
		return true;
	prev = realloc(r->prev, cap * sizeof *prev);
	if (!prev)
		return false;
	r->prev = prev;
	next = realloc(r->next, cap * sizeof *next);
	if (!next)
		return false; /* prev is larger than needed: harmless, freed with the rest */
	r->next = next;
	r->cap = cap;
	return true;
}

void recency_unlink(struct recency *r, uint32_t i)
{
	if (r->prev[i] != RECENCY_NIL)
		r->next[r->prev[i]] = r->next[i];
	else
		r->lru = r->next[i];
	if (r->next[i] != RECENCY_NIL)
		r->prev[r->next[i]] = r->prev[i];
	else
		r->mru = r->prev[i];
}

void recency_push(struct recency *r, uint32_t i)
{
	r->prev[i] = r->mru;
	r->next[i] = RECENCY_NIL;
	if (r->mru != RECENCY_NIL)
		r->next[r->mru] = i;
	else
		r->lru = i;
	r->mru = i;
}
