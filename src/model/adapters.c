/* adapters.c - the adapter picker's facts (see adapters.h). */
#include "model/adapters.h"

#include <stdio.h>
#include <stdlib.h>

#include "capture/adapter_probe.h"
#include "capture/ifstats.h"

int adapters_load(struct adapters *s, char *err, size_t n)
{
	int rc = adapter_list_load(&s->list, err, n);

	s->can_capture = adapter_can_capture(s->why, sizeof s->why);
	s->dlt = calloc(s->list.n + 1, sizeof *s->dlt);
	if (!s->dlt) {
		adapters_free(s);
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->list.n; i++) /* a brief open each: only with capture rights */
		s->dlt[i] = s->can_capture && i < ADAPTERS_PROBE_MAX
		                ? adapter_linktype(s->list.v[i].name)
		                : -1;
	return rc < 0 ? -1 : 0;
}

void adapters_free(struct adapters *s)
{
	adapter_list_free(&s->list);
	free(s->dlt);
	s->dlt = NULL;
}

bool adapters_packets(const struct adapters *s, size_t i, uint64_t *count)
{
	return i < s->list.n && ifstats_packets(s->list.v[i].name, count) == 0;
}
