/*
 * evict_cost.c - the per-packet cost of the bounded tables that evict (issue 14), for
 * bench/evict_cost.sh to count under callgrind: the Processes view's totals
 * (proc_stats_add), the process table (proctab_intern: a pcapng comment's process, and an
 * attributed packet's process, looked up or added) and the conversation tables (conv_add),
 * each below its bound (a few processes and flows, in runs as traffic comes) and in a flood
 * past it (every packet a new flow). Built from one source tree's files, so one driver
 * measures the tree before a change and after it.
 *   evict_cost WHAT N    WHAT: procs-steady procs-flood proctab-steady proctab-flood
 *                              conv-steady conv-flood
 * Prints a checksum of what the tables hold, so nothing is optimised away.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/conv.h"
#include "model/proc_stats.h"
#include "procs/proctab.h"

#define RUN 8 /* packets of one flow in a row */

static uint64_t mix(uint64_t x)
{
	x = (x + 1) * 0x9e3779b97f4a7c15ull;
	return (x ^ x >> 31) | 1;
}

static unsigned long procs(bool flood, unsigned long n)
{
	struct proc_stats *t = proc_stats_create(0, 0);
	unsigned long sum = 0;

	for (unsigned long i = 0; i < n; i++) {
		unsigned long flow = flood ? i : (i / RUN) % 4000;
		uint32_t id = (uint32_t)(2 + (flood ? i / 16 : flow % 40));
		proc_stats_add(t, id, i & 1, 100, (int64_t)i * 10000, mix(flow));
	}
	for (size_t r = 0; r < proc_stats_count(t); r++)
		sum += proc_stats_get(t, r)->conns;
	proc_stats_free(t);
	return sum;
}

static unsigned long proctab(bool flood, unsigned long n)
{
	struct proctab *t = proctab_new(ATTRIB_DEFAULT_PROCS);
	struct proc_info p;
	unsigned long sum = 0;
	bool added;

	memset(&p, 0, sizeof p);
	for (unsigned long i = 0; i < n; i++) {
		p.pid = (uint32_t)(flood ? 1000 + i : 1000 + (i / RUN) % 40);
		p.start = p.pid * 7ull;
		snprintf(p.name, sizeof p.name, "p");
		sum += proctab_intern(t, &p, &added);
	}
	proctab_free(t);
	return sum;
}

/* An Ethernet + IPv4 + UDP frame of flow f. */
static void udp_frame(uint8_t *p, unsigned long f)
{
	memset(p, 0, 60);
	p[12] = 0x08;
	p[14] = 0x45;
	p[23] = 17;
	p[26] = 198, p[27] = 18, p[28] = (uint8_t)(f >> 16), p[29] = 1;
	p[30] = 198, p[31] = 19, p[32] = 0, p[33] = 1;
	p[34] = (uint8_t)(f >> 8), p[35] = (uint8_t)f;
	p[36] = 0, p[37] = 53;
}

static unsigned long conv(bool flood, unsigned long n)
{
	struct conv_table *t = conv_create();
	struct pkt_hdr h = {.caplen = 60, .len = 60};
	uint8_t p[60];

	for (unsigned long i = 0; i < n; i++) {
		h.ts_sec = 1700000000 + (int64_t)(i / 100000);
		udp_frame(p, flood ? i : (i / RUN) % 4000);
		conv_add(t, 1, &h, p);
	}
	unsigned long sum = conv_count(t, CONV_FLOW) + conv_count(t, CONV_PAIR);
	conv_destroy(t);
	return sum;
}

int main(int argc, char **argv)
{
	const char *what = argc > 1 ? argv[1] : "";
	unsigned long n = argc > 2 ? strtoul(argv[2], NULL, 10) : 0;
	bool flood = strstr(what, "flood") != NULL;
	unsigned long sum;

	if (strncmp(what, "procs-", 6) == 0)
		sum = procs(flood, n);
	else if (strncmp(what, "proctab-", 8) == 0)
		sum = proctab(flood, n);
	else if (strncmp(what, "conv-", 5) == 0)
		sum = conv(flood, n);
	else {
		fprintf(stderr, "usage: evict_cost procs-steady|procs-flood|proctab-steady|"
		                "proctab-flood|conv-steady|conv-flood N\n");
		return 2;
	}
	printf("%s %lu: %lu\n", what, n, sum);
	return 0;
}
