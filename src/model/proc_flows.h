/*
 * proc_flows.h - the Processes view's set of (flow, process) pairs seen, for its connection
 * counts (proc_stats.h): bounded by max keys; past the bound a new key takes the place of
 * the least recently seen one (recency.h), so a run of days keeps counting new connections.
 * A key evicted and seen again is new again: a connection idle for longer than `max` others
 * were seen counts twice.
 *
 * Memory: 24 bytes a key at the bound (the key, its recency links, two index slots),
 * allocated at the first key. One owner thread; no locking.
 */
#ifndef CAPSCOPE_PROC_FLOWS_H
#define CAPSCOPE_PROC_FLOWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/recency.h"

struct proc_flows {
	uint64_t *key;  /* max of them; never 0 */
	uint32_t *slot; /* linear probing: key index + 1, 0 = empty; at most half full */
	size_t nslot, n, max;
	struct recency rec;
	uint64_t evicted; /* keys given up for new ones */
};

/* An empty set of at most max (>= 1) keys; allocates nothing yet. */
void proc_flows_init(struct proc_flows *f, size_t max);
/* Forgets every key and frees the memory (the bound stays). */
void proc_flows_reset(struct proc_flows *f);
/* True when key (not 0) was not held: it is now, as the most recently seen (at the bound in
 * the place of the least recently seen). False when held (it becomes the most recently seen)
 * or out of memory. */
bool proc_flows_add(struct proc_flows *f, uint64_t key);
/* Whether key is held (nothing moves). */
bool proc_flows_has(const struct proc_flows *f, uint64_t key);

#endif
