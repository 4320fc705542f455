/*
 * actions.c - the File, Capture and Send actions of the menu bar (each also has a key):
 * saving a selection of packets (a path prompt with Tab completion, an overwrite question,
 * then save.h in slices from the loop, Esc cancels), starting, stopping and restarting the
 * live capture, its options, and writing to a file while capturing. The Send menu is in
 * actions_send.c.
 *
 * Everything runs on the UI thread; the background work is the running save, which the
 * loop steps through actions_step() with a time budget, like the refilter (and following a
 * send's worker).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/actions_send.h"
#include "ui/app.h"
#include "capture/dump.h"
#include "base/pathname.h"
#include "capture/save.h"
#include "base/escape.h"
#include "ui/line_edit.h"
#include "views/pane.h"
#include "ui/path_complete.h"

#define NS_PER_S 1000000000ll

enum save_what { SW_ALL, SW_DISPLAYED, SW_MARKED, SW_SELECTED, SW_LAST };

static const char *const what_text[] = {
    [SW_ALL] = "every packet",          [SW_DISPLAYED] = "the displayed packets",
    [SW_MARKED] = "the marked packets", [SW_SELECTED] = "the selected packet",
    [SW_LAST] = "the last seconds",
};

static struct {
	enum save_what what;
	bool for_tee;                 /* the path is for writing while capturing, not a save */
	uint64_t seconds;             /* SW_LAST */
	char path[1024];              /* the target, ~ expanded */
	char label[300];              /* the target, escaped */
	char shown[28];               /* its end, for the status bar: "...dir/file.pcap" */
	char last_dir[LINE_EDIT_MAX]; /* offered at the next path prompt */
	struct save *save;            /* running */
	struct capture_prefs opts;    /* being edited in the options prompts */
	int opt_step;
} ac;

/* An error in the status bar (red), at once. */
static void show_error(struct app *a, const char *msg)
{
	if (msg != a->m->error)
		snprintf(a->m->error, sizeof a->m->error, "%s", msg);
	a->notice[0] = '\0';
	a->dirty = true;
}

static uint64_t packet_count(const struct app *a)
{
	return a->m->store ? store_count(a->m->store) : 0;
}

/* ---- saving ---- */

static int snaplen(const struct app *a)
{
	return a->m->src ? source_snaplen(a->m->src) : SOURCE_DEFAULT_SNAPLEN;
}

/* The newest timestamp in the store (captures may have out-of-order timestamps). */
static int64_t newest_ts(const struct store *s)
{
	int64_t t = INT64_MIN;

	for (uint64_t i = 0; i < store_count(s); i++)
		if (store_get(s, i)->ts_ns > t)
			t = store_get(s, i)->ts_ns;
	return t;
}

static struct save_sel selection(const struct app *a, uint32_t *one)
{
	const struct model *m = a->m;
	struct save_sel sel = {.n = packet_count(a)};

	switch (ac.what) {
	case SW_DISPLAYED:
		sel.idx = m->rows.idx;
		sel.n = m->rows.n;
		break;
	case SW_MARKED:
		sel.marked_only = true;
		break;
	case SW_SELECTED:
		*one = (uint32_t)model_row_index(m, m->selected);
		sel.idx = one;
		sel.n = 1;
		break;
	case SW_LAST:
		sel.min_ts_ns = newest_ts(m->store) - (int64_t)ac.seconds * NS_PER_S;
		if (sel.min_ts_ns == 0)
			sel.min_ts_ns = 1; /* 0 would mean "any" */
		break;
	default:
		break;
	}
	return sel;
}

static int start_save(struct app *a)
{
	char err[SAVE_ERRLEN];
	uint32_t one;
	struct save_sel sel = selection(a, &one);

	ac.save = save_begin(a->m->store, &sel, ac.path, snaplen(a), err);
	if (!ac.save) {
		show_error(a, err);
		return R_REDRAW;
	}
	app_notice(a, "saving %s to %s (Esc cancels)", what_text[ac.what], ac.shown);
	return R_REDRAW;
}

static void save_finished(struct app *a, enum save_status st, const char *err)
{
	char pk[32], by[32];

	if (st == SAVE_DONE)
		app_notice(a, "saved %s packets, %s bytes to %s",
		           pane_count(save_packets(ac.save), pk),
		           pane_count(save_bytes(ac.save), by), ac.shown);
	else
		show_error(a, err);
	save_free(ac.save);
	ac.save = NULL;
}

bool actions_step(struct app *a, uint64_t budget_ns)
{
	char err[SAVE_ERRLEN];
	enum save_status st;
	bool sending = actions_send_step(a);

	if (!ac.save)
		return sending;
	st = save_step(ac.save, budget_ns, err);
	if (st == SAVE_MORE) {
		app_notice(a, "saving to %s: %d%% (Esc cancels)", ac.shown,
		           (int)(save_progress(ac.save) * 100));
		return true;
	}
	save_finished(a, st, err);
	return false;
}

bool actions_busy(const struct app *a)
{
	(void)a;
	return ac.save != NULL;
}

bool actions_cancel(struct app *a, bool sends)
{
	bool sent = sends && actions_send_cancel(a);

	if (!ac.save)
		return sent;
	save_free(ac.save); /* removes the temporary file: the target is untouched */
	ac.save = NULL;
	app_notice(a, "save cancelled: %s was not written", ac.shown);
	return true;
}

/* ---- the target path ---- */

static int start_tee(struct app *a)
{
	char err[DUMP_ERRLEN];

	if (model_tee_start(a->m, ac.path, err) < 0) {
		show_error(a, err);
		return R_REDRAW;
	}
	app_notice(a, "W again stops writing");
	return R_REDRAW;
}

static int overwrite_done(struct app *a, const char *yes)
{
	if (yes[0] != 'y') {
		app_notice(a, "nothing written: %s is left as it was", ac.shown);
		return R_REDRAW;
	}
	return ac.for_tee ? start_tee(a) : start_save(a);
}

/* The folder part of path ("." for a bare name), and whether it is an existing folder. */
static bool folder_exists(const char *path)
{
	char dir[1024];
	struct stat st;

	return stat(path_dir(path, dir, sizeof dir), &st) == 0 && S_ISDIR(st.st_mode);
}

static void remember_dir(const char *typed)
{
	const char *slash = strrchr(typed, '/');

	snprintf(ac.last_dir, sizeof ac.last_dir, "%.*s", slash ? (int)(slash - typed) + 1 : 0,
	         typed);
}

static int path_done(struct app *a, const char *text)
{
	char msg[400], label[sizeof ac.label + 64];
	struct stat st;

	if (!text[0]) {
		prompt_error(a, "type a file name (Tab completes)");
		return R_REDRAW;
	}
	path_expand(text, ac.path, sizeof ac.path);
	esc_cstr(ac.label, sizeof ac.label, ac.path);
	pane_tail(ac.label, ac.shown, sizeof ac.shown);
	if (stat(ac.path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(msg, sizeof msg, "%s is a folder: add a file name", ac.shown);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	if (!folder_exists(ac.path)) {
		snprintf(msg, sizeof msg, "no such folder for %s", ac.shown);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	remember_dir(text);
	if (stat(ac.path, &st) == 0) {
		snprintf(label, sizeof label, "%s exists. Overwrite? (y/N) ", ac.label);
		prompt_ask(a, &(struct prompt_spec){label, PI_YESNO, NULL, overwrite_done});
		return R_REDRAW;
	}
	return ac.for_tee ? start_tee(a) : start_save(a);
}

static void ask_path(struct app *a, const char *label, bool tee)
{
	ac.for_tee = tee;
	prompt_ask(a, &(struct prompt_spec){label, PI_PATH, ac.last_dir, path_done});
}

static void ask_save_path(struct app *a, uint64_t n)
{
	char label[120], num[32];

	snprintf(label, sizeof label, "save %s (%s) to: ", what_text[ac.what], pane_count(n, num));
	if (ac.what == SW_LAST)
		snprintf(label, sizeof label,
		         "save the last %llu s to: ", (unsigned long long)ac.seconds);
	ask_path(a, label, false);
}

static int seconds_done(struct app *a, const char *text)
{
	char *end;
	unsigned long long s = strtoull(text, &end, 10);

	if (!text[0] || *end || s == 0 || s > 100000000ull) {
		prompt_error(a, "type a number of seconds (1 or more)");
		return R_REDRAW;
	}
	ac.seconds = s;
	ask_save_path(a, 0);
	return R_REDRAW;
}

/* Checks there is something to save, then asks for the path (or first the seconds). */
static int save_action(struct app *a, enum save_what what)
{
	const struct model *m = a->m;
	uint64_t n[] = {[SW_ALL] = packet_count(a),
	                [SW_DISPLAYED] = m->rows.n,
	                [SW_MARKED] = m->store ? store_mark_count(m->store) : 0,
	                [SW_SELECTED] = m->rows.n ? 1 : 0,
	                [SW_LAST] = packet_count(a)};

	if (ac.save) {
		app_notice(a, "a save is running (Esc cancels it)");
		return R_REDRAW;
	}
	if (what == SW_DISPLAYED && m->refiltering) {
		app_notice(a, "the filter is still being applied: save when it is done");
		return R_REDRAW;
	}
	if (n[what] == 0) {
		app_notice(a, what == SW_MARKED ? "no packet is marked (Space marks one)"
		                                : "no packets to save");
		return R_REDRAW;
	}
	ac.what = what;
	if (what == SW_LAST)
		prompt_ask(a, &(struct prompt_spec){"save the last how many seconds? ", PI_DIGITS,
		                                    "60", seconds_done});
	else
		ask_save_path(a, n[what]);
	return R_REDRAW;
}

/* ---- capture ---- */

static bool running(const struct app *a)
{
	return a->m->cap != NULL;
}

static int restart_now(struct app *a)
{
	actions_cancel(a, false);
	a->sel_field = -1;
	if (model_restart(a->m) < 0) {
		show_error(a, a->m->error);
		return R_REDRAW;
	}
	app_notice(a, "capturing on %s", a->m->source_label);
	return R_REDRAW;
}

static int restart_done(struct app *a, const char *yes)
{
	return yes[0] == 'y' ? restart_now(a) : R_REDRAW;
}

/* Start after a stop and Restart: a new capture on the same adapter (asks before the
 * captured packets go). Without a live adapter: the picker. */
static int restart(struct app *a)
{
	char label[120], num[32];

	if (a->m->kind != SOURCE_LIVE || !a->m->src) {
		app_open_overlay(a, &view_picker);
		app_notice(a, "choose an adapter to capture on");
		return R_REDRAW;
	}
	if (packet_count(a) == 0)
		return restart_now(a);
	snprintf(label, sizeof label, "Start a new capture and discard %s packets? (y/N) ",
	         pane_count(packet_count(a), num));
	prompt_ask(a, &(struct prompt_spec){label, PI_YESNO, NULL, restart_done});
	return R_REDRAW;
}

static int stop(struct app *a)
{
	char num[32];

	if (!running(a)) {
		app_notice(a, "no capture is running");
		return R_REDRAW;
	}
	model_stop(a->m);
	app_notice(a, "stopped: %s packets kept (^E starts a new capture)",
	           pane_count(packet_count(a), num));
	return R_REDRAW;
}

static int write_while(struct app *a)
{
	char err[DUMP_ERRLEN], num[32];

	if (a->m->tee) {
		uint64_t n = a->m->tee_packets;
		if (model_tee_stop(a->m, err) < 0)
			show_error(a, err);
		else
			app_notice(a, "stopped writing %s: %s packets", a->m->tee_label,
			           pane_count(n, num));
		return R_REDRAW;
	}
	if (!running(a)) {
		app_notice(a, "no capture is running: ^S saves the packets already captured");
		return R_REDRAW;
	}
	ask_path(a, "write new packets to: ", true);
	return R_REDRAW;
}

/* ---- capture options: five prompts in a row, applied after the last ---- */

struct opt_def {
	const char *label;
	long min, max;
};

static const struct opt_def opt_defs[] = {
    {"snap length, bytes", 1, SOURCE_DEFAULT_SNAPLEN},
    {"promiscuous mode, yes/no", 0, 1},
    {"read timeout, ms", 1, 10000},
    {"kernel buffer, KiB (0: default)", 0, 4 << 20},
    {"ring size, MiB", 1, 4096},
};
#define OPT_COUNT ((int)(sizeof opt_defs / sizeof opt_defs[0]))

static long opt_get(int step)
{
	switch (step) {
	case 0:
		return ac.opts.snaplen;
	case 1:
		return ac.opts.promisc;
	case 2:
		return ac.opts.timeout_ms;
	case 3:
		return ac.opts.buffer_kib;
	default:
		return (long)ac.opts.ring_mib;
	}
}

static void opt_set(int step, long v)
{
	switch (step) {
	case 0:
		ac.opts.snaplen = (int)v;
		break;
	case 1:
		ac.opts.promisc = v != 0;
		break;
	case 2:
		ac.opts.timeout_ms = (int)v;
		break;
	case 3:
		ac.opts.buffer_kib = (int)v;
		break;
	default:
		ac.opts.ring_mib = (unsigned)v;
		break;
	}
}

static int opt_done(struct app *a, const char *text);

static void ask_option(struct app *a)
{
	char label[96], init[32];
	long v = opt_get(ac.opt_step);

	snprintf(label, sizeof label, "capture options %d/%d: %s: ", ac.opt_step + 1, OPT_COUNT,
	         opt_defs[ac.opt_step].label);
	if (ac.opt_step == 1)
		snprintf(init, sizeof init, "%s", v ? "yes" : "no");
	else
		snprintf(init, sizeof init, "%ld", v);
	prompt_ask(a, &(struct prompt_spec){label, ac.opt_step == 1 ? PI_TEXT : PI_DIGITS, init,
	                                    opt_done});
}

static long parse_opt(const char *text)
{
	char *end;
	long v;

	if (ac.opt_step == 1) /* yes, y, no, n, on, off */
		return text[0] == 'y' || text[0] == 'Y' || strcmp(text, "on") == 0    ? 1
		       : text[0] == 'n' || text[0] == 'N' || strcmp(text, "off") == 0 ? 0
		                                                                      : -1;
	v = strtol(text, &end, 10);
	return text[0] && !*end ? v : -1;
}

static int opt_done(struct app *a, const char *text)
{
	const struct opt_def *d = &opt_defs[ac.opt_step];
	long v = parse_opt(text);
	char msg[96];

	if (v < d->min || v > d->max) {
		snprintf(msg, sizeof msg, ac.opt_step == 1 ? "answer yes or no" : "from %ld to %ld",
		         d->min, d->max);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	opt_set(ac.opt_step, v);
	if (++ac.opt_step < OPT_COUNT) {
		ask_option(a);
		return R_REDRAW;
	}
	a->m->prefs = ac.opts;
	app_notice(a, "options kept for the next start (^E, ^R)");
	return R_REDRAW;
}

static int options(struct app *a)
{
	ac.opts = a->m->prefs;
	ac.opt_step = 0;
	ask_option(a);
	return R_REDRAW;
}

/* ---- dispatch ---- */

int actions_run(struct app *a, enum action act)
{
	switch (act) {
	case A_SAVE_ALL:
		return save_action(a, SW_ALL);
	case A_SAVE_DISPLAYED:
		return save_action(a, SW_DISPLAYED);
	case A_SAVE_MARKED:
		return save_action(a, SW_MARKED);
	case A_SAVE_SELECTED:
		return save_action(a, SW_SELECTED);
	case A_SAVE_LAST:
		return save_action(a, SW_LAST);
	case A_CAPTURE_START:
		if (running(a)) {
			app_notice(a, "already capturing (^X stops)");
			return R_REDRAW;
		}
		return restart(a);
	case A_CAPTURE_RESTART:
		return restart(a);
	case A_CAPTURE_STOP:
		return stop(a);
	case A_CAPTURE_OPTIONS:
		return options(a);
	case A_WRITE_WHILE:
		return write_while(a);
	default:
		return actions_send_run(a, act);
	}
}
