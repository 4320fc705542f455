/*
 * dfilter_eval.c - matches one packet against a checked display filter (see dfilter.h).
 *
 * A value node yields a sequence of values (every occurrence of a field, in tree order; a
 * literal yields one). A comparison tests pairs with tshark 4.0's quantifiers: "==", "<",
 * "contains", "matches" and "in" hold if some pair does; "!=" (all_ne) and "===" if every
 * pair does and there is at least one; "any"/"all" before the relation choose explicitly.
 * Packet bytes are read only through fields whose [off, off+len) the dissector already
 * clipped to caplen (checked again here), and nothing is allocated: lower()/upper() write
 * into a buffer on the caller's stack.
 */
#include <string.h>

#include "decode/dfilter_int.h"
#include "decode/dissector.h"

/* One value: an integer (sign and magnitude), a time, or bytes compared over `bits`. */
struct dval {
	bool neg;
	uint64_t u;
	int64_t ns;
	const uint8_t *p;
	uint32_t n;
	uint32_t bits; /* significant bits of p: an address literal's prefix, else n * 8 */
	uint32_t flen; /* the field's length in the packet, for len() */
};

struct val_iter {
	const struct dfilter *df;
	const struct dissection *d;
	const struct frame_meta *m;
	int32_t node;
	uint32_t pos; /* next field index to look at */
	uint8_t *buf; /* DISS_TEXT_SIZE bytes for lower() and upper() */
};

static const struct df_node *nd(const struct dfilter *df, int32_t i)
{
	return &df->nodes[i];
}

static void set_bytes(struct dval *v, const uint8_t *p, uint32_t n)
{
	v->p = p;
	v->n = n;
	v->bits = n * 8;
	v->flen = n;
}

static int64_t epoch_ns(const struct frame_meta *m)
{
	const int64_t lim = INT64_MAX / 1000000000 - 1;

	if (m->ts_sec > lim || m->ts_sec < -lim)
		return m->ts_sec > 0 ? INT64_MAX : INT64_MIN;
	return m->ts_sec * 1000000000 + (int64_t)m->ts_nsec;
}

/* frame.* keys come from struct frame_meta; false for keys that live in the tree. */
static bool frame_value(enum field_key k, const struct frame_meta *m, struct dval *v)
{
	memset(v, 0, sizeof *v);
	switch (k) {
	case K_FRAME_NUMBER:
		v->u = m->number;
		break;
	case K_FRAME_LEN:
		v->u = m->len;
		break;
	case K_FRAME_CAP_LEN:
		v->u = m->caplen;
		break;
	case K_FRAME_TIME_EPOCH:
		v->ns = epoch_ns(m);
		break;
	case K_FRAME_TIME_RELATIVE:
		v->ns = m->rel_nsec;
		break;
	case K_FRAME_TIME_DELTA:
		v->ns = m->delta_nsec;
		break;
	case K_FRAME_INTERFACE_ID:
		if (!m->if_known)
			return false;
		v->u = m->if_id;
		break;
	case K_FRAME_INTERFACE_NAME: /* absent where the capture does not name it, as tshark */
		if (!m->if_name)
			return false;
		set_bytes(v, (const uint8_t *)m->if_name, (uint32_t)strlen(m->if_name));
		v->flen = v->n;
		return true;
	default:
		return false;
	}
	v->flen = 4;
	return true;
}

/* The value of tree field f, by its type; false if its bytes are not all captured. */
static bool field_value(const struct dissection *d, const struct field *f, unsigned vtype,
                        struct dval *v)
{
	memset(v, 0, sizeof *v);
	v->flen = f->len;
	switch ((enum field_type)f->type) {
	case FT_UINT:
	case FT_HEX:
	case FT_BOOL:
	case FT_RELTIME:
		v->u = vtype == FV_BOOL ? f->u != 0 : f->u;
		if (vtype == FV_INT && (int64_t)f->u < 0) {
			v->neg = true;
			v->u = 0 - f->u;
		}
		v->ns = (int64_t)f->u; /* time fields in the tree hold nanoseconds */
		return true;
	case FT_MSEC: /* milliseconds: a literal's unit (read as seconds) is the millisecond */
		v->ns = (int64_t)f->u > INT64_MAX / 1000 ? INT64_MAX : (int64_t)f->u * 1000;
		return true;
	case FT_STR:
		if (f->u >= DISS_TEXT_SIZE)
			return false;
		set_bytes(v, (const uint8_t *)d->text + f->u, (uint32_t)diss_text_len(d, f->u));
		return true;
	default:
		if (!fld_data(d, f))
			return false;
		set_bytes(v, fld_data(d, f), f->len);
		return true;
	}
}

/* Narrows bytes to the node's slice; false if the slice lies outside them. */
static bool apply_slice(const struct df_slice *s, struct dval *v)
{
	int64_t start = s->start < 0 ? (int64_t)v->n + s->start : s->start;
	uint32_t len = s->to_end ? (start <= (int64_t)v->n ? v->n - (uint32_t)start : 0) : s->len;

	if (!s->on)
		return true;
	if (start < 0 || start + (int64_t)len > (int64_t)v->n || (s->to_end && len == 0))
		return false;
	set_bytes(v, v->p + start, len);
	return true;
}

static bool key_matches(const struct field_info *fi, enum field_key key, uint16_t k)
{
	if (k == key)
		return true;
	for (unsigned i = 0; i < fi->nmembers && i < FIELD_MAX_MEMBERS; i++)
		if (fi->members[i] == k)
			return true;
	return false;
}

/*
 * A protocol's bytes, as tshark's protocol fields hold them: from the layer's start to the end
 * of the data it was handed (its header and payload), not only its header; the outermost
 * layer was handed the whole capture. len() of a protocol is its header's length, as there.
 */
static bool layer_value(const struct dissection *d, uint32_t i, struct dval *v)
{
	const struct field *f = &d->f[i];
	uint32_t end = f->off + f->len, lim = fld_limit(d, f);
	uint8_t alt = f->flags & FF_ALT;

	if (i <= 1)
		end = d->caplen;
	/* a layer in the alt bytes (a reassembled PDU) spans only fields in the same bytes */
	for (uint32_t k = i + 1; k < d->nf; k++)
		if ((d->f[k].flags & FF_ALT) == alt && d->f[k].off + d->f[k].len > end)
			end = d->f[k].off + d->f[k].len;
	if (f->off > lim || end > lim || !fld_data(d, f))
		return false;
	memset(v, 0, sizeof *v);
	set_bytes(v, fld_data(d, f), end - f->off);
	v->flen = f->len;
	return true;
}

/* The next occurrence of field or protocol node n, scanning the tree from it->pos. */
static bool next_occurrence(struct val_iter *it, const struct df_node *n, struct dval *v)
{
	const struct field_info *fi = n->kind == DN_FIELD ? field_key_info(n->key) : NULL;
	const struct dissection *d = it->d;

	if (fi && it->pos == 0 && frame_value((enum field_key)n->key, it->m, v)) {
		it->pos = UINT32_MAX;
		return true;
	}
	while (it->pos < d->nf) {
		uint32_t i = it->pos++;
		const struct field *f = &d->f[i];
		bool got = fi ? key_matches(fi, (enum field_key)n->key, f->key) &&
		                    field_value(d, f, fi->vtype, v)
		              : f->type == FT_LAYER &&
		                    proto_layer_is(d, (enum proto)f->proto, (enum proto)n->key) &&
		                    layer_value(d, i, v);
		if (got && apply_slice(&n->slice, v))
			return true;
	}
	return false;
}

static bool next_value(struct val_iter *it, struct dval *v);

static uint64_t count_of(const struct val_iter *it, int32_t arg)
{
	struct val_iter sub = {it->df, it->d, it->m, arg, 0, NULL};
	struct dval v;
	uint64_t k = 0;

	while (next_value(&sub, &v))
		k++;
	return k;
}

static bool next_func(struct val_iter *it, const struct df_node *n, struct dval *v)
{
	if (n->op == FN_COUNT) {
		if (it->pos++ > 0)
			return false;
		memset(v, 0, sizeof *v);
		v->u = count_of(it, n->a);
		return true;
	}
	if (!next_occurrence(it, nd(it->df, n->a), v))
		return false;
	if (n->op == FN_LEN) {
		v->u = v->p == NULL ||
		               (nd(it->df, n->a)->kind == DN_PROTO && !nd(it->df, n->a)->slice.on)
		           ? v->flen
		           : v->n;
		v->neg = false;
		return true;
	}
	for (uint32_t i = 0; i < v->n && i < DISS_TEXT_SIZE; i++) {
		uint8_t ch = v->p[i];
		it->buf[i] = n->op == FN_LOWER ? (ch >= 'A' && ch <= 'Z' ? ch + 32 : ch)
		                               : (ch >= 'a' && ch <= 'z' ? ch - 32 : ch);
	}
	set_bytes(v, it->buf, v->n < DISS_TEXT_SIZE ? v->n : DISS_TEXT_SIZE);
	return true;
}

static void const_value(const struct dfilter *df, const struct df_node *n, struct dval *v)
{
	memset(v, 0, sizeof *v);
	v->neg = n->c.neg;
	v->u = n->c.u;
	v->ns = n->c.ns;
	if (n->vtype == FV_IPV4 || n->vtype == FV_IPV6 || n->vtype == FV_MAC ||
	    n->vtype == FV_STRING || n->vtype == FV_BYTES) {
		set_bytes(v, df->pool + n->c.off, n->c.n);
		if (n->vtype == FV_IPV4 || n->vtype == FV_IPV6)
			v->bits = n->c.prefix;
	}
}

/* value & mask: integers bit by bit; bytes byte by byte (into it->buf), as long as the
 * shorter of the two. */
static void bitand_value(struct val_iter *it, const struct df_node *mask, struct dval *v)
{
	const uint8_t *m = it->df->pool + mask->c.off;
	uint32_t n = v->n < mask->c.n ? v->n : mask->c.n;

	if (v->p == NULL) {
		v->u &= mask->c.u;
		return;
	}
	for (uint32_t i = 0; i < n && i < DISS_TEXT_SIZE; i++)
		it->buf[i] = v->p[i] & m[i];
	set_bytes(v, it->buf, n < DISS_TEXT_SIZE ? n : DISS_TEXT_SIZE);
}

static bool nonzero(const struct dval *v)
{
	for (uint32_t i = 0; v->p && i < v->n; i++)
		if (v->p[i])
			return true;
	return v->p == NULL && v->u != 0;
}

static bool next_value(struct val_iter *it, struct dval *v)
{
	const struct df_node *n = nd(it->df, it->node);

	switch ((enum df_kind)n->kind) {
	case DN_FIELD:
	case DN_PROTO:
		return next_occurrence(it, n, v);
	case DN_FUNC:
		return next_func(it, n, v);
	case DN_BITAND:
		if (!next_occurrence(it, nd(it->df, n->a), v))
			return false;
		bitand_value(it, nd(it->df, n->b), v);
		return true;
	default:
		if (it->pos++ > 0)
			return false;
		const_value(it->df, n, v);
		return true;
	}
}

/* ---- comparing two values ---- */

static int cmp_int(const struct dval *a, const struct dval *b)
{
	if (a->neg != b->neg)
		return a->neg ? -1 : 1;
	if (a->u == b->u)
		return 0;
	return (a->u < b->u) != a->neg ? -1 : 1;
}

/* Bytes compared over the fewer significant bits when either side is a network prefix. */
static int cmp_bytes(const struct dval *a, const struct dval *b)
{
	uint32_t bits = a->bits < b->bits ? a->bits : b->bits;
	uint32_t full = bits / 8, n = a->n < b->n ? a->n : b->n;
	int c;

	if (a->n == b->n && bits < a->n * 8) { /* a network prefix: same-length addresses */
		if ((c = memcmp(a->p, b->p, full < n ? full : n)) != 0 || bits % 8 == 0 ||
		    full >= n)
			return c;
		uint8_t mask = (uint8_t)(0xff << (8 - bits % 8));
		return (a->p[full] & mask) < (b->p[full] & mask)   ? -1
		       : (a->p[full] & mask) > (b->p[full] & mask) ? 1
		                                                   : 0;
	}
	if ((c = memcmp(a->p, b->p, n)) != 0)
		return c;
	return a->n < b->n ? -1 : a->n > b->n ? 1 : 0;
}

static int cmp_values(unsigned vtype, const struct dval *a, const struct dval *b)
{
	if (vtype == FV_UINT || vtype == FV_INT || vtype == FV_BOOL)
		return cmp_int(a, b);
	if (vtype == FV_TIME || vtype == FV_RELTIME)
		return a->ns < b->ns ? -1 : a->ns > b->ns ? 1 : 0;
	return cmp_bytes(a, b);
}

static bool contains(const struct dval *hay, const struct dval *needle)
{
	if (needle->n == 0)
		return true;
	for (uint32_t i = 0; needle->n <= hay->n && i <= hay->n - needle->n; i++)
		if (hay->p[i] == needle->p[0] && memcmp(hay->p + i, needle->p, needle->n) == 0)
			return true;
	return false;
}

static bool test_pair(const struct dfilter *df, const struct df_node *cmp, unsigned vtype,
                      const struct dval *a, const struct dval *b)
{
	/* tshark 4.0: a negative number never equals nor orders against an unsigned field */
	if (vtype == FV_UINT && (a->neg || b->neg))
		return cmp->op == OP_ALL_NE || cmp->op == OP_ANY_NE;
	switch ((enum df_op)cmp->op) {
	case OP_EQ:
	case OP_ALL_EQ:
		return cmp_values(vtype, a, b) == 0;
	case OP_ALL_NE:
	case OP_ANY_NE:
		return cmp_values(vtype, a, b) != 0;
	case OP_LT:
		return cmp_values(vtype, a, b) < 0;
	case OP_GT:
		return cmp_values(vtype, a, b) > 0;
	case OP_LE:
		return cmp_values(vtype, a, b) <= 0;
	case OP_GE:
		return cmp_values(vtype, a, b) >= 0;
	case OP_CONTAINS:
		return contains(a, b);
	case OP_MATCHES:
		return df_regex_match(df->regex[cmp->c.regex], a->p, a->n);
	}
	return false;
}

static bool quant_all(const struct df_node *n)
{
	if (n->quant != Q_DEFAULT)
		return n->quant == Q_ALL;
	return n->kind == DN_CMP && (n->op == OP_ALL_NE || n->op == OP_ALL_EQ);
}

/* Does value a pass against the right side (every or some right value)? */
static bool against_right(const struct val_iter *proto, const struct df_node *cmp, bool all,
                          unsigned vtype, const struct dval *a)
{
	uint8_t buf[DISS_TEXT_SIZE];
	struct val_iter r = *proto;
	struct dval b;
	bool any = false;

	r.node = cmp->b;
	r.pos = 0;
	r.buf = buf;
	while (next_value(&r, &b)) {
		bool ok = test_pair(proto->df, cmp, vtype, a, &b);
		if (ok && !all)
			return true;
		if (!ok && all)
			return false;
		any = true;
	}
	return all && any;
}

static bool in_member(const struct val_iter *proto, const struct df_node *mem, unsigned vtype,
                      const struct dval *a)
{
	uint8_t buf[DISS_TEXT_SIZE];
	struct val_iter r = *proto;
	struct dval lo, hi;

	r.node = mem->a;
	r.pos = 0;
	r.buf = buf;
	while (next_value(&r, &lo)) {
		struct val_iter h = {proto->df, proto->d, proto->m, mem->b, 0, buf};
		if (mem->b < 0 && cmp_values(vtype, a, &lo) == 0)
			return true;
		if (mem->b >= 0 && cmp_values(vtype, a, &lo) >= 0 && next_value(&h, &hi) &&
		    cmp_values(vtype, a, &hi) <= 0)
			return true;
	}
	return false;
}

static bool in_set(const struct val_iter *proto, const struct df_node *n, unsigned vtype,
                   const struct dval *a)
{
	for (int32_t m = n->b; m >= 0; m = nd(proto->df, m)->next)
		if (in_member(proto, nd(proto->df, m), vtype, a))
			return true;
	return false;
}

static bool eval_relation(const struct dfilter *df, const struct df_node *n,
                          const struct dissection *d, const struct frame_meta *m)
{
	uint8_t buf[DISS_TEXT_SIZE];
	struct val_iter l = {df, d, m, n->a, 0, buf};
	unsigned vtype = nd(df, n->a)->vtype;
	bool all = quant_all(n), seen = false;
	struct dval a;

	while (next_value(&l, &a)) {
		bool ok = n->kind == DN_IN    ? in_set(&l, n, vtype, &a)
		          : n->kind == DN_CMP ? against_right(&l, n, all, vtype, &a)
		                              : nd(df, n->a)->kind != DN_BITAND || nonzero(&a);
		if (ok && !all)
			return true;
		if (!ok && all)
			return false;
		seen = true;
	}
	return all && seen;
}

bool df_eval(const struct dfilter *df, int32_t i, const struct dissection *d,
             const struct frame_meta *m)
{
	const struct df_node *n = nd(df, i);

	switch ((enum df_kind)n->kind) {
	case DN_TRUE:
		return true;
	case DN_AND:
		for (int32_t c = n->a; c >= 0; c = nd(df, c)->next)
			if (!df_eval(df, c, d, m))
				return false;
		return true;
	case DN_OR:
		for (int32_t c = n->a; c >= 0; c = nd(df, c)->next)
			if (df_eval(df, c, d, m))
				return true;
		return false;
	case DN_NOT:
		return !df_eval(df, n->a, d, m);
	default:
		return eval_relation(df, n, d, m);
	}
}
