/*
 * dfilter_check.c - the semantic pass over a parsed display filter (see dfilter_int.h).
 *
 * Words become catalogue fields or protocols; every value gets a type (enum field_vtype);
 * literals are converted to the type of what they are compared with, as tshark 4.0 does
 * (a literal has no type of its own: "10" is a number beside udp.port and the byte 0x10
 * beside eth.src[0]). Types that cannot be compared are errors naming both. Everything is
 * decided here, by value type and never by field name, so matching only compares.
 */
#include <string.h>

#include "decode/dfilter_int.h"

static int check_value(struct dfilter *df, int32_t i);

static struct df_node *node(struct dfilter *df, int32_t i)
{
	return &df->nodes[i];
}

/* ---- unknown names ---- */

static int unknown_name(struct dfilter *df, const struct df_node *n)
{
	const char *w = df->text + n->pos;
	const struct field_info *hint = field_key_info(field_key_suggest(w, n->len));

	if (hint)
		return df_fail(df, n->pos, "unknown field \"%.*s\" (did you mean %s?)",
		               (int)(n->len > 60 ? 60 : n->len), w, hint->name);
	return df_fail(df, n->pos, "unknown field or protocol \"%.*s\"",
	               (int)(n->len > 60 ? 60 : n->len), w);
}

/* A word that failed to convert but reads like proto.field is reported as an unknown field. */
static bool looks_like_field(const struct dfilter *df, const struct df_node *n)
{
	const char *w = df->text + n->pos;
	const char *dot = memchr(w, '.', n->len);

	return n->lit_tok == TK_WORD && dot && ((w[0] >= 'a' && w[0] <= 'z') || w[0] == '_') &&
	       proto_lookup(w, (size_t)(dot - w)) != P_NONE;
}

/* ---- names and values ---- */

static bool sliceable(unsigned vt)
{
	return vt == FV_MAC || vt == FV_IPV4 || vt == FV_IPV6 || vt == FV_BYTES ||
	       vt == FV_STRING || vt == FV_PROTOCOL;
}

static int resolve_word(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);
	const char *w = df->text + n->pos;
	enum field_key k = field_key_lookup(w, n->len);
	enum proto p = k == K_NONE ? proto_lookup(w, n->len) : P_NONE;

	if (k == K_NONE && p == P_NONE) {
		if (n->slice.on)
			return unknown_name(df, n);
		return 0; /* a literal, typed by what it meets */
	}
	n->kind = k != K_NONE ? DN_FIELD : DN_PROTO;
	n->key = (uint16_t)(k != K_NONE ? (unsigned)k : (unsigned)p);
	n->vtype = k != K_NONE ? field_key_info(k)->vtype : FV_PROTOCOL;
	if (n->slice.on && !sliceable(n->vtype))
		return df_fail(df, n->pos, "\"%.*s\" is %s and cannot be sliced", (int)n->len, w,
		               field_vtype_name(n->vtype));
	if (n->slice.on)
		n->vtype = FV_BYTES;
	return 0;
}

static int check_func(struct dfilter *df, int32_t i)
{
	static const char *const names[] = {"len", "lower", "upper", "count"};
	struct df_node *n = node(df, i);
	const char *w = df->text + n->pos;
	size_t wl = 0;
	struct df_node *arg;

	while (wl < n->len && w[wl] != '(' && w[wl] != ' ')
		wl++;
	for (n->op = 0; n->op < 4; n->op++)
		if (strlen(names[n->op]) == wl && memcmp(names[n->op], w, wl) == 0)
			break;
	if (n->op == 4)
		return df_fail(df, n->pos,
		               "unknown function \"%.*s\" (capscope has len, lower, "
		               "upper and count)",
		               (int)(wl > 40 ? 40 : wl), w);
	if (check_value(df, n->a) < 0)
		return -1;
	arg = node(df, n->a);
	if (arg->kind == DN_LIT)
		return unknown_name(df, arg);
	if (arg->kind != DN_FIELD && arg->kind != DN_PROTO)
		return df_fail(df, arg->pos, "the argument of %s() must be a field", names[n->op]);
	if ((n->op == FN_LOWER || n->op == FN_UPPER) && arg->vtype != FV_STRING)
		return df_fail(df, arg->pos, "%s() takes a string field, not %s", names[n->op],
		               field_vtype_name(arg->vtype));
	n->vtype = n->op == FN_LOWER || n->op == FN_UPPER ? FV_STRING : FV_UINT;
	return 0;
}

static bool is_int(unsigned vt)
{
	return vt == FV_UINT || vt == FV_INT || vt == FV_BOOL;
}

static int convert(struct dfilter *df, int32_t i, unsigned vt);

static int check_bitand(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);

	if (check_value(df, n->a) < 0 || check_value(df, n->b) < 0)
		return -1;
	if (node(df, n->a)->kind == DN_LIT)
		return unknown_name(df, node(df, n->a));
	if (!is_int(node(df, n->a)->vtype) && node(df, n->a)->vtype != FV_BYTES)
		return df_fail(df, n->pos, "\"&\" needs an integer or bytes, not %s",
		               field_vtype_name(node(df, n->a)->vtype));
	if (node(df, n->b)->kind != DN_LIT || convert(df, n->b, node(df, n->a)->vtype) < 0)
		return df->failed ? -1 : df_fail(df, node(df, n->b)->pos, "\"&\" needs a number");
	n->vtype = node(df, n->a)->vtype;
	return 0;
}

static int check_value(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);

	if (n->kind == DN_FUNC)
		return check_func(df, i);
	if (n->kind == DN_BITAND)
		return check_bitand(df, i);
	if (n->kind == DN_LIT && n->lit_tok == TK_WORD)
		return resolve_word(df, i);
	return 0;
}

/* ---- literals against a type ---- */

static int convert(struct dfilter *df, int32_t i, unsigned vt)
{
	struct df_node *n = node(df, i);
	int rc;

	switch (vt) {
	case FV_UINT:
	case FV_INT:
		rc = df_lit_int(df, n, &n->c);
		break;
	case FV_BOOL:
		rc = df_lit_bool(df, n, &n->c);
		break;
	case FV_MAC:
		rc = df_lit_mac(df, n, &n->c);
		break;
	case FV_IPV4:
		rc = df_lit_ipv4(df, n, &n->c);
		break;
	case FV_IPV6:
		rc = df_lit_ipv6(df, n, &n->c);
		break;
	case FV_STRING:
		rc = df_lit_string(df, n, &n->c);
		break;
	case FV_TIME:
	case FV_RELTIME:
		rc = df_lit_time(df, n, &n->c);
		break;
	default:
		rc = df_lit_bytes(df, n, &n->c);
		vt = FV_BYTES;
	}
	n->vtype = (uint8_t)vt;
	return rc;
}

/* Converts a literal for a comparison with a value of type vt; a failure that reads like
 * a misspelt field name ("tcp.srcprot") is reported as that. */
static int convert_against(struct dfilter *df, int32_t lit, unsigned vt)
{
	bool failed_before = df->failed;

	if (convert(df, lit, vt) == 0)
		return 0;
	if (!failed_before && looks_like_field(df, node(df, lit))) {
		df->failed = false;
		return unknown_name(df, node(df, lit));
	}
	return -1;
}

static unsigned family(unsigned vt)
{
	if (vt == FV_INT || vt == FV_BOOL)
		return FV_UINT;
	if (vt == FV_PROTOCOL)
		return FV_BYTES;
	return vt;
}

static int incompatible(struct dfilter *df, const struct df_node *cmp, const struct df_node *a,
                        const struct df_node *b)
{
	return df_fail(df, cmp->pos, "\"%.*s\" (%s) and \"%.*s\" (%s) cannot be compared",
	               (int)(a->len > 40 ? 40 : a->len), df->text + a->pos,
	               field_vtype_name(a->vtype), (int)(b->len > 40 ? 40 : b->len),
	               df->text + b->pos, field_vtype_name(b->vtype));
}

/* Makes b comparable with the typed value a (converting b if it is a literal). */
static int match_types(struct dfilter *df, int32_t cmp, int32_t a, int32_t b)
{
	struct df_node *na = node(df, a), *nb = node(df, b);

	if (nb->kind == DN_LIT)
		return convert_against(df, b, na->vtype);
	if (family(na->vtype) == family(nb->vtype))
		return 0;
	if (family(na->vtype) == FV_BYTES && (nb->vtype == FV_STRING || sliceable(nb->vtype)))
		return 0;
	return incompatible(df, node(df, cmp), na, nb);
}

static int check_regex(struct dfilter *df, struct df_node *cmp, struct df_node *re)
{
	struct df_const c;
	int idx;

	if (re->kind != DN_LIT || (re->lit_tok != TK_STRING && re->lit_tok != TK_RAW))
		return df_fail(df, re->pos, "\"matches\" needs a quoted regular expression");
	if (df_lit_string(df, re, &c) < 0)
		return -1;
	idx = df_regex_compile(df, re->pos, df->pool + c.off, c.n);
	if (idx < 0)
		return -1;
	cmp->c.regex = (int16_t)idx;
	re->vtype = FV_STRING;
	return 0;
}

static bool is_text(unsigned vt)
{
	return vt == FV_STRING || family(vt) == FV_BYTES || vt == FV_MAC || vt == FV_IPV4 ||
	       vt == FV_IPV6;
}

/* As in tshark 4.0, the left side of a comparison is a field or a function, never a literal. */
static int check_left(struct dfilter *df, const struct df_node *n)
{
	const struct df_node *left = node(df, n->a);

	if (left->kind != DN_LIT)
		return 0;
	if (left->lit_tok == TK_WORD &&
	    (node(df, n->b)->kind == DN_LIT || looks_like_field(df, left)))
		return unknown_name(df, left);
	return df_fail(df, left->pos,
	               "the left side of a comparison must be a field or a function, "
	               "not \"%.*s\"",
	               (int)(left->len > 40 ? 40 : left->len), df->text + left->pos);
}

static int check_cmp(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);
	const struct df_node *left;

	if (check_value(df, n->a) < 0 || check_value(df, n->b) < 0 || check_left(df, n) < 0)
		return -1;
	left = node(df, n->a);
	if ((n->op == OP_CONTAINS || n->op == OP_MATCHES) && !is_text(left->vtype))
		return df_fail(df, n->pos, "\"%s\" needs a string or bytes on its left, not %s",
		               n->op == OP_CONTAINS ? "contains" : "matches",
		               field_vtype_name(left->vtype));
	if (n->op == OP_MATCHES)
		return check_regex(df, n, node(df, n->b));
	if (n->op == OP_CONTAINS && left->vtype != FV_STRING && node(df, n->b)->kind == DN_LIT)
		return convert(df, n->b, FV_BYTES);
	return match_types(df, i, n->a, n->b);
}

static int check_in(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);

	if (check_value(df, n->a) < 0)
		return -1;
	if (node(df, n->a)->kind == DN_LIT)
		return unknown_name(df, node(df, n->a));
	for (int32_t m = n->b; m >= 0; m = node(df, m)->next) {
		struct df_node *mem = node(df, m);
		if (check_value(df, mem->a) < 0 || match_types(df, i, n->a, mem->a) < 0)
			return -1;
		if (mem->b >= 0 &&
		    (check_value(df, mem->b) < 0 || match_types(df, i, n->a, mem->b) < 0))
			return -1;
	}
	return 0;
}

int df_check(struct dfilter *df, int32_t i)
{
	struct df_node *n = node(df, i);

	switch ((enum df_kind)n->kind) {
	case DN_AND:
	case DN_OR:
		for (int32_t c = n->a; c >= 0; c = node(df, c)->next)
			if (df_check(df, c) < 0)
				return -1;
		return 0;
	case DN_NOT:
		return df_check(df, n->a);
	case DN_TEST:
		if (check_value(df, n->a) < 0)
			return -1;
		return node(df, n->a)->kind == DN_LIT ? unknown_name(df, node(df, n->a)) : 0;
	case DN_CMP:
		return check_cmp(df, i);
	case DN_IN:
		return check_in(df, i);
	default:
		return 0;
	}
}
