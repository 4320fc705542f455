/*
 * erspan.c - Cisco's Encapsulated Remote SPAN over GRE (draft-foschiano-erspan): mirrored
 * Ethernet frames. GRE type 0x88be without a sequence number is type I, which has no header
 * of its own (an empty layer, as tshark shows it); 0x88be with one is type II, 0x22eb type
 * III, and the header's version field tells those two apart.
 *
 * Type II (version 1), 8 bytes:
 *   +-------+-----------------------+-----+---+-+-------------------+
 *   |  Ver  |        VLAN (12)      | COS |En |T|  Session ID (10)  |
 *   +-------+-----------------------+-----+---+-+-------------------+
 *   |     Reserved (12)     |               Index (20)              |
 *   +-----------------------+---------------------------------------+
 * Type III (version 2), 12 bytes and an 8-byte platform sub-header when O is set:
 *   | Ver | VLAN | COS | BSO | T | Session ID |  (as above)
 *   |                     Timestamp (32)                            |
 *   |  Security group tag (16)      |P|  FT (5) | HW ID (6) |D|Gra|O|
 * A frame type (FT) other than 0 (Ethernet) is left as data.
 */
#include "decode/dissector.h"

#define ERSPAN_SUB_LEN 8

/* The first word, common to both types: version, VLAN, COS, flags, session ID. */
static uint32_t erspan_first(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint32_t w = cur_be32(c);

	if (c->truncated)
		return 0;
	fld_add(d, off, 1, "Version", K_ERSPAN_VERSION, FT_UINT, 1, w >> 28);
	fld_add(d, off, 2, "VLAN", K_ERSPAN_VLAN, FT_UINT, 1, (w >> 16) & 0x0fff);
	fld_add(d, off + 2, 1, "COS", K_ERSPAN_COS, FT_UINT, 1, (w >> 13) & 7);
	fld_add(d, off + 2, 1, "Truncated", K_ERSPAN_TRUNCATED, FT_BOOL, 1, (w >> 10) & 1);
	fld_add(d, off + 2, 2, "Session ID", K_ERSPAN_SPANID, FT_UINT, 1, w & 0x03ff);
	return w;
}

/* Type II's second word: 12 reserved bits and the port index. */
static void erspan_ii(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint32_t w = cur_be32(c);

	if (!c->truncated)
		fld_add(d, off + 1, 3, "Index", K_ERSPAN_INDEX, FT_UINT, 1, w & 0xfffff);
}

/* Type III's timestamp and last word; returns false when the frame is not Ethernet. */
static bool erspan_iii(struct dissection *d, struct cursor *c)
{
	uint32_t off;
	uint16_t w;

	fld_u32(d, c, "Timestamp", K_ERSPAN_TIMESTAMP, 1);
	fld_u16(d, c, "Security group tag", K_ERSPAN_SGT, 1);
	off = c->off;
	w = cur_be16(c);
	if (c->truncated)
		return false;
	fld_add(d, off, 1, "Frame type", K_ERSPAN_FT, FT_UINT, 1, (w >> 10) & 0x1f);
	fld_add(d, off, 2, "Hardware ID", K_ERSPAN_HW, FT_UINT, 1, (w >> 4) & 0x3f);
	fld_add(d, off + 1, 1, "Direction", K_ERSPAN_DIRECTION, FT_BOOL, 1, (w >> 3) & 1);
	fld_add(d, off + 1, 1, "Optional sub-header", K_ERSPAN_O, FT_UINT, 1, w & 1);
	if (w & 1)
		fld_bytes(d, c, ERSPAN_SUB_LEN, "Platform specific sub-header", K_NONE, 1);
	return ((w >> 10) & 0x1f) == 0;
}

/* "type II, session 1, vlan 101". */
static void erspan_summary(struct dissection *d, uint32_t first)
{
	struct sbuf b;

	if (!sum_begin(d, P_ERSPAN))
		return;
	b = sum_info(d);
	sb_str(&b, first >> 28 == 1 ? "type II, session " : "type III, session ");
	sb_u32(&b, first & 0x03ff);
	sb_str(&b, ", vlan ");
	sb_u32(&b, (first >> 16) & 0x0fff);
}

void erspan_i_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ERSPAN);
	struct sbuf b;

	d->f[layer].label = "ERSPAN type I";
	if (sum_begin(d, P_ERSPAN)) {
		b = sum_info(d);
		sb_str(&b, "type I");
	}
	diss_inner_eth(d, c, plen);
}

void erspan_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ERSPAN);
	uint32_t start = c->off, first, version;
	bool ether = true;
	struct cursor pay;

	first = erspan_first(d, c);
	version = first >> 28;
	if (!c->truncated && version != 1 && version != 2) {
		diss_invalid(d, layer, start, 1, "Unknown version", "erspan.version", version);
		return;
	}
	if (version == 1)
		erspan_ii(d, c);
	else if (!c->truncated)
		ether = erspan_iii(d, c);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	erspan_summary(d, first);
	pay = cur_rest(c);
	if (ether)
		diss_inner_eth(d, &pay, diss_plen_after(plen, c->off - start));
	else
		diss_data(d, &pay);
}
