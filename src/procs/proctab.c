/*
 * proctab.c - the process table (see proctab.h): entries in chunks of CHUNK, found by an
 * open-addressing index over (pid, start).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "procs/proctab.h"

#define CHUNK 256

struct proctab {
	struct proc_info **chunks; /* max / CHUNK + 1 of them, allocated when first needed */
	uint32_t *slots;           /* id, 0 empty */
	size_t mask;
	size_t max, n;
	struct proc_info too_many;
};

struct proctab *proctab_new(size_t max)
{
	struct proctab *t = calloc(1, sizeof *t);
	size_t cap = 16;

	if (!t)
		return NULL;
	while (cap < 2 * max)
		cap *= 2;
	t->chunks = calloc(max / CHUNK + 1, sizeof *t->chunks);
	t->slots = calloc(cap, sizeof *t->slots);
	if (!t->chunks || !t->slots) {
		proctab_free(t);
		return NULL;
	}
	t->mask = cap - 1;
	t->max = max;
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
	free(t->slots);
	free(t);
}

struct proc_info *proctab_get(const struct proctab *t, uint32_t id)
{
	size_t i = (size_t)id - 2;

	if (id == ATTRIB_TOO_MANY)
		return (struct proc_info *)&t->too_many;
	if (id < 2 || i >= t->n)
		return NULL;
	return &t->chunks[i / CHUNK][i % CHUNK];
}

size_t proctab_count(const struct proctab *t)
{
	return t->n;
}

static size_t hash(const struct proctab *t, uint32_t pid, uint64_t start)
{
	uint64_t h = (pid * 0x9e3779b97f4a7c15ull) ^ (start * 0xc2b2ae3d27d4eb4full);

	return (size_t)(h >> 17) & t->mask;
}

static bool same(const struct proc_info *a, const struct proc_info *b)
{
	return a->pid == b->pid && a->start == b->start &&
	       strncmp(a->name, b->name, sizeof a->name) == 0;
}

uint32_t proctab_intern(struct proctab *t, const struct proc_info *p, bool *added)
{
	size_t i = hash(t, p->pid, p->start);
	struct proc_info *e;

	*added = false;
	for (size_t probes = 0; probes <= t->mask && t->slots[i]; probes++) {
		if (same(proctab_get(t, t->slots[i]), p))
			return t->slots[i];
		i = (i + 1) & t->mask;
	}
	if (t->n >= t->max || t->slots[i])
		return ATTRIB_TOO_MANY;
	if (!t->chunks[t->n / CHUNK] &&
	    !(t->chunks[t->n / CHUNK] = calloc(CHUNK, sizeof(struct proc_info))))
		return ATTRIB_TOO_MANY;
	e = &t->chunks[t->n / CHUNK][t->n % CHUNK];
	*e = *p;
	e->name[sizeof e->name - 1] = '\0'; /* p may come from a file: terminate every string */
	e->user[sizeof e->user - 1] = '\0';
	e->cmdline[sizeof e->cmdline - 1] = '\0';
	e->cgroup[sizeof e->cgroup - 1] = '\0';
	e->container[sizeof e->container - 1] = '\0';
	t->n++;
	t->slots[i] = (uint32_t)t->n + 1;
	*added = true;
	return t->slots[i];
}
