/*
 * ipv6.c - Internet Protocol version 6 (RFC 8200) and its extension-header chain.
 *
 *    0                   1                   2                   3
 *   +-------+---------------+---------------------------------------+
 *   |Version| Traffic Class |           Flow Label                  |
 *   +-------+---------------+-------+---------------+---------------+
 *   |         Payload Length        |  Next Header  |   Hop Limit   |
 *   +-------------------------------+---------------+---------------+
 *   |                  Source Address (16)                          |
 *   |                  Destination Address (16)                     |
 *   +---------------------------------------------------------------+
 * Extension headers: hop-by-hop (0), routing (43), destination options (60) are
 * (len+1)*8 bytes, AH (51) is (len+2)*4, fragment (44) is 8; 59 means nothing follows.
 * The payload length narrows the window; a payload length of 0 is taken at its word (an
 * empty payload, as tshark and tcpdump do) unless a hop-by-hop header may carry a jumbo
 * length (RFC 2675), in which case the captured rest is used.
 */
#include "decode/dissector.h"

#define IPV6_HDR_LEN 40
#define IPV6_MAX_EXT                                                                               \
	128 /* headers walked before giving up (tshark has no limit; each is >= 8 bytes) */

enum { NH_HOP = 0, NH_ROUTING = 43, NH_FRAG = 44, NH_AH = 51, NH_NONE = 59, NH_DSTOPTS = 60 };

/* Each extension header's title and the tshark keys of its first two bytes and its length in
 * bytes (ipv6.hopopts.len_oct); the fragment header's second byte is reserved. */
struct ext_row {
	uint8_t nh;
	const char *name;
	enum field_key nxt, len, len_oct;
};

static const struct ext_row ext_rows[] = {
    {NH_HOP, "Hop-by-Hop Options", K_IPV6_HOPOPTS_NXT, K_IPV6_HOPOPTS_LEN, K_IPV6_HOPOPTS_LEN_OCT},
    {NH_ROUTING, "Routing Header", K_IPV6_ROUTING_NXT, K_IPV6_ROUTING_LEN, K_IPV6_ROUTING_LEN_OCT},
    {NH_FRAG, "Fragment Header", K_IPV6_FRAGHDR_NXT, K_IPV6_FRAGHDR_RESERVED_OCTET, K_NONE},
    {NH_AH, "Authentication Header", K_AH_NEXT_HEADER, K_AH_LENGTH, K_NONE},
    {NH_DSTOPTS, "Destination Options", K_IPV6_DSTOPTS_NXT, K_IPV6_DSTOPTS_LEN,
     K_IPV6_DSTOPTS_LEN_OCT},
};

static const struct ext_row *ext_row(uint8_t nh)
{
	for (size_t i = 0; i < sizeof ext_rows / sizeof ext_rows[0]; i++)
		if (ext_rows[i].nh == nh)
			return &ext_rows[i];
	return NULL;
}

/* The fragment header after its first two bytes: offset, flags and identification; returns
 * whether this is a later fragment (offset above 0). */
static bool frag_fields(struct dissection *d, struct cursor *h)
{
	uint32_t off = h->off;
	uint16_t w = cur_be16(h);

	if (h->truncated)
		return false;
	fld_add(d, off, 2, "Fragment offset", K_IPV6_FRAGHDR_OFFSET, FT_UINT, 2, w >> 3);
	fld_add(d, off, 2, "Reserved bits", K_IPV6_FRAGHDR_RESERVED_BITS, FT_UINT, 2, (w >> 1) & 3);
	fld_add(d, off, 2, "More fragments", K_IPV6_FRAGHDR_MORE, FT_BOOL, 2, w & 1);
	fld_hex(d, h, 4, 8, "Identification", K_IPV6_FRAGHDR_IDENT, 2);
	return (w >> 3) != 0;
}

/*
 * One extension header at p's position; `left` is what the payload length still declares.
 * Returns its length, or 0 after marking the layer; *next gets its next header and *frag
 * whether it is a non-first fragment.
 */
static uint32_t ext_dissect(struct dissection *d, struct cursor *p, uint16_t layer, uint8_t nh,
                            uint32_t left, uint8_t *next, bool *frag)
{
	struct cursor h = *p; /* reads the fixed part; p then skips the whole header */
	const struct ext_row *row = ext_row(nh);
	uint16_t node = fld_add(d, p->off, 0, row->name, K_NONE, FT_TEXT, 1, nh);
	uint32_t len;
	uint8_t hl;

	*next = fld_u8(d, &h, "Next header", row->nxt, 2);
	if (nh == NH_FRAG)
		hl = (uint8_t)fld_hex(d, &h, 1, 2, "Reserved", row->len, 2);
	else
		hl = fld_u8(d, &h, "Length", row->len, 2);
	if (h.truncated) {
		diss_trunc(d, layer, &h);
		return 0;
	}
	len = nh == NH_FRAG ? 8 : nh == NH_AH ? (hl + 2u) * 4 : (hl + 1u) * 8;
	if (len > left) {
		diss_invalid(d, layer, p->off, 2, "Bad extension header length", "ipv6.ext_len",
		             len);
		return 0;
	}
	if (row->len_oct != K_NONE)
		fld_add(d, h.off - 1, 1, "Length in bytes", row->len_oct, FT_UINT, 2, len);
	if (nh == NH_FRAG)
		*frag = frag_fields(d, &h);
	else if (nh == NH_ROUTING) {
		fld_u8(d, &h, "Type", K_IPV6_ROUTING_TYPE, 2);
		fld_u8(d, &h, "Segments left", K_IPV6_ROUTING_SEGLEFT, 2);
	}
	if (!cur_skip(p, len)) {
		diss_trunc(d, layer, p);
		return 0;
	}
	d->f[node].len = len;
	return len;
}

static void ipv6_summary(struct dissection *d, const uint8_t *src, const uint8_t *dst, uint8_t nh)
{
	struct sbuf b;

	if (!sum_begin(d, P_IPV6))
		return;
	sum_addrs(d, P_IPV6, src, dst);
	b = sum_info(d);
	sb_str(&b, "proto ");
	sb_u32(&b, nh);
}

/* Walks the extension headers, then hands the rest to the transport. */
static void ipv6_chain(struct dissection *d, struct cursor *p, uint16_t layer, uint8_t nh,
                       uint32_t left, const uint8_t *addrs)
{
	bool frag = false, first_frag = false;

	for (int n = 0; ext_row(nh); n++) {
		uint32_t len;

		if (n == IPV6_MAX_EXT) {
			diss_invalid(d, layer, p->off, 0, "Too many extension headers",
			             "ipv6.ext_count", n + 1);
			return;
		}
		/* a later fragment breaks out below; an atomic one (offset 0, no more fragments,
		 * RFC 6946) is no fragment to tshark 4.0: its transport keeps the length declared
		 */
		uint16_t offm;
		if (nh == NH_FRAG && (!cur_peek_be16(p, p->off + 2, &offm) || (offm & 1)))
			first_frag = true;
		len = ext_dissect(d, p, layer, nh, left, &nh, &frag);
		if (len == 0)
			return;
		left -= len;
		if (frag)
			break;
	}
	ipv6_summary(d, addrs, addrs + 16, nh);
	if (frag || nh == NH_NONE) /* tshark shows bytes after "no next header" as data */
		diss_data(d, p);
	else
		diss_ipproto(d, p, nh, first_frag ? DISS_PLEN_UNKNOWN : left);
}

/* Traffic class (with its DSCP and ECN) and flow label, shown with tshark's widths. */
static void ipv6_vtf(struct dissection *d, uint32_t off, uint32_t vtf)
{
	uint8_t tc = (vtf >> 20) & 0xff;

	d->f[fld_add(d, off, 4, "Traffic class", K_IPV6_TCLASS, FT_HEX, 1, tc)].width = 8;
	fld_add(d, off, 4, "DSCP", K_IPV6_TCLASS_DSCP, FT_UINT, 2, tc >> 2);
	fld_add(d, off, 4, "ECN", K_IPV6_TCLASS_ECN, FT_UINT, 2, tc & 3);
	d->f[fld_add(d, off + 1, 3, "Flow label", K_IPV6_FLOW, FT_HEX, 1, vtf & 0xfffff)].width = 6;
}

void ipv6_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint32_t off = c->off, vtf;
	uint16_t layer, paylen;
	const uint8_t *addrs;
	struct cursor p;
	uint8_t nh;

	if (!diss_nest(d, c))
		return;
	layer = diss_layer(d, c, P_IPV6);
	vtf = cur_be32(c);
	if (!c->truncated) {
		fld_add(d, off, 1, "Version", K_IPV6_VERSION, FT_UINT, 1, vtf >> 28);
		fld_add(d, off, 1, "IP version", K_IP_VERSION, FT_UINT, 2, vtf >> 28);
		if (vtf >> 28 != 6) {
			diss_invalid(d, layer, off, 1, "Bad version", "ipv6.version", vtf >> 28);
			return;
		}
		ipv6_vtf(d, off, vtf);
	}
	paylen = fld_u16(d, c, "Payload length", K_IPV6_PLEN, 1);
	nh = fld_u8(d, c, "Next header", K_IPV6_NXT, 1);
	fld_u8(d, c, "Hop limit", K_IPV6_HLIM, 1);
	addrs = fld_addr(d, c, FT_IPV6, "Source", K_IPV6_SRC, 1);
	fld_addr(d, c, FT_IPV6, "Destination", K_IPV6_DST, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	ipv6_summary(d, addrs, addrs + 16, nh);
	/* A payload beyond the frame's wire length lies (see ipv4.c): marked, then decoded. */
	if (!d->quoted && plen != DISS_PLEN_UNKNOWN && IPV6_HDR_LEN + (uint32_t)paylen > plen)
		diss_invalid(d, layer, off + 4, 2, "Payload length beyond the frame", "ipv6.plen",
		             paylen);
	if (paylen == 0 && nh == NH_HOP) {
		p = cur_rest(c);
		ipv6_chain(d, &p, layer, nh, cur_left(&p), addrs);
	} else {
		p = diss_window(c, paylen);
		ipv6_chain(d, &p, layer, nh, paylen, addrs);
	}
}
