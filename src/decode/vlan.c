/*
 * vlan.c - IEEE 802.1Q VLAN tags (TPID 0x8100, and the older QinQ 0x9100) and 802.1ad
 * service tags (TPID 0x88a8). Each tag is one layer; a stack of tags is a chain of calls
 * through the ethertype table, bounded by the nesting limit.
 *
 * The TPID was read by the layer below; this header is what follows it:
 *
 *   +-----+---+-------------+-------------+---------
 *   | PCP |DEI| VID (12)    | type (2)    | payload
 *   +-----+---+-------------+-------------+---------
 *     3    1     12 bits
 *
 * tshark names the 802.1Q tag's fields vlan.* but the 802.1ad tag's ieee8021ad.* (whose type
 * field has no name there), so only 802.1Q/0x9100 tags carry K_VLAN_*: --json then lists the
 * same VIDs tshark does.
 */
#include "decode/dissector.h"

#define VLAN_HDR_LEN 4

static void vlan_summary(struct dissection *d, uint16_t vid, uint16_t type)
{
	struct sbuf b;

	if (!sum_begin(d, P_VLAN))
		return;
	b = sum_info(d);
	sb_str(&b, "vlan ");
	sb_u32(&b, vid);
	sb_str(&b, ", ethertype ");
	sb_hex(&b, type, 4);
}

static bool vlan_is_type(const struct cursor *c)
{
	uint16_t v;

	return cur_peek_be16(c, c->off, &v) && v >= 0x0600;
}

static void tag_dissect(struct dissection *d, struct cursor *c, uint32_t plen, bool service)
{
	uint16_t layer, tci, type;
	uint32_t off = c->off;
	struct cursor pay;

	if (!diss_nest(d, c))
		return;
	layer = diss_layer(d, c, P_VLAN);
	if (service)
		d->f[layer].label = "802.1ad";
	tci = cur_be16(c);
	if (!c->truncated) {
		fld_add(d, off, 2, "Priority", service ? K_IEEE8021AD_PRIORITY : K_VLAN_PRIORITY,
		        FT_UINT, 1, tci >> 13);
		fld_add(d, off, 2, "DEI", service ? K_IEEE8021AD_DEI : K_VLAN_DEI, FT_BOOL, 1,
		        (tci >> 12) & 1);
		fld_add(d, off, 2, "ID", service ? K_IEEE8021AD_ID : K_VLAN_ID, FT_UINT, 1,
		        tci & 0x0fff);
	}
	/* a value below 0x0600 is an 802.3 length (tshark's vlan.len), not a type */
	type = (uint16_t)fld_hex(d, c, 2, 4, "Type",
	                         service || !vlan_is_type(c) ? K_NONE : K_VLAN_ETYPE, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	vlan_summary(d, tci & 0x0fff, type);
	pay = cur_rest(c);
	diss_ethertype(d, &pay, type, plen > VLAN_HDR_LEN ? plen - VLAN_HDR_LEN : 0);
}

void vlan_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	tag_dissect(d, c, plen, false);
}

void vlan_ad_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	tag_dissect(d, c, plen, true);
}
