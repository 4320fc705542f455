/*
 * cmd_stats.c - capscope --stats: statistics mode, headless. One line per interval as the
 * WinPcap/Npcap tutorial's tcptop prints it ("HH:MM:SS BPS=<bits/s> PPS=<packets/s>"), or
 * with --json one object per interval. Runs until a signal (Ctrl-C, SIGTERM) or a read
 * error; the interval open at that moment is printed as a partial one, then totals go to
 * stderr.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "capture/stats.h"
#include "cli/commands.h"
#include "platform/signals.h"
#include "decode/timefmt.h"

#define WAIT_MS 200

struct totals {
	uint64_t intervals, packets, bytes, drops;
};

/* "1712345678.250000": the interval's end in epoch seconds. */
static void print_json(const struct stats_rec *r)
{
	char ts[TIMEFMT_MAX];

	int64_t us = (r->end_ns + 500) / 1000; /* rounded: the clocks are sampled ns apart */

	timefmt_epoch(ts, us / 1000000, (uint32_t)(us % 1000000) * 1000, 6);
	printf("{\"ts\":\"%s\",\"interval_ms\":%" PRIu64 ",\"packets\":%" PRIu64
	       ",\"bytes\":%" PRIu64 ",\"bps\":%.0f,\"pps\":%.3f,\"drops\":%" PRIu64 "}\n",
	       ts, (r->dur_ns + 500000) / 1000000, r->packets, r->bytes, stats_bps(r), stats_pps(r),
	       r->drops);
}

static void print_line(struct timefmt *tf, const struct stats_rec *r)
{
	char t[TIMEFMT_MAX];

	timefmt_write(tf, t, r->end_ns / 1000000000, (uint32_t)(r->end_ns % 1000000000));
	t[8] = '\0'; /* HH:MM:SS */
	printf("%s BPS=%.0f PPS=%.0f\n", t, stats_bps(r), stats_pps(r));
}

/* Prints every record after *seq; returns false when stdout failed. */
static bool print_new(struct stats *s, uint64_t *seq, const struct cli_opts *o, struct timefmt *tf,
                      struct totals *tot)
{
	struct stats_rec r;

	while (stats_next(s, *seq, &r)) {
		*seq = r.seq;
		tot->intervals++;
		tot->packets += r.packets;
		tot->bytes += r.bytes;
		tot->drops += r.drops;
		if (o->json)
			print_json(&r);
		else
			print_line(tf, &r);
	}
	return fflush(stdout) == 0 && !ferror(stdout);
}

static void print_totals(const struct totals *t)
{
	fprintf(stderr, "%" PRIu64 " packets counted in %" PRIu64 " intervals\n", t->packets,
	        t->intervals);
	fprintf(stderr, "%" PRIu64 " bytes counted (%s)\n", t->bytes, stats_bytes_note());
	fprintf(stderr, "%" PRIu64 " packets dropped by kernel\n", t->drops);
}

static struct stats *start(const struct cli_opts *o)
{
	struct stats_opts so = {
	    .iface = o->iface,
	    .filter = o->filter,
	    .interval_ms = o->interval_ms,
	    .promisc = o->promisc,
	    .buffer_kib = o->buffer_kib,
	};
	char err[SOURCE_ERRLEN];
	enum source_err why;
	struct stats *s = stats_start(&so, &why, err);

	if (!s)
		cli_error(err);
	else if (stats_warning(s))
		fprintf(stderr, "capscope: warning: %s\n", stats_warning(s));
	return s;
}

int cmd_stats(const struct cli_opts *o)
{
	struct totals tot = {0};
	struct timefmt tf;
	char err[SOURCE_ERRLEN];
	uint64_t seq = 0;
	bool out_ok = true, failed = false;
	struct stats *s;

	signals_install();
	if (!(s = start(o)))
		return 2;
	timefmt_init(&tf, o->time_mode == TM_UTC ? TM_UTC : TM_LOCAL, 6);
	while (out_ok && !signals_stop_requested(NULL) && !(failed = stats_failed(s, err))) {
		stats_wait(s, WAIT_MS);
		out_ok = print_new(s, &seq, o, &tf, &tot);
	}
	stats_stop(s);
	if (out_ok)
		out_ok = print_new(s, &seq, o, &tf, &tot);
	stats_free(s);
	print_totals(&tot);
	if (failed)
		cli_error(err);
	if (!out_ok && errno != EPIPE)
		fprintf(stderr, "capscope: writing to standard output failed: %s\n",
		        strerror(errno));
	return failed || (!out_ok && errno != EPIPE) ? 1 : 0;
}
