/* test_proc_stats.c - the Processes view's per-process totals: bytes and packets each way,
 * connections counted once per flow whichever way it goes, rates of the last whole second,
 * the per-second history with idle gaps, and the bounds (rows and flows). */
#include <stdbool.h>
#include <stdint.h>
#include <string.h>

#include "check.h"
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

static void test_bounds(void)
{
	struct proc_stats *t = proc_stats_create(3, 4);
	struct flow_key k;

	for (uint32_t id = 0; id < 10; id++)
		proc_stats_add(t, id, true, 1, SEC, 0);
	CHECK_EQ_INT(proc_stats_count(t), 3);
	CHECK_EQ_INT(proc_stats_untracked(t), 7);
	for (uint16_t p = 0; p < 10; p++) {
		k = flow4(1, (uint16_t)(1000 + p), 2, 53);
		proc_stats_add(t, 1, true, 1, SEC, flow_key_hash(&k));
	}
	CHECK_EQ_INT(proc_stats_find(t, 1)->conns, 4);
	CHECK(proc_stats_flows_full(t));
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
	proc_stats_free(big);
	proc_stats_free(t);
}

int main(void)
{
	test_totals_and_connections();
	test_rates_and_history();
	test_bounds();
	return check_done();
}
