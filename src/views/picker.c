/*
 * picker.c - the adapter picker: a full-screen overlay listing every capture adapter with
 * its flags, link type, first address and a packets/s sparkline. Enter starts a live
 * capture; Space marks adapters (a '*'), and Enter then captures on every marked one at once
 * (merged into one list); Right or l shows every address (netmask, broadcast, destination;
 * Space too when choosing where to send). When
 * this process may not capture, it says why and offers the bundled demo capture instead.
 *
 * The list is read when the picker opens; the sparklines are sampled in draw about once a
 * second (the loop redraws at least that often). picker_choose_target() opens it to pick
 * where to send instead: Enter hands the adapter to a callback and nothing is captured.
 * The last line, "Remote host...", asks for [user@]host[:port] and lists that host's adapters
 * over ssh (the UI waits for it, up to the remote start timeout); Enter then captures there.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/name_escape.h"
#include "views/picker.h"
#include "views/views.h"
#include "views/prompt.h"
#include "model/adapters.h"
#include "platform/os.h"
#include "views/adapter_table.h"
#include "ui/sparkline.h"

#define NS_PER_S     1000000000ull
#define DEMO_LABEL   "[ Open the demo capture ]"
#define REMOTE_LABEL "[ Remote host... ]"
#define SSH_PREFIX   "ssh://"

/* The picker: the adapters (model/adapters.h) and what it shows of them. */
static struct {
	struct adapters ad;
	bool *expanded;
	bool *marked; /* Space: captured on together */
	struct sparkline *spark;
	uint64_t sampled_ns;
	char reason[MODEL_MSG_MAX]; /* why the last open failed */
	char demo[1024];            /* the demo capture's path, or "" */
	char want_remote[320];      /* the host typed: the next open lists its adapters */
	size_t sel;                 /* item: the demo line (when offered) first, then adapters */
	struct adapter_table table;
	picker_target_fn target, target_next; /* choosing where to send (NULL: capture) */
} picker;

/* ---- items and lines ---- */

static bool demo_offered(void)
{
	return !picker.ad.can_capture && picker.demo[0];
}

/* A remote host's adapters are for capturing, not for sending. */
static bool remote_offered(void)
{
	return !picker.target;
}

static size_t item_count(void)
{
	return picker.ad.list.n + (demo_offered() ? 1 : 0) + (remote_offered() ? 1 : 0);
}

static bool item_is_remote(size_t item)
{
	return remote_offered() && item + 1 == item_count();
}

/* The adapter of an item, or -1 for the demo line. */
static long item_adapter(size_t item)
{
	return demo_offered() ? (long)item - 1 : (long)item;
}

/* ---- opening and closing ---- */

static void find_demo(void)
{
	const char *env = getenv("CAPSCOPE_DEMO");
	char exe[900] = "", rel[1024] = "";

	if (os_exe_dir(exe, sizeof exe))
		snprintf(rel, sizeof rel, "%s/../share/capscope/demo.pcap", exe);
	const char *cand[] = {env ? env : "", rel, CAPSCOPE_DATADIR "/capscope/demo.pcap",
	                      CAPSCOPE_SOURCE_DIR "/assets/demo.pcap"};
	picker.demo[0] = '\0';
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if (cand[i][0] && access(cand[i], R_OK) == 0) {
			snprintf(picker.demo, sizeof picker.demo, "%s", cand[i]);
			return;
		}
}

static void free_list(void)
{
	adapters_free(&picker.ad);
	free(picker.expanded);
	free(picker.marked);
	free(picker.spark);
	adapter_table_free(&picker.table);
	picker.expanded = picker.marked = NULL;
	picker.spark = NULL;
}

/* The table reads the lists; its packets/s column shows only where capture is permitted
 * (and this host's counters: not for a remote host's adapters). */
static void build_table(void)
{
	picker.table.list = &picker.ad.list;
	picker.table.expanded = picker.expanded;
	picker.table.marked = picker.marked;
	picker.table.dlt = picker.ad.dlt;
	picker.table.spark = picker.ad.can_capture && !picker.ad.remote[0] ? picker.spark : NULL;
	adapter_table_build(&picker.table);
}

/* This host's adapters, or remote_url's (ssh://...) when given. */
static void load(struct app *a, const char *remote_url)
{
	char err[SOURCE_ERRLEN];
	int rc;

	free_list();
	picker.reason[0] = '\0';
	rc = remote_url ? adapters_load_remote(&picker.ad, remote_url, a->m->opts.remote_sudo, err,
	                                       sizeof err)
	                : adapters_load(&picker.ad, err, sizeof err);
	if (rc < 0)
		snprintf(picker.reason, sizeof picker.reason, "%s", err);
	picker.expanded = calloc(picker.ad.list.n + 1, sizeof *picker.expanded);
	picker.marked = calloc(picker.ad.list.n + 1, sizeof *picker.marked);
	picker.spark = calloc(picker.ad.list.n + 1, sizeof *picker.spark);
	if (!picker.expanded || !picker.marked || !picker.ad.dlt || !picker.spark) {
		free_list();
		snprintf(picker.reason, sizeof picker.reason, "out of memory");
	}
	find_demo();
	if (!remote_url && (a->m->state == CS_ERROR || (a->m->error[0] && !a->m->cap)))
		snprintf(picker.reason, sizeof picker.reason, "%s", a->m->error);
	picker.sel = picker.table.top = 0;
	picker.sampled_ns = 0;
	build_table();
}

static void open_picker(struct app *a)
{
	picker.target = picker.target_next;
	picker.target_next = NULL;
	load(a, picker.want_remote[0] ? picker.want_remote : NULL);
	picker.want_remote[0] = '\0';
}

void picker_choose_target(struct app *a, picker_target_fn chosen)
{
	picker.target_next = chosen;
	view_open_overlay(a, &view_picker);
}

static int choose_target(struct app *a, const struct adapter *ad, int dlt)
{
	char name[MODEL_LABEL_MAX];

	snprintf(name, sizeof name, "%s", ad->name);
	view_close_overlay(a);
	return picker.target(a, name, dlt);
}

/* Captures on the adapters ads[0..n) at once (one: as ever), with Capture > Options. */
static int start_adapters(struct app *a, const size_t *ads, unsigned n)
{
	const struct capture_prefs *p = &a->m->prefs; /* Capture > Options */
	static char names[MODEL_MAX_SOURCES][MODEL_LABEL_MAX];
	struct source_opts o[MODEL_MAX_SOURCES];

	for (unsigned i = 0; i < n; i++) {
		adapters_source_name(&picker.ad, ads[i], names[i], sizeof names[i]);
		o[i] = (struct source_opts){
		    .name = names[i],
		    .kind = SOURCE_LIVE,
		    .snaplen = p->snaplen,
		    .promisc = p->promisc,
		    .timeout_ms = p->timeout_ms,
		    .buffer_kib = p->buffer_kib,
		    .remote_sudo = a->m->opts.remote_sudo, /* --remote-sudo */
		};
	}
	if (!view_open_sources(a, o, n, a->initial_filter)) {
		snprintf(picker.reason, sizeof picker.reason, "%s", a->m->error);
		return R_REDRAW;
	}
	a->focus = PANE_LIST;
	view_close_overlay(a);
	return R_REDRAW;
}

/* Enter: the marked adapters, or with none marked the highlighted one. */
static int start_marked(struct app *a, size_t highlighted)
{
	size_t ads[MODEL_MAX_SOURCES];
	unsigned n = 0;

	for (size_t i = 0; i < picker.ad.list.n; i++) {
		if (!picker.marked[i])
			continue;
		if (n == MODEL_MAX_SOURCES) {
			snprintf(picker.reason, sizeof picker.reason,
			         "at most %u adapters at once: Space unmarks one",
			         MODEL_MAX_SOURCES);
			return R_REDRAW;
		}
		ads[n++] = i;
	}
	if (n == 0)
		ads[n++] = highlighted;
	return start_adapters(a, ads, n);
}

static int open_demo(struct app *a)
{
	struct source_opts o = {.name = picker.demo, .kind = SOURCE_FILE};

	if (!view_open_source(a, &o, NULL)) {
		snprintf(picker.reason, sizeof picker.reason, "%s", a->m->error);
		return R_REDRAW;
	}
	a->focus = PANE_LIST;
	view_close_overlay(a);
	return R_REDRAW;
}

/* ---- drawing ---- */

static void sample(uint64_t now)
{
	uint64_t count;

	if (!picker.ad.can_capture || (picker.sampled_ns && now - picker.sampled_ns < NS_PER_S))
		return;
	for (size_t i = 0; i < picker.ad.list.n; i++) {
		if (adapters_packets(&picker.ad, i, &count))
			sparkline_feed(&picker.spark[i], count, now - picker.sampled_ns);
		else
			sparkline_missing(&picker.spark[i]);
	}
	picker.sampled_ns = now;
}

/* Words of text over at most max lines of width w from y; returns the lines used. */
static int put_wrapped(int y, int x, int w, int max, enum elem e, const char *text)
{
	int used = 0;

	while (*text && used < max && w > 0) {
		int n = (int)strlen(text), cut = n;
		if (n > w) {
			for (cut = w; cut > 0 && text[cut] != ' '; cut--)
				;
			if (cut == 0)
				cut = w;
		}
		char part[512];
		snprintf(part, sizeof part, "%.*s", cut, text);
		term_put(y + used++, x, w, e, part);
		text += cut;
		while (*text == ' ')
			text++;
	}
	return used;
}

/* Why capture is not permitted and what to do (skipped when the open failure above already
 * said it), then the demo offer. Returns the lines used. */
static int draw_no_capture(struct rect r, int y, bool explain)
{
	int y0 = y;
	bool sel = demo_offered() && picker.sel == 0;
	const char *hint = os_capture_permission_hint(), *colon = strstr(hint, ": ");
	char first[256];

	if (explain)
		y += put_wrapped(y, r.x + 1, r.w - 2, 3, E_INVALID, picker.ad.why);
	if (explain && colon && (int)strlen(hint) > r.w - 2) { /* "do this:" / "command" */
		snprintf(first, sizeof first, "%.*s", (int)(colon - hint + 1), hint);
		y += put_wrapped(y, r.x + 1, r.w - 2, 2, E_NORMAL, first);
		hint = colon + 2;
	}
	if (explain)
		y += put_wrapped(y, r.x + 3, r.w - 4, 3, E_NORMAL, hint) + 1;
	if (demo_offered()) {
		term_put(y, r.x + 3, r.w - 3, sel ? E_SELECTED : E_TITLE, DEMO_LABEL);
		term_put(y++, r.x + 3 + (int)sizeof DEMO_LABEL + 1, r.w - 30, E_DIM,
		         "a short recorded capture to explore");
	}
	term_put(y++, r.x + 3, r.w - 3, E_DIM,
	         demo_offered()
	             ? "or press o to open a capture file"
	             : "press o to open a capture file (the demo capture was not found)");
	return y + 1 - y0;
}

static void draw(struct app *a, struct rect r, bool focused)
{
	int y = r.y, end = r.y + r.h - 1;

	(void)a;
	(void)focused;
	sample(os_monotonic_ns());
	for (int i = 0; i < r.h; i++)
		term_fill(r.y + i, r.x, r.w, E_NORMAL);
	char title[400], host[320];

	if (picker.ad.remote[0])
		snprintf(title, sizeof title, "Choose an adapter of %s (remote) to capture on",
		         name_escape(picker.ad.remote, host, sizeof host));
	term_put(y++, r.x + 1, r.w - 1, E_TITLE,
	         picker.target         ? "Choose the adapter to send on"
	         : picker.ad.remote[0] ? title
	                               : "Choose an adapter to capture on");
	y++;
	if (picker.reason[0])
		y += put_wrapped(y, r.x + 1, r.w - 2, 3, E_INVALID, picker.reason) + 1;
	if (!picker.ad.can_capture)
		y += draw_no_capture(r, y, !strstr(picker.reason, os_capture_permission_hint()));
	if (remote_offered()) { /* its own line above the keys */
		term_put(end - 1, r.x + 3, r.w - 3,
		         item_is_remote(picker.sel) ? E_SELECTED : E_TITLE, REMOTE_LABEL);
		term_put(end - 1, r.x + 4 + (int)sizeof REMOTE_LABEL, r.w - 30, E_DIM,
		         "capture on another host over ssh");
	}
	adapter_table_draw(&picker.table, r, y, remote_offered() ? end - 1 : end,
	                   item_is_remote(picker.sel) ? -1 : item_adapter(picker.sel));
	term_put(end, r.x + 1, r.w - 1, E_DIM,
	         picker.target
	             ? "Enter send here   Right/Space addresses   Esc cancel"
	             : "Enter capture   Space mark   Right addresses   o open file   Esc back"
	               "   q quit");
}

/* ---- keys ---- */

static int toggle(bool open_it, int how)
{
	long ad = item_adapter(picker.sel);

	if (ad < 0 || item_is_remote(picker.sel))
		return R_NONE;
	picker.expanded[ad] = how < 0 ? !picker.expanded[ad] : open_it;
	build_table();
	return R_REDRAW;
}

static int move_sel(long delta)
{
	long n = (long)item_count(), s = (long)picker.sel + delta;

	if (n == 0)
		return R_REDRAW;
	picker.sel = (size_t)(s < 0 ? 0 : s >= n ? n - 1 : s);
	return R_REDRAW;
}

/* The remote host typed: its adapters replace the list (listing waits for ssh). */
static int remote_done(struct app *a, const char *text)
{
	bool has_prefix = strncmp(text, SSH_PREFIX, strlen(SSH_PREFIX)) == 0;

	/* the prompt took the picker's place: open it again, on that host's list */
	snprintf(picker.want_remote, sizeof picker.want_remote, "%s%s",
	         has_prefix ? "" : SSH_PREFIX, text);
	view_open_overlay(a, &view_picker);
	return R_REDRAW;
}

static int ask_remote(struct app *a)
{
	const char *shown = picker.ad.remote[0] ? picker.ad.remote + strlen(SSH_PREFIX) : NULL;

	prompt_ask(a, &(struct prompt_spec){"Remote host, [user@]host[:port]: ", PI_TEXT, shown,
	                                    remote_done});
	return R_REDRAW;
}

static int enter(struct app *a)
{
	long ad = item_adapter(picker.sel);

	if (item_count() == 0)
		return R_REDRAW;
	if (item_is_remote(picker.sel))
		return ask_remote(a);
	if (picker.target)
		return ad < 0 ? R_REDRAW
		              : choose_target(a, &picker.ad.list.v[ad], picker.ad.dlt[ad]);
	return ad < 0 ? open_demo(a) : start_marked(a, (size_t)ad);
}

static int action(struct app *a, enum action act)
{
	switch (act) {
	case A_UP:
		return move_sel(-1);
	case A_DOWN:
		return move_sel(1);
	case A_PGUP:
		return move_sel(-5);
	case A_PGDN:
		return move_sel(5);
	case A_HOME:
		return move_sel(-(long)item_count());
	case A_END:
		return move_sel((long)item_count());
	case A_RIGHT:
		return toggle(true, 1);
	case A_LEFT:
		return toggle(false, 1);
	case A_ENTER:
		return enter(a);
	case A_ESC:
		if (a->m->store || picker.target) {
			view_close_overlay(a);
			return R_REDRAW;
		}
		view_notice(
		    a,
		    "no capture is open: choose an adapter, press o to open a file or q to quit");
		return R_REDRAW;
	default:
		return R_UNHANDLED;
	}
}

/* Space marks the adapter (and moves on, as in the packet list) to capture on several at
 * once; choosing where to send it shows the addresses. */
static int mark(void)
{
	long ad = item_adapter(picker.sel);

	if (ad < 0 || item_is_remote(picker.sel))
		return R_NONE;
	picker.marked[ad] = !picker.marked[ad];
	return move_sel(1);
}

static int key(struct app *a, const struct key_event *ev)
{
	(void)a;
	if (ev->key != ' ')
		return -1;
	return picker.target ? toggle(false, -1) : mark();
}

const struct view_ops view_picker = {
    .name = "adapters",
    .ctx = CTX_PICKER,
    .place = VP_FULL,
    .draw = draw,
    .action = action,
    .key = key,
    .open = open_picker,
};
