/*
 * act_send.c - the Send menu: replay a capture file to an adapter, and send the marked
 * (or else the selected) packets to one.
 *
 * Replay asks for the file (Tab completes), the adapter (the picker in its "send" mode) and
 * the timing (as recorded, top speed, or packets a second); a file whose link type is not
 * the adapter's asks before sending. The sending runs on a worker (send_job.h); its
 * progress shows in the status bar and Esc stops it. UI thread only.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/act.h"
#include "capture/pcapinfo.h"
#include "capture/send_job.h"
#include "base/escape.h"
#include "ui/line_edit.h"
#include "views/pane.h"
#include "views/picker.h"
#include "views/prompt.h"
#include "ui/path_complete.h"

#define SEND_MAX_FRAMES 100000u /* packets sent from memory at once; more: save and replay */

static struct {
	bool replay;     /* replay a file, or send frames */
	char path[1024]; /* the file to replay */
	char label[300]; /* what is sent, escaped ("FILE" or "3 packets") */
	int dlt;         /* link type of what is sent */
	char iface[256]; /* the adapter chosen */
	char iface_label[300];
	struct replay_opts ro;
	struct send_frame *frames; /* send: read from the store */
	uint8_t *data;
	unsigned n;
	struct send_job *job;
	uint64_t shown_sent; /* the progress last put in the status bar */
} sending;

static void free_frames(void)
{
	free(sending.frames);
	free(sending.data);
	sending.frames = NULL;
	sending.data = NULL;
	sending.n = 0;
}

/* ---- starting ---- */

static int start(struct app *a)
{
	char err[SEND_JOB_ERRLEN];
	struct send_job_spec s = {.iface = sending.iface,
	                          .path = sending.replay ? sending.path : NULL,
	                          .ro = sending.ro,
	                          .frames = sending.frames,
	                          .n = sending.n};

	sending.job = send_job_start(&s, err);
	free_frames(); /* the job has its copy */
	if (!sending.job) {
		view_error(a, err);
		return R_REDRAW;
	}
	sending.shown_sent = UINT64_MAX;
	view_notice(a, "sending %s to %s (Esc stops)", sending.label, sending.iface_label);
	return R_REDRAW;
}

static int mismatch_done(struct app *a, const char *yes)
{
	if (yes[0] == 'y')
		return start(a);
	free_frames();
	view_notice(a, "nothing sent");
	return R_REDRAW;
}

/* The frames would be read as another link type there: ask first. */
static int check_link(struct app *a, int adapter_dlt)
{
	char label[400], want[64];

	if (adapter_dlt < 0 || adapter_dlt == sending.dlt)
		return start(a);
	snprintf(want, sizeof want, "%s", pcapinfo_linktype_name(sending.dlt));
	snprintf(label, sizeof label, "%.150s holds %s frames, %.60s is %.40s: send anyway? (y/N) ",
	         sending.label, want, sending.iface_label, pcapinfo_linktype_name(adapter_dlt));
	prompt_ask(a, &(struct prompt_spec){label, PI_YESNO, NULL, mismatch_done});
	return R_REDRAW;
}

static int adapter_dlt; /* of the adapter chosen, while the timing is asked */

static int timing_done(struct app *a, const char *text)
{
	char *end;
	double pps;

	sending.ro = (struct replay_opts){.timing = REPLAY_RECORDED, .multiplier = 1, .loops = 1};
	if (text[0] == 't' || text[0] == 'T') {
		sending.ro.timing = REPLAY_TOPSPEED;
	} else if (text[0] >= '0' && text[0] <= '9') {
		pps = strtod(text, &end);
		if (*end || pps <= 0) {
			prompt_error(a, "recorded, topspeed, or a number of packets a second");
			return R_REDRAW;
		}
		sending.ro.timing = REPLAY_PPS;
		sending.ro.pps = pps;
	} else if (text[0] != 'r' && text[0] != 'R') {
		prompt_error(a, "recorded, topspeed, or a number of packets a second");
		return R_REDRAW;
	}
	return check_link(a, adapter_dlt);
}

static int target_chosen(struct app *a, const char *name, int dlt)
{
	snprintf(sending.iface, sizeof sending.iface, "%s", name);
	esc_cstr(sending.iface_label, sizeof sending.iface_label, name);
	if (!sending.replay)
		return check_link(a, dlt);
	adapter_dlt = dlt;
	prompt_ask(a, &(struct prompt_spec){"timing (recorded, topspeed, or packets/s): ", PI_TEXT,
	                                    "recorded", timing_done});
	return R_REDRAW;
}

/* ---- replay a file ---- */

static int file_done(struct app *a, const char *text)
{
	struct source_opts o = {.name = sending.path, .kind = SOURCE_FILE};
	char err[SOURCE_ERRLEN], msg[400];
	enum source_err why;
	struct source *s;

	path_expand(text, sending.path, sizeof sending.path);
	esc_cstr(msg, sizeof msg, sending.path);
	pane_tail(msg, sending.label, 40);
	if (!text[0] || access(sending.path, R_OK) != 0) {
		snprintf(msg, sizeof msg, "%s: %s", sending.label,
		         text[0] ? strerror(errno) : "no file");
		prompt_error(a, msg);
		return R_REDRAW;
	}
	s = source_open(&o, &why, err); /* reads the header only: its link type */
	if (!s) {
		prompt_error(a, err);
		return R_REDRAW;
	}
	sending.dlt = source_linktype(s);
	source_close(s);
	sending.replay = true;
	view_close_overlay(a);
	picker_choose_target(a, target_chosen);
	return R_REDRAW;
}

static int replay_action(struct app *a)
{
	const char *init = a->m->kind == SOURCE_FILE && a->m->opts.name ? a->m->opts.name : "";

	prompt_ask(a, &(struct prompt_spec){"replay file: ", PI_PATH, init, file_done});
	return R_REDRAW;
}

/* ---- send packets from the store ---- */

/* The marked packets, or else the selected one, into sending.frames. */
static int gather(struct app *a, char *err, size_t errn)
{
	struct model *m = a->m;
	uint64_t marks = store_mark_count(m->store), n = marks ? marks : 1, total = 0;
	uint64_t sel = model_row_index(m, m->selected);

	if (n > SEND_MAX_FRAMES) {
		snprintf(err, errn,
		         "too many packets to send at once: save them and replay the file");
		return -1;
	}
	sending.frames = calloc(n, sizeof *sending.frames);
	for (uint64_t i = store_first(m->store); i < store_count(m->store); i++)
		if (marks ? store_marked(m->store, i) : i == sel)
			total += store_get(m->store, i)->caplen;
	sending.data = malloc(total ? total : 1);
	if (!sending.frames || !sending.data) {
		snprintf(err, errn, "out of memory");
		return -1;
	}
	for (uint64_t i = store_first(m->store), off = 0;
	     i < store_count(m->store) && sending.n < n; i++) {
		if (!(marks ? store_marked(m->store, i) : i == sel))
			continue;
		if (store_read(m->store, i, sending.data + off, err) < 0)
			return -1;
		sending.frames[sending.n++] = (struct send_frame){
		    .data = sending.data + off, .len = store_get(m->store, i)->caplen};
		off += store_get(m->store, i)->caplen;
	}
	snprintf(sending.label, sizeof sending.label, "%u %s packet%s", sending.n,
	         marks ? "marked" : "selected", sending.n == 1 ? "" : "s");
	return 0;
}

static int send_action(struct app *a)
{
	char err[STORE_ERRLEN > 200 ? STORE_ERRLEN : 200];

	if (!a->m->store || a->m->rows.n == 0) {
		view_notice(a, "no packets to send");
		return R_REDRAW;
	}
	free_frames();
	if (gather(a, err, sizeof err) < 0) {
		free_frames();
		view_error(a, err);
		return R_REDRAW;
	}
	sending.replay = false;
	sending.dlt = store_linktype(a->m->store);
	picker_choose_target(a, target_chosen);
	return R_REDRAW;
}

/* ---- running ---- */

static void finished(struct app *a)
{
	struct replay_progress p;
	char err[SEND_JOB_ERRLEN], s[32], f[32];
	int rc = send_job_join(sending.job, &p, err);

	sending.job = NULL;
	if (rc < 0) {
		view_error(a, err);
		return;
	}
	view_notice(a, "%s %s packet%s to %s%s%s%s", rc == 1 ? "stopped: sent" : "sent",
	            pane_count(p.sent, s), p.sent == 1 ? "" : "s", sending.iface_label,
	            p.failed ? " (" : "", p.failed ? pane_count(p.failed, f) : "",
	            p.failed ? " refused)" : "");
}

bool act_send_step(struct app *a)
{
	struct replay_progress p;
	char s[32], t[32];

	if (!sending.job)
		return false;
	if (send_job_poll(sending.job, &p)) {
		finished(a);
		return true;
	}
	if (p.sent == sending.shown_sent)
		return false;
	sending.shown_sent = p.sent;
	if (p.total)
		view_notice(a, "sending to %s: %s/%s pkts (Esc stops)", sending.iface_label,
		            pane_count(p.sent, s), pane_count(p.total, t));
	return true;
}

bool act_send_cancel(struct app *a)
{
	if (!sending.job)
		return false;
	send_job_stop(sending.job); /* the worker looks at the flag between batches and waits */
	finished(a);
	return true;
}

/* Replay and send run one at a time. */
static bool idle(struct app *a)
{
	if (!sending.job)
		return true;
	view_notice(a, "already sending (Esc stops)");
	return false;
}

int act_replay(struct app *a)
{
	return idle(a) ? replay_action(a) : R_REDRAW;
}

int act_send(struct app *a)
{
	return idle(a) ? send_action(a) : R_REDRAW;
}
