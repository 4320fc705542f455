/*
 * capture_merge.c - several sources at once (-i A -i B): one capture thread and ring per
 * source, as for one source, and a merge thread that moves their packets into the
 * consumer's ring in timestamp order (capture_merge.h).
 *
 * The merge is a k-way merge over the sources' rings with a bounded hold: the packet with
 * the earliest timestamp among those waiting is released once every other running source
 * either has a packet waiting too (so nothing older can come from it) or can no longer
 * deliver one that old: a live source's packets come within a read timeout, so the packet
 * is held until it is the hold window old (a quiet adapter delays the others by that
 * much, never stops them). A source that has ended and
 * been drained holds nothing. So the order is by timestamp except for a packet that reaches
 * the merge more than the hold window after a later packet of another source was released
 * (a source that stalls longer than that): it is released when it comes, out of order.
 * A remote source (ssh://) delivers through ssh and the far tcpdump's buffers, late by more
 * than a local read timeout: it holds a packet until that packet is REMOTE_HOLD_MS old by
 * this machine's clock, so local packets wait at most that long for a slow link, never for
 * good. And whenever any source's ring is more than half full, the earliest packet goes at
 * once: order gives way before a hold could cost drops. Every packet is moved once.
 * The merge waits for room in the consumer's ring rather than dropping: a slow consumer
 * fills the sources' rings, whose live producers count their own drops, so each source's
 * drops are its own.
 *
 * Threads: the merge thread is the consumer of every source's ring and the producer of the
 * consumer's ring; merge_stop, merge_counters and merge_source may be called from any
 * thread until merge_join.
 */
#include "capture/capture_merge.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "platform/os.h"

#define BATCH         64u
#define IDLE_WAIT_MS  10 /* nothing waiting anywhere: look again this often */
#define SPACE_WAIT_MS 100
#define QUIET_BOUND   4u
/* A remote source's hold: ssh and the far tcpdump (-U) pass packets on within a few hundred
 * ms on a working link; 1.5 s keeps its packets in order across a busy one. */
#define REMOTE_HOLD_MS 1500u

struct merge_in {
	struct capture *cap;
	struct ring *ring;
	/* merge thread only */
	struct ring_rec head; /* the source's next packet, peeked (valid while has) */
	bool has;
	bool done;        /* the source ended and its ring is drained */
	bool live;        /* timestamps from this machine's clock (holds_for) */
	bool remote;      /* ssh://: held by age, longer (REMOTE_HOLD_MS) */
	uint64_t seen_ns; /* when it last had a packet waiting (or the merge began) */
};

struct capture_merge {
	pthread_t thread;
	struct merge_in in[CAPTURE_MAX_SOURCES];
	unsigned n;
	struct ring *out;
	uint64_t max_packets;
	uint64_t hold_ns;
	uint64_t remote_hold_ns;
	unsigned wait_next;     /* merge thread: the source waited on when all are empty */
	_Atomic bool stop;      /* written by merge_stop */
	_Atomic uint64_t moved; /* written by the merge thread */
	_Atomic bool finished;  /* written by the merge thread, last */
	bool running;           /* the merge thread was started */
};

static bool earlier(const struct pkt_hdr *a, const struct pkt_hdr *b)
{
	return a->ts_sec < b->ts_sec || (a->ts_sec == b->ts_sec && a->ts_nsec < b->ts_nsec);
}

/* Peeks each running source's next packet. Returns the source whose packet is earliest (the
 * lower index on a tie), or -1 when none has one waiting. */
static int refresh(struct capture_merge *m, uint64_t now)
{
	int best = -1;

	for (unsigned i = 0; i < m->n; i++) {
		struct merge_in *s = &m->in[i];

		if (s->done)
			continue;
		if (!s->has)
			s->has = ring_peek(s->ring, &s->head);
		if (!s->has) {
			s->done = ring_drained(s->ring);
			continue;
		}
		s->seen_ns = now;
		if (best < 0 || earlier(&s->head.hdr, &m->in[best].head.hdr))
			best = (int)i;
	}
	return best;
}

static int64_t realtime_ns(void)
{
	struct timespec t;

	clock_gettime(CLOCK_REALTIME, &t);
	return (int64_t)t.tv_sec * 1000000000 + t.tv_nsec;
}

/* Saturating: a hostile file's seconds may be anything. */
static int64_t ts_ns(const struct pkt_hdr *h)
{
	const int64_t lim = INT64_MAX / 1000000000 - 1;

	if (h->ts_sec > lim || h->ts_sec < -lim)
		return h->ts_sec > 0 ? INT64_MAX : INT64_MIN;
	return h->ts_sec * 1000000000 + (int64_t)h->ts_nsec;
}

/* How long running source s, with nothing waiting, may still hold back a packet of time
 * `ts` (ns since the epoch), in ns; 0 when it holds nothing. A live source's timestamps are
 * this machine's clock and its packets reach the merge within a read timeout, so it holds
 * until the packet is hold_ns old, quiet or not (a packet stamped ahead of this clock, one
 * that stepped back, is held for at most QUIET_BOUND quiet windows); a remote one likewise with
 * remote_hold_ns (its far clock may differ: the quiet bound ends a hold that a skew would stretch);
 * other kinds (files, streams) hold until they have been quiet for hold_ns. */
static uint64_t holds_for(const struct capture_merge *m, const struct merge_in *s, int64_t ts,
                          uint64_t now, int64_t real)
{
	uint64_t quiet = now - s->seen_ns, age, hold;

	if (s->done || s->has)
		return 0;
	if (!s->live && !s->remote)
		return quiet < m->hold_ns ? m->hold_ns - quiet : 0;
	hold = s->remote ? m->remote_hold_ns : m->hold_ns;
	if (real > ts) {
		/* however long s has been quiet: a silent adapter's first packet still takes up to
		 * a read timeout (and the helper's hop) to come */
		age = (uint64_t)(real - ts);
		return age < hold ? hold - age : 0;
	}
	return quiet < QUIET_BOUND * hold ? hold : 0; /* ts ahead of this clock */
}

/* A source's ring more than half full: holding on could cost it drops. */
static bool crowded(const struct capture_merge *m)
{
	for (unsigned i = 0; i < m->n; i++)
		if (!m->in[i].done && ring_used(m->in[i].ring) > ring_capacity(m->in[i].ring) / 2)
			return true;
	return false;
}

/* A source that may still deliver a packet older than in[best]'s, or -1; *wait_ns: how long
 * it may. */
static int holder(const struct capture_merge *m, int best, uint64_t now, uint64_t *wait_ns)
{
	int64_t ts = ts_ns(&m->in[best].head.hdr), real = realtime_ns();

	for (unsigned i = 0; i < m->n; i++) {
		if ((*wait_ns = holds_for(m, &m->in[i], ts, now, real)) > 0)
			return (int)i;
	}
	return -1;
}

static bool all_done(const struct capture_merge *m)
{
	for (unsigned i = 0; i < m->n; i++)
		if (!m->in[i].done)
			return false;
	return true;
}

/* Room in the consumer's ring; false when asked to stop while waiting. A false from
 * ring_wait_space() before its timeout (the consumer left, or the record can never fit)
 * lets the push that follows count a drop. */
static bool wait_out(struct capture_merge *m, uint32_t caplen)
{
	if (ring_wait_space(m->out, caplen, 0))
		return true;
	for (;;) {
		uint64_t t0 = os_monotonic_ns();

		if (ring_wait_space(m->out, caplen, SPACE_WAIT_MS))
			return true;
		if (atomic_load_explicit(&m->stop, memory_order_relaxed))
			return false;
		if (os_monotonic_ns() - t0 < (uint64_t)SPACE_WAIT_MS * 1000000u)
			return true;
	}
}

/* Moves source i's waiting packet to the consumer's ring. False when the merge should end
 * (the packet count reached, or stopped while waiting for room). */
static bool emit(struct capture_merge *m, unsigned i, unsigned *batch)
{
	struct merge_in *s = &m->in[i];
	uint64_t n;

	if (!wait_out(m, s->head.hdr.caplen))
		return false;
	ring_push(m->out, &s->head.hdr, s->head.data);
	ring_pop(s->ring);
	s->has = false;
	n = atomic_load_explicit(&m->moved, memory_order_relaxed) + 1;
	atomic_store_explicit(&m->moved, n, memory_order_relaxed);
	if (++*batch >= BATCH) {
		ring_notify(m->out);
		*batch = 0;
	}
	return m->max_packets == 0 || n < m->max_packets;
}

/* Nothing can be released now: the consumer gets what it has, then the merge sleeps on the
 * source it waits for (a holder, at most as long as it holds), or in turn on each running
 * one when none has a packet. */
static void idle(struct capture_merge *m, int hold, uint64_t wait_ns, unsigned *batch)
{
	uint64_t ms = IDLE_WAIT_MS;
	unsigned i = 0;

	ring_notify(m->out);
	*batch = 0;
	if (hold >= 0) {
		ms = (wait_ns + 999999u) / 1000000u;
		if (ms > IDLE_WAIT_MS)
			ms = IDLE_WAIT_MS;
		i = (unsigned)hold;
	} else {
		for (unsigned k = 0; k < m->n; k++) {
			i = (m->wait_next + k) % m->n;
			if (!m->in[i].done && !m->in[i].has)
				break;
		}
		m->wait_next = (i + 1) % m->n;
	}
	ring_wait(m->in[i].ring, (int)ms);
}

static void add_counters(struct capture_counters *sum, const struct capture_counters *c);

static void stop_sources(struct capture_merge *m)
{
	for (unsigned i = 0; i < m->n; i++)
		capture_stop(m->in[i].cap);
}

static void *merge_main(void *arg)
{
	struct capture_merge *m = arg;
	uint64_t now = os_monotonic_ns(), wait_ns = 0;
	unsigned batch = 0;
	int best, hold;

	for (unsigned i = 0; i < m->n; i++)
		m->in[i].seen_ns = now;
	for (;;) {
		now = os_monotonic_ns();
		best = refresh(m, now);
		if (best < 0 && all_done(m))
			break;
		hold = best >= 0 ? holder(m, best, now, &wait_ns) : -1;
		if (hold >= 0 && crowded(m))
			hold = -1;
		if (best >= 0 && hold < 0) {
			if (!emit(m, (unsigned)best, &batch)) {
				stop_sources(m);
				break;
			}
			continue;
		}
		idle(m, hold, wait_ns, &batch);
	}
	atomic_store_explicit(&m->finished, true, memory_order_release);
	ring_finish(m->out);
	return NULL;
}

struct capture_merge *merge_start(struct source *const *srcs, unsigned n, struct ring *out,
                                  const struct merge_opts *o, char *err)
{
	struct capture_merge *m = calloc(1, sizeof(*m));
	int rc;

	if (!m || n == 0 || n > CAPTURE_MAX_SOURCES) {
		snprintf(err, SOURCE_ERRLEN,
		         m ? "capscope: at most %u sources at once"
		           : "capscope: out of memory starting the capture",
		         CAPTURE_MAX_SOURCES);
		free(m);
		return NULL;
	}
	m->out = out;
	m->max_packets = o->max_packets;
	m->hold_ns = (uint64_t)o->hold_ms * 1000000u;
	m->remote_hold_ns = (uint64_t)REMOTE_HOLD_MS * 1000000u;
	if (m->remote_hold_ns < m->hold_ns)
		m->remote_hold_ns = m->hold_ns;
	for (unsigned i = 0; i < n; i++, m->n++) {
		struct merge_in *s = &m->in[i];
		s->live = source_kind(srcs[i]) == SOURCE_LIVE;
		s->remote = source_kind(srcs[i]) == SOURCE_REMOTE;
		if (!(s->ring = ring_create(o->ring_bytes, err, SOURCE_ERRLEN)) ||
		    !(s->cap = capture_start_index(srcs[i], s->ring, 0, i, err))) {
			ring_destroy(s->ring);
			s->ring = NULL;
			merge_join(m, NULL, NULL, NULL);
			return NULL;
		}
	}
	rc = pthread_create(&m->thread, NULL, merge_main, m);
	if (rc != 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot start the merge thread: %s",
		         strerror(rc));
		merge_join(m, NULL, NULL, NULL);
		return NULL;
	}
	m->running = true;
	return m;
}

void merge_set_filter(struct capture_merge *m, const char *expr)
{
	for (unsigned i = 0; i < m->n; i++)
		capture_set_filter(m->in[i].cap, expr);
}

void merge_set_source_filter(struct capture_merge *m, unsigned i, const char *expr)
{
	if (i < m->n)
		capture_set_filter(m->in[i].cap, expr);
}

void merge_stop(struct capture_merge *m)
{
	atomic_store_explicit(&m->stop, true, memory_order_relaxed);
	stop_sources(m);
}

void merge_counters(const struct capture_merge *m, struct capture_counters *out)
{
	struct capture_counters c;

	memset(out, 0, sizeof *out);
	for (unsigned i = 0; i < m->n; i++) {
		capture_counters(m->in[i].cap, &c);
		add_counters(out, &c);
	}
	out->ring_drops += ring_drops(m->out);
	out->finished = atomic_load_explicit(&m->finished, memory_order_acquire);
}

unsigned merge_sources(const struct capture_merge *m)
{
	return m->n;
}

enum source_err merge_source(const struct capture_merge *m, unsigned i,
                             struct capture_counters *out, char *err)
{
	return capture_source(m->in[i].cap, 0, out, err);
}

static void add_counters(struct capture_counters *sum, const struct capture_counters *c)
{
	sum->received += c->received;
	sum->kernel_received += c->kernel_received;
	sum->kernel_drops += c->kernel_drops;
	sum->if_drops += c->if_drops;
	sum->ring_drops += c->ring_drops;
}

enum source_err merge_join(struct capture_merge *m, struct capture_counters *final,
                           struct capture_end *each, char *err)
{
	enum source_err st = SRC_OK;
	struct capture_end one;
	struct capture_counters sum = {0};
	char e[SOURCE_ERRLEN];

	if (m->running)
		pthread_join(m->thread, NULL);
	else
		stop_sources(m);
	for (unsigned i = 0; i < m->n; i++) {
		/* the source's ring counts what it refused: read before the ring goes */
		capture_join_each(m->in[i].cap, NULL, &one, e);
		add_counters(&sum, &one.cnt);
		if (one.st != SRC_OK && st == SRC_OK && err) {
			st = one.st;
			snprintf(err, SOURCE_ERRLEN, "%s", one.err);
		}
		if (each)
			each[i] = one;
		ring_destroy(m->in[i].ring);
	}
	sum.ring_drops += ring_drops(m->out);
	sum.finished = true;
	if (final)
		*final = sum;
	free(m);
	return st;
}
