/*
 * stats_int.h - what stats.c shares with its platform files (stats_linux.c, stats_win32.c).
 * Not for use outside src/capture/stats*.c. Everything here runs on the counting thread,
 * except stats_plat_break(), which any thread may call.
 */
#ifndef CAPSCOPE_STATS_INT_H
#define CAPSCOPE_STATS_INT_H

#include <stdint.h>

#include "capture/source.h"

struct stats_acc {
	uint64_t packets, bytes;
};

/* The open interval and the one after it. A packet stamped before `boundary_ns` (wall
 * clock) belongs to `cur`; later ones (arriving during the grace period) to `next`. Packets
 * stamped before `start_ns`, when counting began, belong to no interval. */
struct stats_clock {
	int64_t start_ns, boundary_ns;
	struct stats_acc cur, next;
};

/* Counts packets/bytes stamped at ts_ns (wall clock). Cheap: called per packet on Linux. */
static inline void stats_clock_add(struct stats_clock *k, int64_t ts_ns, uint64_t packets,
                                   uint64_t bytes)
{
	struct stats_acc *a = ts_ns < k->boundary_ns ? &k->cur : &k->next;

	if (ts_ns < k->start_ns)
		return;
	a->packets += packets;
	a->bytes += bytes;
}

/* The platform's counting, over a source opened by stats.c with stats_plat_snaplen() and
 * the read timeout of stats.c's timeout_for(). */
struct stats_plat;

int stats_plat_snaplen(void);
/* Installs the filter expr (not empty) on src. Returns SRC_OK, or an error with err. */
enum source_err stats_plat_filter(struct source *src, const char *expr, char *err);
/* Called once the filter is installed. Returns NULL with err on failure. */
struct stats_plat *stats_plat_open(struct source *src, int timeout_ms, char *err);
/* Counts what arrives within about one read timeout into k. Returns 0, or -1 with err. */
int stats_plat_read(struct stats_plat *p, struct stats_clock *k, char *err);
/* Counts what is already waiting without blocking (before the last interval closes). */
void stats_plat_drain(struct stats_plat *p, struct stats_clock *k);
void stats_plat_close(struct stats_plat *p);
/* Wall clock in ns since the epoch. */
int64_t stats_plat_wall_ns(void);

#endif
