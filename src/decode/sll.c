/*
 * sll.c - Linux "cooked" capture headers, v1 (DLT_LINUX_SLL) and v2 (DLT_LINUX_SLL2).
 * https://www.tcpdump.org/linktypes/LINKTYPE_LINUX_SLL.html and ..._SLL2.html
 *
 *   SLL (16 bytes)                         SLL2 (20 bytes)
 *   +-----------------+-----------------+  +-----------------+-----------------+
 *   | packet type (2) | ARPHRD type (2) |  | protocol (2)    | reserved (2)    |
 *   +-----------------+-----------------+  +-----------------+-----------------+
 *   | addr length (2) | address (8) ... |  | interface index (4)               |
 *   +-----------------+-----------------+  +-----------------+--------+--------+
 *   | ... address     | protocol (2)    |  | ARPHRD type (2) | pkttyp | alen   |
 *   +-----------------+-----------------+  +-----------------+--------+--------+
 *                                          | address (8)                       |
 *                                          +-----------------------------------+
 * The protocol is an EtherType for the usual hardware types; Linux's small values
 * (1 = Novell 802.3, 4 = 802.2 LLC, ...) find no table row and become data.
 */
#include "decode/dissector.h"

#define SLL_HDR_LEN       16
#define SLL2_HDR_LEN      20
#define SLL_ADDR_LEN      8
#define SLL_MIN_ETHERTYPE 0x0600

/* The 8-byte address slot: alen bytes of address (a 6-byte one is a MAC, others raw bytes),
 * then the unused rest. */
static void sll_addr(struct dissection *d, struct cursor *c, uint32_t alen)
{
	uint32_t used = alen < SLL_ADDR_LEN ? alen : SLL_ADDR_LEN;

	if (!cur_has(c, SLL_ADDR_LEN)) {
		fld_bytes(d, c, SLL_ADDR_LEN, "Address", K_SLL_SRC_OTHER, 1); /* truncates */
		return;
	}
	if (used == 6)
		fld_addr(d, c, FT_MAC, "Source", K_SLL_SRC_ETH, 1);
	else if (used > 0)
		fld_bytes(d, c, used, "Address", K_SLL_SRC_OTHER, 1);
	if (used < SLL_ADDR_LEN)
		fld_bytes(d, c, SLL_ADDR_LEN - used, "Unused", K_SLL_UNUSED, 1);
}

#define ARPHRD_IPGRE 778 /* GRE over IP: tshark names the protocol sll.gretype */

/* The protocol: tshark's sll.etype when it is an EtherType (Linux's small values are not),
 * sll.gretype on a GRE tunnel device. */
static uint16_t sll_protocol(struct dissection *d, struct cursor *c, uint16_t hatype)
{
	uint16_t v;

	if (cur_peek_be16(c, c->off, &v) && v < SLL_MIN_ETHERTYPE)
		return (uint16_t)fld_hex(d, c, 2, 4, "Protocol", K_NONE, 1);
	return (uint16_t)fld_hex(d, c, 2, 4, "Protocol",
	                         hatype == ARPHRD_IPGRE ? K_SLL_GRETYPE : K_SLL_ETYPE, 1);
}

/* Ends the header: on truncation marks it, else hands the payload on by protocol. */
static void sll_handoff(struct dissection *d, struct cursor *c, uint16_t layer, uint16_t proto,
                        uint32_t plen, uint32_t hdr)
{
	struct cursor pay;

	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	if (sum_begin(d, (enum proto)d->f[layer].proto)) {
		struct sbuf b = sum_info(d);
		sb_str(&b, "protocol ");
		sb_hex(&b, proto, 4);
	}
	pay = cur_rest(c);
	diss_ethertype(d, &pay, proto, plen > hdr ? plen - hdr : 0);
}

void sll_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_SLL);
	uint16_t alen, proto, hatype;

	fld_u16(d, c, "Packet type", K_SLL_PKTTYPE, 1);
	hatype = fld_u16(d, c, "Link-layer address type", K_SLL_HATYPE, 1);
	alen = fld_u16(d, c, "Link-layer address length", K_SLL_HALEN, 1);
	sll_addr(d, c, alen);
	proto = sll_protocol(d, c, hatype);
	sll_handoff(d, c, layer, proto, plen, SLL_HDR_LEN);
}

void sll2_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_SLL2);
	uint16_t proto, hatype = 0;
	uint8_t alen;

	cur_peek_be16(c, c->off + 8, &hatype); /* the device type comes after the protocol */
	proto = sll_protocol(d, c, hatype);
	fld_u16(d, c, "Reserved", K_NONE, 1);
	fld_u32(d, c, "Interface index", K_SLL_IFINDEX, 1);
	fld_u16(d, c, "Link-layer address type", K_SLL_HATYPE, 1);
	fld_u8(d, c, "Packet type", K_SLL_PKTTYPE, 1);
	alen = fld_u8(d, c, "Link-layer address length", K_SLL_HALEN, 1);
	sll_addr(d, c, alen);
	sll_handoff(d, c, layer, proto, plen, SLL2_HDR_LEN);
}
