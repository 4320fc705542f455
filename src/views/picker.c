/*
 * picker.c - the adapter picker: a full-screen overlay listing every capture adapter with
 * its flags, link type, first address and a packets/s sparkline. Enter starts a live
 * capture; Right, l or Space shows every address (netmask, broadcast, destination). When
 * this process may not capture, it says why and offers the bundled demo capture instead.
 *
 * The list is read when the picker opens; the sparklines are sampled in draw about once a
 * second (the loop redraws at least that often). picker_choose_target() opens it to pick
 * where to send instead: Enter hands the adapter to a callback and nothing is captured.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "ui/app.h"
#include "capture/adapter.h"
#include "capture/adapter_probe.h"
#include "capture/ifstats.h"
#include "platform/os.h"
#include "views/adapter_table.h"
#include "ui/sparkline.h"

#define NS_PER_S   1000000000ull
#define DEMO_LABEL "[ Open the demo capture ]"
#define PROBE_MAX  64 /* adapters whose link type is read (one brief open each) */

static struct {
	struct adapter_list list;
	bool *expanded;
	int *dlt;
	struct sparkline *spark;
	uint64_t sampled_ns;
	bool can_capture;
	char why[320];              /* why capture is not permitted */
	char reason[MODEL_MSG_MAX]; /* why the last open failed */
	char demo[1024];            /* the demo capture's path, or "" */
	char opened[256];           /* the adapter name handed to the model (it keeps a pointer) */
	size_t sel;                 /* item: the demo line (when offered) first, then adapters */
	struct adapter_table table;
	picker_target_fn target, target_next; /* choosing where to send (NULL: capture) */
} pk;

/* ---- items and lines ---- */

static bool demo_offered(void)
{
	return !pk.can_capture && pk.demo[0];
}

static size_t item_count(void)
{
	return pk.list.n + (demo_offered() ? 1 : 0);
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
	pk.demo[0] = '\0';
	for (size_t i = 0; i < sizeof cand / sizeof cand[0]; i++)
		if (cand[i][0] && access(cand[i], R_OK) == 0) {
			snprintf(pk.demo, sizeof pk.demo, "%s", cand[i]);
			return;
		}
}

static void free_list(void)
{
	adapter_list_free(&pk.list);
	free(pk.expanded);
	free(pk.dlt);
	free(pk.spark);
	adapter_table_free(&pk.table);
	pk.expanded = NULL;
	pk.dlt = NULL;
	pk.spark = NULL;
}

/* The table reads the lists; its packets/s column shows only where capture is permitted. */
static void build_table(void)
{
	pk.table.list = &pk.list;
	pk.table.expanded = pk.expanded;
	pk.table.dlt = pk.dlt;
	pk.table.spark = pk.can_capture ? pk.spark : NULL;
	adapter_table_build(&pk.table);
}

static void load(struct app *a)
{
	char err[256];

	free_list();
	pk.reason[0] = '\0';
	if (adapter_list_load(&pk.list, err, sizeof err) < 0)
		snprintf(pk.reason, sizeof pk.reason, "%s", err);
	pk.expanded = calloc(pk.list.n + 1, sizeof *pk.expanded);
	pk.dlt = calloc(pk.list.n + 1, sizeof *pk.dlt);
	pk.spark = calloc(pk.list.n + 1, sizeof *pk.spark);
	if (!pk.expanded || !pk.dlt || !pk.spark) {
		free_list();
		snprintf(pk.reason, sizeof pk.reason, "out of memory");
	}
	pk.can_capture = adapter_can_capture(pk.why, sizeof pk.why);
	for (size_t i = 0; i < pk.list.n; i++) /* a brief open each: only with capture rights */
		pk.dlt[i] =
		    pk.can_capture && i < PROBE_MAX ? adapter_linktype(pk.list.v[i].name) : -1;
	find_demo();
	if (a->m->state == CS_ERROR || (a->m->error[0] && !a->m->cap))
		snprintf(pk.reason, sizeof pk.reason, "%s", a->m->error);
	pk.sel = pk.table.top = 0;
	pk.sampled_ns = 0;
	build_table();
}

static void open_picker(struct app *a)
{
	pk.target = pk.target_next;
	pk.target_next = NULL;
	load(a);
}

void picker_choose_target(struct app *a, picker_target_fn chosen)
{
	pk.target_next = chosen;
	app_open_overlay(a, &view_picker);
}

static int choose_target(struct app *a, const struct adapter *ad, int dlt)
{
	char name[sizeof pk.opened];

	snprintf(name, sizeof name, "%s", ad->name);
	app_close_overlay(a);
	return pk.target(a, name, dlt);
}

static int start_adapter(struct app *a, const struct adapter *ad)
{
	const struct capture_prefs *p = &a->m->prefs; /* Capture > Options */
	struct source_opts o = {
	    .name = pk.opened,
	    .kind = SOURCE_LIVE,
	    .snaplen = p->snaplen,
	    .promisc = p->promisc,
	    .timeout_ms = p->timeout_ms,
	    .buffer_kib = p->buffer_kib,
	};

	snprintf(pk.opened, sizeof pk.opened, "%s", ad->name);
	if (!app_open_source(a, &o, a->opts->filter)) {
		snprintf(pk.reason, sizeof pk.reason, "%s", a->m->error);
		return R_REDRAW;
	}
	a->focus = PANE_LIST;
	app_close_overlay(a);
	return R_REDRAW;
}

static int open_demo(struct app *a)
{
	struct source_opts o = {.name = pk.demo, .kind = SOURCE_FILE};

	if (!app_open_source(a, &o, NULL)) {
		snprintf(pk.reason, sizeof pk.reason, "%s", a->m->error);
		return R_REDRAW;
	}
	a->focus = PANE_LIST;
	app_close_overlay(a);
	return R_REDRAW;
}

/* ---- drawing ---- */

static void sample(uint64_t now)
{
	uint64_t count;

	if (!pk.can_capture || (pk.sampled_ns && now - pk.sampled_ns < NS_PER_S))
		return;
	for (size_t i = 0; i < pk.list.n; i++) {
		if (ifstats_packets(pk.list.v[i].name, &count) == 0)
			sparkline_feed(&pk.spark[i], count, now - pk.sampled_ns);
		else
			sparkline_missing(&pk.spark[i]);
	}
	pk.sampled_ns = now;
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
	bool sel = demo_offered() && pk.sel == 0;
	const char *hint = os_capture_permission_hint(), *colon = strstr(hint, ": ");
	char first[256];

	if (explain)
		y += put_wrapped(y, r.x + 1, r.w - 2, 3, E_INVALID, pk.why);
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
	term_put(y++, r.x + 1, r.w - 1, E_TITLE,
	         pk.target ? "Choose the adapter to send on" : "Choose an adapter to capture on");
	y++;
	if (pk.reason[0])
		y += put_wrapped(y, r.x + 1, r.w - 2, 3, E_INVALID, pk.reason) + 1;
	if (!pk.can_capture)
		y += draw_no_capture(r, y, !strstr(pk.reason, os_capture_permission_hint()));
	adapter_table_draw(&pk.table, r, y, end, item_adapter(pk.sel));
	term_put(end, r.x + 1, r.w - 1, E_DIM,
	         pk.target
	             ? "Enter send here   Right/Space addresses   Esc cancel"
	             : "Enter capture   Right/Space addresses   o open file   Esc back   q quit");
}

/* ---- keys ---- */

static int toggle(bool open_it, int how)
{
	long ad = item_adapter(pk.sel);

	if (ad < 0)
		return R_NONE;
	pk.expanded[ad] = how < 0 ? !pk.expanded[ad] : open_it;
	build_table();
	return R_REDRAW;
}

static int move_sel(long delta)
{
	long n = (long)item_count(), s = (long)pk.sel + delta;

	if (n == 0)
		return R_REDRAW;
	pk.sel = (size_t)(s < 0 ? 0 : s >= n ? n - 1 : s);
	return R_REDRAW;
}

static int enter(struct app *a)
{
	long ad = item_adapter(pk.sel);

	if (item_count() == 0)
		return R_REDRAW;
	if (pk.target)
		return ad < 0 ? R_REDRAW : choose_target(a, &pk.list.v[ad], pk.dlt[ad]);
	return ad < 0 ? open_demo(a) : start_adapter(a, &pk.list.v[ad]);
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
		if (a->m->store || pk.target) {
			app_close_overlay(a);
			return R_REDRAW;
		}
		app_notice(
		    a,
		    "no capture is open: choose an adapter, press o to open a file or q to quit");
		return R_REDRAW;
	default:
		return R_NONE;
	}
}

static int key(struct app *a, const struct key_event *ev)
{
	(void)a;
	return ev->key == ' ' ? toggle(false, -1) : -1;
}

const struct view_ops view_picker = {
    .name = "adapters",
    .ctx = CTX_PICKER,
    .draw = draw,
    .action = action,
    .key = key,
    .open = open_picker,
};
