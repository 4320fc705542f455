/*
 * model_filter.c - the filter of the display and what follows from it (see model.h):
 * telling BPF from display filters, compiling and applying one, refiltering the stored
 * packets in budgeted slices (with progress, and Esc to give up), the kernel filter of a
 * live capture (BPF, or a display filter's BPF prefilter, built for each source's link
 * type), which also leaves out this program's own SSH session, and pausing the display.
 */
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "model/model.h"
#include "model/model_internal.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"
#include "platform/os.h"

/* Restarts the display from packet 0 of the store under the current filter. */
void model_start_refilter(struct model *m)
{
	model_rows_reset(m);
	m->visible_total = m->store ? store_first(m->store) : 0;
	m->refilter_next = m->visible_total; /* the spill file's ring kept these on */
	m->refiltering = true;
	model_streams_filter_reset(m);
}

/* The kernel filter for a live capture: the user's expression, minus our own SSH session. */
void model_kernel_filter(const struct model *m, const char *expr, char *out, size_t n)
{
	if (!m->ssh_excluded || !m->ssh_filter[0])
		snprintf(out, n, "%s", expr);
	else if (!expr[0])
		snprintf(out, n, "%s", m->ssh_filter);
	else
		snprintf(out, n, "(%s) and %s", expr, m->ssh_filter);
}

const char *model_kernel_expr(const struct model *m)
{
	return m->filter_kind == FK_DISPLAY ? m->kernel_expr : m->filter_text;
}

static int filter_linktype(const struct model *m)
{
	return m->store ? store_linktype(m->store) : 1; /* DLT_EN10MB */
}

/* kernel_expr is built for the first source's link type. A display filter's prefilter on a
 * source of another one (an Ethernet adapter and "any") is built for that one, as headless
 * does, or is none there (every packet): a prefilter of another link type could refuse to
 * compile ("ether src" on Linux cooked) or leave out packets the display filter keeps. */
void model_source_kernel_expr(const struct model *m, unsigned i, char *out, size_t n)
{
	int lt = m->store && i > 0 ? store_interface_linktype(m->store, i) : filter_linktype(m);

	if (m->filter_kind != FK_DISPLAY || !m->dfilter || lt == filter_linktype(m))
		snprintf(out, n, "%s", model_kernel_expr(m));
	else if (!dfilter_to_bpf(m->dfilter, lt, out, n))
		out[0] = '\0'; /* out held the reason there is none */
}

static void apply_kernel_filter(struct model *m)
{
	char e[sizeof m->kernel_expr], f[sizeof m->kernel_expr + sizeof m->ssh_filter + 16];

	if (m->kind != SOURCE_LIVE || !m->cap)
		return;
	for (unsigned i = 0; i < m->nsrc || i == 0; i++) {
		model_source_kernel_expr(m, i, e, sizeof e);
		model_kernel_filter(m, e, f, sizeof f);
		capture_set_source_filter(m->cap, i, f);
	}
}

/* ---- which language ---- */

/* A word with a dot between letters ("ip.src", "dns.qry.name"): a display filter's field. An
 * address ("10.0.0.1") has digits around its dots. */
static bool names_a_field(const char *s)
{
	for (const char *p = s; *p; p++)
		if (*p == '.' && p > s && isalpha((unsigned char)p[-1]) &&
		    (isalpha((unsigned char)p[1]) || p[1] == '_'))
			return true;
	return false;
}

/* Compiles text as a display filter; NULL with v's message and column when it is not one. */
static struct dfilter *display_compile(const char *text, struct filter_verdict *v)
{
	int col = 0;
	struct dfilter *df = dfilter_compile(text, v->msg, sizeof v->msg, &col);

	v->column = df ? -1 : col - 1;
	return df;
}

/* Source i's prefilter of df for its link type into out (n bytes); "" when it has none. */
static void source_prefilter(const struct model *m, const struct dfilter *df, unsigned i, char *out,
                             size_t n)
{
	int lt = i > 0 ? store_interface_linktype(m->store, i) : filter_linktype(m);

	if (!dfilter_to_bpf(df, lt, out, n))
		out[0] = '\0'; /* out held the reason there is none */
}

/* Appends text to note (nn bytes, `*at` used), cut at its end. */
static void note_add(char *note, size_t nn, size_t *at, const char *text)
{
	int w = *at < nn ? snprintf(note + *at, nn - *at, "%s", text) : 0;

	*at += w > 0 ? (size_t)w : 0;
}

/* Several sources whose prefilters differ (link types): each one's, its first NOTE_PF_MAX
 * characters (a prefilter also keeps tunnels and VLANs: hundreds), the sources that share
 * one named together, in the order given ("cs1, cs3: (ether src host ...; any: none"),
 * escaped. false (note untouched) when every source's is source 0's, `first`. */
#define NOTE_PF_MAX 40u
static bool per_source_note(const struct model *m, const struct dfilter *df, const char *first,
                            char *note, size_t nn)
{
	enum { PF = 8192 };
	char(*pf)[PF] = m->store ? malloc(m->nsrc * sizeof *pf) : NULL, esc[PF];
	bool differ = false, told[MODEL_MAX_SOURCES] = {false};
	size_t at = 0;

	for (unsigned i = 0; pf && i < m->nsrc; i++) { /* each source's, once */
		source_prefilter(m, df, i, pf[i], PF);
		differ = differ || strcmp(pf[i], first) != 0;
	}
	if (!differ) {
		free(pf);
		return false;
	}
	note_add(note, nn, &at, "also in the kernel, per source:");
	for (unsigned i = 0; i < m->nsrc; i++) {
		if (told[i])
			continue;
		for (unsigned j = i, k = 0; j < m->nsrc; j++) { /* i and those with the same */
			if (strcmp(pf[i], pf[j]) != 0)
				continue;
			told[j] = true;
			note_add(note, nn, &at, k++ ? ", " : i ? "; " : " ");
			note_add(note, nn, &at, m->srcs[j].label);
		}
		if (strlen(pf[i]) >
		    NOTE_PF_MAX) /* a prefilter is long: its start, for each source */
			memcpy(pf[i] + NOTE_PF_MAX - 3, "...", 4);
		note_add(note, nn, &at, ": ");
		note_add(note, nn, &at, pf[i][0] ? esc_cstr(esc, sizeof esc, pf[i]) : "none");
	}
	free(pf);
	return true;
}

/* The display filter's BPF prefilter (the kernel keeps at least what it keeps) for the first
 * source, and the note saying where it runs: once when every source's prefilter is the same,
 * else each one's (per_source_note); or the note saying there is none. */
static void display_placement(const struct model *m, const struct dfilter *df, char *bpf, size_t n,
                              char *note, size_t nn)
{
	char why[200], esc[1024];
	bool has = dfilter_to_bpf(df, filter_linktype(m), bpf, n);

	if (!has) {
		/* bpf holds the reason there is none: keep its start (a copy that may cut, which
		 * snprintf would warn about in a Release build) */
		size_t k = strnlen(bpf, sizeof why - 1);
		memcpy(why, bpf, k);
		why[k] = '\0';
		bpf[0] = '\0';
	}
	if (m->nsrc > 1 && per_source_note(m, df, bpf, note, nn))
		return;
	if (has)
		snprintf(note, nn,
		         "also in the kernel as BPF (a prefilter; capscope applies the display "
		         "filter): %s",
		         esc_cstr(esc, sizeof esc, bpf));
	else
		snprintf(note, nn, "runs in capscope only: %s", why);
}

/* Tells which language text is and compiles it once: *f or *df (NULL for the empty text);
 * false with v's reason when it is neither. A display filter's placement goes to v->msg. */
static bool compile_either(const struct model *m, const char *text, struct filter_verdict *v,
                           struct filter **f, struct dfilter **df)
{
	struct filter_check bpf;
	char kernel[sizeof m->kernel_expr];

	memset(v, 0, sizeof *v);
	v->column = -1;
	v->ok = true;
	*f = NULL;
	*df = NULL;
	if (!text[0])
		return true;
	if (m->display_first && (*df = display_compile(text, v)) != NULL) {
		v->kind = FK_DISPLAY;
		display_placement(m, *df, kernel, sizeof kernel, v->msg, sizeof v->msg);
		return true;
	}
	if ((*f = filter_compile(text, filter_linktype(m), SOURCE_DEFAULT_SNAPLEN, &bpf))) {
		v->kind = FK_BPF;
		memset(v->msg, 0, sizeof v->msg); /* display_compile's reason, when it was tried */
		v->column = -1;
		return true;
	}
	if (!m->display_first && (*df = display_compile(text, v)) != NULL) {
		v->kind = FK_DISPLAY;
		display_placement(m, *df, kernel, sizeof kernel, v->msg, sizeof v->msg);
		return true;
	}
	v->ok = false;
	if (!names_a_field(text)) { /* libpcap's reason for what reads as BPF */
		snprintf(v->msg, sizeof v->msg, "%s", bpf.msg);
		v->column = bpf.column;
	}
	return false;
}

void model_check_filter(const struct model *m, const char *text, struct filter_verdict *v)
{
	struct filter *f;
	struct dfilter *df;

	compile_either(m, text, v, &f, &df);
	filter_free(f);
	dfilter_free(df);
}

/* ---- applying ---- */

void model_clear_filter(struct model *m)
{
	for (unsigned i = 0; i < MODEL_MAX_SOURCES; i++) {
		filter_free(m->if_bpf[i]);
		m->if_bpf[i] = NULL;
		m->if_bpf_none[i] = false;
	}
	filter_free(m->filter);
	dfilter_free(m->dfilter);
	m->filter = NULL;
	m->dfilter = NULL;
	m->filter_kind = FK_NONE;
	m->filter_text[0] = '\0';
	m->kernel_expr[0] = '\0';
	m->filter_note[0] = '\0';
}

/* Several sources of other link types (an Ethernet adapter and "any"): the BPF program
 * for each one's packets. One that does not compile there (a field its link layer lacks)
 * matches none of them. */
static void compile_per_source(struct model *m, const char *expr)
{
	struct filter_check chk;
	unsigned n = m->store ? store_interfaces(m->store) : 1;

	for (unsigned i = 1; i < n && i < MODEL_MAX_SOURCES; i++) {
		int lt = store_interface_linktype(m->store, i);
		if (lt == filter_linktype(m))
			continue;
		m->if_bpf[i] = filter_compile(expr, lt, SOURCE_DEFAULT_SNAPLEN, &chk);
		m->if_bpf_none[i] = !m->if_bpf[i];
	}
}

bool model_bpf_match(const struct model *m, uint64_t index, const struct pkt_hdr *h,
                     const uint8_t *data)
{
	unsigned i = store_ifidx(m->store, index);

	if (i < MODEL_MAX_SOURCES && m->if_bpf_none[i])
		return false;
	return filter_match(i < MODEL_MAX_SOURCES && m->if_bpf[i] ? m->if_bpf[i] : m->filter, h,
	                    data);
}

/* Compiles expr into the model; false with v's reason (the applied filter stays). */
static bool compile_filter(struct model *m, const char *expr, struct filter_verdict *v)
{
	struct filter *f;
	struct dfilter *df;

	if (!compile_either(m, expr, v, &f, &df))
		return false;
	model_clear_filter(m);
	m->filter = f;
	m->dfilter = df;
	m->filter_kind = v->kind;
	if (f)
		compile_per_source(m, expr);
	snprintf(m->filter_text, sizeof m->filter_text, "%s", expr);
	if (df)
		display_placement(m, df, m->kernel_expr, sizeof m->kernel_expr, m->filter_note,
		                  sizeof m->filter_note);
	return true;
}

/* An address or port from SSH_CONNECTION (untrusted): hex digits, '.', ':' only. */
static bool ssh_token_ok(const char *t, size_t n, bool port)
{
	if (n == 0 || n > 45)
		return false;
	for (size_t i = 0; i < n; i++) {
		char c = t[i];
		bool digit = c >= '0' && c <= '9';
		bool hex = digit || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
		if (port ? !digit : !(hex || c == '.' || c == ':'))
			return false;
	}
	return true;
}

bool model_ssh_init(struct model *m, const char *conn, bool exclude)
{
	char tok[4][48];
	int n = 0;

	m->ssh_filter[0] = '\0';
	m->ssh_excluded = false;
	while (conn && *conn && n < 4) {
		size_t len = strcspn(conn, " ");
		if (!ssh_token_ok(conn, len, n % 2 == 1))
			return false;
		memcpy(tok[n], conn, len);
		tok[n++][len] = '\0';
		conn += len;
		conn += strspn(conn, " ");
	}
	if (n != 4)
		return false;
	snprintf(m->ssh_filter, sizeof m->ssh_filter,
	         "not (host %s and host %s and tcp port %s and tcp port %s)", tok[0], tok[2],
	         tok[1], tok[3]);
	m->ssh_excluded = exclude;
	return true;
}

void model_ssh_toggle(struct model *m)
{
	if (!m->ssh_filter[0])
		return;
	m->ssh_excluded = !m->ssh_excluded;
	apply_kernel_filter(m);
}

bool model_set_filter(struct model *m, const char *expr, struct filter_verdict *v)
{
	if (!compile_filter(m, expr, v))
		return false;
	apply_kernel_filter(m);
	model_start_refilter(m);
	return true;
}

bool model_refilter_step(struct model *m, uint64_t budget_ns)
{
	uint64_t t0 = os_monotonic_ns(), total = m->store ? store_count(m->store) : 0;
	struct pkt_hdr h = {0};

	if (!m->refiltering)
		return false;
	while (m->refilter_next < total) {
		uint64_t i = m->refilter_next++;
		const struct store_pkt *p = store_get(m->store, i);
		char err[STORE_ERRLEN];
		if (m->filter_kind != FK_NONE && store_read(m->store, i, m->pkt, err) < 0) {
			model_set_error(m, err);
			continue;
		}
		h.caplen = p->caplen;
		h.len = p->len;
		model_show_packet(m, i, &h, m->pkt);
		if ((i & 1023) == 0 && os_monotonic_ns() - t0 > budget_ns)
			break;
	}
	m->decoded_index = UINT64_MAX; /* m->pkt was reused */
	if (m->refilter_next >= total)
		m->refiltering = false;
	return m->refiltering;
}

void model_refilter_cancel(struct model *m)
{
	/* Back to no filter: every packet held shows again, at once (from the first the spill
	 * file's ring kept); but --resolve's own lookups stay out, through the refilter path
	 * (no packet is read for them) */
	if (model_resolve_hidden_count(m) > 0) {
		model_clear_filter(m);
		apply_kernel_filter(m);
		model_start_refilter(m);
		return;
	}
	model_clear_filter(m);
	model_rows_reset(m);
	m->refiltering = false;
	m->visible_total = m->store ? store_count(m->store) : 0;
	m->rows.base = m->store ? store_first(m->store) : 0;
	m->rows.n = m->visible_total - m->rows.base;
	apply_kernel_filter(m);
}

double model_refilter_progress(const struct model *m)
{
	uint64_t total = m->store ? store_count(m->store) : 0;

	return total ? (double)m->refilter_next / (double)total : 1.0;
}

void model_set_paused(struct model *m, bool paused)
{
	if (m->paused == paused)
		return;
	m->paused = paused;
	if (!paused && m->store && m->visible_total < store_count(m->store)) {
		/* catch up with what arrived while paused, through the same refilter path */
		m->refilter_next = m->visible_total;
		m->refiltering = true;
	}
}
