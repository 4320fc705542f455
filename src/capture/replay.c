/*
 * replay.c - preload a capture, then send it on absolute deadlines (see replay.h).
 * Platform-free: sending goes through struct send_target, time through os.h.
 */
#include "capture/replay.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name_escape.h"
#include "platform/os.h"

#define PROGRESS_NS  1000000000ull
#define MAX_SLEEP_NS 50000000ull /* long waits are cut up so stop() is seen within 50 ms */
#define GROW_PACKETS 4096

struct replay_pkt {
	uint64_t off;    /* into data */
	uint64_t before; /* bytes of the packets before this one (for REPLAY_MBPS) */
	uint64_t rel_ns; /* since the first packet, never decreasing */
	uint32_t len;
};

struct replay_file {
	struct replay_pkt *v;
	uint64_t n, cap;
	uint8_t *data;
	uint64_t bytes, data_cap;
	int linktype;
};

/* ---------------------------------------------------------------- loading */

static int grow(struct replay_file *f, uint32_t len, size_t max_bytes)
{
	if (f->n == f->cap) {
		uint64_t c = f->cap ? f->cap * 2 : GROW_PACKETS;
		struct replay_pkt *v = realloc(f->v, c * sizeof *v);
		if (!v)
			return -1;
		f->v = v, f->cap = c;
	}
	if (f->bytes + len > f->data_cap) {
		uint64_t c = f->data_cap ? f->data_cap * 2 : (1u << 20);
		while (c < f->bytes + len)
			c *= 2;
		if (c > max_bytes)
			c = max_bytes;
		uint8_t *d = realloc(f->data, c);
		if (!d)
			return -1;
		f->data = d, f->data_cap = c;
	}
	return 0;
}

static int64_t ts_ns(const struct pcap_pkthdr *h)
{
	return (int64_t)h->ts.tv_sec * 1000000000 + h->ts.tv_usec; /* nanosecond handle */
}

static void append(struct replay_file *f, const struct pcap_pkthdr *h, const uint8_t *d,
                   int64_t first)
{
	struct replay_pkt *p = &f->v[f->n];
	int64_t rel = ts_ns(h) - first;
	uint64_t prev = f->n ? f->v[f->n - 1].rel_ns : 0;

	p->off = f->bytes;
	p->before = f->bytes;
	p->rel_ns = rel > 0 && (uint64_t)rel > prev ? (uint64_t)rel : prev;
	p->len = h->caplen;
	memcpy(f->data + f->bytes, d, h->caplen);
	f->bytes += h->caplen;
	f->n++;
}

static int read_all(struct replay_file *f, pcap_t *p, size_t max_bytes, const char *name, char *err)
{
	struct pcap_pkthdr *h;
	const u_char *d;
	int64_t first = 0;
	int rc;

	while ((rc = pcap_next_ex(p, &h, &d)) == 1) {
		if (f->n == 0)
			first = ts_ns(h);
		if (f->bytes + h->caplen > max_bytes) {
			snprintf(
			    err, REPLAY_ERRLEN,
			    "capscope: '%s' holds more than %zu MiB of packets, the most replay "
			    "preloads: split it first (editcap -c)",
			    name, max_bytes >> 20);
			return -1;
		}
		if (grow(f, h->caplen, max_bytes) < 0) {
			snprintf(err, REPLAY_ERRLEN, "capscope: out of memory loading '%s'", name);
			return -1;
		}
		append(f, h, d, first);
	}
	if (rc == PCAP_ERROR) {
		snprintf(err, REPLAY_ERRLEN, "capscope: '%s' is corrupt after %llu packets: %s",
		         name, (unsigned long long)f->n, pcap_geterr(p));
		return -1;
	}
	return 0;
}

struct replay_file *replay_load(const char *path, size_t max_bytes, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "", name[256];
	struct replay_file *f;
	pcap_t *p;

	name_escape(path, name, sizeof name);
	p = pcap_open_offline_with_tstamp_precision(path, PCAP_TSTAMP_PRECISION_NANO, ebuf);
	if (!p) {
		snprintf(err, REPLAY_ERRLEN, "capscope: cannot read '%s': %s", name, ebuf);
		return NULL;
	}
	f = calloc(1, sizeof *f);
	if (!f || read_all(f, p, max_bytes, name, err) < 0) {
		if (!f)
			snprintf(err, REPLAY_ERRLEN, "capscope: out of memory loading '%s'", name);
		replay_free(f);
		pcap_close(p);
		return NULL;
	}
	f->linktype = pcap_datalink(p);
	pcap_close(p);
	return f;
}

void replay_free(struct replay_file *f)
{
	if (!f)
		return;
	free(f->v);
	free(f->data);
	free(f);
}

uint64_t replay_count(const struct replay_file *f)
{
	return f->n;
}

uint64_t replay_bytes(const struct replay_file *f)
{
	return f->bytes;
}

int replay_linktype(const struct replay_file *f)
{
	return f->linktype;
}

uint64_t replay_span_ns(const struct replay_file *f)
{
	return f->n ? f->v[f->n - 1].rel_ns : 0;
}

struct send_frame replay_frame(const struct replay_file *f, uint64_t i)
{
	return (struct send_frame){.data = f->data + f->v[i].off, .len = f->v[i].len};
}

/* ---------------------------------------------------------------- the plan */

/* As recorded, one pass lasts the span plus one mean gap, so loops keep the file's rhythm. */
static uint64_t pass_ns(const struct replay_file *f)
{
	uint64_t span = replay_span_ns(f);

	return f->n > 1 ? span + span / (f->n - 1) : 0;
}

uint64_t replay_deadline_ns(const struct replay_file *f, const struct replay_opts *o, uint64_t k)
{
	uint64_t loop = k / f->n, i = k % f->n;

	switch (o->timing) {
	case REPLAY_RECORDED:
		return (uint64_t)(((double)loop * (double)pass_ns(f) + (double)f->v[i].rel_ns) /
		                  o->multiplier);
	case REPLAY_PPS:
		return (uint64_t)((double)k * 1e9 / o->pps);
	case REPLAY_MBPS:
		return (uint64_t)(((double)loop * (double)f->bytes + (double)f->v[i].before) * 8e3 /
		                  o->mbps);
	case REPLAY_TOPSPEED:
	default:
		return 0;
	}
}

/* ---------------------------------------------------------------- running */

struct run {
	const struct replay_file *f;
	const struct replay_opts *o;
	struct send_target t;
	const struct replay_hooks *h;
	uint64_t start, next_progress;
	uint64_t spin_ns; /* the spinning window: REPLAY_SPIN_NS, widened while wake-ups are late */
	struct replay_progress p;
	struct send_frame batch[SEND_BATCH];
};

static bool stop_asked(struct run *r)
{
	if (r->h && r->h->stop && r->h->stop(r->h->arg))
		r->p.stopped = true;
	return r->p.stopped;
}

static void report(struct run *r, uint64_t now)
{
	r->p.elapsed_ns = now - r->start;
	if (r->h && r->h->progress)
		r->h->progress(&r->p, r->h->arg);
}

static void maybe_report(struct run *r, uint64_t now)
{
	if (now >= r->next_progress) {
		r->next_progress = now + PROGRESS_NS;
		report(r, now);
	}
}

/* Learns how late sleeps wake (a busy machine, a VM's timers): the spinning window grows
 * to 1.5 times the latest overshoot (at most REPLAY_SPIN_MAX_NS) and shrinks back slowly. */
static void learn_overshoot(struct run *r, uint64_t wake)
{
	uint64_t over = os_monotonic_ns() - wake, want = over + over / 2;

	if (want > r->spin_ns)
		r->spin_ns = want < REPLAY_SPIN_MAX_NS ? want : REPLAY_SPIN_MAX_NS;
	else
		r->spin_ns -= (r->spin_ns - REPLAY_SPIN_NS) / 64;
}

/* Sleeps, then spins, until the monotonic clock reaches `at`. False when asked to stop. */
static bool wait_until(struct run *r, uint64_t at)
{
	for (;;) {
		uint64_t now = os_monotonic_ns();

		if (now >= at)
			return true;
		if (at - now <= r->spin_ns) {
			while (os_monotonic_ns() < at)
				;
			return true;
		}
		if (stop_asked(r))
			return false;
		maybe_report(r, now);
		uint64_t wake = at - r->spin_ns;
		if (wake - now > MAX_SLEEP_NS)
			wake = now + MAX_SLEEP_NS;
		os_sleep_until_ns(wake);
		learn_overshoot(r, wake);
	}
}

/* Fills the batch with packet k and those after it that are due by `now`. */
static unsigned fill(struct run *r, uint64_t k, uint64_t now)
{
	unsigned b = 0;
	uint64_t due = r->start + replay_deadline_ns(r->f, r->o, k);

	do {
		r->batch[b] = replay_frame(r->f, (k + b) % r->f->n);
		r->batch[b].due_ns = due; /* Windows' send queue keeps the gaps (send_win32.c) */
		b++;
	} while (b < SEND_BATCH && k + b < r->p.total &&
	         (due = r->start + replay_deadline_ns(r->f, r->o, k + b)) <= now);
	return b;
}

/* Sends the batch; returns how many packets it consumed, or -1. */
static int send_batch(struct run *r, unsigned b, char *err)
{
	uint64_t failed = r->p.failed;
	int got = r->t.send(r->t.ctx, r->batch, b, &r->p.failed, err);

	if (got <= 0)
		return got;
	/* Failed frames are the last ones consumed (Linux: a failure is consumed alone). */
	uint64_t ok = (uint64_t)got - (r->p.failed - failed);
	for (uint64_t i = 0; i < ok; i++)
		r->p.bytes += r->batch[i].len;
	r->p.sent += ok;
	return got;
}

static void note_lateness(struct run *r, uint64_t due, uint64_t now)
{
	int64_t late = (int64_t)(now - due);

	if (r->o->timing == REPLAY_TOPSPEED)
		return;
	r->p.last_late_ns = late;
	if (late > r->p.max_late_ns)
		r->p.max_late_ns = late;
}

static int run_plan(struct run *r, char *err)
{
	uint64_t k = 0;

	while (k < r->p.total) {
		uint64_t due = r->start + replay_deadline_ns(r->f, r->o, k);

		if (stop_asked(r) || !wait_until(r, due))
			return 1;
		uint64_t now = os_monotonic_ns();
		note_lateness(r, due, now);
		int got = send_batch(r, fill(r, k, now), err);
		if (got < 0)
			return -1;
		k += (uint64_t)got;
		maybe_report(r, now);
	}
	return 0;
}

int replay_run(const struct replay_file *f, const struct replay_opts *o, struct send_target t,
               const struct replay_hooks *h, struct replay_progress *final, char *err)
{
	static const struct replay_hooks none;
	struct run *r = calloc(1, sizeof *r);
	int rc;

	if (!r) {
		snprintf(err, REPLAY_ERRLEN, "capscope: out of memory starting the replay");
		return -1;
	}
	*r = (struct run){.f = f, .o = o, .t = t, .h = h ? h : &none};
	r->p.total = f->n * (o->loops ? o->loops : 1);
	r->start = os_monotonic_ns();
	r->spin_ns = REPLAY_SPIN_NS;
	r->next_progress = r->start + PROGRESS_NS;
	if (r->p.total && o->timing != REPLAY_TOPSPEED)
		r->p.plan_ns = replay_deadline_ns(f, o, r->p.total - 1);
	rc = f->n ? run_plan(r, err) : 0;
	r->p.done = true;
	report(r, os_monotonic_ns());
	if (final)
		*final = r->p;
	free(r);
	return rc;
}
