/*
 * proc_stats.h - per-process traffic totals for the monitor's Processes view (nethogs and
 * bandwhich style): packets and bytes each way, connections (distinct flows), first and last
 * seen, and a per-second history of the rate for a sparkline.
 *
 * Fed one packet at a time with the process id the attribution gave it (procs/attrib.h:
 * ATTRIB_NONE, the "unattributed" row, is a process like any other here). Times are capture
 * timestamps, as the conversations use them: a file's rates are its own, a live capture's
 * the wall clock's. Knows nothing of how ids were found; the view asks attrib_proc() for
 * names.
 *
 * Bounded, for runs of days: at most max_procs rows and max_flows (flow, process) pairs
 * remembered for the connection counts (proc_flows.h). Past either bound a new one takes
 * the place of the least recently seen: a row's totals then go to the evicted totals
 * (proc_stats_evicted), and proc_stats_packets still counts every packet. Two rows are
 * never given up: the unattributed traffic (ATTRIB_NONE) and ATTRIB_TOO_MANY. The least
 * recently seen row's flows were all seen no later than its last packet; they leave the flow
 * set in their own time. Memory: about 600 bytes a row, 24 bytes a flow, allocated as used
 * (the flow set at its full size at the first flow).
 *
 * Threads: one owner thread (the monitor's UI thread); no locking.
 */
#ifndef CAPSCOPE_PROC_STATS_H
#define CAPSCOPE_PROC_STATS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs/attrib.h"

#define PROC_HIST 60 /* seconds of rate history a process keeps */

enum { PS_IN = 0, PS_OUT = 1 };

struct proc_stat {
	uint32_t id;                   /* the attribution's process id (ATTRIB_NONE: none) */
	uint32_t conns;                /* distinct flows seen */
	uint64_t packets[2], bytes[2]; /* [PS_IN], [PS_OUT]: frames and frame bytes */
	int64_t first_ns, last_ns;     /* capture timestamps */
	int64_t sec;                   /* the second `cur` counts (and hist's newest slot) */
	uint64_t cur[2], prev[2];      /* bytes in second `sec` and in second sec - 1 */
	uint64_t hist[PROC_HIST];      /* bytes per second, slot sec % PROC_HIST */
	uint64_t last_flow;            /* the flow of its previous packet (counted already) */
};

struct proc_stats;

/* 0 for either bound: the attribution's defaults (ATTRIB_DEFAULT_PROCS + 2 rows, the
 * unattributed and "too many" rows beside as many processes as the attribution holds;
 * ATTRIB_DEFAULT_FLOWS flows). A row bound below 3 is 3. NULL: no memory. */
struct proc_stats *proc_stats_create(size_t max_procs, size_t max_flows);
void proc_stats_free(struct proc_stats *t);
/* Forgets everything (a new source). */
void proc_stats_reset(struct proc_stats *t);

/* Counts one packet of len bytes at ts_ns for process id; `out`: the process sent it. flow:
 * flow_key_hash() of its 5-tuple (procs/attrib.h), or 0 (no flow: not counted as a
 * connection). */
void proc_stats_add(struct proc_stats *t, uint32_t id, bool out, uint32_t len, int64_t ts_ns,
                    uint64_t flow);

/* Rows 0 .. proc_stats_count - 1, in no particular order: an evicted row's index is reused by
 * the next new process (a row's pointer then shows that process). */
size_t proc_stats_count(const struct proc_stats *t);
const struct proc_stat *proc_stats_get(const struct proc_stats *t, size_t i);
/* The row of process id, or NULL. */
const struct proc_stat *proc_stats_find(const struct proc_stats *t, uint32_t id);
/* Packets counted so far, the evicted rows' and untracked ones included (changes whenever
 * anything does: the view re-sorts on it). */
uint64_t proc_stats_packets(const struct proc_stats *t);
/* Packets of no row: every row pinned (a bound of 3 or less) or out of memory. */
uint64_t proc_stats_untracked(const struct proc_stats *t);
/* Rows given up for new processes so far; *packets and *bytes (either may be NULL): their
 * totals, which no row shows any more. */
uint64_t proc_stats_evicted(const struct proc_stats *t, uint64_t *packets, uint64_t *bytes);
/* Flows held, and flows given up for new ones (one seen again counts as a new connection). */
size_t proc_stats_flows(const struct proc_stats *t);
uint64_t proc_stats_flows_evicted(const struct proc_stats *t);

/* bits/s of one direction over the last whole second before now_sec (0 when idle). */
double proc_stat_bps(const struct proc_stat *s, int dir, int64_t now_sec);
/* bits/s both ways of each of the n whole seconds before now_sec, oldest first (n at most
 * PROC_HIST; seconds with no traffic, or older than the history, are 0). */
void proc_stat_history(const struct proc_stat *s, int64_t now_sec, double *bps, size_t n);

#endif
