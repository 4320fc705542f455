/*
 * dfilter_bpf.c - a sound BPF prefilter for a display filter (see dfilter.h): a live capture
 * installs it in the kernel, which drops packets the display filter would drop anyway;
 * capscope still applies the display filter to what the kernel passes.
 *
 * Display filters see every layer capscope decodes (VLAN tags, MPLS, PPPoE, GRE, ERSPAN,
 * VXLAN, IP in IP, the packet an ICMP error quotes), BPF's primitives only fixed offsets, so
 * the prefilter P is an over-approximation: display filter keeps a packet => P keeps it.
 * Each node gets S (keeps at least what the node keeps) and I (keeps at most that):
 *   A && B: S = S(A) and S(B), I = I(A) and I(B);   A || B: likewise with or;
 *   !A: S = not I(A), I = not S(A);   a relation: dfilter_bpf_leaf.c.
 * A relation's S is often "S_outer or T" (T: the packet holds a layer BPF does not reach); S
 * carries T as a flag so that `ip.src == X && udp` gives "(ip src host X and udp) or T" with
 * T once. The constants true and false are simplified away; a final S of true means there is
 * no prefilter. Texts are allocated per node and bounded by DF_BPF_MAX: past it, S becomes
 * true and I false, which stays sound.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dfilter_int.h"

#define DF_BPF_MAX 16384

/* kind (enum df_bpf_kind) with its text when BK_TEXT; for S, t adds "or T". */
struct ap {
	uint8_t k;
	bool t;
	char *s;
};

struct walk {
	const struct dfilter *df;
	int linktype;
	const char *T; /* NULL: the link type has no T (only frame.len relations reach BPF) */
	char why[200];
};

static struct ap ap_const(uint8_t k)
{
	return (struct ap){k, false, NULL};
}

/* Takes text (malloc'ed or NULL): NULL or too long becomes the sound fallback kind. */
static struct ap ap_take(char *text, uint8_t fallback)
{
	if (!text || strlen(text) > DF_BPF_MAX) {
		free(text);
		return ap_const(fallback);
	}
	return (struct ap){BK_TEXT, false, text};
}

static char *cat3(const char *a, const char *b, const char *c)
{
	size_t na = strlen(a), nb = strlen(b), nc = strlen(c);
	char *s = na + nb + nc <= DF_BPF_MAX ? malloc(na + nb + nc + 1) : NULL;

	if (s) {
		memcpy(s, a, na);
		memcpy(s + na, b, nb);
		memcpy(s + na + nb, c, nc + 1);
	}
	return s;
}

static struct ap ap_copy(const char *text, uint8_t fallback)
{
	return ap_take(cat3("", text, ""), fallback);
}

/* S with its T written out (t cleared). */
static void materialize(const struct walk *w, struct ap *s)
{
	char *x;

	if (s->t && s->k == BK_FALSE) {
		*s = ap_copy(w->T, BK_TRUE);
	} else if (s->t && s->k == BK_TEXT) {
		x = cat3(s->s, " or ", w->T);
		free(s->s);
		*s = ap_take(x ? cat3("(", x, ")") : NULL, BK_TRUE);
		free(x);
	}
	s->t = false;
}

static struct ap negate(struct ap a, uint8_t fallback)
{
	bool paren = a.k == BK_TEXT && a.s[0] == '(';
	char *x;

	if (a.k != BK_TEXT)
		return ap_const(a.k == BK_TRUE ? BK_FALSE : BK_TRUE);
	x = cat3(paren ? "not " : "not (", a.s, paren ? "" : ")");
	free(a.s);
	return ap_take(x, fallback);
}

/* Joins m parts (consumed) with and/or; the absorbing constant wins, the neutral one drops. */
static struct ap join(struct ap *p, int m, bool and, uint8_t fallback)
{
	uint8_t absorb = and? BK_FALSE : BK_TRUE;
	size_t len = 2;
	int texts = 0, k;
	char *x;

	for (k = 0; k < m && p[k].k != absorb; k++)
		if (p[k].k == BK_TEXT)
			len += strlen(p[k].s) + 5, texts++;
	if (k < m || texts < 2 || len > DF_BPF_MAX || !(x = malloc(len + 1))) {
		uint8_t kind = k < m        ? absorb
		               : texts == 0 ? (and? BK_TRUE : BK_FALSE)
		               : texts == 1 ? BK_TEXT
		                            : fallback;
		struct ap r = ap_const(kind);
		for (k = 0; k < m; k++)
			if (kind != absorb && texts == 1 && p[k].k == BK_TEXT)
				r = p[k];
			else
				free(p[k].s);
		return r;
	}
	strcpy(x, "(");
	for (k = 0; k < m; k++) {
		if (p[k].k == BK_TEXT)
			strcat(strcat(x, x[1] ? (and? " and " : " or ") : ""), p[k].s);
		free(p[k].s);
	}
	return ap_take(strcat(x, ")"), fallback);
}

/* S of and/or over m children: (a0 or T) and (b0 or T) is (a0 and b0) or T when every child
 * carries T, and or always collects T; otherwise each child's T is written where it is. */
static struct ap combine_s(const struct walk *w, struct ap *p, int m, bool and)
{
	bool all_t = true, any_t = false;
	struct ap r;

	for (int k = 0; k < m; k++)
		if (p[k].k != BK_TRUE)
			all_t &= p[k].t, any_t |= p[k].t;
	for (int k = 0; k < m; k++) {
		if (and&&!all_t)
			materialize(w, &p[k]);
		p[k].t = false;
	}
	r = join(p, m, and, BK_TRUE);
	r.t = r.k != BK_TRUE && any_t && (all_t || !and);
	return r;
}

static void approx(struct walk *w, int32_t i, struct ap *s, struct ap *in);

static void and_or(struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	int m = 0, k = 0;
	struct ap *ps, *pi;

	for (int32_t c = n->a; c >= 0; c = w->df->nodes[c].next)
		m++;
	ps = calloc((size_t)m, sizeof *ps);
	pi = calloc((size_t)m, sizeof *pi);
	*s = ap_const(BK_TRUE);
	*in = ap_const(BK_FALSE);
	if (ps && pi) {
		for (int32_t c = n->a; c >= 0; c = w->df->nodes[c].next, k++)
			approx(w, c, &ps[k], &pi[k]);
		*s = combine_s(w, ps, m, n->kind == DN_AND);
		*in = join(pi, m, n->kind == DN_AND, BK_FALSE);
	}
	free(ps);
	free(pi);
}

/* Records the first reason a relation has no tighter S than "keep all". */
static void note(struct walk *w, const struct df_node *n, const char *reason)
{
	if (!w->why[0])
		snprintf(w->why, sizeof w->why, "\"%.*s\" %s", (int)(n->len > 60 ? 60 : n->len),
		         w->df->text + n->pos, reason);
}

static void from_leaf(const struct df_bpf_leaf *l, struct ap *s, struct ap *in)
{
	*s = l->s == BK_TEXT ? ap_copy(l->s_text, BK_TRUE) : ap_const(l->s);
	s->t = l->nested && s->k != BK_TRUE;
	*in = l->i == BK_TEXT ? ap_copy(l->i_text, BK_FALSE) : ap_const(l->i);
}

/* ---- frame.len: an interval of lengths; BPF's len is frame.len minus [0, slack] ---- */

#define LEN_INF UINT64_MAX

static struct ap len_text(uint64_t lo, uint64_t hi, uint8_t fallback)
{
	char t[64];

	if (lo > hi || lo > UINT32_MAX)
		return ap_const(BK_FALSE);
	if (hi >= UINT32_MAX)
		hi = LEN_INF;
	if (lo == 0 && hi == LEN_INF)
		return ap_const(BK_TRUE);
	if (lo == 0 || hi == LEN_INF || lo == hi)
		snprintf(t, sizeof t, "len %s %llu",
		         lo == hi  ? "=="
		         : lo == 0 ? "<="
		                   : ">=",
		         (unsigned long long)(lo == 0 ? hi : lo));
	else
		snprintf(t, sizeof t, "(len >= %llu and len <= %llu)", (unsigned long long)lo,
		         (unsigned long long)hi);
	return ap_copy(t, fallback);
}

static void len_interval(const struct walk *w, uint64_t lo, uint64_t hi, struct ap *s,
                         struct ap *in)
{
	unsigned slack = df_bpf_len_slack(w->linktype);

	*s = len_text(lo > slack ? lo - slack : 0, hi, BK_TRUE);
	*in = hi == LEN_INF      ? len_text(lo, hi, BK_FALSE)
	      : hi - lo >= slack ? len_text(lo, hi - slack, BK_FALSE)
	                         : ap_const(BK_FALSE);
}

static bool len_cmp(const struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	const struct df_node *r = &w->df->nodes[n->b];
	uint64_t v = r->c.u;
	bool ne = n->op == OP_ALL_NE || n->op == OP_ANY_NE;

	if (r->kind != DN_LIT || n->op > OP_GE)
		return false;
	if (r->c.neg) { /* tshark 4.0: a negative number never equals nor orders */
		*s = *in = ap_const(ne ? BK_TRUE : BK_FALSE);
		return true;
	}
	if (n->op == OP_LT && v == 0) {
		*s = *in = ap_const(BK_FALSE);
		return true;
	}
	len_interval(w,
	             n->op == OP_GT                     ? v + 1
	             : n->op == OP_LT || n->op == OP_LE ? 0
	                                                : v,
	             n->op == OP_LT                     ? v - 1
	             : n->op == OP_GT || n->op == OP_GE ? LEN_INF
	                                                : v,
	             s, in);
	if (ne) { /* one occurrence: != is not == */
		struct ap eq_s = *s;
		materialize(w, &eq_s);
		*s = negate(*in, BK_TRUE);
		*in = negate(eq_s, BK_FALSE);
	}
	return true;
}

static bool len_in(const struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	struct ap ps[2], pi[2];

	*s = ap_const(BK_FALSE);
	*in = ap_const(BK_FALSE);
	for (int32_t m = n->b; m >= 0; m = w->df->nodes[m].next) {
		const struct df_node *lo = &w->df->nodes[w->df->nodes[m].a];
		const struct df_node *hi =
		    w->df->nodes[m].b >= 0 ? &w->df->nodes[w->df->nodes[m].b] : lo;
		if (lo->kind != DN_LIT || hi->kind != DN_LIT || lo->c.neg || hi->c.neg) {
			free(s->s);
			free(in->s);
			return false;
		}
		ps[0] = *s, pi[0] = *in;
		len_interval(w, lo->c.u, hi->c.u, &ps[1], &pi[1]);
		*s = join(ps, 2, false, BK_TRUE);
		*in = join(pi, 2, false, BK_FALSE);
	}
	return true;
}

static bool frame_len(const struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	if (n->kind == DN_TEST) {
		*s = *in = ap_const(BK_TRUE);
		return true;
	}
	return n->kind == DN_CMP ? len_cmp(w, n, s, in) : n->kind == DN_IN && len_in(w, n, s, in);
}

/* ---- relations on other fields ---- */

/* S and I of "left == right" (or "left in {...}") on the outer headers, if BPF has it. */
static bool eq_form(const struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	const struct dfilter *df = w->df;
	const struct df_node *left = &df->nodes[n->a];
	struct ap ps[2], pi[2];
	struct df_bpf_leaf *l = malloc(sizeof *l);
	bool ok = l != NULL;

	*s = ap_const(BK_FALSE);
	*in = ap_const(BK_FALSE);
	if (ok && n->kind == DN_CMP)
		ok = (n->op == OP_EQ || n->op == OP_ALL_NE) && n->quant != Q_ALL &&
		     df_bpf_field_eq(df, left, &df->nodes[n->b], NULL, w->linktype, l);
	if (ok && n->kind == DN_CMP)
		from_leaf(l, s, in);
	for (int32_t m = n->b; ok && n->kind == DN_IN && m >= 0; m = df->nodes[m].next) {
		const struct df_node *mem = &df->nodes[m];
		ok = n->quant != Q_ALL &&
		     df_bpf_field_eq(df, left, &df->nodes[mem->a],
		                     mem->b >= 0 ? &df->nodes[mem->b] : NULL, w->linktype, l);
		if (!ok)
			break;
		ps[0] = *s, pi[0] = *in;
		from_leaf(l, &ps[1], &pi[1]);
		*s = combine_s(w, ps, 2, false);
		*in = join(pi, 2, false, BK_FALSE);
	}
	ok = ok && (n->kind == DN_CMP || n->kind == DN_IN);
	if (!ok)
		free(s->s), free(in->s);
	free(l);
	return ok;
}

static void relation(struct walk *w, const struct df_node *n, struct ap *s, struct ap *in)
{
	const struct df_node *left = &w->df->nodes[n->a];
	struct df_bpf_leaf *p;
	struct ap es, ei, both[2];
	bool gave_up;

	*s = ap_const(BK_TRUE);
	*in = ap_const(BK_FALSE);
	if (left->kind == DN_FIELD && left->key == K_FRAME_LEN && !left->slice.on) {
		if (!frame_len(w, n, s, in))
			note(w, n, "has no BPF form");
		return;
	}
	if (left->kind == DN_FUNC || left->kind == DN_LIT || !(p = malloc(sizeof *p))) {
		note(w, left, "has no BPF form");
		return;
	}
	df_bpf_presence(w->df, left, w->linktype, p);
	gave_up = p->why != NULL;
	if (gave_up)
		note(w, left, p->why);
	if (!(n->kind == DN_TEST && left->kind == DN_PROTO))
		p->i = BK_FALSE; /* presence does not imply a comparison */
	from_leaf(p, s, in);
	free(p);
	if (gave_up || !eq_form(w, n, &es, &ei))
		return;
	if (n->kind == DN_CMP && n->op == OP_ALL_NE) { /* present, and no occurrence equal */
		free(es.s);
		both[0] = *s;
		both[1] = negate(ei, BK_TRUE);
		*s = combine_s(w, both, 2, true);
		return;
	}
	free(s->s);
	free(in->s);
	*s = es;
	*in = ei;
}

static void approx(struct walk *w, int32_t i, struct ap *s, struct ap *in)
{
	const struct df_node *n = &w->df->nodes[i];
	struct ap cs, ci;

	switch ((enum df_kind)n->kind) {
	case DN_TRUE:
		*s = *in = ap_const(BK_TRUE);
		return;
	case DN_AND:
	case DN_OR:
		and_or(w, n, s, in);
		return;
	case DN_NOT:
		approx(w, n->a, &cs, &ci);
		materialize(w, &cs);
		*s = negate(ci, BK_TRUE);
		*in = negate(cs, BK_FALSE);
		return;
	default:
		relation(w, n, s, in);
		return;
	}
}

bool dfilter_to_bpf(const struct dfilter *df, int linktype, char *out, size_t outlen)
{
	struct walk w = {df, linktype, df_bpf_nested(linktype), ""};
	struct ap s, in;

	if (outlen == 0)
		return false;
	approx(&w, df->root, &s, &in);
	free(in.s);
	if (!w.T && s.t) { /* no T on this link type: anything nested could match */
		free(s.s);
		s = ap_const(BK_TRUE);
	}
	materialize(&w, &s);
	if (s.k == BK_TRUE) {
		snprintf(out, outlen, "%s",
		         w.why[0] ? w.why : "the prefilter would keep every packet");
		return false;
	}
	if (s.k == BK_TEXT && strlen(s.s) >= outlen) {
		snprintf(out, outlen, "the prefilter would be longer than %zu bytes", outlen - 1);
		free(s.s);
		return false;
	}
	snprintf(out, outlen, "%s", s.k == BK_TEXT ? s.s : "len < 0"); /* false: keeps nothing */
	free(s.s);
	return true;
}
