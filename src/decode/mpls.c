/*
 * mpls.c - MPLS label stacks (RFC 3032, traffic class RFC 5462): ethertypes 0x8847
 * (unicast) and 0x8848 (multicast), and MPLS in UDP on port 6635 (RFC 7510).
 *
 *    0                   1                   2                   3
 *   +---------------------------------------+-----+-+---------------+
 *   |                Label (20)             | TC  |S|      TTL      |
 *   +---------------------------------------+-----+-+---------------+
 *   | ... one entry per label, until S (bottom of stack) is set
 *
 * Each entry is one layer and counts one encapsulation, so a stack ends at the nesting
 * limit. The stack does not say what it carries: like tshark (and RFC 4928's advice), the
 * first nibble after the bottom entry picks IPv4 (4) or IPv6 (6); anything else is data.
 */
#include "decode/dissector.h"

#define MPLS_ENTRY_LEN 4
#define MPLS_S         0x100

/* One entry as a layer; returns false (after marking it) if it could not be read. */
static bool mpls_entry(struct dissection *d, struct cursor *c, uint32_t *entry)
{
	uint16_t layer = diss_layer(d, c, P_MPLS);
	uint32_t off = c->off;
	uint32_t e = cur_be32(c);

	if (c->truncated) {
		diss_trunc(d, layer, c);
		return false;
	}
	fld_add(d, off, 3, "Label", K_MPLS_LABEL, FT_UINT, 1, e >> 12);
	fld_add(d, off + 2, 1, "Traffic class", K_MPLS_EXP, FT_UINT, 1, (e >> 9) & 7);
	fld_add(d, off + 2, 1, "Bottom of stack", K_MPLS_BOTTOM, FT_UINT, 1, (e & MPLS_S) != 0);
	fld_add(d, off + 3, 1, "TTL", K_MPLS_TTL, FT_UINT, 1, e & 0xff);
	diss_layer_end(d, layer, c);
	*entry = e;
	return true;
}

/* tcpdump's words, one group per entry: "(label 16, tc 0, [S], ttl 255)". */
static void mpls_summary_entry(struct sbuf *b, uint32_t e)
{
	if (b->len > 0)
		sb_str(b, " ");
	sb_str(b, "(label ");
	sb_u32(b, e >> 12);
	sb_str(b, ", tc ");
	sb_u32(b, (e >> 9) & 7);
	sb_str(b, e & MPLS_S ? ", [S], ttl " : ", ttl ");
	sb_u32(b, e & 0xff);
	sb_str(b, ")");
}

/* The payload after the bottom entry, by its first nibble. */
static void mpls_payload(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct cursor peek = cur_rest(c);
	uint8_t nibble = cur_u8(&peek) >> 4;

	if (peek.truncated)
		return; /* nothing after the stack */
	if (nibble == 4)
		ipv4_dissect(d, c, plen);
	else if (nibble == 6)
		ipv6_dissect(d, c, plen);
	else
		diss_data(d, c);
}

void mpls_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	bool summary = sum_begin(d, P_MPLS);
	struct sbuf b = {0};
	uint32_t e = 0, used = 0;
	struct cursor pay;

	if (summary)
		b = sum_info(d);
	while (!(e & MPLS_S)) {
		if (!diss_nest(d, c) || !mpls_entry(d, c, &e))
			return;
		used += MPLS_ENTRY_LEN;
		if (summary)
			mpls_summary_entry(&b, e);
	}
	pay = cur_rest(c);
	mpls_payload(d, &pay, diss_plen_after(plen, used));
}
