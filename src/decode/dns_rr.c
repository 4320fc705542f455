/*
 * dns_rr.c - DNS resource records (RFC 1035 3.2.1, 4.1.3): the answer, authority and
 * additional sections, with the data of the types names are learned from.
 *
 *   +--------------------------------+
 *   | NAME (compressed, dns.c)       |
 *   +-------+-------+----------------+
 *   | TYPE  | CLASS |      TTL       |
 *   +-------+-------+--------+-------+
 *   | RDLENGTH | RDATA (RDLENGTH bytes)
 *
 * OPT (RFC 6891) reuses CLASS as the UDP payload size and TTL as extended flags: tshark shows
 * neither dns.resp.class nor dns.resp.ttl for it. Record data is read inside its own window
 * (names in it may point anywhere in the message). At most DNS_MAX_RRS records are decoded.
 */
#include "decode/dns_int.h"

#define DNS_MAX_RRS 48
#define DNS_T_OPT   41

enum rdata_kind { RD_NONE, RD_A, RD_AAAA, RD_NAME, RD_MX, RD_SOA, RD_WKS, RD_NSEC };

/* The record types whose data is decoded, and the field of their (first) name. */
static const struct {
	uint16_t type;
	enum rdata_kind kind;
	enum field_key key;
	const char *label;
} rdata_rows[] = {
    {1, RD_A, K_DNS_A, "Address"},
    {28, RD_AAAA, K_DNS_AAAA, "AAAA Address"},
    {2, RD_NAME, K_DNS_NS, "Name Server"},
    {5, RD_NAME, K_DNS_CNAME, "CNAME"},
    {12, RD_NAME, K_DNS_PTR_DOMAIN_NAME, "Domain Name"},
    {15, RD_MX, K_DNS_MX_MAIL_EXCHANGE, "Mail Exchange"},
    {6, RD_SOA, K_DNS_SOA_MNAME, "Primary name server"},
    {11, RD_WKS, K_NONE, "Address"},
    {47, RD_NSEC, K_NONE, "Next Domain Name"},
};

/* A name in record data as a field, and in Info; false (layer marked) if it is bad. */
static bool rdata_name(struct dissection *d, struct dns_msg *m, struct cursor *w,
                       enum field_key key, const char *label, bool info)
{
	uint32_t off = w->off;
	struct dns_name n;
	enum dns_name_status st = dns_read_name(&m->msg, w, &n);

	if (dns_bad_name(d, m, w, off, st))
		return false;
	dns_name_field(d, off, w->off - off, label, key, 3, &n);
	if (info && m->info)
		dns_info_name(m->info, &n);
	return true;
}

/* NSEC's type bit map (RFC 4034 4.1.2): windows of a block number, a length (1..32) and the
 * bits, each set bit a type; tshark shows each as dns.resp.type. Bounded by the window. */
static void type_bitmap(struct dissection *d, struct cursor *w)
{
	while (cur_left(w) >= 2) {
		uint32_t off = w->off;
		uint8_t block = cur_u8(w), len = cur_u8(w);
		const uint8_t *bits = cur_bytes(w, len);

		if (!bits || len == 0 || len > 32)
			return;
		for (unsigned i = 0; i < len * 8u; i++)
			if (bits[i / 8] & (0x80 >> (i % 8)))
				fld_add(d, off + 2 + i / 8, 1, "RR type in bit map",
				        K_DNS_RESP_TYPE, FT_UINT, 3, block * 256u + i);
	}
}

/* Record data of a decoded type, in its window w. */
static void rdata(struct dissection *d, struct dns_msg *m, struct cursor *w, size_t row)
{
	const uint8_t *a;
	uint16_t pref;

	switch (rdata_rows[row].kind) {
	case RD_A:
	case RD_WKS: /* an address, then the protocol and its bit map */
	case RD_AAAA:
		a = fld_addr(d, w, rdata_rows[row].kind == RD_AAAA ? FT_IPV6 : FT_IPV4,
		             rdata_rows[row].label, rdata_rows[row].key, 3);
		if (a && m->info) {
			sb_str(m->info, " ");
			if (rdata_rows[row].kind == RD_AAAA)
				sb_ipv6(m->info, a);
			else
				sb_ipv4(m->info, a);
		}
		break;
	case RD_NAME:
		rdata_name(d, m, w, rdata_rows[row].key, rdata_rows[row].label, true);
		break;
	case RD_MX:
		pref = fld_u16(d, w, "Preference", K_DNS_MX_PREFERENCE, 3);
		if (w->truncated)
			break;
		if (m->info) {
			sb_str(m->info, " ");
			sb_u32(m->info, pref);
		}
		rdata_name(d, m, w, K_DNS_MX_MAIL_EXCHANGE, "Mail Exchange", true);
		break;
	case RD_SOA:
		if (rdata_name(d, m, w, K_DNS_SOA_MNAME, "Primary name server", true))
			rdata_name(d, m, w, K_DNS_SOA_RNAME, "Responsible authority's mailbox",
			           false);
		break;
	case RD_NSEC:
		if (rdata_name(d, m, w, K_NONE, rdata_rows[row].label, true))
			type_bitmap(d, w);
		break;
	default:
		break;
	}
}

static size_t rdata_row(uint16_t type)
{
	for (size_t i = 0; i < sizeof rdata_rows / sizeof rdata_rows[0]; i++)
		if (rdata_rows[i].type == type)
			return i;
	return SIZE_MAX;
}

/* Type, class, TTL and length after the owner name; false (layer marked) if cut. */
static bool rr_fixed(struct dissection *d, struct dns_msg *m, struct cursor *c, uint16_t *type,
                     uint16_t *rdlen)
{
	*type = fld_u16(d, c, "Type", K_DNS_RESP_TYPE, 2);
	if (!c->truncated && *type == DNS_T_OPT) {
		fld_u16(d, c, "UDP payload size", K_DNS_RR_UDP_PAYLOAD_SIZE, 2);
		fld_hex(d, c, 1, 2, "Higher bits in extended RCODE", K_NONE, 2);
		fld_u8(d, c, "EDNS0 version", K_NONE, 2);
		fld_hex(d, c, 2, 4, "Z", K_NONE, 2);
	} else if (!c->truncated) {
		dns_class(d, m, c, K_DNS_RESP_CLASS, K_DNS_RESP_CACHE_FLUSH, "Cache flush");
		fld_u32(d, c, "Time to live", K_DNS_RESP_TTL, 2);
	}
	*rdlen = fld_u16(d, c, "Data length", K_DNS_RESP_LEN, 2);
	if (c->truncated) {
		diss_trunc(d, m->layer, c);
		return false;
	}
	return true;
}

/* One resource record; false when the section walk must stop. */
static bool dns_rr(struct dissection *d, struct dns_msg *m, struct cursor *c)
{
	uint32_t off = c->off;
	struct dns_name n;
	enum dns_name_status st = dns_read_name(&m->msg, c, &n);
	uint16_t type, rdlen;
	struct cursor w;
	size_t row;

	if (dns_bad_name(d, m, c, off, st))
		return false;
	/* tshark adds a record's subtree over its whole length first: a record cut by the
	 * capture shows none of its fields */
	if (!cur_peek_be16(c, c->off + 8, &rdlen) || !cur_has(c, 10u + rdlen)) {
		c->truncated = true;
		diss_trunc(d, m->layer, c);
		return false;
	}
	dns_name_field(d, off, c->off - off, "Name", K_DNS_RESP_NAME, 2, &n);
	if (!rr_fixed(d, m, c, &type, &rdlen))
		return false;
	if (m->info)
		dns_info_type(m->info, type);
	w = diss_window(c, rdlen);
	row = rdata_row(type);
	if (row != SIZE_MAX)
		rdata(d, m, &w, row);
	if (w.truncated || !cur_skip(c, rdlen)) {
		diss_trunc(d, m->layer, c);
		return false;
	}
	return true;
}

void dns_records(struct dissection *d, struct dns_msg *m, struct cursor *c,
                 const uint16_t counts[3])
{
	static const char *const titles[3] = {"Answers", "Authoritative nameservers",
	                                      "Additional records"};
	unsigned done = 0;

	for (int s = 0; s < 3; s++) {
		if (counts[s] > 0)
			fld_add(d, c->off, 0, titles[s], K_NONE, FT_TEXT, 1, 0);
		for (uint16_t i = 0; i < counts[s]; i++)
			if (done++ >= DNS_MAX_RRS || !dns_rr(d, m, c))
				return;
	}
}
