/*
 * helper_stats.c - statistics mode in the capture helper (helper.h): --stats and the
 * monitor's rate graph count on a handle of their own (stats.h), which needs the adapter's
 * rights, so the helper runs stats.c here (its counting thread included) and the main
 * process reads the closed intervals back (PS_STATS_READ; capture/stats.c's mirror).
 * At most PS_MAX_STATS counters at once (the graph keeps two: shown and total).
 */
#include "capture/linux/helper.h"

#include <stdio.h>
#include <string.h>

#include "capture/stats.h"

static struct stats *counters[PS_MAX_STATS];

bool helper_stats_used(uint32_t id)
{
	return id < PS_MAX_STATS && counters[id];
}

enum source_err helper_stats_open(const struct ps_stats_open *o, const char *filter, uint32_t *id,
                                  char *err)
{
	struct stats_opts so = {
	    .iface = o->iface,
	    .filter = filter,
	    .interval_ms = o->interval_ms,
	    .promisc = o->promisc,
	    .buffer_kib = o->buffer_kib,
	};
	enum source_err why;

	for (*id = 0; *id < PS_MAX_STATS && counters[*id]; (*id)++)
		;
	if (*id == PS_MAX_STATS) {
		snprintf(err, SOURCE_ERRLEN, "capscope: too many statistics counters at once");
		return SRC_ERR_OTHER;
	}
	counters[*id] = stats_start(&so, &why, err);
	return counters[*id] ? SRC_OK : why;
}

const char *helper_stats_warning(uint32_t id)
{
	const char *w = stats_warning(counters[id]);

	return w ? w : "";
}

void helper_stats_read(uint32_t id, uint64_t after, struct ps_stats_batch *sb)
{
	struct stats *s = counters[id];

	sb->failed = stats_failed(s, sb->err);
	for (sb->n = 0; sb->n < PS_STATS_BATCH && stats_next(s, after, &sb->rec[sb->n]); sb->n++)
		after = sb->rec[sb->n].seq;
}

void helper_stats_stop(uint32_t id)
{
	stats_stop(counters[id]);
}

void helper_stats_close(uint32_t id)
{
	stats_free(counters[id]);
	counters[id] = NULL;
}

void helper_stats_close_all(void)
{
	for (uint32_t id = 0; id < PS_MAX_STATS; id++)
		if (counters[id])
			helper_stats_close(id);
}
