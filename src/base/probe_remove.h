/*
 * probe_remove.h - deleting from a linear-probing hash index without tombstones: the later
 * entries of the emptied slot's probe run move back, so a table that replaces entries
 * forever (a bounded table that evicts) never fills with deleted markers and its lookups stay
 * as short as the load factor makes them.
 *
 * The index: nslot (a power of two) slots, each an entry index + 1 or 0 for empty; home(ctx,
 * entry) is the slot where the entry's probe starts (its hash masked with nslot - 1).
 */
#ifndef CAPSCOPE_PROBE_REMOVE_H
#define CAPSCOPE_PROBE_REMOVE_H

#include <stddef.h>
#include <stdint.h>

/* Empties slot s (which holds an entry) and closes the gap in its probe run. */
void probe_remove(uint32_t *slot, size_t nslot, size_t s,
                  size_t (*home)(const void *ctx, uint32_t entry), const void *ctx);

#endif
