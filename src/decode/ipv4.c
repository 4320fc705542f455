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
			fld_add(d, off, 1, "Option: End of Option List", K_IP_OPT_TYPE, FT_UINT, 2,
			        type);
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
		fld_add(d, off, len, type == 1 ? "Option: No-Operation" : "Option", K_IP_OPT_TYPE,
		        FT_UINT, 2, type);
		if (type != 1)
			fld_add(d, off + 1, 1, "Length", K_IP_OPT_LEN, FT_UINT, 3, len);
	}
}

/* sum_info_later()'s formatter: info_arg[0] the protocol, [1] the fragment offset field. */
static void ipv4_info(struct dissection *d)
{
	uint32_t proto = d->sum.info_arg[0], frag = d->sum.info_arg[1];
	struct sbuf b = sum_info(d);

	if (frag) {
		sb_str(&b, "fragment offset ");
		sb_u32(&b, frag * 8u);
		sb_str(&b, ", ");
	}
	sb_str(&b, "proto ");
	sb_u32(&b, proto);
}

static void ipv4_summary(struct dissection *d, const uint8_t *src, const uint8_t *dst,
                         uint8_t proto, uint16_t frag)
{
	if (!sum_begin(d, P_IPV4))
		return;
	sum_addrs(d, P_IPV4, src, dst);
	sum_info_later(d, ipv4_info, proto, frag);
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

/* The DS field and its two parts (RFC 2474, RFC 3168), as tshark's ip.dsfield.dscp. */
static void ipv4_dsfield(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint8_t ds = (uint8_t)fld_hex(d, c, 1, 2, "Differentiated services", K_IP_DSFIELD, 1);

	if (c->truncated)
		return;
	fld_add(d, off, 1, "DSCP", K_IP_DSFIELD_DSCP, FT_UINT, 2, ds >> 2);
	fld_add(d, off, 1, "ECN", K_IP_DSFIELD_ECN, FT_UINT, 2, ds & 3);
}

/* The flags and fragment offset word. */
static uint16_t ipv4_flags(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint16_t fl = cur_be16(c);

	if (c->truncated)
		return 0;
	d->f[fld_add(d, off, 1, "Flags", K_IP_FLAGS, FT_HEX, 1, fl >> 13)].width = 2;
	fld_add(d, off, 1, "Reserved bit", K_IP_FLAGS_RB, FT_BOOL, 2, (fl >> 15) & 1);
	fld_add(d, off, 1, "Don't fragment", K_IP_FLAGS_DF, FT_BOOL, 2, (fl >> 14) & 1);
	fld_add(d, off, 1, "More fragments", K_IP_FLAGS_MF, FT_BOOL, 2, (fl >> 13) & 1);
	fld_add(d, off, 2, "Fragment offset", K_IP_FRAG_OFFSET, FT_UINT, 1, fl & 0x1fff);
	return fl;
}

/* Version, IHL, TOS: returns the header length in bytes (0 after marking it invalid). */
static uint32_t ipv4_first(struct dissection *d, struct cursor *c, uint16_t layer)
{
	uint32_t off = c->off;
	uint8_t vihl = cur_u8(c);

	if (c->truncated)
		return 0;
	fld_add(d, off, 1, "Version", K_IP_VERSION, FT_UINT, 1, vihl >> 4);
	if (vihl >> 4 != 4) {
		diss_invalid(d, layer, off, 1, "Bad version", "ip.version", vihl >> 4);
		return 0;
	}
	fld_add(d, off, 1, "Header length", K_IP_HDR_LEN, FT_UINT, 1, (vihl & 15) * 4u);
	if ((vihl & 15) < 5) {
		diss_invalid(d, layer, off, 1, "Bad header length", "ip.hdr_len", vihl & 15);
		return 0;
	}
	ipv4_dsfield(d, c);
	return (vihl & 15) * 4u;
}

/* The fixed header's values; src and dst point into the packet. */
struct ipv4_fixed {
	uint32_t tot; /* the total length taken (ipv4_total()) */
	uint16_t fl;  /* flags and fragment offset */
	uint8_t proto;
	const uint8_t *src, *dst;
};

/* The fixed header read field by field (each recorded in a tree): returns the header length,
 * 0 when it is cut or invalid (marked so, nothing more to decode). */
static uint32_t ipv4_fixed_fields(struct dissection *d, struct cursor *c, uint16_t layer,
                                  uint32_t plen, struct ipv4_fixed *h)
{
	uint32_t hdr = ipv4_first(d, c, layer);

	if (hdr == 0) {
		if (c->truncated)
			diss_trunc(d, layer, c);
		return 0;
	}
	h->tot = ipv4_total(d, c, plen);
	fld_hex(d, c, 2, 4, "Identification", K_IP_ID, 1);
	h->fl = ipv4_flags(d, c);
	fld_u8(d, c, "Time to live", K_IP_TTL, 1);
	h->proto = fld_u8(d, c, "Protocol", K_IP_PROTO, 1);
	fld_hex(d, c, 2, 4, "Header checksum", K_IP_CHECKSUM, 1);
	h->src = fld_addr(d, c, FT_IPV4, "Source", K_IP_SRC, 1);
	h->dst = fld_addr(d, c, FT_IPV4, "Destination", K_IP_DST, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return 0;
	}
	return hdr;
}

/* ipv4_fixed_fields() for a summary (no field is recorded) of a header that is not quoted
 * and was captured whole, nearly every one: one bounds check for all its reads, the same
 * values and verdicts on the version and header length. */
static uint32_t ipv4_fixed_summary(struct dissection *d, struct cursor *c, uint16_t layer,
                                   uint32_t plen, struct ipv4_fixed *h)
{
	uint32_t start = c->off;
	const uint8_t *p = cur_take(c, IPV4_MIN_HDR);
	uint16_t tot = (uint16_t)(p[2] << 8 | p[3]);

	if (p[0] >> 4 != 4 || (p[0] & 15) < 5) {
		c->off = start + 1; /* where ipv4_first() stops */
		if (p[0] >> 4 != 4)
			diss_invalid(d, layer, start, 1, "Bad version", "ip.version", p[0] >> 4);
		else
			diss_invalid(d, layer, start, 1, "Bad header length", "ip.hdr_len",
			             p[0] & 15);
		return 0;
	}
	h->tot = tot ? tot : plen == DISS_PLEN_UNKNOWN ? 0 : plen;
	h->fl = (uint16_t)(p[6] << 8 | p[7]);
	h->proto = p[9];
	h->src = p + 12;
	h->dst = p + 16;
	return (p[0] & 15) * 4u;
}

void ipv4_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint32_t tot, wire, hdr, start = c->off;
	struct cursor opts, pay, peek = cur_rest(c);
	struct ipv4_fixed h = {0};
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
	if (!d->tree && !d->quoted && !c->truncated && cur_has(c, IPV4_MIN_HDR))
		hdr = ipv4_fixed_summary(d, c, layer, plen, &h);
	else
		hdr = ipv4_fixed_fields(d, c, layer, plen, &h);
	if (hdr == 0)
		return;
	tot = wire = h.tot;
	fl = h.fl;
	proto = h.proto;
	ipv4_summary(d, h.src, h.dst, proto, fl & 0x1fff);
	if (tot < hdr) {
		diss_invalid(d, layer, start + 2, 2, "Bad total length", "ip.len", tot);
		return;
	}
	/* More than the frame held on the wire (a capture cut is not this: plen counts the
	 * wire length): the length lies. Marked, then the bytes that exist are decoded, as
	 * tcpdump ("truncated-ip - N bytes missing!") and tshark do. A quoted header is cut
	 * by design. */
	if (!d->quoted && plen != DISS_PLEN_UNKNOWN && tot > plen) {
		diss_invalid(d, layer, start + 2, 2, "Total length beyond the frame", "ip.len",
		             tot);
		wire = plen > hdr
		           ? plen
		           : hdr; /* what follows is as long as the frame was, as tshark takes it */
	}
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
		diss_ipproto(d, &pay, proto, fl & 0x2000 ? DISS_PLEN_UNKNOWN : wire - hdr);
}
