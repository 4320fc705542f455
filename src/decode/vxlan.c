/*
 * vxlan.c - Virtual eXtensible Local Area Network (RFC 7348), UDP port 4789.
 *
 *    0                   1                   2                   3
 *   +-+-+-+-+-+-+-+-+-----------------------------------------------+
 *   |R|R|R|R|I|R|R|R|                 Reserved (24)                 |
 *   +---------------+-----------------------------------------------+
 *   |          VXLAN Network Identifier (VNI, 24)   | Reserved (8)  |
 *   +-----------------------------------------------+---------------+
 *   | inner Ethernet frame
 *
 * The flags are read as 16 bits, as tshark does (vxlan.flags 0x0800 has the I bit): the
 * second byte is reserved in RFC 7348 and used by extensions. A clear I bit makes the VNI
 * meaningless to a receiver, but the frame inside is still decoded, as tshark and tcpdump do.
 */
#include "decode/dissector.h"

#define VXLAN_HDR_LEN 8
#define VXLAN_I       0x0800 /* VNI valid, in the 16-bit flags word */

/* tcpdump's words: "flags [I] (0x08), vni 100". */
static void vxlan_summary(struct dissection *d, uint16_t flags, uint32_t vni)
{
	struct sbuf b;

	if (!sum_begin(d, P_VXLAN))
		return;
	b = sum_info(d);
	sb_str(&b, flags & VXLAN_I ? "flags [I] (" : "flags [none] (");
	sb_hex(&b, flags >> 8, 2);
	sb_str(&b, "), vni ");
	sb_u32(&b, vni);
}

void vxlan_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_VXLAN);
	uint32_t off, vni_word;
	uint16_t flags;
	struct cursor pay;

	flags = (uint16_t)fld_hex(d, c, 2, 4, "Flags", K_VXLAN_FLAGS, 1);
	if (!c->truncated)
		fld_add(d, c->off - 2, 2, "VNI valid (I)", K_VXLAN_FLAG_I, FT_BOOL, 2,
		        (flags & VXLAN_I) != 0);
	fld_u16(d, c, "Reserved", K_NONE, 1);
	off = c->off;
	vni_word = cur_be32(c);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	fld_add(d, off, 3, "VNI", K_VXLAN_VNI, FT_UINT, 1, vni_word >> 8);
	fld_add(d, off + 3, 1, "Reserved", K_VXLAN_RESERVED8, FT_UINT, 1, vni_word & 0xff);
	diss_layer_end(d, layer, c);
	vxlan_summary(d, flags, vni_word >> 8);
	pay = cur_rest(c);
	diss_inner_eth(d, &pay, diss_plen_after(plen, VXLAN_HDR_LEN));
}
