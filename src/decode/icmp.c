/*
 * icmp.c - Internet Control Message Protocol (RFC 792).
 *
 *   +--------+--------+-----------------+
 *   |  Type  |  Code  |    Checksum     |
 *   +--------+--------+-----------------+
 *   | echo: identifier | sequence number |   errors: unused/gateway/pointer (4)
 *   +-----------------+-----------------+
 *   | data / the IP header and first 8 bytes of the packet that caused an error
 * An error's quoted packet is decoded with d->quoted raised: its fields are added (tshark
 * fills udp.srcport from it too) but the list summary stays "ICMP".
 */
#include "decode/dissector.h"

static const char *const icmp_names[] = {
    [0] = "echo reply",           [3] = "destination unreachable",
    [4] = "source quench",        [5] = "redirect",
    [8] = "echo request",         [9] = "router advertisement",
    [10] = "router solicitation", [11] = "time exceeded",
    [12] = "parameter problem",   [13] = "time stamp request",
    [14] = "time stamp reply",
};

/* Echo, timestamp, information and address mask messages carry an identifier and a sequence
 * number (RFC 792, RFC 950); extended echo (42, 43) is read on its own. */
static bool icmp_has_ident(uint8_t type)
{
	return type == 0 || type == 8 || (type >= 13 && type <= 18);
}

static bool icmp_is_error(uint8_t type)
{
	return type == 3 || type == 4 || type == 5 || type == 11 || type == 12;
}

static void icmp_summary(struct dissection *d, uint8_t type, uint8_t code, const uint16_t *echo)
{
	const char *name = type < 15 ? icmp_names[type] : NULL;
	struct sbuf b;

	if (!sum_begin(d, P_ICMP))
		return;
	b = sum_info(d);
	if (!name) {
		sb_str(&b, "type ");
		sb_u32(&b, type);
		sb_str(&b, ", code ");
		sb_u32(&b, code);
		return;
	}
	sb_str(&b, name);
	if (echo) {
		sb_str(&b, ", id ");
		sb_u32(&b, echo[0]);
		sb_str(&b, ", seq ");
		sb_u32(&b, echo[1]);
	} else if (icmp_is_error(type)) {
		sb_str(&b, ", code ");
		sb_u32(&b, code);
	}
}

/* An echo identifier or sequence number, and the same bytes read little-endian: tshark shows
 * both (icmp.ident, icmp.ident_le), as senders differ in byte order. */
static uint16_t icmp_echo_word(struct dissection *d, struct cursor *c, const char *label,
                               enum field_key be, enum field_key le)
{
	uint32_t off = c->off;
	uint16_t v = fld_u16(d, c, label, be, 1);

	if (!c->truncated)
		fld_add(d, off, 2, "(little-endian)", le, FT_UINT, 2, (uint16_t)(v >> 8 | v << 8));
	return v;
}

/* The packet quoted by an error message, decoded one level deeper. */
static void icmp_quote(struct dissection *d, struct cursor *c)
{
	struct cursor q = cur_rest(c);

	if (!diss_nest(d, c))
		return;
	d->quoted++;
	ipv4_dissect(d, &q, cur_left(&q));
	d->quoted--;
}

void icmp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ICMP);
	uint16_t echo[2];
	uint8_t type, code;
	struct cursor pay;

	(void)plen;
	type = fld_u8(d, c, "Type", K_ICMP_TYPE, 1);
	code = fld_u8(d, c, "Code", K_ICMP_CODE, 1);
	fld_hex(d, c, 2, 4, "Checksum", K_ICMP_CHECKSUM, 1);
	if (!c->truncated && (type == 42 || type == 43)) {
		/* RFC 8335: an 8-bit sequence number, then reserved bits and the L bit (tshark has
		 * no icmp.seq for these) */
		icmp_echo_word(d, c, "Identifier", K_ICMP_IDENT, K_ICMP_IDENT_LE);
		fld_u8(d, c, "Sequence number", K_NONE, 1);
		fld_hex(d, c, 1, 2, "Reserved, L bit", K_NONE, 1);
	} else if (!c->truncated && icmp_has_ident(type)) {
		echo[0] = icmp_echo_word(d, c, "Identifier", K_ICMP_IDENT, K_ICMP_IDENT_LE);
		echo[1] = icmp_echo_word(d, c, "Sequence number", K_ICMP_SEQ, K_ICMP_SEQ_LE);
	} else if (!c->truncated) {
		fld_hex(d, c, 4, 8, icmp_is_error(type) ? "Unused" : "Rest of header", K_NONE, 1);
	}
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	icmp_summary(d, type, code, type == 0 || type == 8 ? echo : NULL);
	pay = cur_rest(c);
	if (icmp_is_error(type))
		icmp_quote(d, &pay);
	else
		diss_data(d, &pay);
}
