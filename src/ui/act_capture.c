/*
 * act_capture.c - the Capture menu's actions: start (after a stop), stop and restart the
 * live capture (a source that is down, a remote link that dropped or one of several adapters
 * that failed, restarts alone), and its options (five prompts in a row, kept for the next
 * start). Choosing an adapter is the picker's. UI thread only.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ui/act.h"
#include "views/pane.h"
#include "views/prompt.h"
#include "views/views.h"

static uint64_t packet_count(const struct app *a)
{
	return a->m->store ? store_count(a->m->store) : 0;
}

/* ---- capture ---- */

static bool running(const struct app *a)
{
	return a->m->cap != NULL;
}

static int restart_now(struct app *a)
{
	act_save_cancel(a); /* a save reads the store that is about to go */
	a->sel_field = -1;
	if (model_restart(a->m) < 0) {
		view_error(a, a->m->error);
		return R_REDRAW;
	}
	view_notice(a, "capturing on %s", a->m->source_label);
	return R_REDRAW;
}

static int restart_done(struct app *a, const char *yes)
{
	return yes[0] == 'y' ? restart_now(a) : R_REDRAW;
}

/* A source's link dropped, or one of several failed: it alone comes back and the capture
 * goes on, the packets stay. */
static int reconnect(struct app *a)
{
	char num[32];
	bool link = model_disconnected(a->m);

	if (model_reconnect(a->m) < 0) {
		view_error(a, a->m->error);
		return R_REDRAW;
	}
	view_notice(a, "%s: capturing on %s again, the %s packets stay",
	            link ? "reconnected" : "restarted", a->m->source_label,
	            pane_count(packet_count(a), num));
	return R_REDRAW;
}

/* A new capture on the same adapter(s), asking before the captured packets go (Start after
 * a stop, and Restart while no source is down). Without a live adapter: the picker. */
static int restart(struct app *a)
{
	char label[120], num[32];

	if (a->m->kind != SOURCE_LIVE || !a->m->src) {
		view_open_overlay(a, &view_picker);
		view_notice(a, "choose an adapter to capture on");
		return R_REDRAW;
	}
	if (packet_count(a) == 0)
		return restart_now(a);
	snprintf(label, sizeof label, "Start a new capture and discard %s packets? (y/N) ",
	         pane_count(packet_count(a), num));
	prompt_ask(a, &(struct prompt_spec){label, PI_YESNO, NULL, restart_done});
	return R_REDRAW;
}

int act_capture_stop(struct app *a)
{
	char num[32];

	if (!running(a)) {
		view_notice(a, "no capture is running");
		return R_REDRAW;
	}
	model_stop(a->m);
	view_notice(a, "stopped: %s packets kept (^E starts a new capture)",
	            pane_count(packet_count(a), num));
	return R_REDRAW;
}

/* ---- capture options: five prompts in a row, applied after the last ---- */

/* The options dialog: the values being edited and the prompt showing. */
static struct {
	struct capture_prefs prefs;
	int step;
} dialog;

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
		return dialog.prefs.snaplen;
	case 1:
		return dialog.prefs.promisc;
	case 2:
		return dialog.prefs.timeout_ms;
	case 3:
		return dialog.prefs.buffer_kib;
	default:
		return (long)dialog.prefs.ring_mib;
	}
}

static void opt_set(int step, long v)
{
	switch (step) {
	case 0:
		dialog.prefs.snaplen = (int)v;
		break;
	case 1:
		dialog.prefs.promisc = v != 0;
		break;
	case 2:
		dialog.prefs.timeout_ms = (int)v;
		break;
	case 3:
		dialog.prefs.buffer_kib = (int)v;
		break;
	default:
		dialog.prefs.ring_mib = (unsigned)v;
		break;
	}
}

static int opt_done(struct app *a, const char *text);

static void ask_option(struct app *a)
{
	char label[96], init[32];
	long v = opt_get(dialog.step);

	snprintf(label, sizeof label, "capture options %d/%d: %s: ", dialog.step + 1, OPT_COUNT,
	         opt_defs[dialog.step].label);
	if (dialog.step == 1)
		snprintf(init, sizeof init, "%s", v ? "yes" : "no");
	else
		snprintf(init, sizeof init, "%ld", v);
	prompt_ask(a, &(struct prompt_spec){label, dialog.step == 1 ? PI_TEXT : PI_DIGITS, init,
	                                    opt_done});
}

static long parse_opt(const char *text)
{
	char *end;
	long v;

	if (dialog.step == 1) /* yes, y, no, n, on, off */
		return text[0] == 'y' || text[0] == 'Y' || strcmp(text, "on") == 0    ? 1
		       : text[0] == 'n' || text[0] == 'N' || strcmp(text, "off") == 0 ? 0
		                                                                      : -1;
	v = strtol(text, &end, 10);
	return text[0] && !*end ? v : -1;
}

static int opt_done(struct app *a, const char *text)
{
	const struct opt_def *d = &opt_defs[dialog.step];
	long v = parse_opt(text);
	char msg[96];

	if (v < d->min || v > d->max) {
		snprintf(msg, sizeof msg, dialog.step == 1 ? "answer yes or no" : "from %ld to %ld",
		         d->min, d->max);
		prompt_error(a, msg);
		return R_REDRAW;
	}
	opt_set(dialog.step, v);
	if (++dialog.step < OPT_COUNT) {
		ask_option(a);
		return R_REDRAW;
	}
	a->m->prefs = dialog.prefs;
	view_notice(a, "options kept for the next start (^E, ^R)");
	return R_REDRAW;
}

int act_capture_options(struct app *a)
{
	dialog.prefs = a->m->prefs;
	dialog.step = 0;
	ask_option(a);
	return R_REDRAW;
}

int act_capture_start(struct app *a)
{
	if (running(a)) {
		view_notice(a, "already capturing (^X stops)");
		return R_REDRAW;
	}
	return restart(a);
}

/* Ctrl-R: a source that is down (a link that dropped, one of several that failed) comes
 * back alone; else a new capture on every adapter. */
int act_capture_restart(struct app *a)
{
	if (model_source_down(a->m))
		return reconnect(a);
	return restart(a);
}
