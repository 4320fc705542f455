/*
 * eth.c - Ethernet II.
 *
 * IEEE 802.3 clause 3.2.6: the type/length field is an EtherType when >= 0x0600; smaller
 * values are an 802.3 length and an LLC header follows (shown as data here).
 *
 *   +-------------------+-------------------+-------------+---------
 *   | destination (6)   | source (6)        | type (2)    | payload
 *   +-------------------+-------------------+-------------+---------
 */
#include "decode/dissector.h"

#define ETH_HDR_LEN  14
#define ETH_MIN_TYPE 0x0600

/* An address and its LG (locally administered) and IG (group) bits, as tshark's eth.dst.lg. */
static const uint8_t *eth_addr(struct dissection *d, struct cursor *c, bool source)
{
	uint32_t off = c->off;
	const uint8_t *a = fld_addr(d, c, FT_MAC, source ? "Source" : "Destination",
	                            source ? K_ETH_SRC : K_ETH_DST, 1);

	if (a) {
		fld_add(d, off, 3, "LG bit", source ? K_ETH_SRC_LG : K_ETH_DST_LG, FT_BOOL, 2,
		        (a[0] >> 1) & 1);
		fld_add(d, off, 3, "IG bit", source ? K_ETH_SRC_IG : K_ETH_DST_IG, FT_BOOL, 2,
		        a[0] & 1);
	}
	return a;
}

/* The Info of a frame no inner layer explains (sum_info_later(): info_arg[0] is the type or
 * length). */
static void eth_info(struct dissection *d)
{
	uint16_t type = (uint16_t)d->sum.info_arg[0];
	struct sbuf b = sum_info(d);

	sb_str(&b, type >= ETH_MIN_TYPE ? "ethertype " : "802.3 length ");
	if (type >= ETH_MIN_TYPE)
		sb_hex(&b, type, 4);
	else
		sb_u32(&b, type);
	sb_str(&b, ", length ");
	sb_u32(&b, d->len);
}

/* Summary for a frame no inner layer explains: MAC addresses and the type or length. */
static void eth_summary(struct dissection *d, const uint8_t *src, const uint8_t *dst, uint16_t type)
{
	if (!sum_begin(d, P_ETH))
		return;
	sum_addrs(d, P_NONE, src, dst);
	sum_info_later(d, eth_info, type, 0);
}

/* The header read field by field (each recorded in a tree); false when it was cut (marked). */
static bool eth_fields(struct dissection *d, struct cursor *c, uint16_t layer, const uint8_t **dst,
                       const uint8_t **src, uint16_t *type)
{
	*dst = eth_addr(d, c, false);
	*src = eth_addr(d, c, true);
	if (*src && cur_peek_be16(c, c->off, type) && *type < ETH_MIN_TYPE)
		fld_u16(d, c, "Length", K_ETH_LEN, 1);
	else
		*type = (uint16_t)fld_hex(d, c, 2, 4, "Type", K_ETH_TYPE, 1);
	if (c->truncated) {
		if (*src && sum_begin(d, P_ETH))
			sum_addrs(d, P_NONE, *src, *dst);
		diss_trunc(d, layer, c);
		return false;
	}
	return true;
}

void eth_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ETH);
	const uint8_t *dst = NULL, *src = NULL, *p;
	uint16_t type = 0;
	struct cursor pay;

	if (!d->tree && !c->truncated && cur_has(c, ETH_HDR_LEN)) {
		/* a summary records no field: the whole header at once, nearly every frame */
		p = cur_take(c, ETH_HDR_LEN);
		dst = p;
		src = p + 6;
		type = (uint16_t)(p[12] << 8 | p[13]);
	} else if (!eth_fields(d, c, layer, &dst, &src, &type)) {
		return;
	}
	diss_layer_end(d, layer, c);
	eth_summary(d, src, dst, type);
	pay = cur_rest(c);
	if (type < ETH_MIN_TYPE)
		diss_data(d, &pay);
	else
		diss_ethertype(d, &pay, type, plen > ETH_HDR_LEN ? plen - ETH_HDR_LEN : 0);
}
