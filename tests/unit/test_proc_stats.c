/* test_proc_stats.c - the Processes view's per-process totals: bytes and packets each way,
 * connections counted once per flow whichever way it goes, rates of the last whole second,
 * the per-second history with idle gaps, and the bounds (rows and flows), which evict the
 * least recently seen. */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
#include "model/proc_flows.h"
#include "model/proc_stats.h"

#define SEC 1000000000ll

static struct flow_key flow4(uint8_t last_src, uint16_t sport, uint8_t last_dst, uint16_t dport)
{
	struct flow_key k = {.family = 4, .proto = 6, .sport = sport, .dport = dport};

	k.src[0] = k.dst[0] = 198;
	k.src[1] = k.dst[1] = 18;
	k.src[3] = last_src;
	k.dst[3] = last_dst;
	return k;
}

static void test_totals_and_connections(void)
{
	struct proc_stats *t = proc_stats_create(0, 0);
	struct flow_key a = flow4(1, 40000, 2, 80), back = flow4(2, 80, 1, 40000);
	struct flow_key b = flow4(1, 40001, 2, 80);
	const struct proc_stat *s;

	CHECK(t != NULL);
	CHECK(flow_key_hash(&a) == flow_key_hash(&back));
	CHECK(flow_key_hash(&a) != flow_key_hash(&b));
	proc_stats_add(t, 7, true, 100, 10 * SEC, flow_key_hash(&a));
	proc_stats_add(t, 7, false, 60, 10 * SEC + 5, flow_key_hash(&back));
	proc_stats_add(t, 7, true, 40, 11 * SEC, flow_key_hash(&b));
	proc_stats_add(t, ATTRIB_NONE, false, 1000, 11 * SEC, 0);
	CHECK_EQ_INT(proc_stats_count(t), 2);
	CHECK_EQ_INT(proc_stats_packets(t), 4);
	s = proc_stats_find(t, 7);
	CHECK(s != NULL && s == proc_stats_get(t, 0));
	if (s) {
		CHECK_EQ_INT(s->packets[PS_OUT], 2);
		CHECK_EQ_INT(s->packets[PS_IN], 1);
		CHECK_EQ_INT(s->bytes[PS_OUT], 140);
		CHECK_EQ_INT(s->bytes[PS_IN], 60);
		CHECK_EQ_INT(s->conns, 2); /* a and its reply are one flow */
		CHECK_EQ_INT(s->first_ns, 10 * SEC);
		CHECK_EQ_INT(s->last_ns, 11 * SEC);
	}
	s = proc_stats_find(t, ATTRIB_NONE);
	CHECK(s != NULL && s->conns == 0 && s->bytes[PS_IN] == 1000);
	CHECK(proc_stats_find(t, 8) == NULL);
	proc_stats_reset(t);
	CHECK_EQ_INT(proc_stats_count(t), 0);
	CHECK(proc_stats_find(t, 7) == NULL);
	proc_stats_free(t);
}

static void test_rates_and_history(void)
{
	struct proc_stats *t = proc_stats_create(0, 0);
	double h[5];
	const struct proc_stat *s;

	proc_stats_add(t, 3, true, 1000, 100 * SEC, 0);
	proc_stats_add(t, 3, false, 500, 100 * SEC + 1, 0);
	proc_stats_add(t, 3, true, 250, 101 * SEC, 0);
	s = proc_stats_find(t, 3);
	/* now 102: the last whole second is 101 */
	CHECK(proc_stat_bps(s, PS_OUT, 102) == 250 * 8);
	CHECK(proc_stat_bps(s, PS_IN, 102) == 0);
	/* now 101 (second 101 still running): the last whole one is 100 */
	CHECK(proc_stat_bps(s, PS_OUT, 101) == 1000 * 8);
	CHECK(proc_stat_bps(s, PS_IN, 101) == 500 * 8);
	/* idle since: the rate falls to 0 */
	CHECK(proc_stat_bps(s, PS_OUT, 110) == 0);
	proc_stat_history(s, 102, h, 5); /* seconds 97 .. 101 */
	CHECK(h[0] == 0 && h[1] == 0 && h[2] == 0);
	CHECK(h[3] == 1500 * 8 && h[4] == 250 * 8);
	/* a gap of 3 idle seconds, then traffic again: the skipped seconds read 0 */
	proc_stats_add(t, 3, true, 10, 105 * SEC, 0);
	proc_stat_history(s, 106, h, 5); /* 101 .. 105 */
	CHECK(h[0] == 250 * 8 && h[1] == 0 && h[2] == 0 && h[3] == 0 && h[4] == 80);
	/* a gap longer than the history clears all of it */
	proc_stats_add(t, 3, true, 20, (105 + 3 * PROC_HIST) * SEC, 0);
	proc_stat_history(s, 106 + 3 * PROC_HIST, h, 5);
	CHECK(h[0] == 0 && h[3] == 0 && h[4] == 160);
	CHECK(proc_stat_bps(s, PS_OUT, 106 + 3 * PROC_HIST) == 160);
	proc_stats_free(t);
}

/* Bounds of 3 rows (the two pinned ones and one more) and 4 flows: a new process takes the
 * last row's place, a new flow the least recently seen flow's. */
static void test_bounds(void)
{
	struct proc_stats *t = proc_stats_create(3, 4);
	struct flow_key k;
	uint64_t pk, by;

	for (uint32_t id = 0; id < 10; id++)
		proc_stats_add(t, id, true, 1, SEC, 0);
	CHECK_EQ_INT(proc_stats_count(t), 3);
	CHECK_EQ_INT(proc_stats_untracked(t), 0);
	CHECK_EQ_INT(proc_stats_evicted(t, &pk, &by), 7); /* ids 2 .. 8 */
	CHECK_EQ_INT(pk, 7);
	CHECK_EQ_INT(by, 7);
	CHECK(proc_stats_find(t, ATTRIB_NONE) && proc_stats_find(t, ATTRIB_TOO_MANY));
	CHECK(proc_stats_find(t, 9) && !proc_stats_find(t, 8));
	for (uint16_t p = 0; p < 10; p++) {
		k = flow4(1, (uint16_t)(1000 + p), 2, 53);
		proc_stats_add(t, 1, true, 1, SEC, flow_key_hash(&k));
	}
	CHECK_EQ_INT(proc_stats_find(t, 1)->conns, 10);
	CHECK_EQ_INT(proc_stats_flows(t), 4);
	CHECK_EQ_INT(proc_stats_flows_evicted(t), 6);
	/* many ids through the map: every one found again (rehashing keeps them) */
	struct proc_stats *big = proc_stats_create(5000, 0);
	for (uint32_t id = 0; id < 5000; id++)
		proc_stats_add(big, id * 7919u, id & 1, id, SEC, 0);
	bool all = true;
	for (uint32_t id = 0; id < 5000; id++) {
		const struct proc_stat *s = proc_stats_find(big, id * 7919u);
		all = all && s && s->bytes[id & 1] == id;
	}
	CHECK(all);
	CHECK_EQ_INT(proc_stats_evicted(big, NULL, NULL), 0);
	proc_stats_free(big);
	proc_stats_free(t);
}

/* A flow set of 100 through 10,000 keys: it holds the last 100, each found by its key, and
 * gave up the rest; a key it holds is not new. */
static void test_flow_set(void)
{
	struct proc_flows f;
	bool kept = true, gone = true;

	proc_flows_init(&f, 100);
	for (uint64_t k = 1; k <= 10000; k++)
		CHECK(proc_flows_add(&f, k * 0x9e3779b97f4a7c15ull | 1));
	CHECK_EQ_INT(f.n, 100);
	CHECK_EQ_INT(f.evicted, 9900);
	for (uint64_t k = 1; k <= 10000; k++) {
		bool has = proc_flows_has(&f, k * 0x9e3779b97f4a7c15ull | 1);
		kept = kept && (k <= 9900 || has);
		gone = gone && (k > 9900 || !has);
	}
	CHECK(kept && gone);
	CHECK(!proc_flows_add(&f, 10000 * 0x9e3779b97f4a7c15ull | 1));
	CHECK_EQ_INT(f.evicted, 9900);
	proc_flows_reset(&f);
	CHECK(!proc_flows_has(&f, 1));
}

/* A flood of one-packet processes, each on a new flow, through bounds of 10 rows and 64
 * flows, while three processes send on two flows each throughout and unattributed traffic
 * flows: the bounds hold, kept + evicted packets and bytes = all, the active processes keep
 * every packet and their two connections, every kept row is found by its id. */
#define FLOOD  5000
#define ACTIVE 3
static void test_flood(void)
{
	struct proc_stats *t = proc_stats_create(10, 64);
	uint64_t sent = 0, bytes = 0, pk, by, kept_pk = 0, kept_by = 0;
	bool found = true;

	for (uint32_t i = 0; i < FLOOD; i++) {
		int64_t ts = (int64_t)i * SEC / 100;
		struct flow_key k = flow4(3, (uint16_t)(10000 + i % 50000), (uint8_t)(i >> 8), 80);
		for (uint32_t a = 0; a < 2 * ACTIVE; a++) {
			struct flow_key ka = flow4(1, (uint16_t)(2000 + a), 2, 443);
			proc_stats_add(t, 100 + a / 2, a & 1, 100, ts, flow_key_hash(&ka));
		}
		proc_stats_add(t, 1000 + i, true, 60, ts, flow_key_hash(&k));
		proc_stats_add(t, ATTRIB_NONE, false, 40, ts, 0);
		sent += 2 * ACTIVE + 2;
		bytes += 2 * ACTIVE * 100 + 60 + 40;
	}
	CHECK_EQ_INT(proc_stats_count(t), 10);
	CHECK_EQ_INT(proc_stats_packets(t), sent);
	CHECK_EQ_INT(proc_stats_untracked(t), 0);
	/* NONE, 3 active and the last 6 of the flood are kept */
	CHECK_EQ_INT(proc_stats_evicted(t, &pk, &by), FLOOD - 6);
	for (size_t r = 0; r < proc_stats_count(t); r++) {
		const struct proc_stat *s = proc_stats_get(t, r);
		kept_pk += s->packets[PS_IN] + s->packets[PS_OUT];
		kept_by += s->bytes[PS_IN] + s->bytes[PS_OUT];
		found = found && proc_stats_find(t, s->id) == s;
	}
	CHECK(found);
	CHECK_EQ_INT(kept_pk + pk, sent);
	CHECK_EQ_INT(kept_by + by, bytes);
	for (uint32_t id = 100; id < 100 + ACTIVE; id++) {
		const struct proc_stat *s = proc_stats_find(t, id);
		CHECK(s && s->packets[PS_IN] + s->packets[PS_OUT] == 2 * FLOOD);
		CHECK(s && s->conns == 2); /* their flows were never evicted */
	}
	for (uint32_t i = FLOOD - 6; i < FLOOD; i++)
		CHECK(proc_stats_find(t, 1000 + i) != NULL);
	CHECK(proc_stats_find(t, 1000 + FLOOD - 7) == NULL);
	CHECK(proc_stats_find(t, ATTRIB_NONE)->packets[PS_IN] == FLOOD);
	/* flows: the 6 active ones and the flood's, 64 held */
	CHECK_EQ_INT(proc_stats_flows(t), 64);
	CHECK_EQ_INT(proc_stats_flows(t) + proc_stats_flows_evicted(t), 2 * ACTIVE + FLOOD);
	proc_stats_free(t);
}

int main(void)
{
	test_totals_and_connections();
	test_rates_and_history();
	test_bounds();
	test_flow_set();
	test_flood();
	return check_done();
}
