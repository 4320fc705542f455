/* proc_stats.c - per-process traffic totals (see proc_stats.h). */
#include "model/proc_stats.h"

#include <stdlib.h>
#include <string.h>

/* Open addressing, linear probing; a table is at most half full. */
struct idmap {
	uint32_t *slot; /* row index + 1, 0 = empty */
	size_t nslot;   /* a power of two */
};

struct proc_stats {
	struct proc_stat *v; /* rows, in order of first appearance */
	size_t n, cap, max;
	struct idmap ids;
	uint64_t *flows; /* flow hash ^ process mix, 0 = empty; allocated at the first flow */
	size_t nflows, flow_slots, max_flows;
	uint64_t packets, untracked;
	size_t last; /* row index + 1 of the previous packet's process: runs skip the hash */
};

static size_t pow2_at_least(size_t n)
{
	size_t p = 16;

	while (p < n)
		p *= 2;
	return p;
}

struct proc_stats *proc_stats_create(size_t max_procs, size_t max_flows)
{
	struct proc_stats *t = calloc(1, sizeof *t);

	if (!t)
		return NULL;
	t->max = max_procs ? max_procs : ATTRIB_DEFAULT_PROCS + 2;
	t->max_flows = max_flows ? max_flows : ATTRIB_DEFAULT_FLOWS;
	t->flow_slots = pow2_at_least(t->max_flows * 2);
	return t;
}

void proc_stats_reset(struct proc_stats *t)
{
	free(t->v);
	free(t->ids.slot);
	free(t->flows);
	t->v = NULL;
	t->ids = (struct idmap){NULL, 0};
	t->flows = NULL;
	t->n = t->cap = t->nflows = 0;
	t->packets = t->untracked = 0;
	t->last = 0;
}

void proc_stats_free(struct proc_stats *t)
{
	if (!t)
		return;
	proc_stats_reset(t);
	free(t);
}

static size_t id_hash(uint32_t id, size_t nslot)
{
	return (size_t)((id * 0x9e3779b1u) & (nslot - 1));
}

/* The slot of id: its row's, or the empty one where it would go. */
static size_t id_slot(const struct proc_stats *t, uint32_t id)
{
	size_t i = id_hash(id, t->ids.nslot);

	while (t->ids.slot[i] && t->v[t->ids.slot[i] - 1].id != id)
		i = (i + 1) & (t->ids.nslot - 1);
	return i;
}

static bool rehash(struct proc_stats *t, size_t nslot)
{
	uint32_t *s = calloc(nslot, sizeof *s);

	if (!s)
		return false;
	free(t->ids.slot);
	t->ids = (struct idmap){s, nslot};
	for (size_t r = 0; r < t->n; r++)
		s[id_slot(t, t->v[r].id)] = (uint32_t)(r + 1);
	return true;
}

/* A new row for id at ts_ns; NULL past the bound or out of memory. */
static struct proc_stat *add_row(struct proc_stats *t, uint32_t id, int64_t ts_ns)
{
	if (t->n >= t->max)
		return NULL;
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		struct proc_stat *v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return NULL;
		t->v = v;
		t->cap = cap;
	}
	if ((t->n + 1) * 2 > t->ids.nslot && !rehash(t, pow2_at_least((t->n + 1) * 4)))
		return NULL;
	struct proc_stat *s = &t->v[t->n];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->first_ns = s->last_ns = ts_ns;
	s->sec = ts_ns / 1000000000;
	t->ids.slot[id_slot(t, id)] = (uint32_t)++t->n;
	return s;
}

static struct proc_stat *row_of(struct proc_stats *t, uint32_t id)
{
	size_t i;

	if (!t->ids.nslot)
		return NULL;
	i = id_slot(t, id);
	return t->ids.slot[i] ? &t->v[t->ids.slot[i] - 1] : NULL;
}

/* The history slot of a second (times before 1970 too). */
static size_t slot(int64_t sec)
{
	return (size_t)(((sec % PROC_HIST) + PROC_HIST) % PROC_HIST);
}

/* Moves s's current second on to sec, clearing the history of the seconds skipped. A packet
 * from an earlier second (captures are not always in time order) counts in the current one. */
static void advance(struct proc_stat *s, int64_t sec)
{
	if (sec <= s->sec)
		return;
	bool next = sec == s->sec + 1;
	s->prev[PS_IN] = next ? s->cur[PS_IN] : 0;
	s->prev[PS_OUT] = next ? s->cur[PS_OUT] : 0;
	s->cur[PS_IN] = s->cur[PS_OUT] = 0;
	int64_t gap = sec - s->sec;
	for (int64_t k = 1; k <= gap && k <= PROC_HIST; k++)
		s->hist[slot(sec - k + 1)] = 0;
	s->sec = sec;
}

/* True the first time (flow, id) is seen; false after, or when the set is full. */
static bool new_flow(struct proc_stats *t, uint32_t id, uint64_t flow)
{
	uint64_t key = flow ^ ((uint64_t)id * 0xff51afd7ed558ccdull);
	size_t i;

	key = key ? key : 1;
	if (!t->flows) {
		t->flows = calloc(t->flow_slots, sizeof *t->flows);
		if (!t->flows)
			return false;
	}
	i = (size_t)(key ^ key >> 29) & (t->flow_slots - 1);
	while (t->flows[i] && t->flows[i] != key)
		i = (i + 1) & (t->flow_slots - 1);
	if (t->flows[i] || t->nflows >= t->max_flows)
		return false;
	t->flows[i] = key;
	t->nflows++;
	return true;
}

void proc_stats_add(struct proc_stats *t, uint32_t id, bool out, uint32_t len, int64_t ts_ns,
                    uint64_t flow)
{
	struct proc_stat *s =
	    t->last && t->v[t->last - 1].id == id ? &t->v[t->last - 1] : row_of(t, id);
	int d = out ? PS_OUT : PS_IN;
	int64_t sec = ts_ns / 1000000000;

	t->packets++;
	if (!s && !(s = add_row(t, id, ts_ns))) {
		t->untracked++;
		return;
	}
	t->last = (size_t)(s - t->v) + 1;
	s->packets[d]++;
	s->bytes[d] += len;
	if (ts_ns > s->last_ns)
		s->last_ns = ts_ns;
	if (ts_ns < s->first_ns)
		s->first_ns = ts_ns;
	advance(s, sec);
	s->cur[d] += len;
	s->hist[slot(s->sec)] += len;
	/* a flow's packets come in runs: the set (a cache miss each) is asked once a run */
	if (flow && flow != s->last_flow && new_flow(t, id, flow))
		s->conns++;
	s->last_flow = flow;
}

size_t proc_stats_count(const struct proc_stats *t)
{
	return t->n;
}

const struct proc_stat *proc_stats_get(const struct proc_stats *t, size_t i)
{
	return i < t->n ? &t->v[i] : NULL;
}

const struct proc_stat *proc_stats_find(const struct proc_stats *t, uint32_t id)
{
	return row_of((struct proc_stats *)t, id);
}

uint64_t proc_stats_packets(const struct proc_stats *t)
{
	return t->packets;
}

uint64_t proc_stats_untracked(const struct proc_stats *t)
{
	return t->untracked;
}

bool proc_stats_flows_full(const struct proc_stats *t)
{
	return t->nflows >= t->max_flows;
}

double proc_stat_bps(const struct proc_stat *s, int dir, int64_t now_sec)
{
	uint64_t b = s->sec == now_sec - 1 ? s->cur[dir] : s->sec == now_sec ? s->prev[dir] : 0;

	return (double)b * 8;
}

void proc_stat_history(const struct proc_stat *s, int64_t now_sec, double *bps, size_t n)
{
	n = n > PROC_HIST ? PROC_HIST : n;
	for (size_t i = 0; i < n; i++) {
		int64_t sec = now_sec - (int64_t)(n - i); /* oldest first, ending at now_sec - 1 */
		bool held = sec <= s->sec && sec > s->sec - PROC_HIST;
		bps[i] = held ? (double)s->hist[slot(sec)] * 8 : 0;
	}
}
