/* proc_flows.c - the bounded, evicting set of flows behind the connection counts (see
 * proc_flows.h). */
#include "model/proc_flows.h"

#include <stdlib.h>

#include "base/probe_remove.h"

void proc_flows_init(struct proc_flows *f, size_t max)
{
	*f = (struct proc_flows){.max = max ? max : 1};
	recency_init(&f->rec);
}

void proc_flows_reset(struct proc_flows *f)
{
	size_t max = f->max;

	free(f->key);
	free(f->slot);
	recency_free(&f->rec);
	proc_flows_init(f, max);
}

static size_t home_of(uint64_t key, size_t nslot)
{
	return (size_t)(key ^ key >> 29) & (nslot - 1);
}

static size_t home(const void *ctx, uint32_t entry)
{
	const struct proc_flows *f = ctx;

	return home_of(f->key[entry], f->nslot);
}

/* The slot holding key, or the empty one where it would go. */
static size_t probe(const struct proc_flows *f, uint64_t key)
{
	size_t i = home_of(key, f->nslot);

	while (f->slot[i] && f->key[f->slot[i] - 1] != key)
		i = (i + 1) & (f->nslot - 1);
	return i;
}

/* Everything at full size on the first key: the set of a live capture fills in minutes. */
static bool alloc(struct proc_flows *f)
{
	size_t nslot = 16;

	while (nslot < f->max * 2)
		nslot *= 2;
	f->key = malloc(f->max * sizeof *f->key);
	f->slot = calloc(nslot, sizeof *f->slot);
	if (!f->key || !f->slot || !recency_grow(&f->rec, f->max)) {
		proc_flows_reset(f);
		return false;
	}
	f->nslot = nslot;
	return true;
}

/* Gives up the least recently seen key; returns its index for reuse. */
static uint32_t evict(struct proc_flows *f)
{
	uint32_t e = f->rec.lru;

	probe_remove(f->slot, f->nslot, probe(f, f->key[e]), home, f);
	recency_unlink(&f->rec, e);
	f->evicted++;
	return e;
}

bool proc_flows_add(struct proc_flows *f, uint64_t key)
{
	size_t i;
	uint32_t e;

	if (!f->key && !alloc(f))
		return false;
	i = probe(f, key);
	if (f->slot[i]) {
		recency_touch(&f->rec, f->slot[i] - 1);
		return false;
	}
	if (f->n < f->max) {
		e = (uint32_t)f->n++;
	} else {
		e = evict(f);
		i = probe(f, key); /* the removal may have moved key's run back */
	}
	f->key[e] = key;
	f->slot[i] = e + 1;
	recency_push(&f->rec, e);
	return true;
}

bool proc_flows_has(const struct proc_flows *f, uint64_t key)
{
	return f->key && f->slot[probe(f, key)] != 0;
}
