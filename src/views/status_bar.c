/*
 * status_bar.c - the two bottom lines: the status line (source, state, counts, drops,
 * rate, filter, the last notice or error; with several sources each one's name, state and
 * drops) in a->status_rect, and the function-key bar
 * generated from the key table for the current context in a->bar_rect.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"
#include "views/pane.h"
#include "model/model_procs.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"

/* Writes text at *x in element e and moves *x past it and a gap; stops at end. */
static void put_part(int y, int *x, int end, enum elem e, const char *text)
{
	int n = (int)strlen(text);

	if (*x >= end)
		return;
	term_put(y, *x, end - *x, e, text);
	*x += n + 2;
}

/* Text that may come from outside (errors quoting a path, the filter) with every byte that
 * is not printable ASCII replaced: the notice contract asks for escaped text, this keeps a
 * slip from reaching the terminal. */
static const char *safe(const char *in, char *out, size_t n)
{
	size_t i = 0;

	for (; in[i] && i + 1 < n; i++)
		out[i] = in[i] >= 0x20 && in[i] < 0x7f ? in[i] : '?';
	out[i] = '\0';
	return out;
}

static const char *state_of(const struct model *m, enum cap_state st)
{
	switch (st) {
	case CS_RUNNING:
		return m->paused ? "paused" : "running";
	case CS_STOPPED:
		return m->paused ? "paused" : "stopped";
	case CS_DONE:
		return m->paused ? "paused" : "done";
	case CS_ERROR:
		return "error";
	case CS_DISCONNECTED:
		return "disconnected";
	default:
		return "no source";
	}
}

static const char *state_text(const struct model *m)
{
	return state_of(m, m->state);
}

/* A source's state in a word or its first three letters (many sources, a narrow line). */
static void source_state(const struct model *m, const struct model_source *s, bool brief, char *out,
                         size_t n)
{
	const char *st = s->state == CS_ERROR ? "failed" : state_of(m, s->state);

	snprintf(out, n, "%.*s", brief ? 3 : 20, st);
}

/* Several sources: "cs1 running  cs3 disconnected (kdrop 5)", each one's state and its
 * drops when it has some; in brief ("cs1:run cs3:dis") when that does not fit in w. */
static void sources_text(const struct model *m, int w, char *out, size_t n)
{
	char st[24], d1[32], d2[32], drops[96], label[MODEL_LABEL_MAX];
	size_t at = 0;

	for (int brief = 0; brief < 2; brief++) {
		at = 0;
		out[0] = '\0';
		for (unsigned i = 0; i < m->nsrc && at < n; i++) {
			const struct model_source *s = &m->srcs[i];
			uint64_t k = s->counters.kernel_drops + s->counters.if_drops;
			drops[0] = '\0';
			if (k || s->counters.ring_drops)
				snprintf(drops, sizeof drops, " (kdrop %s rdrop %s)",
				         pane_count(k, d1), pane_count(s->counters.ring_drops, d2));
			source_state(m, s, brief, st, sizeof st);
			int wr = snprintf(out + at, n - at, brief ? "%s%s:%s%s" : "%s%s %s%s",
			                  i ? (brief ? " " : "  ") : "",
			                  safe(s->label, label, sizeof label), st, drops);
			at += wr > 0 ? (size_t)wr : 0;
		}
		if ((int)at <= w)
			return;
	}
	if (at >= n)
		at = n - 1;
	if ((int)at > w && w > 3) { /* the last sources stay in sight, as a path's end does */
		memmove(out + 3, out + at - (size_t)(w - 3), (size_t)(w - 3) + 1);
		memcpy(out, "...", 3);
	}
}

static void put_drops(int y, int *x, int end, const struct model *m)
{
	const struct capture_counters *c = &m->counters;
	uint64_t kdrop = c->kernel_drops + c->if_drops;
	char buf[48], num[32];

	if (m->kind == SOURCE_LIVE || kdrop) {
		snprintf(buf, sizeof buf, "kdrop %s", pane_count(kdrop, num));
		put_part(y, x, end, kdrop ? E_DROP_WARN : E_STATUS, buf);
	}
	if (m->kind == SOURCE_LIVE || c->ring_drops) {
		snprintf(buf, sizeof buf, "rdrop %s", pane_count(c->ring_drops, num));
		put_part(y, x, end, c->ring_drops ? E_DROP_WARN : E_STATUS, buf);
	}
}

static void put_filter(int y, int *x, int end, const struct model *m)
{
	char buf[600], text[520];

	if (m->filter_text[0]) {
		snprintf(buf, sizeof buf, "filter: %s", safe(m->filter_text, text, sizeof text));
		put_part(y, x, end, E_STATUS, buf);
	}
	if (m->refiltering) {
		snprintf(buf, sizeof buf, "filtering %d%%",
		         (int)(model_refilter_progress(m) * 100));
		put_part(y, x, end, E_STATUS, buf);
	}
	if (m->ssh_excluded)
		put_part(y, x, end, E_STATUS, "SSH excluded");
	if (model_resolve_on(m) || model_resolve_hidden_count(m)) {
		snprintf(buf, sizeof buf, "resolve %s, %llu own lookup packets hidden",
		         model_resolve_on(m) ? "on" : "off",
		         (unsigned long long)model_resolve_hidden_count(m));
		put_part(y, x, end, E_STATUS, buf);
	}
}

/* TCP analysis: "TCP 71 retrans 3 lost 12 dup-ACK 1 out-of-order 2 zero-win", the kinds
 * that happened, and streams the bounded table had to forget ("5 streams untracked"). */
static void put_analysis(int y, int *x, int end, const struct model *m)
{
	static const char *const what[5] = {"retrans", "lost", "dup-ACK", "out-of-order",
	                                    "zero-win"};
	struct ms_counts c;
	char buf[200], num[32];
	size_t len;

	model_stream_counts(m, &c);
	if (model_streams_pending(m) && m->store) { /* the pass behind the store */
		uint64_t n = store_count(m->store);
		snprintf(buf, sizeof buf, "streams %d%%",
		         (int)((double)(n - model_streams_pending(m)) * 100 / (double)n));
		put_part(y, x, end, E_STATUS, buf);
	}
	const uint64_t n[5] = {c.retrans, c.lost, c.dup_ack, c.out_of_order, c.zero_window};
	if (n[0] || n[1] || n[2] || n[3] || n[4]) {
		len = (size_t)snprintf(buf, sizeof buf, "TCP");
		for (int i = 0; i < 5 && len < sizeof buf; i++)
			if (n[i])
				len += (size_t)snprintf(buf + len, sizeof buf - len, " %s %s",
				                        pane_count(n[i], num), what[i]);
		put_part(y, x, end, E_BAD_TCP, buf);
	}
	if (c.untracked) {
		snprintf(buf, sizeof buf, "%s streams untracked", pane_count(c.untracked, num));
		put_part(y, x, end, E_DROP_WARN, buf);
	}
	if (c.unchained) { /* over the bound of stream records: not followable */
		snprintf(buf, sizeof buf, "%s pkts unchained", pane_count(c.unchained, num));
		put_part(y, x, end, E_DROP_WARN, buf);
	}
}

/* Write while capturing: "writing FILE (N pkts)", the file name cut from the left. */
static void put_tee(int y, int *x, int end, const struct model *m)
{
	char buf[96], num[32];
	size_t n = strlen(m->tee_label);
	const char *name = n > 24 ? m->tee_label + n - 24 : m->tee_label;

	if (!m->tee)
		return;
	snprintf(buf, sizeof buf, "writing %s%s (%s pkts)", n > 24 ? "..." : "", name,
	         pane_count(m->tee_packets, num));
	put_part(y, x, end, E_STATUS_KEY, buf);
}

/* The notice or error, right-aligned in what the first `keep` columns leave, but at least
 * a third of the line; a longer one loses its middle, since both ends say something (what
 * happened, and the file or the reason). Returns where it starts. */
static int put_message(struct app *a, struct rect r, int keep)
{
	const char *msg = a->notice[0] ? a->notice : a->m->error;
	char text[MODEL_MSG_MAX];
	int n, w = r.w - keep - 2 > r.w / 3 ? r.w - keep - 2 : r.w / 3;

	if (!msg[0])
		return r.x + r.w;
	safe(msg, text, sizeof text);
	n = (int)strlen(text);
	if (n > w && w > 12) {
		int head = (w - 3) / 2, tail = w - 3 - head;
		memmove(text + head + 3, text + n - tail, (size_t)tail + 1);
		memcpy(text + head, "...", 3);
		n = w;
	}
	n = n < w ? n : w;
	term_put(r.y, r.x + r.w - n - 1, n, a->notice[0] ? E_STATUS : E_INVALID, text);
	return r.x + r.w - n - 2;
}

/* The source's name in at most w columns; a longer one loses its start, so the file name
 * at its end stays in sight. */
static const char *source_text(const struct model *m, int w, char *out, size_t n)
{
	char label[256];
	int len = (int)strlen(safe(m->source_label, label, sizeof label));

	if (w < 4)
		w = 4;
	if (len <= w)
		snprintf(out, n, "%s", label);
	else
		snprintf(out, n, "...%s", label + len - (w - 3));
	return out;
}

static void draw_status(struct app *a, struct rect r)
{
	struct model *m = a->m;
	const char *msg = a->notice[0] ? a->notice : m->error;
	char buf[320], counts[80], shown[32], total[32];
	int x = r.x + 1, end, msg_min, keep;

	term_fill(r.y, r.x, r.w, E_STATUS);
	if (m->state == CS_NONE && !m->store) {
		end = put_message(a, r, 16);
		put_part(r.y, &x, end, E_STATUS, "no capture open");
		return;
	}
	snprintf(counts, sizeof counts, "%s/%s pkts", pane_count(m->rows.n, shown),
	         pane_count(m->store ? store_count(m->store) : 0, total));
	/* The state and the counts always show in full; a message gets the rest, at least a
	 * third of the line (put_message), and the source what is left, up to a third. */
	msg_min = msg[0] ? ((int)strlen(msg) < r.w / 3 ? (int)strlen(msg) : r.w / 3) : 0;
	if (m->nsrc > 1) { /* each source's state instead of the capture's */
		keep = r.w - msg_min - (int)strlen(counts) - 6;
		sources_text(m, keep > r.w / 2 ? keep : r.w / 2, buf, sizeof buf);
		end = put_message(a, r, 1 + (int)(strlen(buf) + strlen(counts)) + 4);
		put_part(r.y, &x, end, E_STATUS, buf);
	} else {
		keep = r.w - msg_min - (int)strlen(state_text(m)) - (int)strlen(counts) - 9;
		source_text(m, keep < r.w / 3 ? keep : r.w / 3, buf, sizeof buf);
		end = put_message(
		    a, r, 1 + (int)(strlen(buf) + strlen(state_text(m)) + strlen(counts)) + 6);
		put_part(r.y, &x, end, E_STATUS, buf);
		put_part(r.y, &x, end,
		         m->state == CS_ERROR || m->state == CS_DISCONNECTED ? E_INVALID : E_STATUS,
		         state_text(m));
	}
	put_part(r.y, &x, end, E_STATUS, counts);
	put_tee(r.y, &x, end, m);
	put_drops(r.y, &x, end, m);
	put_analysis(r.y, &x, end, m);
	if (m->state == CS_RUNNING) {
		snprintf(buf, sizeof buf, "%s pkt/s", pane_count((uint64_t)(m->pps + 0.5), shown));
		put_part(r.y, &x, end, E_STATUS, buf);
	}
	put_filter(r.y, &x, end, m);
	if (!a->hidden[PANE_PROCS]) /* how processes are found, while their pane shows */
		put_part(r.y, &x, end, E_STATUS, safe(model_procs_status(m), buf, sizeof buf));
}

/* Walks the function-key bar's entries in order: "F1Help qQuit ...", each entry's key name
 * then its label, whole entries only. Calls fn for each with its column; stops when fn
 * returns true and returns that entry's key (TK_NONE when none). */
static int walk_bar(const struct app *a, struct rect r,
                    bool (*fn)(const struct keybind *k, const char *kn, int x, void *arg),
                    void *arg)
{
	unsigned ctx = view_ctx(a);
	int x = r.x, end = r.x + r.w;
	char name[16];

	for (size_t i = 0; i < keymap_len; i++) {
		const struct keybind *k = &keymap[i];
		if (!k->bar || !(k->ctx & ctx))
			continue;
		const char *kn = term_key_name(k->key, name, sizeof name);
		int kw = (int)strlen(kn), lw = (int)strlen(k->bar);
		if (x + kw + lw > end)
			break;
		if (fn(k, kn, x, arg))
			return k->key;
		x += kw + lw + 1;
	}
	return TK_NONE;
}

static bool draw_entry(const struct keybind *k, const char *kn, int x, void *arg)
{
	int y = *(const int *)arg, kw = (int)strlen(kn);

	term_put(y, x, kw, E_STATUS_KEY, kn);
	term_put(y, x + kw, (int)strlen(k->bar), E_STATUS, k->bar);
	return false;
}

static void draw_bar(struct app *a, struct rect r)
{
	term_fill(r.y, r.x, r.w, E_STATUS);
	walk_bar(a, r, draw_entry, &r.y);
}

static bool entry_at(const struct keybind *k, const char *kn, int x, void *arg)
{
	int cx = *(const int *)arg;

	return cx >= x && cx < x + (int)strlen(kn) + (int)strlen(k->bar);
}

/* A click on the function-key bar is its entry's key, typed. */
static int status_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	int x = ev->x;
	struct key_event k = {TK_NONE, -1, -1};

	if (ev->key != TK_CLICK || ev->y != a->bar_rect.y || a->bar_rect.h <= 0)
		return R_NONE;
	(void)r;
	k.key = walk_bar(a, a->bar_rect, entry_at, &x);
	return k.key == TK_NONE ? R_NONE : view_key(a, &k);
}

static void status_draw(struct app *a, struct rect r, bool focused)
{
	(void)focused;
	draw_status(a, r);
	if (a->bar_rect.h > 0)
		draw_bar(a, a->bar_rect);
}

const struct view_ops view_status_bar = {
    .name = "status bar",
    .place = VP_PANE,
    .draw = status_draw,
    .mouse = status_mouse,
};
