/*
 * udp.c - User Datagram Protocol (RFC 768).
 *
 *    0      7 8     15 16    23 24    31
 *   +--------+--------+--------+--------+
 *   |   Source Port   | Destination Port|
 *   +--------+--------+--------+--------+
 *   |     Length      |    Checksum     |
 *   +--------+--------+--------+--------+
 * The length covers header and data: below 8 it is a lie (the layer stops); beyond the IP
 * payload it is marked and the payload is what the IP payload holds (tshark decodes that);
 * otherwise it narrows the window handed to the payload.
 */
#include "decode/dissector.h"

#define UDP_HDR_LEN 8

/* sum_info_later()'s formatter: info_arg[0] is the length. */
static void udp_info(struct dissection *d)
{
	struct sbuf b = sum_info(d);

	sb_str(&b, "length ");
	sb_u32(&b, d->sum.info_arg[0]);
}

static void udp_summary(struct dissection *d, uint16_t sport, uint16_t dport, uint32_t len)
{
	if (!sum_begin(d, P_UDP))
		return;
	sum_ports(d, P_UDP, sport, dport);
	sum_info_later(d, udp_info, len, 0);
}

void udp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_UDP);
	uint32_t start = c->off;
	uint16_t sport, dport, len;
	struct cursor pay;

	sport = fld_u16(d, c, "Source port", K_UDP_SRCPORT, 1);
	dport = fld_u16(d, c, "Destination port", K_UDP_DSTPORT, 1);
	if (!c->truncated && d->quoted == 0)
		sum_ports(d, P_UDP, sport, dport);
	len = fld_u16(d, c, "Length", K_UDP_LENGTH, 1);
	fld_hex(d, c, 2, 4, "Checksum", K_UDP_CHECKSUM, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		/* cut by the IP length with the frame's bytes still there (padding): tshark's UDP
		 * item keeps the header's 8 bytes */
		if (start + UDP_HDR_LEN <= d->caplen)
			d->f[layer].len = UDP_HDR_LEN;
		return;
	}
	diss_layer_end(d, layer, c);
	udp_summary(d, sport, dport, len >= UDP_HDR_LEN ? len - UDP_HDR_LEN : 0);
	/* tshark 4.0 stops at a length below 8 before it numbers the datagram (a cut header
	 * too); a length past the IP payload is marked but numbered (tests/gen udpn-badlen) */
	if (!d->quoted)
		d->sum.udp_ok = len >= UDP_HDR_LEN || (len == 0 && d->sum.net == P_IPV6);
	bool jumbo = len == 0 && d->sum.net == P_IPV6 && plen != DISS_PLEN_UNKNOWN;
	if (len < UDP_HDR_LEN || (plen != DISS_PLEN_UNKNOWN && len > plen)) {
		diss_invalid(d, layer, start + 4, 2, "Bad length", "udp.length", len);
		if (len < UDP_HDR_LEN && !jumbo)
			return;
	}
	/* tshark still decodes (and follows) a datagram longer than the IP payload: the bytes
	 * there are (the window stops at them), as it does an IPv6 jumbogram's length 0 */
	pay = jumbo ? cur_rest(c) : diss_window(c, len - UDP_HDR_LEN);
	sum_payload(d, &pay);
	if (cur_left(&pay) > 0)
		fld_add(d, pay.off, cur_left(&pay), "Payload", K_UDP_PAYLOAD, FT_BYTES, 1, 0);
	if (len == UDP_HDR_LEN) /* tshark hands an empty datagram to no port dissector */
		return;
	uint32_t plen_pay = jumbo ? cur_left(&pay) : (uint32_t)len - UDP_HDR_LEN;
	/* tshark tries its UDP heuristics (QUIC) after the port table */
	if (!diss_port(d, &pay, P_UDP, sport, dport, plen_pay) && !quic_heur(d, &pay, plen_pay))
		diss_data(d, &pay);
}
