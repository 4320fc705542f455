/* adapters.c - the adapter picker's facts (see adapters.h). */
#include "model/adapters.h"

#include <stdio.h>
#include <stdlib.h>

#include "capture/adapter_probe.h"
#include "capture/ifstats.h"
#include "capture/remote_list.h"

int adapters_load(struct adapters *s, char *err, size_t n)
{
	int rc = adapter_list_load(&s->list, err, n);

	s->remote[0] = '\0';
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

int adapters_load_remote(struct adapters *s, const char *url, bool sudo, char *err, size_t n)
{
	int rc = remote_adapters_load(url, sudo, &s->list, err, n);

	snprintf(s->remote, sizeof s->remote, "%s", rc == 0 ? url : "");
	s->can_capture = true; /* as far as this side knows: the far side says at the start */
	s->why[0] = '\0';
	s->dlt = calloc(s->list.n + 1, sizeof *s->dlt);
	if (!s->dlt) {
		adapters_free(s);
		snprintf(err, n, "out of memory");
		return -1;
	}
	for (size_t i = 0; i < s->list.n; i++)
		s->dlt[i] = -1;
	return rc;
}

void adapters_source_name(const struct adapters *s, size_t i, char *out, size_t n)
{
	snprintf(out, n, "%s%s%s", s->remote, s->remote[0] ? "/" : "", s->list.v[i].name);
}

void adapters_free(struct adapters *s)
{
	adapter_list_free(&s->list);
	free(s->dlt);
	s->dlt = NULL;
}

bool adapters_packets(const struct adapters *s, size_t i, uint64_t *count)
{
	/* a remote adapter's name must not read a local one's counter */
	return !s->remote[0] && i < s->list.n && ifstats_packets(s->list.v[i].name, count) == 0;
}
