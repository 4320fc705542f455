/*
 * dhcp.c - BOOTP (RFC 951) and DHCP (RFC 2131, options RFC 2132), UDP ports 67 and 68.
 *
 *   +-------+-------+-------+-------+
 *   |  op   | htype | hlen  | hops  |
 *   +-------+-------+-------+-------+
 *   |              xid              |
 *   +---------------+---------------+
 *   |     secs      |     flags     |
 *   +---------------+---------------+
 *   | ciaddr | yiaddr | siaddr | giaddr  (4 each)
 *   | chaddr (16) | sname (64) | file (128)
 *   | magic cookie 99.130.83.99 | options: code, length, value ... 255 end
 *
 * Fields and Info follow tshark 4.0's packet-dhcp.c: pad bytes (code 0) in a row are one
 * dhcp.option.padding item, the End option's dhcp.option.type is 0 (its code is
 * dhcp.option.end), bytes after End are padding. Without the cookie tshark reads a 64-byte
 * BOOTP vendor area and no options; so does this. Option 52 (overload) makes the sname, then
 * the file, areas option space, decoded under option 52 as tshark does (no padding item after
 * their End).
 * Every option's value is read only through the cursor; the loops end with the bytes.
 */
#include <string.h>

#include "decode/dissector.h"

#define DHCP_FIXED_LEN  236 /* up to the cookie */
#define DHCP_SNAME_OFF  44
#define DHCP_SNAME_LEN  64
#define DHCP_FILE_OFF   108
#define DHCP_FILE_LEN   128
#define DHCP_VENDOR_LEN 64
#define DHCP_COOKIE     0x63825363u

enum opt_kind { OK_IP, OK_IPS, OK_U32, OK_U8S, OK_STR, OK_U8 };

static const struct {
	uint8_t code;
	uint8_t kind; /* enum opt_kind */
	enum field_key key;
	const char *label;
} dhcp_opts[] = {
    {1, OK_IP, K_DHCP_OPTION_SUBNET_MASK, "Subnet Mask"},
    {3, OK_IPS, K_DHCP_OPTION_ROUTER, "Router"},
    {6, OK_IPS, K_DHCP_OPTION_DOMAIN_NAME_SERVER, "Domain Name Server"},
    {12, OK_STR, K_DHCP_OPTION_HOSTNAME, "Host Name"},
    {15, OK_STR, K_DHCP_OPTION_DOMAIN_NAME, "Domain Name"},
    {28, OK_IP, K_DHCP_OPTION_BROADCAST_ADDRESS, "Broadcast Address"},
    {50, OK_IP, K_DHCP_OPTION_REQUESTED_IP_ADDRESS, "Requested IP Address"},
    {51, OK_U32, K_DHCP_OPTION_IP_ADDRESS_LEASE_TIME, "IP Address Lease Time"},
    {53, OK_U8, K_DHCP_OPTION_DHCP, "DHCP"},
    {54, OK_IP, K_DHCP_OPTION_DHCP_SERVER_ID, "DHCP Server Identifier"},
    {55, OK_U8S, K_DHCP_OPTION_REQUEST_LIST_ITEM, "Parameter Request List Item"},
    {58, OK_U32, K_DHCP_OPTION_RENEWAL_TIME_VALUE, "Renewal Time Value"},
    {59, OK_U32, K_DHCP_OPTION_REBINDING_TIME_VALUE, "Rebinding Time Value"},
};

/* Option 53's values (RFC 2132 9.6, RFC 4388, RFC 6926, RFC 7724), as tshark names them. */
static const char *const msg_types[] = {
    NULL,
    "Discover",
    "Offer",
    "Request",
    "Decline",
    "ACK",
    "NAK",
    "Release",
    "Inform",
    "Force Renew",
    "Lease query",
    "Lease Unassigned",
    "Lease Unknown",
    "Lease Active",
    "Bulk Lease Query",
    "Lease Query Done",
    "Active LeaseQuery",
    "Lease Query Status",
    "TLS",
};

/* What the first pass finds: the message type and the overload flags. */
struct dhcp_scan {
	int msgtype; /* -1: no option 53 */
	uint8_t overload;
};

static int opt_row(uint8_t code)
{
	for (size_t i = 0; i < sizeof dhcp_opts / sizeof dhcp_opts[0]; i++)
		if (dhcp_opts[i].code == code)
			return (int)i;
	return -1;
}

/* tshark's first pass: option 53 and 52 among the main options (nothing is added). */
static void dhcp_scan(struct cursor o, struct dhcp_scan *s)
{
	s->msgtype = -1;
	s->overload = 0;
	while (cur_left(&o) > 0) {
		uint8_t code = cur_u8(&o), len;
		if (code == 0)
			continue;
		if (code == 255)
			return;
		len = cur_u8(&o);
		if (o.truncated || !cur_has(&o, len))
			return;
		if (code == 53 && len >= 1 && s->msgtype < 0)
			s->msgtype = o.base[o.off];
		if (code == 52 && len >= 1)
			s->overload = o.base[o.off];
		cur_skip(&o, len);
	}
}

/* A string value: up to the first NUL, as tshark's FT_STRINGZ of the option's length. */
static void add_str(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                    enum field_key key, unsigned depth)
{
	const char *s = (const char *)d->data + off;
	const char *nul = memchr(s, 0, len);
	size_t n = nul ? (size_t)(nul - s) : len;

	fld_add(d, off, len, label, key, FT_STR, depth, diss_text(d, s, n));
}

/* Option 61 of 7 bytes whose first is a hardware type (1..47): tshark shows the type and,
 * for Ethernet (1) or IEEE 802 (6), the address with the header's fields. */
static void client_id(struct dissection *d, struct cursor *v)
{
	uint8_t htype;

	if (cur_left(v) != 7)
		return;
	htype = v->base[v->off];
	if (htype == 0 || htype >= 48)
		return;
	fld_hex(d, v, 1, 2, "Hardware type", K_DHCP_HW_TYPE, 3);
	if (htype == 1 || htype == 6)
		fld_addr(d, v, FT_MAC, "Client MAC address", K_DHCP_HW_MAC_ADDR, 3);
}

/* RFC 4702's binary encoding: uncompressed DNS labels, written dotted into out (at most
 * 255 bytes); returns the length. A label running past the value ends the name. */
static size_t fqdn_labels(const uint8_t *p, size_t n, char *out)
{
	size_t o = 0, i = 0;

	while (i < n && p[i] != 0 && p[i] <= 63 && i + 1 + p[i] <= n && o + 1 + p[i] <= 255) {
		if (o > 0)
			out[o++] = '.';
		memcpy(out + o, p + i + 1, p[i]);
		o += p[i];
		i += 1u + p[i];
	}
	return o;
}

/* Option 81 (RFC 4702): flags, two result codes, the client's name, as tshark decodes it. */
static void client_fqdn(struct dissection *d, struct cursor *v, unsigned depth)
{
	static const struct {
		enum field_key key;
		const char *label;
		uint8_t bit;
	} bits[] = {{K_DHCP_FQDN_N, "Server DDNS", 8},
	            {K_DHCP_FQDN_E, "Encoding", 4},
	            {K_DHCP_FQDN_O, "Server overrides", 2},
	            {K_DHCP_FQDN_S, "Server", 1}};
	uint32_t at = v->off, len = cur_left(v);
	uint8_t flags;
	char name[256];

	if (len < 3)
		return;
	flags = (uint8_t)fld_hex(d, v, 1, 2, "Flags", K_DHCP_FQDN_FLAGS, depth);
	d->f[fld_add(d, at, 1, "Reserved flags", K_DHCP_FQDN_MBZ, FT_HEX, depth + 1, flags >> 4)]
	    .width = 2;
	for (size_t i = 0; i < sizeof bits / sizeof bits[0]; i++)
		fld_add(d, at, 1, bits[i].label, bits[i].key, FT_BOOL, depth + 1,
		        (flags & bits[i].bit) != 0);
	fld_u8(d, v, "A-RR result", K_DHCP_FQDN_RCODE1, depth);
	fld_u8(d, v, "PTR-RR result", K_DHCP_FQDN_RCODE2, depth);
	if (cur_left(v) == 0)
		return;
	if (!(flags & 4)) {
		add_str(d, v->off, cur_left(v), "Client name", K_DHCP_FQDN_NAME, depth);
		return;
	}
	fld_add(d, v->off, cur_left(v), "Client name", K_DHCP_FQDN_NAME, FT_STR, depth,
	        diss_text(d, name, fqdn_labels(v->base + v->off, cur_left(v), name)));
}

/* Where option areas are: the message's window, its start, how deep the areas nest. */
struct dhcp_ctx {
	struct dissection *d;
	const struct cursor *msg;
	uint32_t start;
	bool in_overload; /* an option 52 inside an overload area is not followed again */
	bool cut;         /* an option in an overload area ran past it */
};

static bool dhcp_options(struct dhcp_ctx *x, struct cursor *o, unsigned depth, bool main);

/* Option 52 (RFC 2132 9.3): the sname area's options, then the file area's, under the
 * option, as tshark decodes them there (no padding item after their End). */
static void overload(struct dhcp_ctx *x, uint8_t which, unsigned depth)
{
	static const struct {
		uint8_t bit;
		uint32_t off, len;
	} areas[] = {{2, DHCP_SNAME_OFF, DHCP_SNAME_LEN}, {1, DHCP_FILE_OFF, DHCP_FILE_LEN}};

	for (size_t i = 0; i < 2 && !x->in_overload; i++) {
		struct cursor a = *x->msg;
		if (!(which & areas[i].bit))
			continue;
		a.off = x->start + areas[i].off;
		a = diss_window(&a, areas[i].len);
		x->in_overload = true;
		x->cut |= !dhcp_options(x, &a, depth, false);
		x->in_overload = false;
	}
}

/* The value of a known option; a length the type does not allow adds nothing (tshark adds
 * an expert note there), except a message type longer than 1, whose first byte it shows. */
static void opt_value(struct dhcp_ctx *x, struct cursor *v, uint8_t code, unsigned depth)
{
	struct dissection *d = x->d;
	int r = opt_row(code);
	uint32_t len = cur_left(v);

	if (code == 61)
		client_id(d, v);
	if (code == 81)
		client_fqdn(d, v, depth);
	if (code == 52 && len >= 1)
		overload(x, v->base[v->off], depth);
	if (r < 0)
		return;
	switch ((enum opt_kind)dhcp_opts[r].kind) {
	case OK_IP:
		if (len == 4)
			fld_addr(d, v, FT_IPV4, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	case OK_IPS:
		while (cur_left(v) >= 4)
			fld_addr(d, v, FT_IPV4, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	case OK_U32:
		if (len == 4)
			fld_u32(d, v, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	case OK_U8:
		if (len >= 1)
			fld_u8(d, v, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	case OK_U8S:
		while (cur_left(v) > 0)
			fld_u8(d, v, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	case OK_STR:
		add_str(d, v->off, len, dhcp_opts[r].label, dhcp_opts[r].key, depth);
		break;
	}
}

/* Pad bytes in a row: tshark's "Option: (0) Padding" with one padding item. */
static void pad_run(struct dissection *d, struct cursor *o, unsigned depth)
{
	uint32_t start = o->off;

	while (cur_left(o) > 0 && o->base[o->off] == 0)
		cur_skip(o, 1);
	fld_add(d, start, o->off - start, "Option", K_DHCP_OPTION_TYPE, FT_UINT, depth, 0);
	fld_add(d, start, o->off - start, "Padding", K_DHCP_OPTION_PADDING, FT_BYTES, depth + 1, 0);
}

/* One option area; false when an option runs past the area. After the main area's End, the
 * rest is one padding item. */
static bool dhcp_options(struct dhcp_ctx *x, struct cursor *o, unsigned depth, bool main)
{
	struct dissection *d = x->d;

	while (cur_left(o) > 0) {
		uint32_t at = o->off;
		uint8_t code = o->base[at], len;
		if (code == 0) {
			pad_run(d, o, depth);
			continue;
		}
		cur_skip(o, 1);
		if (code == 255) {
			fld_add(d, at, 1, "Option", K_DHCP_OPTION_TYPE, FT_UINT, depth, 0);
			fld_add(d, at, 1, "Option End", K_DHCP_OPTION_END, FT_UINT, depth + 1, 255);
			if (main && cur_left(o) > 0)
				fld_add(d, o->off, cur_left(o), "Padding", K_DHCP_OPTION_PADDING,
				        FT_BYTES, depth, 0);
			cur_skip(o, cur_left(o));
			return true;
		}
		fld_add(d, at, 1, "Option", K_DHCP_OPTION_TYPE, FT_UINT, depth, code);
		len = fld_u8(d, o, "Length", K_DHCP_OPTION_LENGTH, depth + 1);
		if (o->truncated || !cur_has(o, len)) {
			o->truncated = true;
			return false;
		}
		struct cursor v = cur_sub(o, len);
		opt_value(x, &v, code, depth + 1);
		cur_skip(o, len);
	}
	return true;
}

/* A fixed string area (sname, file): the text up to its first NUL, absent if empty. */
static void name_area(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                      enum field_key key)
{
	if (d->data[off] != 0)
		add_str(d, off, len, label, key, 1);
}

/* chaddr: the MAC address and 10 bytes of padding for Ethernet; else, as tshark, the whole
 * 16 bytes as the hardware address (its text shows hlen of them) and the padding after hlen. */
static void chaddr(struct dissection *d, struct cursor *c, uint8_t htype, uint8_t hlen)
{
	uint32_t off = c->off;

	if (hlen > 0 && hlen <= 16) {
		if ((htype == 1 || htype == 6) && hlen == 6) {
			struct cursor a = cur_sub(c, 16);
			fld_addr(d, &a, FT_MAC, "Client MAC address", K_DHCP_HW_MAC_ADDR, 1);
		} else {
			fld_add(d, off, 16, "Client hardware address", K_DHCP_HW_ADDR, FT_BYTES, 1,
			        0);
		}
		if (hlen < 16)
			fld_add(d, off + hlen, 16u - hlen, "Client hardware address padding",
			        K_DHCP_HW_ADDR_PADDING, FT_BYTES, 1, 0);
	}
	cur_skip(c, 16);
}

/* The digits of v in hex without leading zeros (at least one): tshark's "0x%x". */
static unsigned hex_digits(uint32_t v)
{
	unsigned n = 1;

	while (n < 8 && (v >> (4 * n)) != 0)
		n++;
	return n;
}

/* "DHCP Discover - Transaction ID 0x7c0", or BOOTP's "Boot Request from <mac> (<mac>)". */
static void dhcp_summary(struct dissection *d, const struct dhcp_scan *s, uint8_t op, uint32_t xid,
                         const uint8_t *mac)
{
	struct sbuf b;
	const char *name;

	if (!sum_begin(d, s->msgtype >= 0 ? P_DHCP : P_BOOTP))
		return;
	b = sum_info(d);
	if (s->msgtype < 0) {
		sb_str(&b, op == 1   ? "Boot Request"
		           : op == 2 ? "Boot Reply"
		                     : "Unknown BOOTP message type");
		if (op == 1 && mac) {
			sb_str(&b, " from ");
			sb_mac(&b, mac);
			sb_str(&b, " (");
			sb_mac(&b, mac);
			sb_str(&b, ")");
		}
		return;
	}
	name = (size_t)s->msgtype < sizeof msg_types / sizeof msg_types[0] ? msg_types[s->msgtype]
	                                                                   : NULL;
	sb_str(&b, "DHCP ");
	name = name ? name : "Unknown";
	sb_str(&b, name);
	for (size_t n = strlen(name); n < 8; n++)
		sb_str(&b, " ");
	sb_str(&b, " - Transaction ID ");
	sb_hex(&b, xid, hex_digits(xid));
}

/* The fixed header; false if it was cut (the layer is marked). */
static bool dhcp_header(struct dissection *d, struct cursor *c, uint16_t layer, uint8_t *op,
                        uint32_t *xid, const uint8_t **mac)
{
	uint8_t htype, hlen;
	uint32_t flags_off;
	uint16_t flags;

	*op = fld_u8(d, c, "Message type", K_DHCP_TYPE, 1);
	htype = (uint8_t)fld_hex(d, c, 1, 2, "Hardware type", K_DHCP_HW_TYPE, 1);
	hlen = fld_u8(d, c, "Hardware address length", K_DHCP_HW_LEN, 1);
	fld_u8(d, c, "Hops", K_DHCP_HOPS, 1);
	*xid = fld_hex(d, c, 4, 8, "Transaction ID", K_DHCP_ID, 1);
	fld_u16(d, c, "Seconds elapsed", K_DHCP_SECS, 1);
	flags_off = c->off;
	flags = (uint16_t)fld_hex(d, c, 2, 4, "Bootp flags", K_DHCP_FLAGS, 1);
	if (!c->truncated) {
		fld_add(d, flags_off, 2, "Broadcast flag", K_DHCP_FLAGS_BC, FT_BOOL, 2,
		        flags >> 15);
		uint16_t i = fld_add(d, flags_off, 2, "Reserved flags", K_DHCP_FLAGS_RESERVED,
		                     FT_HEX, 2, flags & 0x7fffu);
		d->f[i].width = 4;
	}
	fld_addr(d, c, FT_IPV4, "Client IP address", K_DHCP_IP_CLIENT, 1);
	fld_addr(d, c, FT_IPV4, "Your (client) IP address", K_DHCP_IP_YOUR, 1);
	fld_addr(d, c, FT_IPV4, "Next server IP address", K_DHCP_IP_SERVER, 1);
	fld_addr(d, c, FT_IPV4, "Relay agent IP address", K_DHCP_IP_RELAY, 1);
	*mac = (htype == 1 || htype == 6) && hlen == 6 && cur_has(c, 6) ? c->base + c->off : NULL;
	if (cur_has(c, 16))
		chaddr(d, c, htype, hlen);
	else
		c->truncated = true;
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return false;
	}
	return true;
}

void dhcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_DHCP);
	struct cursor msg = cur_rest(c);
	uint32_t start = c->off, xid = 0;
	struct dhcp_scan s = {-1, 0};
	const uint8_t *mac = NULL;
	uint32_t cookie = 0;
	uint8_t op = 0;
	bool ok;

	(void)plen;
	if (!dhcp_header(d, c, layer, &op, &xid, &mac))
		goto out;
	if (!cur_has(c, DHCP_SNAME_LEN + DHCP_FILE_LEN)) {
		c->truncated = true;
		diss_trunc(d, layer, c);
		goto out;
	}
	if (cur_has(c, DHCP_SNAME_LEN + DHCP_FILE_LEN + 4)) {
		struct cursor p = *c;
		cur_skip(&p, DHCP_SNAME_LEN + DHCP_FILE_LEN);
		cookie = cur_be32(&p);
		if (cookie == DHCP_COOKIE)
			dhcp_scan(cur_rest(&p), &s);
	}
	if (!(s.overload & 2))
		name_area(d, start + DHCP_SNAME_OFF, DHCP_SNAME_LEN, "Server host name",
		          K_DHCP_SERVER);
	if (!(s.overload & 1))
		name_area(d, start + DHCP_FILE_OFF, DHCP_FILE_LEN, "Boot file name", K_DHCP_FILE);
	cur_skip(c, DHCP_SNAME_LEN + DHCP_FILE_LEN);
	if (cookie == DHCP_COOKIE) {
		struct dhcp_ctx x = {d, &msg, start, false, false};
		fld_addr(d, c, FT_IPV4, "Magic cookie", K_DHCP_COOKIE, 1);
		ok = dhcp_options(&x, c, 1, true);
		c->truncated |= !ok || x.cut;
	} else {
		cur_skip(c, DHCP_VENDOR_LEN); /* tshark's BOOTP vendor area, no options */
	}
	if (c->truncated)
		diss_trunc(d, layer, c);
	else
		diss_layer_end(d, layer, c);
out:
	dhcp_summary(d, &s, op, xid, mac);
}
