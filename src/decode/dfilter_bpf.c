/*
 * dfilter_bpf.c - the exact BPF equivalent of a display filter, when there is one (see
 * dfilter.h), so a live capture can drop in the kernel what the filter would drop anyway.
 *
 * Exact means BPF keeps a packet if and only if the display filter does. Display filters see
 * every layer capscope decodes: ip.addr, tcp.port, eth.src and every protocol also match
 * inside VLAN tags, MPLS, PPPoE, GRE, VXLAN, ERSPAN, IP in IP and the packet an ICMP error
 * quotes, at offsets BPF's fixed-offset primitives ("ip host", "tcp port", "udp") do not
 * follow; translating those would drop packets the display filter keeps. What BPF and the
 * display filter see alike is the frame itself: frame.len (BPF's `len`, the length on the
 * wire) in any comparison or set, the frame protocol, and and/or/not over those. Everything
 * else gives none, with the first reason found.
 */
#include <stdio.h>
#include <string.h>

#include "decode/dfilter_int.h"

struct bpf_text {
	char *p;
	size_t n, cap;
	bool full;
};

static void put(struct bpf_text *b, const char *s)
{
	size_t len = strlen(s);

	if (b->n + len + 1 > b->cap) {
		b->full = true;
		return;
	}
	memcpy(b->p + b->n, s, len + 1);
	b->n += len;
}

static void put_u64(struct bpf_text *b, uint64_t v)
{
	char num[24];

	snprintf(num, sizeof num, "%llu", (unsigned long long)v);
	put(b, num);
}

static bool none(char *why, size_t whylen, const struct dfilter *df, const struct df_node *n,
                 const char *reason)
{
	snprintf(why, whylen, "\"%.*s\" %s", (int)(n->len > 60 ? 60 : n->len), df->text + n->pos,
	         reason);
	return false;
}

static bool is_frame_len(const struct df_node *n)
{
	return n->kind == DN_FIELD && n->key == K_FRAME_LEN && !n->slice.on;
}

/* A frame.len constant BPF can hold: no sign, 32 bits. */
static bool len_const(const struct df_node *n)
{
	return n->kind == DN_LIT && !n->c.neg && n->c.u <= UINT32_MAX;
}

static const char *const bpf_ops[] = {
    [OP_EQ] = " == ", [OP_ALL_NE] = " != ", [OP_ALL_EQ] = " == ", [OP_ANY_NE] = " != ",
    [OP_LT] = " < ",  [OP_GT] = " > ",      [OP_LE] = " <= ",     [OP_GE] = " >= ",
};

static bool member(const struct dfilter *df, const struct df_node *m, struct bpf_text *b)
{
	const struct df_node *lo = &df->nodes[m->a];

	if (!len_const(lo) || (m->b >= 0 && !len_const(&df->nodes[m->b])))
		return false;
	put(b, m->b >= 0 ? "(len >= " : "len == ");
	put_u64(b, lo->c.u);
	if (m->b >= 0) {
		put(b, " and len <= ");
		put_u64(b, df->nodes[m->b].c.u);
		put(b, ")");
	}
	return true;
}

static bool in_set(const struct dfilter *df, const struct df_node *n, struct bpf_text *b)
{
	put(b, "(");
	for (int32_t m = n->b; m >= 0; m = df->nodes[m].next) {
		if (!member(df, &df->nodes[m], b))
			return false;
		if (df->nodes[m].next >= 0)
			put(b, " or ");
	}
	put(b, ")");
	return true;
}

/* One relation on the frame: frame.len compared with numbers, or the frame protocol alone. */
static bool relation(const struct dfilter *df, const struct df_node *n, struct bpf_text *b,
                     char *why, size_t whylen)
{
	const struct df_node *left = &df->nodes[n->a];

	if (left->kind == DN_PROTO && left->key == P_FRAME && !left->slice.on &&
	    n->kind == DN_TEST) {
		put(b, "len >= 0");
		return true;
	}
	if (!is_frame_len(left))
		return none(
		    why, whylen, df, left,
		    left->kind == DN_FIELD && left->key >= K_FRAME_NUMBER &&
		            left->key <= K_FRAME_CAP_LEN
		        ? "is not visible to BPF"
		        : "can also match inside VLAN tags, tunnels and ICMP-quoted packets, "
		          "which BPF does not follow");
	if (n->kind == DN_TEST) {
		put(b, "len >= 0");
		return true;
	}
	if (n->kind == DN_IN && in_set(df, n, b))
		return true;
	if (n->kind == DN_CMP && n->op <= OP_GE && len_const(&df->nodes[n->b])) {
		put(b, "len");
		put(b, bpf_ops[n->op]);
		put_u64(b, df->nodes[n->b].c.u);
		return true;
	}
	return none(why, whylen, df, n, "has no exact BPF form");
}

static bool translate(const struct dfilter *df, int32_t i, struct bpf_text *b, char *why,
                      size_t whylen)
{
	const struct df_node *n = &df->nodes[i];

	switch ((enum df_kind)n->kind) {
	case DN_TRUE:
		put(b, "len >= 0");
		return true;
	case DN_AND:
	case DN_OR:
		put(b, "(");
		for (int32_t c = n->a; c >= 0; c = df->nodes[c].next) {
			if (!translate(df, c, b, why, whylen))
				return false;
			if (df->nodes[c].next >= 0)
				put(b, n->kind == DN_AND ? " and " : " or ");
		}
		put(b, ")");
		return true;
	case DN_NOT:
		put(b, "not (");
		if (!translate(df, n->a, b, why, whylen))
			return false;
		put(b, ")");
		return true;
	default:
		return relation(df, n, b, why, whylen);
	}
}

bool dfilter_to_bpf(const struct dfilter *df, int linktype, char *out, size_t outlen)
{
	struct bpf_text b = {out, 0, outlen, false};
	char why[160] = "";

	(void)linktype; /* `len` is the wire length on every link type */
	if (outlen == 0)
		return false;
	out[0] = '\0';
	if (translate(df, df->root, &b, why, sizeof why) && !b.full)
		return true;
	snprintf(out, outlen, "%s", b.full ? "the BPF text would be too long" : why);
	return false;
}
