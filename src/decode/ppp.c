/*
 * ppp.c - the PPP frame carried by PPPoE sessions and by PPTP's GRE (ethertype 0x880b):
 * RFC 1661, with RFC 1662's HDLC-like address and control fields.
 *
 *   +-----------+-----------+-------------------+-------------
 *   | addr 0xff | ctrl 0x03 | protocol (2 or 1) | information
 *   +-----------+-----------+-------------------+-------------
 *
 * Address and control are there in HDLC-like framing (PPTP) and absent in PPPoE (RFC 2516)
 * or after address-and-control compression. Reading them when the frame starts ff 03 is
 * unambiguous: a protocol field cannot start so (0x00ff, the only candidate, is reserved as
 * "compression inefficient"). A first protocol octet that is odd is a one-octet compressed
 * field (RFC 1661 6.5). IPv4 and IPv6 go on through the ethertype table; the rest is data.
 */
#include "decode/dissector.h"

#define PPP_ADDR 0xff
#define PPP_CTRL 0x03

struct ppp_proto {
	uint16_t proto;
	uint16_t ethertype; /* 0: not handed on */
	const char *name;
};

static const struct ppp_proto ppp_protos[] = {
    {0x0021, 0x0800, "IPv4"}, {0x0057, 0x86dd, "IPv6"}, {0x0281, 0, "MPLS"},
    {0x8021, 0, "IPCP"},      {0x8057, 0, "IPv6CP"},    {0x80fd, 0, "CCP"},
    {0xc021, 0, "LCP"},       {0xc023, 0, "PAP"},       {0xc223, 0, "CHAP"},
};

static const struct ppp_proto *ppp_find(uint16_t proto)
{
	for (size_t i = 0; i < sizeof(ppp_protos) / sizeof(ppp_protos[0]); i++)
		if (ppp_protos[i].proto == proto)
			return &ppp_protos[i];
	return NULL;
}

/* "LCP (0xc021)", or "proto 0x1234" for a number without a name here. */
static void ppp_summary(struct dissection *d, uint16_t proto, const struct ppp_proto *known)
{
	struct sbuf b;

	if (!sum_begin(d, P_PPP))
		return;
	b = sum_info(d);
	if (known) {
		sb_str(&b, known->name);
		sb_str(&b, " (");
		sb_hex(&b, proto, 4);
		sb_str(&b, ")");
	} else {
		sb_str(&b, "proto ");
		sb_hex(&b, proto, 4);
	}
}

/* The protocol field, two octets or one compressed; 0 after a failed read. */
static uint16_t ppp_protocol(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	struct cursor peek = cur_rest(c);
	uint8_t first = cur_u8(&peek);
	uint16_t proto, i;

	if (peek.truncated || !(first & 1))
		return (uint16_t)fld_hex(d, c, 2, 4, "Protocol", K_PPP_PROTOCOL, 1);
	proto = cur_u8(c);
	i = fld_add(d, off, 1, "Protocol (compressed)", K_PPP_PROTOCOL, FT_HEX, 1, proto);
	d->f[i].width = 4;
	return proto;
}

void ppp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_PPP);
	uint32_t start = c->off;
	const struct ppp_proto *known;
	uint16_t proto, lead;
	struct cursor pay;

	if (cur_peek_be16(c, c->off, &lead) && lead == (PPP_ADDR << 8 | PPP_CTRL)) {
		fld_hex(d, c, 1, 2, "Address", K_PPP_ADDRESS, 1);
		fld_hex(d, c, 1, 2, "Control", K_PPP_CONTROL, 1);
	}
	proto = ppp_protocol(d, c);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	known = ppp_find(proto);
	ppp_summary(d, proto, known);
	pay = cur_rest(c);
	if (known && known->ethertype)
		diss_ethertype(d, &pay, known->ethertype, diss_plen_after(plen, c->off - start));
	else
		diss_data(d, &pay);
}
