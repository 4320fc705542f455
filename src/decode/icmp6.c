/*
 * icmp6.c - ICMP for IPv6 (RFC 4443) and Neighbor Discovery (RFC 4861).
 *
 *   +--------+--------+-----------------+
 *   |  Type  |  Code  |    Checksum     |
 *   +--------+--------+-----------------+
 *   | echo: identifier | sequence number |   errors 1-4: unused / MTU / pointer (4)
 *   +-----------------+-----------------+
 *   | errors: as much of the invoking IPv6 packet as fits;  NS/NA/redirect: target (16)
 * Errors quote an IPv6 packet, decoded with d->quoted raised as in icmp.c.
 */
#include "decode/dissector.h"

enum {
	ICMP6_ECHO_REQUEST = 128,
	ICMP6_ECHO_REPLY = 129,
	ICMP6_NS = 135,
	ICMP6_NA = 136,
	ICMP6_REDIRECT = 137,
};

struct icmp6_name {
	uint8_t type;
	const char *name;
};

static const struct icmp6_name icmp6_names[] = {
    {1, "destination unreachable"},
    {2, "packet too big"},
    {3, "time exceeded"},
    {4, "parameter problem"},
    {128, "echo request"},
    {129, "echo reply"},
    {133, "router solicitation"},
    {134, "router advertisement"},
    {135, "neighbor solicitation"},
    {136, "neighbor advertisement"},
    {137, "redirect"},
};

static const char *icmp6_name(uint8_t type)
{
	for (size_t i = 0; i < sizeof(icmp6_names) / sizeof(icmp6_names[0]); i++)
		if (icmp6_names[i].type == type)
			return icmp6_names[i].name;
	return NULL;
}

static void icmp6_summary(struct dissection *d, uint8_t type, uint8_t code, const uint16_t *echo,
                          const uint8_t *target)
{
	const char *name = icmp6_name(type);
	struct sbuf b;

	if (!sum_begin(d, P_ICMPV6))
		return;
	b = sum_info(d);
	sb_str(&b, name ? name : "type ");
	if (!name)
		sb_u32(&b, type);
	if (echo) {
		sb_str(&b, ", id ");
		sb_u32(&b, echo[0]);
		sb_str(&b, ", seq ");
		sb_u32(&b, echo[1]);
	} else if (target) {
		sb_str(&b, type == ICMP6_NS ? ", who has " : ", target ");
		sb_ipv6(&b, target);
	} else {
		sb_str(&b, ", code ");
		sb_u32(&b, code);
	}
}

/* The target address of neighbor solicitations and advertisements and of redirects. */
static const uint8_t *icmp6_target(struct dissection *d, struct cursor *c, uint8_t type)
{
	if (type == ICMP6_NS)
		return fld_addr(d, c, FT_IPV6, "Target address", K_ICMPV6_ND_NS_TARGET_ADDRESS, 1);
	if (type == ICMP6_NA)
		return fld_addr(d, c, FT_IPV6, "Target address", K_ICMPV6_ND_NA_TARGET_ADDRESS, 1);
	if (type == ICMP6_REDIRECT)
		return fld_addr(d, c, FT_IPV6, "Target address", K_ICMPV6_ND_RD_TARGET_ADDRESS, 1);
	return NULL;
}

/* The second word and what follows it; returns the NDP target if there is one. */
static const uint8_t *icmp6_body(struct dissection *d, struct cursor *c, uint8_t type,
                                 uint16_t *echo)
{
	if (type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY) {
		echo[0] = (uint16_t)fld_hex(d, c, 2, 4, "Identifier", K_ICMPV6_ECHO_IDENTIFIER, 1);
		echo[1] = fld_u16(d, c, "Sequence number", K_ICMPV6_ECHO_SEQUENCE_NUMBER, 1);
		return NULL;
	}
	if (type == 2 || type == 4) {
		fld_u32(d, c, type == 2 ? "MTU" : "Pointer",
		        type == 2 ? K_ICMPV6_MTU : K_ICMPV6_POINTER, 1);
		return NULL;
	}
	if (type == ICMP6_NA)
		fld_hex(d, c, 4, 8, "Flags", K_ICMPV6_ND_NA_FLAG, 1);
	else if (type == 1 || type == 3 || type == 133 || type == ICMP6_NS ||
	         type == ICMP6_REDIRECT)
		fld_bytes(d, c, 4, "Reserved", K_ICMPV6_RESERVED, 1);
	else
		fld_hex(d, c, 4, 8, "Reserved", K_NONE, 1);
	return icmp6_target(d, c, type);
}

static void icmp6_quote(struct dissection *d, struct cursor *c)
{
	struct cursor q = cur_rest(c);

	if (!diss_nest(d, c))
		return;
	d->quoted++;
	ipv6_dissect(d, &q, cur_left(&q));
	d->quoted--;
}

void icmp6_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_ICMPV6);
	uint16_t echo[2];
	const uint8_t *target = NULL;
	uint8_t type, code;
	bool is_echo;
	struct cursor pay;

	(void)plen;
	type = fld_u8(d, c, "Type", K_ICMPV6_TYPE, 1);
	code = fld_u8(d, c, "Code", K_ICMPV6_CODE, 1);
	fld_hex(d, c, 2, 4, "Checksum", K_ICMPV6_CHECKSUM, 1);
	is_echo = type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY;
	if (!c->truncated)
		target = icmp6_body(d, c, type, echo);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	icmp6_summary(d, type, code, is_echo ? echo : NULL, target);
	pay = cur_rest(c);
	if (type >= 1 && type <= 4)
		icmp6_quote(d, &pay);
	else
		diss_data(d, &pay);
}
