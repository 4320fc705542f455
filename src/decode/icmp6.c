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
	ICMP6_RS = 133,
	ICMP6_RA = 134,
	ICMP6_NS = 135,
	ICMP6_NA = 136,
	ICMP6_REDIRECT = 137,
};

struct icmp6_name {
	uint8_t type;
	const char *name;
};

/* tshark 4.0's names (packet-icmpv6.c); others are "Unknown (N)". */
static const struct icmp6_name icmp6_names[] = {
    {1, "Destination Unreachable"},
    {2, "Packet Too Big"},
    {3, "Time Exceeded"},
    {4, "Parameter Problem"},
    {100, "Private experimentation"},
    {101, "Private experimentation"},
    {127, "Reserved for expansion of ICMPv6 error messages"},
    {128, "Echo (ping) request"},
    {129, "Echo (ping) reply"},
    {130, "Multicast Listener Query"},
    {131, "Multicast Listener Report"},
    {132, "Multicast Listener Done"},
    {133, "Router Solicitation"},
    {134, "Router Advertisement"},
    {135, "Neighbor Solicitation"},
    {136, "Neighbor Advertisement"},
    {137, "Redirect"},
    {138, "Router Renumbering"},
    {139, "Node Information Query"},
    {140, "Node Information Reply"},
    {141, "Inverse Neighbor Discovery Solicitation"},
    {142, "Inverse Neighbor Discovery Advertisement"},
    {143, "Multicast Listener Report Message v2"},
    {144, "Home Agent Address Discovery Request"},
    {145, "Home Agent Address Discovery Reply"},
    {146, "Mobile Prefix Solicitation"},
    {147, "Mobile Prefix Advertisement"},
    {148, "Certification Path Solicitation"},
    {149, "Certification Path Advertisement"},
    {150, "Experimental Mobility"},
    {151, "Multicast Router Advertisement"},
    {152, "Multicast Router Solicitation"},
    {153, "Multicast Router Termination"},
    {154, "FMIPv6"},
    {155, "RPL Control"},
    {156, "Locator Update"},
    {157, "Duplicate Address Request"},
    {158, "Duplicate Address Confirmation"},
    {159, "MPL Control Message"},
    {160, "Extended Echo request"},
    {161, "Extended Echo reply"},
    {200, "Private experimentation"},
    {201, "Private experimentation"},
    {255, "Reserved for expansion of ICMPv6 informational messages"},
};

static const char *const unreach6_codes[] = {
    "no route to destination",
    "Administratively prohibited",
    "Beyond scope of source address",
    "Address unreachable",
    "Port unreachable",
    "Source address failed ingress/egress policy",
    "Reject route to destination",
    "Error in Source Routing Header",
};
static const char *const time6_codes[] = {"hop limit exceeded in transit",
                                          "fragment reassembly time exceeded"};
static const char *const param6_codes[] = {
    "erroneous header field encountered", "unrecognized Next Header type encountered",
    "unrecognized IPv6 option encountered", "IPv6 First Fragment has incomplete IPv6 Header Chain"};
static const char *const rr6_codes[] = {"Command", "Result"};
static const char *const niq6_codes[] = {"Query subject = IPv6 addresses", "Query subject = Name",
                                         "Query subject = IPv4 addresses"};
static const char *const nir6_codes[] = {"Successful", "Refused", "Unknown query type"};
static const char *const rpl6_codes[] = {
    "DODAG Information Solicitation", "DODAG Information Object",
    "Destination Advertisement Object", "Destination Advertisement Object Acknowledgment"};
static const char *const ext_echo6_codes[] = {"No error", "Malformed Query", "No Such Interface",
                                              "No Such Table Entry",
                                              "Multiple Interfaces Satisfy Query"};

/* The types whose code tshark names in Info; unknown codes are "Unknown (N)", or "Unknown"
 * for destination unreachable. Echo requests and replies are matched after the decode, by
 * decode/echo_match.c, from d->sum.echo. */
static const struct {
	uint8_t type;
	const char *const *names;
	size_t n;
} icmp6_codes[] = {
    {1, unreach6_codes, 8},
    {3, time6_codes, 2},
    {4, param6_codes, 4},
    {138, rr6_codes, 2},
    {139, niq6_codes, 3},
    {140, nir6_codes, 3},
    {160, ext_echo6_codes, 5},
    {161, ext_echo6_codes, 5},
    {155, rpl6_codes, 4},
    /* tshark names these by a subtype byte; capscope names none: "Unknown (code)" */
    {150, NULL, 0},
    {154, NULL, 0},
};

static const char *icmp6_name(uint8_t type)
{
	for (size_t i = 0; i < sizeof(icmp6_names) / sizeof(icmp6_names[0]); i++)
		if (icmp6_names[i].type == type)
			return icmp6_names[i].name;
	return NULL;
}

static void icmp6_code(struct sbuf *b, uint8_t type, uint8_t code)
{
	for (size_t i = 0; i < sizeof icmp6_codes / sizeof icmp6_codes[0]; i++) {
		if (icmp6_codes[i].type != type)
			continue;
		sb_str(b, " (");
		if (type == 1 && code >= icmp6_codes[i].n)
			sb_str(b, "Unknown");
		else if (type == 138 && code == 255)
			sb_str(b, "Sequence number reset");
		else
			sb_named(b, icmp6_codes[i].names, icmp6_codes[i].n, code, "Unknown");
		sb_str(b, ")");
		return;
	}
}

/* What Neighbor Discovery adds to Info: the target, the advertisement's flags and the first
 * link-layer address option (RFC 4861 4.6.1: 1 source, 2 target), read without fields. */
struct icmp6_nd {
	const uint8_t *target;
	uint32_t flags;
	const uint8_t *lla;
	uint8_t lla_type;
};

static void icmp6_nd_options(const struct cursor *c, uint32_t skip, struct icmp6_nd *nd)
{
	struct cursor w = *c;

	if (!cur_skip(&w, skip))
		return;
	for (int i = 0; i < 16 && cur_left(&w) >= 8; i++) {
		uint8_t t = cur_u8(&w), len = cur_u8(&w);
		if (len == 0)
			return;
		if ((t == 1 || t == 2) && len == 1) {
			nd->lla_type = t;
			nd->lla = cur_bytes(&w, 6);
			return;
		}
		if (!cur_skip(&w, len * 8u - 2))
			return;
	}
}

static void icmp6_nd_info(struct sbuf *b, uint8_t type, const struct icmp6_nd *nd)
{
	static const char *const flag_names[] = {"rtr", "sol", "ovr"};
	bool any = false;

	sb_str(b, type == ICMP6_NS ? " for " : " ");
	sb_ipv6(b, nd->target);
	if (type == ICMP6_NA) {
		sb_str(b, " (");
		for (int i = 0; i < 3; i++)
			if (nd->flags & (0x80000000u >> i)) {
				sb_str(b, any ? ", " : "");
				sb_str(b, flag_names[i]);
				any = true;
			}
		sb_str(b, any ? ")" : "none)");
	}
	if (nd->lla) {
		sb_str(b, nd->lla_type == 2 ? " is at " : " from ");
		sb_mac(b, nd->lla);
	}
}

/* "Echo (ping) request id=0x0042, seq=1, hop limit=255" (tshark 4.0's Info, one pass) */
static void icmp6_summary(struct dissection *d, uint16_t layer, uint8_t type, uint8_t code,
                          const uint16_t *echo, const struct icmp6_nd *nd)
{
	const char *name = icmp6_name(type);
	struct sbuf b;
	int hlim;

	if (!sum_begin(d, P_ICMPV6))
		return;
	b = sum_info(d);
	if (name) {
		sb_str(&b, name);
	} else {
		sb_str(&b, "Unknown (");
		sb_u32(&b, type);
		sb_str(&b, ")");
	}
	icmp6_code(&b, type, code);
	if (nd->target && (type == ICMP6_NS || type == ICMP6_NA)) {
		icmp6_nd_info(&b, type, nd);
	} else if (nd->lla && (type == ICMP6_RS || type == ICMP6_RA)) {
		sb_str(&b, " from ");
		sb_mac(&b, nd->lla);
	}
	if (!echo)
		return;
	sb_str(&b, " id=");
	sb_hex(&b, echo[0], 4);
	sb_str(&b, ", seq=");
	sb_u32(&b, echo[1]);
	hlim = diss_ip_ttl(d, layer);
	if (hlim >= 0) {
		sb_str(&b, ", hop limit=");
		sb_u32(&b, (uint32_t)hlim);
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
                                 uint16_t *echo, struct icmp6_nd *nd)
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
		nd->flags = fld_hex(d, c, 4, 8, "Flags", K_ICMPV6_ND_NA_FLAG, 1);
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
	uint16_t echo[2], cksum;
	struct icmp6_nd nd = {0};
	uint8_t type, code;
	bool is_echo;
	struct cursor pay;

	(void)plen;
	type = fld_u8(d, c, "Type", K_ICMPV6_TYPE, 1);
	code = fld_u8(d, c, "Code", K_ICMPV6_CODE, 1);
	cksum = (uint16_t)fld_hex(d, c, 2, 4, "Checksum", K_ICMPV6_CHECKSUM, 1);
	is_echo = type == ICMP6_ECHO_REQUEST || type == ICMP6_ECHO_REPLY;
	if (!c->truncated)
		nd.target = icmp6_body(d, c, type, echo, &nd);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	if (nd.target)
		icmp6_nd_options(c, 0, &nd);
	else if (type == ICMP6_RS || type == ICMP6_RA) /* RA: 8 more bytes before options */
		icmp6_nd_options(c, type == ICMP6_RA ? 8 : 0, &nd);
	icmp6_summary(d, layer, type, code, is_echo ? echo : NULL, &nd);
	if (is_echo && !d->quoted) /* matched by decode/echo_match.c, as in icmp.c */
		d->sum.echo = (struct sum_echo){
		    P_ICMPV6, type == ICMP6_ECHO_REPLY, cksum, echo[0], echo[1], c->off};
	pay = cur_rest(c);
	if (type >= 1 && type <= 4)
		icmp6_quote(d, &pay);
	else
		diss_data(d, &pay);
}
