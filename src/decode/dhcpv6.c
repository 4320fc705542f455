/*
 * dhcpv6.c - DHCP for IPv6 (RFC 8415), UDP ports 546 and 547.
 *
 *   client/server message:  | msg-type (1) | transaction-id (3) | options ...
 *   relay message:          | msg-type (1) | hop-count (1) | link-address (16) |
 *                           | peer-address (16) | options ...
 *   option:                 | option-code (2) | option-len (2) | option-data ...
 *
 * Decoded options: client and server identifiers (DUIDs, RFC 8415 11), IA_NA, IA_TA and
 * IA_PD with the options inside them (IA Address), the option request list, the elapsed
 * time and the relay message, whose inner message is decoded as tshark does. Options nest
 * (an IA holds options, a relay message a message) up to DHCPV6_MAX_NEST (32) levels; deeper is
 * an invalid value. The Info column is tshark's: "Solicit XID: 0x90b45c CID: <duid hex> ",
 * a relay's "Relay-forw L: <link-address> " followed by its inner message's.
 */
#include "decode/dissector.h"

#define DHCPV6_MAX_NEST   32
#define DUID_EPOCH_OFFSET 946684800ll /* 2000-01-01 in seconds since 1970 */

static const char *const msg_names[] = {
    NULL,
    "Solicit",
    "Advertise",
    "Request",
    "Confirm",
    "Renew",
    "Rebind",
    "Reply",
    "Release",
    "Decline",
    "Reconfigure",
    "Information-request",
    "Relay-forw",
    "Relay-reply",
    "Leasequery",
    "Leasequery-reply",
    "Leasequery-done",
    "Leasequery-data",
    "Reconfigure-request",
    "Reconfigure-reply",
    "DHCPv4-query",
    "DHCPv4-response",
    "Activeleasequery",
    "Starttls",
};

struct v6ctx {
	struct dissection *d;
	uint16_t layer;
	struct sbuf *info; /* NULL when quoted */
	unsigned nest;
	bool bad; /* nesting too deep: stop */
};

static bool v6_options(struct v6ctx *x, struct cursor *c, unsigned depth);
static void v6_message(struct v6ctx *x, struct cursor *c, unsigned depth);

/* Link-layer address text as tshark's tvb_arphrdaddr_to_str: a MAC for Ethernet and IEEE
 * 802 (hardware types 1 and 6) of 6 bytes, else the bytes in hex without separators. */
static void ll_addr(struct dissection *d, struct cursor *c, uint16_t hwtype, enum field_key key,
                    unsigned depth)
{
	static const char hexdig[] = "0123456789abcdef";
	uint32_t off = c->off, n = cur_left(c);
	char t[3 * 64];
	size_t o = 0;

	if (n == 0 || n > 64)
		return;
	for (uint32_t i = 0; i < n; i++) {
		uint8_t b = c->base[off + i];
		bool mac = (hwtype == 1 || hwtype == 6) && n == 6;
		if (mac && i)
			t[o++] = ':';
		t[o++] = hexdig[b >> 4];
		t[o++] = hexdig[b & 15];
	}
	cur_skip(c, n);
	fld_add(d, off, n, "Link-layer address", key, FT_STR, depth, diss_text(d, t, o));
}

/* A DUID (RFC 8415 11): the whole as bytes, its type, then the parts of types 1 and 3. */
static void v6_duid(struct v6ctx *x, struct cursor *v, unsigned depth, const char *tag)
{
	struct dissection *d = x->d;
	uint32_t off = v->off, n = cur_left(v);
	uint16_t type, hw;

	if (x->info && tag && n > 0) {
		sb_str(x->info, tag);
		for (uint32_t i = 0; i < n; i++) {
			static const char hexdig[] = "0123456789abcdef";
			char t[3] = {hexdig[v->base[off + i] >> 4], hexdig[v->base[off + i] & 15],
			             0};
			sb_str(x->info, t);
		}
		sb_str(x->info, " ");
	}
	fld_add(d, off, n, "DUID", K_DHCPV6_DUID_BYTES, FT_BYTES, depth, 0);
	if (n < 2)
		return;
	type = fld_u16(d, v, "DUID Type", K_DHCPV6_DUID_TYPE, depth);
	if (type == 1 && cur_left(v) >= 6) {
		hw = fld_u16(d, v, "Hardware type", K_DHCPV6_DUIDLLT_HWTYPE, depth);
		uint32_t toff = v->off, t = cur_be32(v);
		char s[48];
		fld_add(d, toff, 4, "DUID Time", K_DHCPV6_DUIDLLT_TIME, FT_STR, depth,
		        diss_text(d, s, ntp_abstime_text(s, (int64_t)t + DUID_EPOCH_OFFSET, 0)));
		ll_addr(d, v, hw, K_DHCPV6_DUIDLLT_LINK_LAYER_ADDR, depth);
	} else if (type == 3 && cur_left(v) >= 2) {
		hw = fld_u16(d, v, "Hardware type", K_DHCPV6_DUIDLL_HWTYPE, depth);
		ll_addr(d, v, hw, K_DHCPV6_DUIDLL_LINK_LAYER_ADDR, depth);
	}
}

/* An IA_NA, IA_TA or IA_PD: the IAID as 8 hex digits (tshark's string), T1 and T2 where the
 * type has them, then the options inside. */
static bool v6_ia(struct v6ctx *x, struct cursor *v, unsigned depth, bool times)
{
	static const char hexdig[] = "0123456789abcdef";
	uint32_t off = v->off, id = cur_be32(v);
	char t[8];

	if (v->truncated)
		return true;
	for (int i = 0; i < 8; i++)
		t[i] = hexdig[(id >> (28 - 4 * i)) & 15];
	fld_add(x->d, off, 4, "IAID", K_DHCPV6_IAID, FT_STR, depth, diss_text(x->d, t, 8));
	if (times) {
		fld_u32(x->d, v, "T1", K_DHCPV6_IAID_T1, depth);
		fld_u32(x->d, v, "T2", K_DHCPV6_IAID_T2, depth);
		if (v->truncated)
			return true;
	}
	return v6_options(x, v, depth + 1);
}

static bool v6_iaaddr(struct v6ctx *x, struct cursor *v, unsigned depth)
{
	const uint8_t *a = fld_addr(x->d, v, FT_IPV6, "IPv6 address", K_DHCPV6_IAADDR_IP, depth);

	fld_u32(x->d, v, "Preferred lifetime", K_DHCPV6_IAADDR_PREF_LIFETIME, depth);
	fld_u32(x->d, v, "Valid lifetime", K_DHCPV6_IAADDR_VALID_LIFETIME, depth);
	if (v->truncated)
		return true;
	if (x->info && a) {
		sb_str(x->info, "IAA: ");
		sb_ipv6(x->info, a);
		sb_str(x->info, " ");
	}
	return v6_options(x, v, depth + 1);
}

/* One option's value in window v; false when nesting went too deep. */
static bool v6_value(struct v6ctx *x, struct cursor *v, uint16_t code, unsigned depth)
{
	switch (code) {
	case 1:
		v6_duid(x, v, depth, "CID: ");
		break;
	case 2:
		v6_duid(x, v, depth, NULL); /* tshark's Info shows the client's only */
		break;
	case 3:
	case 25:
		return v6_ia(x, v, depth, true);
	case 4:
		return v6_ia(x, v, depth, false);
	case 5:
		return v6_iaaddr(x, v, depth);
	case 6:
		while (cur_left(v) >= 2)
			fld_u16(x->d, v, "Requested Option code", K_DHCPV6_REQUESTED_OPTION_CODE,
			        depth);
		break;
	case 8:
		if (cur_left(v) == 2) /* hundredths of a second; tshark's value is in ms */
			fld_add(x->d, v->off, 2, "Elapsed time", K_DHCPV6_ELAPSED_TIME, FT_UINT,
			        depth, 10u * cur_be16(v));
		break;
	case 9:
		v6_message(x, v, depth);
		return !x->bad;
	}
	return true;
}

/* Options to the end of c; false after an option ran past the bytes or nesting went too
 * deep (the layer is marked by the caller). */
static bool v6_options(struct v6ctx *x, struct cursor *c, unsigned depth)
{
	if (++x->nest > DHCPV6_MAX_NEST) {
		diss_invalid(x->d, x->layer, c->off, 0, "Nesting too deep", "dhcpv6.nest", x->nest);
		x->bad = true;
		return false;
	}
	while (cur_left(c) > 0) {
		uint16_t code = 0, len = 0;
		if (cur_has(c, 4) && (cur_peek_be16(c, c->off + 2, &len), !cur_has(c, 4u + len))) {
			/* tshark adds no option whose length runs past its container */
			diss_invalid(x->d, x->layer, c->off + 2, 2, "Bad option length",
			             "dhcpv6.option.length", len);
			x->bad = true;
			break;
		}
		code = fld_u16(x->d, c, "Option", K_DHCPV6_OPTION_TYPE, depth);
		len = fld_u16(x->d, c, "Length", K_DHCPV6_OPTION_LENGTH, depth + 1);
		if (c->truncated)
			break;
		struct cursor v = cur_sub(c, len);
		cur_skip(c, len);
		if (!v6_value(x, &v, code, depth + 1))
			break;
		if (v.truncated) { /* the value is shorter than its type needs: tshark's malformed
			            */
			diss_invalid(x->d, x->layer, v.off, 2, "Bad option length",
			             "dhcpv6.option.length", len);
			x->bad = true;
			break;
		}
	}
	x->nest--;
	return !c->truncated && !x->bad;
}

static void info_name(struct v6ctx *x, uint8_t type)
{
	const char *n = type < sizeof msg_names / sizeof msg_names[0] ? msg_names[type] : NULL;

	if (x->info)
		sb_str(x->info, n ? n : "Unknown");
}

/* A message: a relay's header and options, or a client/server message's. */
static void v6_message(struct v6ctx *x, struct cursor *c, unsigned depth)
{
	struct dissection *d = x->d;
	uint8_t type = fld_u8(d, c, "Message type", K_DHCPV6_MSGTYPE, depth);

	if (c->truncated)
		return;
	info_name(x, type);
	if (type == 12 || type == 13) {
		fld_u8(d, c, "Hopcount", K_DHCPV6_HOPCOUNT, depth);
		const uint8_t *l =
		    fld_addr(d, c, FT_IPV6, "Link address", K_DHCPV6_LINKADDR, depth);
		fld_addr(d, c, FT_IPV6, "Peer address", K_DHCPV6_PEERADDR, depth);
		if (x->info && l) {
			sb_str(x->info, " L: ");
			sb_ipv6(x->info, l);
			sb_str(x->info, " ");
		}
	} else {
		uint32_t off = c->off, xid = (uint32_t)cur_u8(c) << 16;
		xid |= cur_be16(c);
		if (!c->truncated) {
			uint16_t i =
			    fld_add(d, off, 3, "Transaction ID", K_DHCPV6_XID, FT_HEX, depth, xid);
			d->f[i].width = 6;
		}
		if (x->info && !c->truncated) {
			sb_str(x->info, " XID: ");
			sb_hex(x->info, xid, 6);
			sb_str(x->info, " ");
		}
	}
	if (!c->truncated)
		v6_options(x, c, depth);
}

void dhcpv6_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct v6ctx x = {d, diss_layer(d, c, P_DHCPV6), NULL, 0, false};
	struct sbuf b;

	(void)plen;
	if (sum_begin(d, P_DHCPV6)) {
		b = sum_info(d);
		x.info = &b;
	}
	v6_message(&x, c, 1);
	if (c->truncated)
		diss_trunc(d, x.layer, c);
	else if (!x.bad)
		diss_layer_end(d, x.layer, c);
}
