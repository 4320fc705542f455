/*
 * test_ring.c - the SPSC ring: order and contents, wrap-around with odd sizes, drops when
 * full, a two-thread stress test (drop mode and blocking mode), wake-up latency, finish,
 * abandon and the poll() path.
 */
#include <poll.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/ring.h"
#include "check.h"
#include "platform/os.h"

#define STRESS_RECORDS   2000000u
#define BLOCKING_RECORDS 500000u
#define MAX_REC          2000u

static struct ring *make_ring(size_t bytes)
{
	char err[256] = "";
	struct ring *r = ring_create(bytes, err, sizeof(err));

	if (r == NULL)
		fprintf(stderr, "ring_create: %s\n", err);
	return r;
}

static void fill(uint8_t *p, uint32_t n, uint32_t seed)
{
	uint32_t i;

	for (i = 0; i < n; i++)
		p[i] = (uint8_t)((seed * 2654435761u + i * 40503u) >> 13);
}

/* 64-bit word-wise checksum over the bytes (fast enough for 2 GB under sanitizers). */
static uint32_t checksum(const uint8_t *p, uint32_t n)
{
	uint64_t h = 0xcbf29ce484222325u, w;
	uint32_t i = 0;

	for (; i + 8 <= n; i += 8) {
		memcpy(&w, p + i, 8);
		h = (h ^ w) * 0x100000001b3u;
	}
	for (; i < n; i++)
		h = (h ^ p[i]) * 0x100000001b3u;
	return (uint32_t)(h ^ h >> 32);
}

static bool push_n(struct ring *r, uint32_t caplen, uint32_t seed)
{
	static uint8_t buf[2u << 20];
	struct pkt_hdr h = {.ts_sec = seed,
	                    .ts_nsec = seed % 1000000000u,
	                    .caplen = caplen,
	                    .len = caplen + 7,
	                    .pos = seed};

	fill(buf, caplen, seed);
	return ring_push(r, &h, buf);
}

static bool pop_check(struct ring *r, uint32_t caplen, uint32_t seed)
{
	static uint8_t want[2u << 20];
	struct ring_rec rec;
	bool ok;

	if (!ring_peek(r, &rec))
		return false;
	fill(want, caplen, seed);
	ok = rec.hdr.caplen == caplen && rec.hdr.len == caplen + 7 && rec.hdr.ts_sec == seed &&
	     rec.hdr.ts_nsec == seed % 1000000000u && rec.hdr.pos == seed &&
	     memcmp(rec.data, want, caplen) == 0 && ((uintptr_t)rec.data & 7) == 0;
	ring_pop(r);
	return ok;
}

static void test_basics(void)
{
	char err[256] = "";
	struct ring *r = make_ring(RING_MIN_BYTES);
	struct ring_rec rec;

	CHECK(ring_create(RING_MIN_BYTES - 1, err, sizeof(err)) == NULL);
	CHECK(strstr(err, "too small") != NULL);
	CHECK(!ring_peek(r, &rec));
	CHECK(push_n(r, 0, 1) && push_n(r, 1, 2) && push_n(r, 1500, 3));
	CHECK_EQ_INT(ring_pushed(r), 3);
	CHECK_EQ_INT(ring_drops(r), 0);
	CHECK(pop_check(r, 0, 1));
	CHECK(pop_check(r, 1, 2));
	CHECK(pop_check(r, 1500, 3));
	CHECK(!ring_peek(r, &rec));
	CHECK(!ring_wait(r, 10));
	CHECK_EQ_INT(ring_capacity(r), RING_MIN_BYTES);
	ring_destroy(r);
}

/* Odd sizes (up to 70 KB) with 1..5 records in flight: the write position lands everywhere,
 * so records wrap with every possible tail gap. */
static void test_wrap(void)
{
	struct ring *r = make_ring(RING_MIN_BYTES + 8);
	uint32_t i, next_push = 0, next_pop = 0, bad = 0;

	for (i = 0; i < 20000; i++) {
		uint32_t inflight = 1 + i % 5;

		while (next_push - next_pop < inflight) {
			if (!push_n(r, (next_push * 7919u) % 70001u, next_push))
				bad++;
			next_push++;
		}
		if (!pop_check(r, (next_pop * 7919u) % 70001u, next_pop))
			bad++;
		next_pop++;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(ring_drops(r), 0);
	ring_destroy(r);
}

static void test_full(void)
{
	struct ring *r = make_ring(RING_MIN_BYTES);
	uint32_t n = 0, i, bad = 0;

	while (push_n(r, 1000, n))
		n++;
	CHECK_EQ_INT(ring_drops(r), 1);
	CHECK(n >= RING_MIN_BYTES / 1032 - 1 && n <= RING_MIN_BYTES / 1024);
	CHECK(!push_n(r, 1000, n));
	CHECK_EQ_INT(ring_drops(r), 2);
	CHECK(pop_check(r, 1000, 0));
	CHECK(push_n(r, 1000, n));
	for (i = 1; i <= n; i++)
		bad += !pop_check(r, 1000, i == n ? n : i);
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(ring_pushed(r), n + 1);
	ring_destroy(r);
}

struct stress {
	struct ring *r;
	bool blocking;
	uint32_t records;
	uint64_t attempts;
	uint64_t received, bad_sum, bad_seq;
};

static void *stress_producer(void *arg)
{
	struct stress *st = arg;
	static uint8_t buf[MAX_REC];
	uint32_t rnd = 12345, seq;

	for (seq = 1; seq <= st->records; seq++) {
		uint32_t size;
		struct pkt_hdr h;

		rnd = rnd * 1103515245u + 12345u;
		size = 1 + (rnd >> 8) % MAX_REC;
		fill(buf, size, seq);
		h = (struct pkt_hdr){.ts_sec = seq, .caplen = size, .len = checksum(buf, size)};
		if (st->blocking)
			ring_wait_space(st->r, size, -1);
		ring_push(st->r, &h, buf);
		st->attempts++;
		if (seq % 64 == 0)
			ring_notify(st->r);
	}
	ring_finish(st->r);
	return NULL;
}

static void stress_consume(struct stress *st)
{
	struct ring_rec rec;
	int64_t last = 0;

	for (;;) {
		while (ring_peek(st->r, &rec)) {
			st->bad_sum += checksum(rec.data, rec.hdr.caplen) != rec.hdr.len;
			st->bad_seq += rec.hdr.ts_sec <= last;
			last = rec.hdr.ts_sec;
			st->received++;
			ring_pop(st->r);
		}
		if (ring_drained(st->r))
			break;
		ring_wait(st->r, -1);
	}
}

static void run_stress(bool blocking, uint32_t records)
{
	struct stress st = {
	    .r = make_ring(RING_MIN_BYTES), .blocking = blocking, .records = records};
	uint64_t t0 = os_monotonic_ns();
	pthread_t th;

	pthread_create(&th, NULL, stress_producer, &st);
	stress_consume(&st);
	pthread_join(th, NULL);
	printf("stress (%s): %llu attempts, %llu received, %llu dropped, %.2f s\n",
	       blocking ? "blocking" : "drop", (unsigned long long)st.attempts,
	       (unsigned long long)st.received, (unsigned long long)ring_drops(st.r),
	       (double)(os_monotonic_ns() - t0) / 1e9);
	CHECK_EQ_INT(st.attempts, records);
	CHECK_EQ_INT(st.bad_sum, 0);
	CHECK_EQ_INT(st.bad_seq, 0);
	CHECK_EQ_INT(st.received + ring_drops(st.r), st.attempts);
	CHECK_EQ_INT(ring_pushed(st.r), st.received);
	if (blocking)
		CHECK_EQ_INT(ring_drops(st.r), 0);
	ring_destroy(st.r);
}

struct waiter {
	struct ring *r;
	bool got;
	uint64_t woke_ns;
};

static void *wait_forever(void *arg)
{
	struct waiter *w = arg;

	w->got = ring_wait(w->r, -1);
	w->woke_ns = os_monotonic_ns();
	return NULL;
}

static void test_wakeup_latency(void)
{
	struct waiter w = {.r = make_ring(RING_MIN_BYTES)};
	pthread_t th;
	uint64_t pushed_ns;

	pthread_create(&th, NULL, wait_forever, &w);
	os_sleep_until_ns(os_monotonic_ns() + 50000000u); /* let it go to sleep */
	CHECK_EQ_INT(w.woke_ns, 0);
	pushed_ns = os_monotonic_ns();
	push_n(w.r, 100, 1);
	ring_notify(w.r);
	pthread_join(th, NULL);
	printf("wake-up latency: %.1f us\n", (double)(w.woke_ns - pushed_ns) / 1e3);
	CHECK(w.got);
	CHECK(w.woke_ns - pushed_ns < 200000000u); /* generous: a lost wake-up hangs */
	ring_destroy(w.r);
}

static void test_finish_drained(void)
{
	struct ring *r = make_ring(RING_MIN_BYTES);
	struct waiter w = {.r = r};
	pthread_t th;

	push_n(r, 10, 1);
	push_n(r, 20, 2);
	ring_finish(r);
	CHECK(!ring_drained(r));
	CHECK(ring_wait(r, -1));
	CHECK(pop_check(r, 10, 1));
	CHECK(!ring_drained(r));
	CHECK(pop_check(r, 20, 2));
	CHECK(ring_drained(r));
	CHECK(!ring_wait(r, -1)); /* returns at once: nothing more will come */
	ring_destroy(r);

	w.r = r = make_ring(RING_MIN_BYTES); /* a sleeping consumer is woken by the finish */
	pthread_create(&th, NULL, wait_forever, &w);
	os_sleep_until_ns(os_monotonic_ns() + 20000000u);
	ring_finish(r);
	pthread_join(th, NULL);
	CHECK(!w.got);
	CHECK(ring_drained(r));
	ring_destroy(r);
}

static void *wait_space_forever(void *arg)
{
	struct waiter *w = arg;

	w->got = ring_wait_space(w->r, 1000, -1);
	w->woke_ns = os_monotonic_ns();
	return NULL;
}

static void test_abandon(void)
{
	struct waiter w = {.r = make_ring(RING_MIN_BYTES)};
	pthread_t th;

	while (push_n(w.r, 1000, 0))
		;
	CHECK(!ring_wait_space(w.r, 1000, 10));
	pthread_create(&th, NULL, wait_space_forever, &w);
	os_sleep_until_ns(os_monotonic_ns() + 20000000u);
	CHECK_EQ_INT(w.woke_ns, 0);
	ring_abandon(w.r);
	pthread_join(th, NULL);
	CHECK(!w.got);
	CHECK(!ring_wait_space(w.r, 1000, -1));
	ring_destroy(w.r);
	/* A record that can never fit is refused at once rather than waited for. */
	w.r = make_ring(RING_MIN_BYTES);
	CHECK(!ring_wait_space(w.r, RING_MIN_BYTES, -1));
	CHECK(!push_n(w.r, RING_MIN_BYTES, 0));
	ring_destroy(w.r);
}

/* The UI path: ring_wait(r, 0) arms the wake-up, then poll() sees the notify. */
static void test_poll_fd(void)
{
	struct ring *r = make_ring(RING_MIN_BYTES);
	struct pollfd p = {.fd = ring_wake_fd(r), .events = POLLIN};

	CHECK(p.fd >= 0);
	CHECK(!ring_wait(r, 0));
	CHECK_EQ_INT(poll(&p, 1, 0), 0);
	push_n(r, 64, 1);
	ring_notify(r);
	CHECK_EQ_INT(poll(&p, 1, 1000), 1);
	CHECK(ring_wait(r, 0));
	CHECK(pop_check(r, 64, 1));
	CHECK(!ring_wait(r, 0));
	CHECK_EQ_INT(poll(&p, 1, 0), 0);
	ring_destroy(r);
}

int main(void)
{
	test_basics();
	test_wrap();
	test_full();
	run_stress(false, STRESS_RECORDS);
	run_stress(true, BLOCKING_RECORDS);
	test_wakeup_latency();
	test_finish_drained();
	test_abandon();
	test_poll_fd();
	return check_done();
}
