/*
 * ipv4.c - Internet Protocol version 4 (RFC 791).
 *
 *    0                   1                   2                   3
 *   +-------+-------+---------------+-------------------------------+
 *   |Version|  IHL  |      TOS      |          Total Length         |
 *   +-------+-------+---------------+-----+-------------------------+
 *   |         Identification        |Flags|     Fragment Offset     |
 *   +---------------+---------------+-----+-------------------------+
 *   |  Time to Live |    Protocol   |        Header Checksum        |
 *   +---------------+---------------+-------------------------------+
 *   |                       Source Address                          |
 *   |                    Destination Address                        |
 *   |                    Options (IHL*4 - 20 bytes)                 |
 *   +---------------------------------------------------------------+
 * The total length narrows the payload window (Ethernet padding is not payload). Only the
 * first fragment (offset 0) is handed to the transport: later ones start mid-header.
 */
#include "decode/dissector.h"

#define IPV4_MIN_HDR  20
#define IPV4_MAX_OPTS 40 /* IHL is 4 bits: at most 40 bytes of options */

/* Walks the options (RFC 791 3.1): a bad length ends the walk, not the layer. */
static void ipv4_options(struct dissection *d, struct cursor *o, uint16_t layer)
{
	for (int n = 0; n < IPV4_MAX_OPTS && cur_left(o) > 0; n++) {
		uint32_t off = o->off;
		uint8_t type = cur_u8(o);
		uint8_t len = 1;

		if (type == 0) { /* end of option list */
			fld_add(d, off, 1, "Option: End of Option List", K_NONE, FT_UINT, 2, type);
			return;
		}
		if (type != 1) {
			len = cur_u8(o);
			if (o->truncated || len < 2 || len - 2u > cur_left(o)) {
				diss_invalid(d, layer, off, 1, "Option length", "ip.opt.len", len);
				return;
			}
			cur_skip(o, len - 2u);
		}
		fld_add(d, off, len, type == 1 ? "Option: No-Operation" : "Option", K_NONE, FT_UINT,
		        2, type);
	}
}

static void ipv4_summary(struct dissection *d, const uint8_t *src, const uint8_t *dst,
                         uint8_t proto, uint16_t frag)
{
	struct sbuf b;

	if (!sum_begin(d, P_IPV4))
		return;
	sum_addrs(d, P_IPV4, src, dst);
	b = sum_info(d);
	if (frag) {
		sb_str(&b, "fragment offset ");
		sb_u32(&b, frag * 8u);
		sb_str(&b, ", ");
	}
	sb_str(&b, "proto ");
	sb_u32(&b, proto);
}

/*
 * Total length. 0 is what TCP segmentation offload leaves in captured packets: like tshark,
 * take the length the layer below declared instead (and show that value).
 */
static uint32_t ipv4_total(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint32_t off = c->off;
	uint16_t tot = cur_be16(c);
	uint32_t v = tot ? tot : plen == DISS_PLEN_UNKNOWN ? 0 : plen;

	if (c->truncated)
		return 0;
	fld_add(d, off, 2, "Total length", K_IP_LEN, FT_UINT, 1, v);
	return v;
}

/* Version, IHL, TOS: returns the header length in bytes (0 after marking it invalid). */
static uint32_t ipv4_first(struct dissection *d, struct cursor *c, uint16_t layer)
{
	uint32_t off = c->off;
	uint8_t vihl = cur_u8(c);

	if (c->truncated)
		return 0;
	fld_add(d, off, 1, "Version", K_NONE, FT_UINT, 1, vihl >> 4);
	if (vihl >> 4 != 4) {
		diss_invalid(d, layer, off, 1, "Bad version", "ip.version", vihl >> 4);
		return 0;
	}
	fld_add(d, off, 1, "Header length", K_NONE, FT_UINT, 1, (vihl & 15) * 4u);
	if ((vihl & 15) < 5) {
		diss_invalid(d, layer, off, 1, "Bad header length", "ip.hdr_len", vihl & 15);
		return 0;
	}
	fld_hex(d, c, 1, 2, "Differentiated services", K_NONE, 1);
	return (vihl & 15) * 4u;
}

void ipv4_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint32_t tot, hdr, start = c->off;
	struct cursor opts, pay, peek = cur_rest(c);
	const uint8_t *src, *dst;
	uint16_t layer, fl;
	uint8_t proto;

	if (cur_u8(&peek) >> 4 == 6) {
		/* IPv6 behind an IPv4 type: tshark decodes it as IPv6, so do we. */
		ipv6_dissect(d, c, plen);
		return;
	}
	if (!diss_nest(d, c))
		return;
	layer = diss_layer(d, c, P_IPV4);
	hdr = ipv4_first(d, c, layer);
	if (hdr == 0) {
		if (c->truncated)
			diss_trunc(d, layer, c);
		return;
	}
	tot = ipv4_total(d, c, plen);
	fld_hex(d, c, 2, 4, "Identification", K_NONE, 1);
	fl = cur_be16(c);
	if (!c->truncated) {
		uint16_t i = fld_add(d, c->off - 2, 1, "Flags", K_NONE, FT_HEX, 1, fl >> 13);
		d->f[i].width = 2;
		fld_add(d, c->off - 2, 2, "Fragment offset", K_IP_FRAG_OFFSET, FT_UINT, 1,
		        fl & 0x1fff);
	}
	fld_u8(d, c, "Time to live", K_IP_TTL, 1);
	proto = fld_u8(d, c, "Protocol", K_IP_PROTO, 1);
	fld_hex(d, c, 2, 4, "Header checksum", K_NONE, 1);
	src = fld_addr(d, c, FT_IPV4, "Source", K_IP_SRC, 1);
	dst = fld_addr(d, c, FT_IPV4, "Destination", K_IP_DST, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	ipv4_summary(d, src, dst, proto, fl & 0x1fff);
	if (tot < hdr) {
		diss_invalid(d, layer, start + 2, 2, "Bad total length", "ip.len", tot);
		return;
	}
	/* More than the frame held on the wire (a capture cut is not this: plen counts the
	 * wire length): the length lies. Marked, then the bytes that exist are decoded, as
	 * tcpdump ("truncated-ip - N bytes missing!") and tshark do. A quoted header is cut
	 * by design. */
	if (!d->quoted && plen != DISS_PLEN_UNKNOWN && tot > plen)
		diss_invalid(d, layer, start + 2, 2, "Total length beyond the frame", "ip.len",
		             tot);
	opts = diss_window(c, hdr - IPV4_MIN_HDR);
	if (!cur_skip(c, hdr - IPV4_MIN_HDR)) {
		diss_trunc(d, layer, c);
		return;
	}
	ipv4_options(d, &opts, layer);
	diss_layer_end(d, layer, c);
	pay = diss_window(c, tot - hdr);
	if (fl & 0x1fff)
		diss_data(d, &pay);
	else
		diss_ipproto(d, &pay, proto, fl & 0x2000 ? DISS_PLEN_UNKNOWN : tot - hdr);
}
