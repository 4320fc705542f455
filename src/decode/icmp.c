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

/* tshark 4.0's names (packet-icmp.c): the type padded to 20 columns, then the code's name in
 * parentheses for the types that have code names. */
static const char *const icmp_names[] = {
    [0] = "Echo (ping) reply",
    [1] = "Reserved",
    [2] = "Reserved",
    [3] = "Destination unreachable",
    [4] = "Source quench (flow control)",
    [5] = "Redirect",
    [6] = "Alternate host address",
    [8] = "Echo (ping) request",
    [9] = "Router advertisement",
    [10] = "Router solicitation",
    [11] = "Time-to-live exceeded",
    [12] = "Parameter problem",
    [13] = "Timestamp request",
    [14] = "Timestamp reply",
    [15] = "Information request",
    [16] = "Information reply",
    [17] = "Address mask request",
    [18] = "Address mask reply",
    [19] = "Reserved (for security)",
    [30] = "Traceroute",
    [31] = "Datagram Conversion Error",
    [32] = "Mobile Host Redirect",
    [33] = "IPv6 Where-Are-You",
    [34] = "IPv6 I-Am-Here",
    [35] = "Mobile Registration Request",
    [36] = "Mobile Registration Reply",
    [37] = "Domain Name Request",
    [38] = "Domain Name Reply",
    [39] = "SKIP",
    [40] = "Photuris",
    [41] = "Experimental mobility protocols",
    [42] = "Extended Echo request",
    [43] = "Extended Echo reply",
};

static const char *const unreach_codes[] = {
    "Network unreachable",
    "Host unreachable",
    "Protocol unreachable",
    "Port unreachable",
    "Fragmentation needed",
    "Source route failed",
    "Destination network unknown",
    "Destination host unknown",
    "Source host isolated",
    "Network administratively prohibited",
    "Host administratively prohibited",
    "Network unreachable for TOS",
    "Host unreachable for TOS",
    "Communication administratively filtered",
    "Host precedence violation",
    "Precedence cutoff in effect",
};
static const char *const redirect_codes[] = {"Redirect for network", "Redirect for host",
                                             "Redirect for TOS and network",
                                             "Redirect for TOS and host"};
static const char *const ttl_codes[] = {"Time to live exceeded in transit",
                                        "Fragment reassembly time exceeded"};
static const char *const param_codes[] = {"Pointer indicates the error", "Required option missing",
                                          "Bad length"};
static const char *const radv_codes[] = {
    [0] = "Normal router advertisement", [16] = "Does not route common traffic"};
static const char *const alt_codes[] = {"Alternate address for host"};
static const char *const photuris_codes[] = {
    "Bad SPI",           "Authentication Failed", "Decompression Failed",
    "Decryption Failed", "Need Authentication",   "Need Authorization"};
static const char *const ext_echo_codes[] = {"No error", "Malformed Query", "No Such Interface",
                                             "No Such Table Entry",
                                             "Multiple Interfaces Satisfy Query"};

#define CODES(t)                                                                                   \
	{                                                                                          \
		t, sizeof t / sizeof t[0]                                                          \
	}
static const struct {
	const char *const *names;
	size_t n;
} icmp_codes[] = {
    [3] = CODES(unreach_codes),   [5] = CODES(redirect_codes),  [6] = CODES(alt_codes),
    [9] = CODES(radv_codes),      [11] = CODES(ttl_codes),      [12] = CODES(param_codes),
    [40] = CODES(photuris_codes), [42] = CODES(ext_echo_codes), [43] = CODES(ext_echo_codes),
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

/* The TTL (IPv4) or hop limit (IPv6) of the IP header that carried the layer `layer`, as
 * tshark's "ttl=64"; -1 if there is none. Layer nodes are kept in summary mode too. */
int diss_ip_ttl(const struct dissection *d, uint16_t layer)
{
	for (uint16_t i = layer; i-- > 0;) {
		const struct field *f = &d->f[i];
		uint32_t at = f->off + (f->proto == P_IPV4 ? 8 : 7);
		if (f->type != FT_LAYER || (f->proto != P_IPV4 && f->proto != P_IPV6))
			continue;
		return at < d->caplen ? d->data[at] : -1;
	}
	return -1;
}

/* "Echo (ping) request  id=0x0001, seq=2/512, ttl=64" (tshark 4.0's Info, one pass) */
static void icmp_summary(struct dissection *d, uint16_t layer, uint8_t type, uint8_t code,
                         const uint16_t *echo, bool mobile)
{
	const char *name =
	    type < sizeof icmp_names / sizeof icmp_names[0] ? icmp_names[type] : NULL;
	struct sbuf b;
	int ttl;

	if (!sum_begin(d, P_ICMP))
		return;
	b = sum_info(d);
	sb_str(&b, mobile ? "Mobile IP Advertisement"
	           : name ? name
	                  : "Unknown ICMP (obsolete or malformed?)");
	/* padded to 20 as tshark pads it; bounded by count, not by the text, which a lean pass
	 * (dissect_transport: no room) never grows */
	for (size_t pad = b.len; pad < 20; pad++)
		sb_str(&b, " ");
	if (type < sizeof icmp_codes / sizeof icmp_codes[0] && icmp_codes[type].names) {
		sb_str(&b, " (");
		if (code < icmp_codes[type].n && icmp_codes[type].names[code]) {
			sb_str(&b, icmp_codes[type].names[code]);
		} else {
			sb_str(&b, "Unknown code: ");
			sb_u32(&b, code);
		}
		sb_str(&b, ")");
	}
	if (!echo)
		return;
	sb_str(&b, " id=");
	sb_hex(&b, echo[0], 4);
	sb_str(&b, ", seq=");
	sb_u32(&b, echo[1]);
	sb_str(&b, "/");
	sb_u32(&b, (uint16_t)(echo[1] >> 8 | echo[1] << 8));
	ttl = diss_ip_ttl(d, layer);
	if (ttl >= 0) {
		sb_str(&b, ", ttl=");
		sb_u32(&b, (uint32_t)ttl);
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
	uint16_t echo[2], cksum;
	uint8_t type, code;
	struct cursor pay;

	(void)plen;
	type = fld_u8(d, c, "Type", K_ICMP_TYPE, 1);
	code = fld_u8(d, c, "Code", K_ICMP_CODE, 1);
	cksum = (uint16_t)fld_hex(d, c, 2, 4, "Checksum", K_ICMP_CHECKSUM, 1);
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
	/* tshark matches echoes outside error packets only */
	if ((type == 0 || type == 8) && !d->quoted)
		d->sum.echo = (struct sum_echo){P_ICMP, type == 0, cksum, echo[0], echo[1], c->off};
	/* tshark names every router advertisement of code 0 or 16 so */
	icmp_summary(d, layer, type, code, icmp_has_ident(type) ? echo : NULL,
	             type == 9 && (code == 0 || code == 16));
	pay = cur_rest(c);
	if (icmp_is_error(type))
		icmp_quote(d, &pay);
	else
		diss_data(d, &pay);
}
