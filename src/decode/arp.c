/*
 * arp.c - Address Resolution Protocol (RFC 826), any hardware and protocol address length.
 *
 *   +-----------------+-----------------+--------+--------+-----------------+
 *   | hw type (2)     | proto type (2)  | hlen   | plen   | opcode (2)      |
 *   +-----------------+-----------------+--------+--------+-----------------+
 *   | sender hw (hlen) | sender proto (plen) | target hw (hlen) | target proto (plen) |
 *   +------------------------------------------------------------------------+
 * Lengths come from the packet (up to 255 each); every address is read through the cursor,
 * so a lying length ends in truncation, never in an over-read.
 */
#include "decode/dissector.h"

#define ARP_REQUEST 1
#define ARP_REPLY   2

/* The keys of one address: tshark's arp.src.hw_mac when it is a MAC, arp.src.hw otherwise. */
struct arp_keys {
	enum field_key typed, raw;
};

static const struct arp_keys arp_keys[4] = {
    {K_ARP_SRC_HW_MAC, K_ARP_SRC_HW},
    {K_ARP_SRC_PROTO_IPV4, K_ARP_SRC_PROTO},
    {K_ARP_DST_HW_MAC, K_ARP_DST_HW},
    {K_ARP_DST_PROTO_IPV4, K_ARP_DST_PROTO},
};

/* Address i (sender hw, sender proto, target hw, target proto): a MAC or IPv4 when the
 * lengths say so, raw bytes otherwise. */
static const uint8_t *arp_addr(struct dissection *d, struct cursor *c, uint8_t n, bool ipv4,
                               const char *label, int i)
{
	if (n == 6 && !ipv4)
		return fld_addr(d, c, FT_MAC, label, arp_keys[i].typed, 1);
	if (n == 4 && ipv4)
		return fld_addr(d, c, FT_IPV4, label, arp_keys[i].typed, 1);
	return fld_bytes(d, c, n, label, arp_keys[i].raw, 1);
}

/* "who-has 10.0.0.2 tell 10.0.0.1" / "reply 10.0.0.2 is-at aa:bb:..." for Ethernet/IPv4. */
static void arp_summary(struct dissection *d, uint16_t op, const uint8_t *a[4], bool eth_ip)
{
	struct sbuf b;

	if (!sum_begin(d, P_ARP))
		return;
	b = sum_info(d);
	if (eth_ip && op == ARP_REQUEST) {
		sb_str(&b, "who-has ");
		sb_ipv4(&b, a[3]);
		sb_str(&b, " tell ");
		sb_ipv4(&b, a[1]);
	} else if (eth_ip && op == ARP_REPLY) {
		sb_str(&b, "reply ");
		sb_ipv4(&b, a[1]);
		sb_str(&b, " is-at ");
		sb_mac(&b, a[0]);
	} else {
		sb_str(&b, "opcode ");
		sb_u32(&b, op);
	}
}

void arp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ARP);
	uint16_t htype, ptype, op;
	uint8_t hlen, plen8;
	const uint8_t *a[4];
	bool ipv4;

	(void)plen;
	htype = fld_u16(d, c, "Hardware type", K_ARP_HW_TYPE, 1);
	ptype = (uint16_t)fld_hex(d, c, 2, 4, "Protocol type", K_ARP_PROTO_TYPE, 1);
	hlen = fld_u8(d, c, "Hardware size", K_ARP_HW_SIZE, 1);
	plen8 = fld_u8(d, c, "Protocol size", K_ARP_PROTO_SIZE, 1);
	op = fld_u16(d, c, "Opcode", K_ARP_OPCODE, 1);
	ipv4 = ptype == 0x0800;
	a[0] = c->truncated ? NULL : arp_addr(d, c, hlen, false, "Sender hardware address", 0);
	a[1] = c->truncated ? NULL : arp_addr(d, c, plen8, ipv4, "Sender protocol address", 1);
	a[2] = c->truncated ? NULL : arp_addr(d, c, hlen, false, "Target hardware address", 2);
	a[3] = c->truncated ? NULL : arp_addr(d, c, plen8, ipv4, "Target protocol address", 3);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	arp_summary(d, op, a, htype == 1 && hlen == 6 && ipv4 && plen8 == 4);
}
