/* probe_remove.c - tombstone-free deletion from a linear-probing index (see probe_remove.h). */
#include "base/probe_remove.h"

#include <stdbool.h>

/* True when an entry at slot j whose home is h must stay where it is after slot s empties:
 * its home lies cyclically in (s, j], so its probe never passes s. */
static bool stays(size_t s, size_t j, size_t h)
{
	return s <= j ? (s < h && h <= j) : (s < h || h <= j);
}

void probe_remove(uint32_t *slot, size_t nslot, size_t s,
                  size_t (*home)(const void *ctx, uint32_t entry), const void *ctx)
{
	size_t mask = nslot - 1, j = s;

	for (;;) {
		slot[s] = 0;
		do {
			j = (j + 1) & mask;
			if (!slot[j])
				return;
		} while (stays(s, j, home(ctx, slot[j] - 1)));
		slot[s] = slot[j];
		s = j;
	}
}
