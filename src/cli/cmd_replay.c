/*
 * cmd_replay.c - capscope --replay FILE -i ADAPTER and capscope --send FILE -i ADAPTER: the
 * file is preloaded, then sent on the chosen timing (capture/replay.h) with a progress line
 * on stderr about once a second and, at the end, a report in the manner of the WinPcap
 * sendcap example: elapsed time, packets, bytes, rates and failures. Ctrl-C, SIGTERM and
 * SIGHUP stop it cleanly, with the report.
 */
#include <stdio.h>
#include <string.h>

#include "base/name_escape.h"
#include "capture/pcapinfo.h"
#include "capture/replay.h"
#include "capture/send.h"
#include "cli/commands.h"
#include "platform/signals.h"

struct job {
	const struct cli_opts *o;
	struct replay_file *file;
	struct sender *snd;
	struct replay_opts ro;
	char name[256];
	char err[REPLAY_ERRLEN];
};

static bool stop_requested(void *arg)
{
	(void)arg;
	return signals_stop_requested(NULL);
}

static double per_second(double v, uint64_t ns)
{
	return ns ? v * 1e9 / (double)ns : 0.0;
}

static double target_pps(const struct job *j, const struct replay_progress *p)
{
	switch (j->ro.timing) {
	case REPLAY_PPS:
		return j->ro.pps;
	case REPLAY_RECORDED:
	case REPLAY_MBPS:
		return p->plan_ns && p->total > 1 ? per_second((double)(p->total - 1), p->plan_ns)
		                                  : 0.0;
	default:
		return 0.0;
	}
}

static void print_progress(const struct job *j, const struct replay_progress *p)
{
	double pct = p->total ? 100.0 * (double)(p->sent + p->failed) / (double)p->total : 100.0;
	double rate = per_second((double)p->sent, p->elapsed_ns), target = target_pps(j, p);
	double eta = 0.0;

	if (p->plan_ns > p->elapsed_ns)
		eta = (double)(p->plan_ns - p->elapsed_ns) / 1e9;
	else if (rate > 0)
		eta = (double)(p->total - p->sent - p->failed) / rate;
	fprintf(stderr, "capscope: %llu/%llu packets (%.0f%%), ETA %.1f s, %.0f pps",
	        (unsigned long long)(p->sent + p->failed), (unsigned long long)p->total, pct, eta,
	        rate);
	if (target > 0)
		fprintf(stderr, " (target %.0f)", target);
	if (j->ro.timing != REPLAY_TOPSPEED)
		fprintf(stderr, ", late %.1f us (max %.1f us)", (double)p->last_late_ns / 1e3,
		        (double)p->max_late_ns / 1e3);
	fprintf(stderr, "%s\n", p->failed ? ", some failed" : "");
}

/* The final report, as WinPcap's sendcap: time, packets, bytes, rates, failures. */
static void print_report(const struct job *j, const struct replay_progress *p)
{
	double secs = (double)p->elapsed_ns / 1e9;

	fprintf(stderr, "capscope: %s '%s' on %s\n", p->stopped ? "stopped replaying" : "replayed",
	        j->name, send_name(j->snd));
	fprintf(stderr, "Elapsed time: %.6f s\n", secs);
	fprintf(stderr, "Packets: %llu sent of %llu, %llu failed\n", (unsigned long long)p->sent,
	        (unsigned long long)p->total, (unsigned long long)p->failed);
	fprintf(stderr, "Bytes: %llu\n", (unsigned long long)p->bytes);
	fprintf(stderr, "Rate: %.1f packets/s, %.3f Mbit/s\n",
	        per_second((double)p->sent, p->elapsed_ns),
	        per_second((double)p->bytes * 8 / 1e6, p->elapsed_ns));
	if (j->ro.timing != REPLAY_TOPSPEED)
		fprintf(stderr, "Lateness: last %.1f us, max %.1f us\n",
		        (double)p->last_late_ns / 1e3, (double)p->max_late_ns / 1e3);
}

static void on_progress(const struct replay_progress *p, void *arg)
{
	if (!p->done)
		print_progress(arg, p);
}

static void plan_from(struct job *j)
{
	const struct cli_opts *o = j->o;

	j->ro = (struct replay_opts){.timing = REPLAY_RECORDED, .multiplier = 1.0, .loops = 1};
	if (o->multiplier > 0)
		j->ro.multiplier = o->multiplier;
	else if (o->pps > 0)
		j->ro.timing = REPLAY_PPS, j->ro.pps = o->pps;
	else if (o->mbps > 0)
		j->ro.timing = REPLAY_MBPS, j->ro.mbps = o->mbps;
	else if (o->topspeed)
		j->ro.timing = REPLAY_TOPSPEED;
	if (o->loops)
		j->ro.loops = o->loops;
}

/* The file's link type must be the adapter's, or the frames mean something else there. */
static int check_linktype(const struct job *j)
{
	int want = replay_linktype(j->file), have = send_linktype(j->snd);

	if (want == have)
		return 0;
	fprintf(stderr, "capscope: %s: '%s' holds %s frames but adapter '%s' is %s\n",
	        j->o->force ? "warning" : "error", j->name, pcapinfo_linktype_name(want),
	        send_name(j->snd), pcapinfo_linktype_name(have));
	if (j->o->force)
		return 0;
	cli_error("they would be sent as they are, and read wrongly there: --force sends anyway");
	return 2;
}

static int open_job(struct job *j, const char *path)
{
	name_escape(path, j->name, sizeof j->name);
	signals_install();
	j->file = replay_load(path, REPLAY_MAX_BYTES, j->err);
	if (!j->file) {
		cli_error(j->err);
		return 2;
	}
	j->snd = send_open(j->o->iface, j->err);
	if (!j->snd) {
		cli_error(j->err);
		return 2;
	}
	return check_linktype(j);
}

static void close_job(struct job *j)
{
	send_close(j->snd);
	replay_free(j->file);
}

int cmd_replay(const struct cli_opts *o)
{
	struct job j = {.o = o};
	struct replay_hooks h = {.progress = on_progress, .stop = stop_requested, .arg = &j};
	struct replay_progress fin;
	int rc = open_job(&j, o->replay_path);

	if (rc == 0) {
		plan_from(&j);
		rc = replay_run(j.file, &j.ro, send_target(j.snd), &h, &fin, j.err);
		print_report(&j, &fin);
		if (rc < 0)
			cli_error(j.err);
		rc = rc < 0 || fin.failed ? 1 : 0;
	}
	close_job(&j);
	return rc;
}

int cmd_send(const struct cli_opts *o)
{
	struct job j = {.o = o};
	uint64_t sent = 0, failed = 0, n;
	int rc = open_job(&j, o->send_path);

	if (rc == 0) {
		n = replay_count(j.file);
		for (uint64_t i = 0; i < n && rc == 0; i++) {
			struct send_frame f = replay_frame(j.file, i);
			uint64_t s, fl;
			rc = send_repeat(send_target(j.snd), &f, 1,
			                 o->count_each ? o->count_each : 1, stop_requested, NULL,
			                 &s, &fl, j.err);
			sent += s, failed += fl;
		}
		if (rc < 0)
			cli_error(j.err);
		fprintf(stderr, "capscope: sent %llu packets on %s, %llu failed\n",
		        (unsigned long long)sent, send_name(j.snd), (unsigned long long)failed);
		rc = rc < 0 || failed ? 1 : 0;
	}
	close_job(&j);
	return rc;
}
