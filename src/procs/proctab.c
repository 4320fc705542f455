/*
 * proctab.c - the process table (see proctab.h): entries in chunks of CHUNK, found by an
 * open-addressing index over (pid, start), at most half full, whose deletions close their
 * probe runs (probe_remove.h: no tombstones, so eviction forever keeps lookups short), and a
 * recency list over the entries for eviction.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/probe_remove.h"
#include "base/recency.h"
#include "procs/proctab.h"

#define CHUNK    256
#define ID_LIMIT (1u << 31) /* ids stay below: the monitor's tags keep the top bit */

struct proctab {
	struct proc_info **chunks; /* max / CHUNK + 1 of them, allocated when first needed */
	uint32_t *gen;             /* max: each place's generation */
	uint32_t *slots;           /* place + 1, 0 empty */
	size_t mask;
	size_t max, n;
	uint32_t shift; /* stride = 1 << shift >= max: id = 2 + place + (gen << shift) */
	struct recency rec;
	uint64_t evicted;
	struct proc_info too_many;
};

struct proctab *proctab_new(size_t max)
{
	struct proctab *t = calloc(1, sizeof *t);
	size_t cap = 16;

	if (!t)
		return NULL;
	max = max ? max : 1;
	while (cap < 2 * max)
		cap *= 2;
	while (((size_t)1 << t->shift) < max)
		t->shift++;
	recency_init(&t->rec);
	t->max = max;
	t->chunks = calloc(max / CHUNK + 1, sizeof *t->chunks);
	t->gen = calloc(max, sizeof *t->gen);
	t->slots = calloc(cap, sizeof *t->slots);
	if (!t->chunks || !t->gen || !t->slots || !recency_grow(&t->rec, max) ||
	    (uint64_t)max + 2 > ID_LIMIT) {
		proctab_free(t);
		return NULL;
	}
	t->mask = cap - 1;
	t->too_many.uid = UINT32_MAX;
	snprintf(t->too_many.name, sizeof t->too_many.name, "[too many processes]");
	return t;
}

void proctab_free(struct proctab *t)
{
	if (!t)
		return;
	if (t->chunks)
		for (size_t i = 0; i <= t->max / CHUNK; i++)
			free(t->chunks[i]);
	free(t->chunks);
	free(t->gen);
	free(t->slots);
	recency_free(&t->rec);
	free(t);
}

static struct proc_info *entry(const struct proctab *t, size_t place)
{
	return &t->chunks[place / CHUNK][place % CHUNK];
}

static uint32_t id_of(const struct proctab *t, size_t place)
{
	return 2 + (uint32_t)place + (t->gen[place] << t->shift);
}

/* The place of a process id, or SIZE_MAX when it names none. */
static size_t place_of(const struct proctab *t, uint32_t id)
{
	size_t place;

	if (id < 2)
		return SIZE_MAX;
	place = (id - 2) & (((size_t)1 << t->shift) - 1);
	return place < t->n && id_of(t, place) == id ? place : SIZE_MAX;
}

struct proc_info *proctab_get(const struct proctab *t, uint32_t id)
{
	size_t place = place_of(t, id);

	if (id == ATTRIB_TOO_MANY)
		return (struct proc_info *)&t->too_many;
	return place == SIZE_MAX ? NULL : entry(t, place);
}

bool proctab_touch(struct proctab *t, uint32_t id)
{
	size_t place = place_of(t, id);

	if (id == ATTRIB_TOO_MANY)
		return true;
	if (place == SIZE_MAX)
		return false;
	recency_touch(&t->rec, (uint32_t)place);
	return true;
}

size_t proctab_count(const struct proctab *t)
{
	return t->n;
}

uint64_t proctab_evicted(const struct proctab *t)
{
	return t->evicted;
}

static size_t hash(const struct proctab *t, uint32_t pid, uint64_t start)
{
	uint64_t h = (pid * 0x9e3779b97f4a7c15ull) ^ (start * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h >> 17) & t->mask;
}

static size_t home(const void *ctx, uint32_t place)
{
	const struct proctab *t = ctx;
	const struct proc_info *e = entry(t, place);

	return hash(t, e->pid, e->start);
}

static bool same(const struct proc_info *a, const struct proc_info *b)
{
	return a->pid == b->pid && a->start == b->start &&
	       strncmp(a->name, b->name, sizeof a->name) == 0;
}

/* The index slot of p's process, or the empty one where it would go (the index is at most
 * half full: there is one). */
static inline size_t probe(const struct proctab *t, const struct proc_info *p)
{
	size_t i = hash(t, p->pid, p->start);

	while (t->slots[i] && !same(entry(t, t->slots[i] - 1), p))
		i = (i + 1) & t->mask;
	return i;
}

/* Gives up the least recently seen process: its id names nothing from now on. Returns its
 * place for reuse. */
static size_t evict(struct proctab *t)
{
	uint32_t place = t->rec.lru;

	probe_remove(t->slots, t->mask + 1, probe(t, entry(t, place)), home, t);
	recency_unlink(&t->rec, place);
	t->gen[place]++;
	/* past 2^31 - 2 processes the ids start again */
	if (((uint64_t)t->gen[place] << t->shift) + 2 + place >= ID_LIMIT)
		t->gen[place] = 0;
	t->evicted++;
	return place;
}

/* A place for a new process: the next unused one, or the least recently seen one's. */
static size_t new_place(struct proctab *t)
{
	if (t->n < t->max) {
		if (!t->chunks[t->n / CHUNK] &&
		    !(t->chunks[t->n / CHUNK] = calloc(CHUNK, sizeof(struct proc_info))))
			return SIZE_MAX;
		return t->n++;
	}
	return evict(t);
}

uint32_t proctab_intern(struct proctab *t, const struct proc_info *p, bool *added)
{
	size_t i = probe(t, p), place;
	struct proc_info *e;

	*added = false;
	if (t->slots[i]) {
		recency_touch(&t->rec, t->slots[i] - 1);
		return id_of(t, t->slots[i] - 1);
	}
	if ((place = new_place(t)) == SIZE_MAX)
		return ATTRIB_TOO_MANY;
	e = entry(t, place);
	*e = *p;
	e->name[sizeof e->name - 1] = '\0'; /* p may come from a file: terminate every string */
	e->user[sizeof e->user - 1] = '\0';
	e->cmdline[sizeof e->cmdline - 1] = '\0';
	e->cgroup[sizeof e->cgroup - 1] = '\0';
	e->container[sizeof e->container - 1] = '\0';
	t->slots[probe(t, e)] = (uint32_t)place + 1; /* an eviction may have moved p's run */
	recency_push(&t->rec, (uint32_t)place);
	*added = true;
	return id_of(t, place);
}
