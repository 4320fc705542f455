/*
 * stats.c - statistics mode, the platform-neutral half (see stats.h): the counting thread,
 * interval boundaries on the monotonic clock, kernel drops per interval and the history
 * readers take records from. The platform files only count into a struct stats_clock.
 * Under privilege separation (privsep.h) the helper, which holds the adapter, counts (its
 * own stats.c, linux/helper_stats.c) and a mirror thread here copies its closed intervals
 * into the same history every MIRROR_POLL_MS, so readers see no difference.
 */
#include "capture/stats.h"

#include <pthread.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/privsep.h"
#include "capture/stats_int.h"
#include "platform/os.h"

#define NS_PER_MS      1000000ull
#define GRACE_MIN_NS   (20ull * NS_PER_MS)
#define MIRROR_POLL_MS 50

struct stats {
	pthread_t thread;
	bool started;
	struct source *src;
	struct stats_plat *plat;
	uint64_t interval_ns, grace_ns;
	_Atomic bool stop;   /* written by stats_stop */
	_Atomic bool failed; /* written by the counting thread */
	char err[SOURCE_ERRLEN];
	struct os_wake *wake; /* signalled for every record and at the end */

	/* counting thread only */
	struct stats_clock clock;
	uint64_t start_mono, boundary_mono; /* the open interval [start, boundary) */
	int64_t wall_minus_mono;            /* re-sampled at each boundary */
	uint32_t last_drop_raw;             /* pcap_stats counters are 32-bit: widened */
	bool have_drops;

	/* counted in the capture helper: its counter's id; the batch is the mirror thread's
	 * (and stats_stop's, after the join) */
	bool remote;
	uint32_t remote_id;
	char remote_warning[256];
	struct ps_stats_batch *batch;
	struct os_wake *tick; /* the mirror's sleep, cut short by stats_stop */

	/* the history, guarded by lock */
	pthread_mutex_t lock;
	struct stats_rec hist[STATS_HISTORY];
	uint64_t seq; /* newest published */
};

const char *stats_warning(const struct stats *s)
{
	if (s->remote)
		return s->remote_warning[0] ? s->remote_warning : NULL;
	return source_warning(s->src);
}

int stats_interval_ms(const struct stats *s)
{
	return (int)(s->interval_ns / NS_PER_MS);
}

double stats_bps(const struct stats_rec *r)
{
	return r->dur_ns ? (double)r->bytes * 8e9 / (double)r->dur_ns : 0;
}

double stats_pps(const struct stats_rec *r)
{
	return r->dur_ns ? (double)r->packets * 1e9 / (double)r->dur_ns : 0;
}

/* r->seq 0: the next number; else the helper's (the mirror keeps its numbering). */
static void publish(struct stats *s, struct stats_rec *r)
{
	pthread_mutex_lock(&s->lock);
	if (r->seq == 0)
		r->seq = s->seq + 1;
	s->seq = r->seq;
	s->hist[r->seq % STATS_HISTORY] = *r;
	pthread_mutex_unlock(&s->lock);
	os_wake_signal(s->wake);
}

/* The kernel's drops since the last call (0 where the platform has no counter). */
static uint64_t drops_delta(struct stats *s)
{
	uint64_t recv, drop, ifdrop;
	uint32_t d;

	if (!source_stats(s->src, &recv, &drop, &ifdrop))
		return 0;
	d = (uint32_t)drop - s->last_drop_raw;
	s->last_drop_raw = (uint32_t)drop;
	if (!s->have_drops) { /* the first reading is the base */
		s->have_drops = true;
		return drop;
	}
	return d;
}

/* Re-reads both clocks, so a stepped wall clock moves the next boundary's stamp too. */
static void sample_clocks(struct stats *s)
{
	uint64_t mono = os_monotonic_ns();

	s->wall_minus_mono = stats_plat_wall_ns() - (int64_t)mono;
	s->clock.boundary_ns = (int64_t)s->boundary_mono + s->wall_minus_mono;
}

/* The first boundary is the next whole multiple of the interval on the wall clock. */
static void start_clock(struct stats *s)
{
	uint64_t mono = os_monotonic_ns();
	int64_t wall = stats_plat_wall_ns();
	uint64_t into = (uint64_t)(wall % (int64_t)s->interval_ns);

	s->start_mono = mono;
	s->boundary_mono = mono + (s->interval_ns - into);
	s->clock.start_ns = wall;
	sample_clocks(s);
}

/* Publishes [start, end_mono) with the counts in a and moves the start there. */
static void emit(struct stats *s, uint64_t end_mono, const struct stats_acc *a)
{
	struct stats_rec r = {
	    .end_ns = (int64_t)end_mono + s->wall_minus_mono,
	    .dur_ns = end_mono - s->start_mono,
	    .packets = a->packets,
	    .bytes = a->bytes,
	    .drops = drops_delta(s),
	};

	publish(s, &r);
	s->start_mono = end_mono;
}

static void close_interval(struct stats *s)
{
	emit(s, s->boundary_mono, &s->clock.cur);
	s->clock.cur = s->clock.next;
	s->clock.next = (struct stats_acc){0, 0};
	s->boundary_mono += s->interval_ns;
	sample_clocks(s);
}

/* At the end: what is waiting is counted, then the open interval (and, within the grace
 * period, the one after it) is published as it stands. */
static void finish(struct stats *s)
{
	uint64_t now;

	stats_plat_drain(s->plat, &s->clock);
	now = os_monotonic_ns();
	if (now >= s->boundary_mono) {
		close_interval(s);
		now = now > s->start_mono ? now : s->start_mono;
		emit(s, now, &s->clock.cur);
		return;
	}
	s->clock.cur.packets += s->clock.next.packets; /* stamped ahead of our clock: still ours */
	s->clock.cur.bytes += s->clock.next.bytes;
	emit(s, now, &s->clock.cur);
}

static void *stats_main(void *arg)
{
	struct stats *s = arg;

	start_clock(s);
	while (!atomic_load_explicit(&s->stop, memory_order_relaxed)) {
		if (stats_plat_read(s->plat, &s->clock, s->err) < 0) {
			atomic_store_explicit(&s->failed, true, memory_order_release);
			break;
		}
		while (os_monotonic_ns() >= s->boundary_mono + s->grace_ns)
			close_interval(s);
	}
	finish(s);
	os_wake_signal(s->wake);
	return NULL;
}

static void set_failed(struct stats *s, const char *err)
{
	snprintf(s->err, sizeof s->err, "%s", err);
	atomic_store_explicit(&s->failed, true, memory_order_release);
}

/* Copies the helper's new intervals into the history. False when counting ended there or
 * the channel broke (s->failed is then set). */
static bool mirror_pull(struct stats *s)
{
	struct ps_stats_batch *b = s->batch;
	char err[SOURCE_ERRLEN];

	do {
		if (privsep_stats_read(s->remote_id, s->seq, b, err) != 0) {
			set_failed(s, err);
			return false;
		}
		for (uint32_t i = 0; i < b->n; i++)
			publish(s, &b->rec[i]);
		if (b->failed) {
			set_failed(s, b->err);
			return false;
		}
	} while (b->n == PS_STATS_BATCH);
	return true;
}

static void *mirror_main(void *arg)
{
	struct stats *s = arg;

	while (!atomic_load_explicit(&s->stop, memory_order_relaxed) && mirror_pull(s))
		os_wake_wait(s->tick, MIRROR_POLL_MS);
	os_wake_signal(s->wake);
	return NULL;
}

static bool remote_start(struct stats *s, const struct stats_opts *o, enum source_err *why,
                         char *err)
{
	int rc;

	s->batch = malloc(sizeof *s->batch);
	if (!s->batch) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory starting statistics mode");
		return false;
	}
	if (!(s->tick = os_wake_create(err, SOURCE_ERRLEN)))
		return false;
	if (privsep_stats_open(o, &s->remote_id, s->remote_warning, sizeof s->remote_warning, why,
	                       err) != 0)
		return false;
	s->remote = true;
	rc = pthread_create(&s->thread, NULL, mirror_main, s);
	s->started = rc == 0;
	if (!s->started)
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot start the counting thread: %s",
		         strerror(rc));
	return s->started;
}

static struct source *open_source(const struct stats_opts *o, int timeout_ms, enum source_err *why,
                                  char *err)
{
	struct source_opts so = {
	    .name = o->iface,
	    .kind = SOURCE_LIVE,
	    .snaplen = stats_plat_snaplen(),
	    .promisc = o->promisc,
	    .timeout_ms = timeout_ms,
	    .buffer_kib = o->buffer_kib,
	};
	struct source *src = source_open(&so, why, err);

	if (src && o->filter && o->filter[0] &&
	    (*why = stats_plat_filter(src, o->filter, err)) != SRC_OK) {
		source_close(src);
		return NULL;
	}
	return src;
}

static struct stats *alloc_stats(const struct stats_opts *o, char *err)
{
	struct stats *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory starting statistics mode");
		return NULL;
	}
	s->wake = os_wake_create(err, SOURCE_ERRLEN);
	if (!s->wake) {
		free(s);
		return NULL;
	}
	pthread_mutex_init(&s->lock, NULL);
	s->interval_ns = (uint64_t)o->interval_ms * NS_PER_MS;
	return s;
}

/* The read timeout for an interval, the same on every platform: a tenth of the interval,
 * 10..50 ms. It bounds how late a packet (or, on Windows, a driver sample) is handed over. */
static int timeout_for(int interval_ms)
{
	int t = interval_ms / 10;

	return t < 10 ? 10 : t > 50 ? 50 : t;
}

struct stats *stats_start(const struct stats_opts *o, enum source_err *why, char *err)
{
	int timeout_ms = timeout_for(o->interval_ms);
	struct stats *s;
	int rc;

	*why = SRC_ERR_OTHER;
	if (o->interval_ms < STATS_MIN_INTERVAL_MS || o->interval_ms > STATS_MAX_INTERVAL_MS) {
		snprintf(err, SOURCE_ERRLEN, "capscope: the interval must be %d to %d ms",
		         STATS_MIN_INTERVAL_MS, STATS_MAX_INTERVAL_MS);
		return NULL;
	}
	if (!(s = alloc_stats(o, err)))
		return NULL;
	if (privsep_active()) {
		if (!remote_start(s, o, why, err)) {
			stats_free(s);
			return NULL;
		}
		*why = SRC_OK;
		return s;
	}
	s->grace_ns = 2ull * (uint64_t)timeout_ms * NS_PER_MS + GRACE_MIN_NS;
	s->src = open_source(o, timeout_ms, why, err);
	if (s->src)
		s->plat = stats_plat_open(s->src, timeout_ms, err);
	if (s->plat) {
		drops_delta(s); /* the base for the first interval */
		rc = pthread_create(&s->thread, NULL, stats_main, s);
		s->started = rc == 0;
		if (!s->started)
			snprintf(err, SOURCE_ERRLEN,
			         "capscope: cannot start the counting thread: %s", strerror(rc));
	}
	if (!s->started) {
		stats_free(s);
		return NULL;
	}
	*why = SRC_OK;
	return s;
}

void stats_stop(struct stats *s)
{
	if (!s || !s->started)
		return;
	atomic_store_explicit(&s->stop, true, memory_order_relaxed);
	if (s->remote)
		os_wake_signal(s->tick);
	else
		source_break(s->src);
	pthread_join(s->thread, NULL);
	s->started = false;
	if (s->remote && !atomic_load_explicit(&s->failed, memory_order_acquire)) {
		privsep_stats_stop(s->remote_id); /* the helper publishes the last interval */
		mirror_pull(s);
		os_wake_signal(s->wake);
	}
}

void stats_free(struct stats *s)
{
	if (!s)
		return;
	stats_stop(s);
	if (s->remote)
		privsep_stats_close(s->remote_id);
	free(s->batch);
	if (s->tick)
		os_wake_destroy(s->tick);
	stats_plat_close(s->plat);
	source_close(s->src);
	os_wake_destroy(s->wake);
	pthread_mutex_destroy(&s->lock);
	free(s);
}

bool stats_next(struct stats *s, uint64_t after, struct stats_rec *out)
{
	bool ok;

	pthread_mutex_lock(&s->lock);
	if (s->seq > STATS_HISTORY && after < s->seq - STATS_HISTORY)
		after = s->seq - STATS_HISTORY; /* the older ones are gone */
	ok = after < s->seq;
	if (ok)
		*out = s->hist[(after + 1) % STATS_HISTORY];
	pthread_mutex_unlock(&s->lock);
	return ok;
}

size_t stats_latest(struct stats *s, struct stats_rec *out, size_t n)
{
	size_t have;

	pthread_mutex_lock(&s->lock);
	have = s->seq < STATS_HISTORY ? (size_t)s->seq : STATS_HISTORY;
	if (n > have)
		n = have;
	for (size_t i = 0; i < n; i++)
		out[i] = s->hist[(s->seq - n + 1 + i) % STATS_HISTORY];
	pthread_mutex_unlock(&s->lock);
	return n;
}

uint64_t stats_seq(struct stats *s)
{
	uint64_t seq;

	pthread_mutex_lock(&s->lock);
	seq = s->seq;
	pthread_mutex_unlock(&s->lock);
	return seq;
}

void stats_wait(struct stats *s, int timeout_ms)
{
	os_wake_wait(s->wake, timeout_ms);
}

bool stats_failed(struct stats *s, char *err)
{
	if (!atomic_load_explicit(&s->failed, memory_order_acquire))
		return false;
	snprintf(err, SOURCE_ERRLEN, "%s", s->err);
	return true;
}
