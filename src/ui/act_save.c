/*
 * act_save.c - the actions that write packets to files: the five saves of the File menu (a
 * path prompt with Tab completion, an overwrite question, then save.h in slices from the
 * loop; Esc cancels) and writing to a file while capturing, which asks for its path the same
 * way. Several sources save as pcapng with an interface each, or as pcap in a file per
 * source (named as headless -w names them: base/pathname.h), one after the other.
 *
 * Everything runs on the UI thread; the background work is the running save, which the
 * loop steps through act_save_step() with a time budget, like the refilter.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "ui/act.h"
#include "capture/dump.h"
#include "base/pathname.h"
#include "capture/save.h"
#include "base/escape.h"
#include "ui/line_edit.h"
#include "views/pane.h"
#include "views/prompt.h"
#include "ui/path_complete.h"

#define NS_PER_S 1000000000ll

enum save_what { SW_ALL, SW_DISPLAYED, SW_MARKED, SW_SELECTED, SW_LAST };

static const char *const what_text[] = {
    [SW_ALL] = "every packet",          [SW_DISPLAYED] = "the displayed packets",
    [SW_MARKED] = "the marked packets", [SW_SELECTED] = "the selected packet",
    [SW_LAST] = "the last seconds",
};

/* The save (or write-while-capturing file) being set up or running, and its target. */
static struct {
	enum save_what what;
	bool for_tee;                 /* the path is for writing while capturing, not a save */
	uint64_t seconds;             /* SW_LAST */
	char path[1024];              /* the target, ~ expanded */
	char label[300];              /* the target, escaped */
	char shown[28];               /* its end, for the status bar: "...dir/file.pcap" */
	char last_dir[LINE_EDIT_MAX]; /* offered at the next path prompt */
	struct save *save;            /* running */
	/* several sources as pcap: a file each, saved in turn */
	bool per_source;
	unsigned next_if;        /* the source the running save writes */
	char base[1024];         /* the path typed, which names the files */
	uint64_t packets, bytes; /* of the files done so far */
	char files[400];         /* their names (escaped ends), for the last notice */
} saving;

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

	for (uint64_t i = store_first(s); i < store_count(s); i++)
		if (store_get(s, i)->ts_ns > t)
			t = store_get(s, i)->ts_ns;
	return t;
}

static struct save_sel selection(const struct app *a)
{
	const struct model *m = a->m;
	uint64_t first = m->store ? store_first(m->store) : 0;
	/* the spill file's ring keeps the packets from `first` on */
	struct save_sel sel = {.first = first, .n = packet_count(a) - first};

	switch (saving.what) {
	case SW_DISPLAYED:
		sel.idx = m->rows.idx;
		sel.idx_base = m->rows.base;
		sel.first = m->rows.base; /* the rows without an array: every packet from base */
		sel.n = m->rows.n;
		break;
	case SW_MARKED:
		sel.marked_only = true;
		break;
	case SW_SELECTED:
		sel.first = model_row_index(m, m->selected);
		sel.n = 1;
		break;
	case SW_LAST:
		sel.min_ts_ns = newest_ts(m->store) - (int64_t)saving.seconds * NS_PER_S;
		if (sel.min_ts_ns == 0)
			sel.min_ts_ns = 1; /* 0 would mean "any" */
		break;
	default:
		break;
	}
	return sel;
}

/* Source i's file of a per-source pcap save: its path, label and shown end. */
static int source_path(struct app *a, unsigned i, char *err)
{
	if (path_per_source(saving.base, a->m->srcs[i].name, saving.path, sizeof saving.path) < 0) {
		snprintf(err, SAVE_ERRLEN, "the file name is too long for a file per source");
		return -1;
	}
	esc_cstr(saving.label, sizeof saving.label, saving.path);
	pane_tail(saving.label, saving.shown, sizeof saving.shown);
	return 0;
}

static int start_save(struct app *a)
{
	char err[SAVE_ERRLEN];
	static const char *names[MODEL_MAX_SOURCES];
	struct save_sel sel = selection(a);

	for (unsigned i = 0; i < a->m->nsrc; i++)
		names[i] = a->m->srcs[i].name;
	sel.if_names = names;
	if (saving.per_source) {
		sel.one_if = true;
		sel.ifidx = saving.next_if;
	}
	if (saving.per_source && source_path(a, saving.next_if, err) < 0) {
		view_error(a, err);
		return R_REDRAW;
	}
	saving.save = save_begin(a->m->store, &sel, saving.path, snaplen(a), err);
	if (!saving.save) {
		view_error(a, err);
		return R_REDRAW;
	}
	view_notice(a, "saving %s to %s (Esc cancels)", what_text[saving.what], saving.shown);
	return R_REDRAW;
}

/* A save of several sources to pcap: a file per source, in turn. */
static int start_saves(struct app *a)
{
	saving.per_source = a->m->store && store_interfaces(a->m->store) > 1 &&
	                    dump_format_for(saving.path, false) == DUMP_PCAP;
	saving.next_if = 0;
	saving.packets = saving.bytes = 0;
	saving.files[0] = '\0';
	snprintf(saving.base, sizeof saving.base, "%s", saving.path);
	return start_save(a);
}

/* A per-source file done: the next source's save starts (1), or that was the last (0), or
 * the next could not start (-1, said). */
static int next_source(struct app *a)
{
	size_t at = strlen(saving.files);
	char name[200];

	saving.packets += save_packets(saving.save);
	saving.bytes += save_bytes(saving.save);
	snprintf(saving.files + at, sizeof saving.files - at, "%s%s", at ? ", " : "",
	         esc_cstr(name, sizeof name, path_base(saving.path))); /* all in one folder */
	if (++saving.next_if >= a->m->nsrc)
		return 0;
	save_free(saving.save);
	saving.save = NULL;
	start_save(a);
	return saving.save ? 1 : -1;
}

static void save_finished(struct app *a, enum save_status st, const char *err)
{
	char pk[32], by[32];

	int more = st == SAVE_DONE && saving.per_source ? next_source(a) : 0;

	if (more != 0) /* the next file's save runs, or its error shows */
		return;
	if (st == SAVE_DONE && saving.per_source) {
		view_notice(a, "saved %s packets (%s bytes), a pcap file per source: %s",
		            pane_count(saving.packets, pk), pane_count(saving.bytes, by),
		            saving.files);
	} else if (st == SAVE_DONE)
		view_notice(a, "saved %s packets, %s bytes to %s",
		            pane_count(save_packets(saving.save), pk),
		            pane_count(save_bytes(saving.save), by), saving.shown);
	else
		view_error(a, err);
	save_free(saving.save);
	saving.save = NULL;
}

bool act_save_step(struct app *a, uint64_t budget_ns)
{
	char err[SAVE_ERRLEN];
	enum save_status st;

	if (!saving.save)
		return false;
	st = save_step(saving.save, budget_ns, err);
	if (st == SAVE_MORE) {
		view_notice(a, "saving to %s: %d%% (Esc cancels)", saving.shown,
		            (int)(save_progress(saving.save) * 100));
		return true;
	}
	save_finished(a, st, err);
	return false;
}

int act_save_complete(char *msg, size_t n)
{
	char err[SAVE_ERRLEN], pk[32];
	enum save_status st;

	if (!saving.save)
		return 0;
	st = save_step(saving.save, 0, err); /* 0: to the end */
	if (st == SAVE_DONE)
		snprintf(msg, n,
		         "the terminal went away during a save: it completed, %s packets in %s",
		         pane_count(save_packets(saving.save), pk), saving.label);
	else
		snprintf(msg, n, "the terminal went away during a save, which failed: %s", err);
	save_free(saving.save);
	saving.save = NULL;
	return st == SAVE_DONE ? 1 : -1;
}

bool act_save_busy(void)
{
	return saving.save != NULL;
}

bool act_save_cancel(struct app *a)
{
	if (!saving.save)
		return false;
	save_free(saving.save); /* removes the temporary file: the target is untouched */
	saving.save = NULL;
	view_notice(a, "save cancelled: %s was not written", saving.shown);
	return true;
}

/* ---- the target path ---- */

static int start_tee(struct app *a)
{
	char err[DUMP_ERRLEN];

	if (model_tee_start(a->m, saving.path, err) < 0) {
		view_error(a, err);
		return R_REDRAW;
	}
	view_notice(a, "W again stops writing");
	return R_REDRAW;
}

static int overwrite_done(struct app *a, const char *yes)
{
	if (yes[0] != 'y') {
		view_notice(a, "nothing written: %s is left as it was", saving.shown);
		return R_REDRAW;
	}
	return saving.for_tee ? start_tee(a) : start_saves(a);
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

	snprintf(saving.last_dir, sizeof saving.last_dir, "%.*s",
	         slash ? (int)(slash - typed) + 1 : 0, typed);
}

static int path_done(struct app *a, const char *text)
{
	char msg[400], label[sizeof saving.label + 64];
	struct stat st;

	if (!text[0]) {
		prompt_error(a, "type a file name (Tab completes)");
		return R_REDRAW;
	}
	path_expand(text, saving.path, sizeof saving.path);
	esc_cstr(saving.label, sizeof saving.label, saving.path);
	pane_tail(saving.label, saving.shown, sizeof saving.shown);
	if (stat(saving.path, &st) == 0 && S_ISDIR(st.st_mode)) {
		snprintf(msg, sizeof msg, "%s is a folder: add a file name", saving.shown);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	if (!folder_exists(saving.path)) {
		snprintf(msg, sizeof msg, "no such folder for %s", saving.shown);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	remember_dir(text);
	if (stat(saving.path, &st) == 0) {
		snprintf(label, sizeof label, "%s exists. Overwrite? (y/N) ", saving.label);
		prompt_ask(a, &(struct prompt_spec){label, PI_YESNO, NULL, overwrite_done});
		return R_REDRAW;
	}
	return saving.for_tee ? start_tee(a) : start_saves(a);
}

static void ask_path(struct app *a, const char *label, bool tee)
{
	saving.for_tee = tee;
	prompt_ask(a, &(struct prompt_spec){label, PI_PATH, saving.last_dir, path_done});
}

static void ask_save_path(struct app *a, uint64_t n)
{
	char label[120], num[32];

	snprintf(label, sizeof label, "save %s (%s) to: ", what_text[saving.what],
	         pane_count(n, num));
	if (saving.what == SW_LAST)
		snprintf(label, sizeof label,
		         "save the last %llu s to: ", (unsigned long long)saving.seconds);
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
	saving.seconds = s;
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

	if (saving.save) {
		view_notice(a, "a save is running (Esc cancels it)");
		return R_REDRAW;
	}
	if (what == SW_DISPLAYED && m->refiltering) {
		view_notice(a, "the filter is still being applied: save when it is done");
		return R_REDRAW;
	}
	if (n[what] == 0) {
		view_notice(a, what == SW_MARKED ? "no packet is marked (Space marks one)"
		                                 : "no packets to save");
		return R_REDRAW;
	}
	saving.what = what;
	if (what == SW_LAST)
		prompt_ask(a, &(struct prompt_spec){"save the last how many seconds? ", PI_DIGITS,
		                                    "60", seconds_done});
	else
		ask_save_path(a, n[what]);
	return R_REDRAW;
}

int act_save_all(struct app *a)
{
	return save_action(a, SW_ALL);
}

int act_save_displayed(struct app *a)
{
	return save_action(a, SW_DISPLAYED);
}

int act_save_marked(struct app *a)
{
	return save_action(a, SW_MARKED);
}

int act_save_selected(struct app *a)
{
	return save_action(a, SW_SELECTED);
}

int act_save_last(struct app *a)
{
	return save_action(a, SW_LAST);
}

/* ---- write while capturing ---- */

int act_write_while(struct app *a)
{
	char err[DUMP_ERRLEN], num[32];

	if (a->m->tee) {
		uint64_t n = a->m->tee_packets;
		if (model_tee_stop(a->m, err) < 0)
			view_error(a, err);
		else
			view_notice(a, "stopped writing %s: %s packets", a->m->tee_label,
			            pane_count(n, num));
		return R_REDRAW;
	}
	if (!a->m->cap) {
		view_notice(a, "no capture is running: ^S saves the packets already captured");
		return R_REDRAW;
	}
	ask_path(a, "write new packets to: ", true);
	return R_REDRAW;
}
