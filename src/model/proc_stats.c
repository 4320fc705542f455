/* proc_stats.c - per-process traffic totals (see proc_stats.h). */
#include "model/proc_stats.h"

#include <stdlib.h>
#include <string.h>

#include "base/probe_remove.h"
#include "model/proc_flows.h"

/* Open addressing, linear probing; a table is at most half full. */
struct idmap {
	uint32_t *slot; /* row index + 1, 0 = empty */
	size_t nslot;   /* a power of two */
};

struct proc_stats {
	struct proc_stat *v; /* rows; an evicted row's index is reused by the next new one */
	size_t n, cap, max;
	struct idmap ids;
	struct recency rows; /* rows other than the pinned ones, least recently seen first */
	struct proc_flows flows;
	uint64_t packets, untracked;
	uint64_t evicted, evicted_packets, evicted_bytes; /* rows given up for new ones */
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
	t->max = t->max < 3 ? 3 : t->max; /* the two pinned rows and one that comes and goes */
	recency_init(&t->rows);
	proc_flows_init(&t->flows, max_flows ? max_flows : ATTRIB_DEFAULT_FLOWS);
	return t;
}

void proc_stats_reset(struct proc_stats *t)
{
	free(t->v);
	free(t->ids.slot);
	recency_free(&t->rows);
	proc_flows_reset(&t->flows);
	t->v = NULL;
	t->ids = (struct idmap){NULL, 0};
	t->n = t->cap = 0;
	t->packets = t->untracked = 0;
	t->evicted = t->evicted_packets = t->evicted_bytes = 0;
	t->last = 0;
}

void proc_stats_free(struct proc_stats *t)
{
	if (!t)
		return;
	proc_stats_reset(t);
	free(t);
}

/* Rows never given up: the unattributed traffic and the attribution's "too many". */
static bool pinned(uint32_t id)
{
	return id == ATTRIB_NONE || id == ATTRIB_TOO_MANY;
}

static size_t id_hash(uint32_t id, size_t nslot)
{
	return (size_t)((id * 0x9e3779b1u) & (nslot - 1));
}

static size_t row_home(const void *ctx, uint32_t row)
{
	const struct proc_stats *t = ctx;

	return id_hash(t->v[row].id, t->ids.nslot);
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

/* Room for one more row below the bound; false when out of memory. */
static bool grow(struct proc_stats *t)
{
	if (t->n == t->cap) {
		size_t cap = t->cap ? t->cap * 2 : 64;
		cap = cap > t->max ? t->max : cap;
		struct proc_stat *v = realloc(t->v, cap * sizeof *v);
		if (!v)
			return false;
		t->v = v;
		if (!recency_grow(&t->rows, cap))
			return false;
		t->cap = cap;
	}
	return (t->n + 1) * 2 <= t->ids.nslot || rehash(t, pow2_at_least((t->n + 1) * 4));
}

/* Gives up the least recently seen row (its totals go to the evicted ones'); returns its
 * index for reuse, or RECENCY_NIL when every row is pinned. */
static uint32_t evict(struct proc_stats *t)
{
	uint32_t r = t->rows.lru;
	const struct proc_stat *s;

	if (r == RECENCY_NIL)
		return r;
	s = &t->v[r];
	probe_remove(t->ids.slot, t->ids.nslot, id_slot(t, s->id), row_home, t);
	recency_unlink(&t->rows, r);
	t->evicted++;
	t->evicted_packets += s->packets[PS_IN] + s->packets[PS_OUT];
	t->evicted_bytes += s->bytes[PS_IN] + s->bytes[PS_OUT];
	return r;
}

/* A new row for id at ts_ns, in a new place below the bound or in the least recently seen
 * row's at it; NULL when every row is pinned or out of memory. */
static struct proc_stat *add_row(struct proc_stats *t, uint32_t id, int64_t ts_ns)
{
	uint32_t r;

	if (t->n < t->max && grow(t))
		r = (uint32_t)t->n++;
	else if (!t->ids.nslot || (r = evict(t)) == RECENCY_NIL)
		return NULL;
	struct proc_stat *s = &t->v[r];
	memset(s, 0, sizeof *s);
	s->id = id;
	s->first_ns = s->last_ns = ts_ns;
	s->sec = ts_ns / 1000000000;
	t->ids.slot[id_slot(t, id)] = r + 1;
	if (!pinned(id))
		recency_push(&t->rows, r);
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

/* The row of id, seen now: found (the previous packet's first), or added. */
static struct proc_stat *seen(struct proc_stats *t, uint32_t id, int64_t ts_ns)
{
	struct proc_stat *s =
	    t->last && t->v[t->last - 1].id == id ? &t->v[t->last - 1] : row_of(t, id);

	if (!s)
		return add_row(t, id, ts_ns);
	if (!pinned(id))
		recency_touch(&t->rows, (uint32_t)(s - t->v));
	return s;
}

/* True the first time (flow, id) is seen since it was last evicted. */
static bool new_flow(struct proc_stats *t, uint32_t id, uint64_t flow)
{
	uint64_t key = flow ^ ((uint64_t)id * 0xff51afd7ed558ccdull);

	return proc_flows_add(&t->flows, key ? key : 1);
}

void proc_stats_add(struct proc_stats *t, uint32_t id, bool out, uint32_t len, int64_t ts_ns,
                    uint64_t flow)
{
	struct proc_stat *s = seen(t, id, ts_ns);
	int d = out ? PS_OUT : PS_IN;
	int64_t sec = ts_ns / 1000000000;

	t->packets++;
	if (!s) {
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

uint64_t proc_stats_evicted(const struct proc_stats *t, uint64_t *packets, uint64_t *bytes)
{
	if (packets)
		*packets = t->evicted_packets;
	if (bytes)
		*bytes = t->evicted_bytes;
	return t->evicted;
}

uint64_t proc_stats_flows_evicted(const struct proc_stats *t)
{
	return t->flows.evicted;
}

size_t proc_stats_flows(const struct proc_stats *t)
{
	return t->flows.n;
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
