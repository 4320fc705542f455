/*
 * dns.c - Domain Name System messages (RFC 1035 4.1): header, questions and tshark's Info
 * line; resource records are dns_rr.c. mDNS (RFC 6762) and LLMNR (RFC 4795) use the same
 * format on their ports (dissect.c); on mDNS the class's top bit is a flag.
 *
 *   +-----------------+-----------------+
 *   |       ID        |      Flags      |
 *   +-----------------+-----------------+
 *   |     QDCOUNT     |     ANCOUNT     |
 *   |     NSCOUNT     |     ARCOUNT     |
 *   +-----------------+-----------------+
 *   | questions: name, type (2), class (2) ... then resource records (dns_rr.c)
 *
 * Names may be compressed (4.1.4): a pointer is an offset from the message start. Loops
 * are bounded by a pointer budget, the text by 255 bytes and the label count; a bad name
 * is an invalid value and ends the layer. Label bytes are kept raw in the arena (field.h:
 * escaped when displayed); the root name is "<Root>" as tshark prints it.
 */
#include "decode/dns_int.h"

#define DNS_HDR_LEN       12
#define DNS_MAX_QUESTIONS 8
#define DNS_MAX_LABELS    128
#define DNS_MAX_POINTERS  32

struct dns_flag_bit {
	uint16_t mask;
	uint8_t shift;
	bool response_only;
	enum field_type type;
	enum field_key key;
	const char *label;
};

/* The flag bits as tshark shows them: some only in responses (RFC 1035 4.1.1, RFC 4035), and
 * AD in a query only when set (RFC 6840 5.7). */
static const struct dns_flag_bit dns_flag_bits[] = {
    {0x8000, 15, false, FT_BOOL, K_DNS_FLAGS_RESPONSE, "Response"},
    {0x7800, 11, false, FT_UINT, K_DNS_FLAGS_OPCODE, "Opcode"},
    {0x0400, 10, true, FT_BOOL, K_DNS_FLAGS_AUTHORITATIVE, "Authoritative"},
    {0x0200, 9, false, FT_BOOL, K_DNS_FLAGS_TRUNCATED, "Truncated"},
    {0x0100, 8, false, FT_BOOL, K_DNS_FLAGS_RECDESIRED, "Recursion desired"},
    {0x0080, 7, true, FT_BOOL, K_DNS_FLAGS_RECAVAIL, "Recursion available"},
    {0x0040, 6, false, FT_BOOL, K_DNS_FLAGS_Z, "Z"},
    {0x0020, 5, true, FT_BOOL, K_DNS_FLAGS_AUTHENTICATED, "Answer authenticated"},
    {0x0010, 4, false, FT_BOOL, K_DNS_FLAGS_CHECKDISABLE, "Non-authenticated data"},
    {0x000f, 0, true, FT_UINT, K_DNS_FLAGS_RCODE, "Reply code"},
};

/* LLMNR's (RFC 4795 2.1.1): conflict and tentative where DNS has AA and RD, no others. */
static const struct dns_flag_bit llmnr_flag_bits[] = {
    {0x8000, 15, false, FT_BOOL, K_DNS_FLAGS_RESPONSE, "Response"},
    {0x7800, 11, false, FT_UINT, K_DNS_FLAGS_OPCODE, "Opcode"},
    {0x0400, 10, false, FT_BOOL, K_DNS_FLAGS_CONFLICT, "Conflict"},
    {0x0200, 9, false, FT_BOOL, K_DNS_FLAGS_TRUNCATED, "Truncated"},
    {0x0100, 8, false, FT_BOOL, K_DNS_FLAGS_TENTATIVE, "Tentative"},
    {0x000f, 0, true, FT_UINT, K_DNS_FLAGS_RCODE, "Reply code"},
};

/* tshark's names of the types (packet-dns.c dns_types_vals; others are "Unknown (N)") */
static const struct {
	uint16_t type;
	const char *name;
} dns_types[] = {
    {0, "Unused"},      {1, "A"},           {2, "NS"},      {3, "MD"},        {4, "MF"},
    {5, "CNAME"},       {6, "SOA"},         {7, "MB"},      {8, "MG"},        {9, "MR"},
    {10, "NULL"},       {11, "WKS"},        {12, "PTR"},    {13, "HINFO"},    {14, "MINFO"},
    {15, "MX"},         {16, "TXT"},        {17, "RP"},     {18, "AFSDB"},    {19, "X25"},
    {20, "ISDN"},       {21, "RT"},         {22, "NSAP"},   {23, "NSAP-PTR"}, {24, "SIG"},
    {25, "KEY"},        {26, "PX"},         {27, "GPOS"},   {28, "AAAA"},     {29, "LOC"},
    {30, "NXT"},        {31, "EID"},        {32, "NIMLOC"}, {33, "SRV"},      {34, "ATMA"},
    {35, "NAPTR"},      {36, "KX"},         {37, "CERT"},   {38, "A6"},       {39, "DNAME"},
    {40, "SINK"},       {41, "OPT"},        {42, "APL"},    {43, "DS"},       {44, "SSHFP"},
    {45, "IPSECKEY"},   {46, "RRSIG"},      {47, "NSEC"},   {48, "DNSKEY"},   {49, "DHCID"},
    {50, "NSEC3"},      {51, "NSEC3PARAM"}, {52, "TLSA"},   {53, "SMIMEA"},   {55, "HIP"},
    {56, "NINFO"},      {57, "RKEY"},       {58, "TALINK"}, {59, "CDS"},      {60, "CDNSKEY"},
    {61, "OPENPGPKEY"}, {62, "CSYNC"},      {63, "ZONEMD"}, {64, "SVCB"},     {65, "HTTPS"},
    {99, "SPF"},        {100, "UINFO"},     {101, "UID"},   {102, "GID"},     {103, "UNSPEC"},
    {104, "NID"},       {105, "L32"},       {106, "L64"},   {107, "LP"},      {108, "EUI48"},
    {109, "EUI64"},     {249, "TKEY"},      {250, "TSIG"},  {251, "IXFR"},    {252, "AXFR"},
    {253, "MAILB"},     {254, "MAILA"},     {255, "ANY"},   {256, "URI"},     {257, "CAA"},
    {32768, "TA"},      {32769, "DLV"},
};

/* Appends one label, with the dot before it; false if the name would exceed 255 bytes. */
static bool name_add(struct dns_name *n, const uint8_t *label, uint8_t len)
{
	if (n->len + (n->len > 0) + len > DNS_MAX_NAME)
		return false;
	if (n->len > 0)
		n->text[n->len++] = '.';
	for (uint8_t i = 0; i < len; i++)
		n->text[n->len++] = (char)label[i];
	n->text[n->len] = '\0';
	return true;
}

enum dns_name_status dns_read_name(const struct cursor *msg, struct cursor *c, struct dns_name *n)
{
	struct cursor w = *c;
	int labels = 0, ptrs = 0;

	n->len = 0;
	n->text[0] = '\0';
	n->labels = 0;
	for (;;) {
		uint8_t len = cur_u8(&w);
		if (w.truncated)
			return NAME_TRUNC;
		if (len == 0)
			break;
		if ((len & 0xc0) == 0xc0) {
			uint32_t to = ((len & 0x3fu) << 8) | cur_u8(&w);
			if (w.truncated)
				return NAME_TRUNC;
			if (ptrs++ == 0)
				c->off = w.off;
			if (ptrs > DNS_MAX_POINTERS)
				return NAME_LOOP;
			w = *msg;
			if (!cur_skip(&w, to))
				return NAME_LOOP;
			continue;
		}
		if (len & 0xc0)
			return NAME_LABEL;
		const uint8_t *label = cur_bytes(&w, len);
		if (!label)
			return NAME_TRUNC;
		if (++labels > DNS_MAX_LABELS || !name_add(n, label, len))
			return NAME_LONG;
	}
	n->labels = (unsigned)labels;
	if (ptrs == 0)
		c->off = w.off;
	return NAME_OK;
}

void dns_info_type(struct sbuf *b, uint16_t type)
{
	for (size_t i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (dns_types[i].type == type) {
			sb_str(b, " ");
			sb_str(b, dns_types[i].name);
			return;
		}
	sb_str(b, " Unknown (");
	sb_u32(b, type);
	sb_str(b, ")");
}

void dns_info_name(struct sbuf *b, const struct dns_name *n)
{
	sb_str(b, " ");
	if (n->len)
		sb_esc(b, n->text, n->len);
	else
		sb_str(b, "<Root>");
}

void dns_name_field(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                    enum field_key key, unsigned depth, const struct dns_name *n)
{
	fld_add(d, off, len, label, key, FT_STR, depth,
	        diss_text(d, n->len ? n->text : "<Root>", n->len ? n->len : 6));
}

bool dns_bad_name(struct dissection *d, const struct dns_msg *m, const struct cursor *c,
                  uint32_t off, enum dns_name_status st)
{
	static const char *const what[] = {
	    [NAME_LOOP] = "dns.name_ptr",
	    [NAME_LONG] = "dns.name_len",
	    [NAME_LABEL] = "dns.label_type",
	};

	if (st == NAME_OK)
		return false;
	if (st == NAME_TRUNC)
		diss_trunc(d, m->layer, c);
	else
		diss_invalid(d, m->layer, off, 1, "Bad name", what[st], off - m->msg.off);
	return true;
}

/* The class of a question or record; on mDNS its top bit is a flag of its own (RFC 6762
 * 5.4, 10.2: "QU" question, cache flush) and tshark shows the other 15 bits as the class. */
void dns_class(struct dissection *d, const struct dns_msg *m, struct cursor *c, enum field_key key,
               enum field_key bit, const char *bit_label)
{
	uint32_t off = c->off;
	uint16_t cls;

	if (!m->mdns) {
		fld_hex(d, c, 2, 4, "Class", key, 2);
		return;
	}
	cls = cur_be16(c);
	if (c->truncated)
		return;
	fld_add(d, off, 2, bit_label, bit, FT_BOOL, 2, cls >> 15);
	d->f[fld_add(d, off, 2, "Class", key, FT_HEX, 2, cls & 0x7fff)].width = 4;
}

/* One question; false after marking the layer. */
static bool dns_question(struct dissection *d, struct dns_msg *m, struct cursor *c)
{
	uint32_t off = c->off;
	struct dns_name n;
	enum dns_name_status st = dns_read_name(&m->msg, c, &n);
	uint16_t qtype;

	if (dns_bad_name(d, m, c, off, st)) {
		/* A bad pointer still ends the name in place (dns_read_name moved c past it),
		 * so the type and class that follow are sound; tshark shows them too. Then stop. */
		if (st == NAME_LOOP) {
			fld_u16(d, c, "Type", K_DNS_QRY_TYPE, 2);
			dns_class(d, m, c, K_DNS_QRY_CLASS, K_DNS_QRY_QU, "\"QU\" question");
			if (c->truncated)
				diss_trunc(d, m->layer, c);
		}
		return false;
	}
	dns_name_field(d, off, c->off - off, "Name", K_DNS_QRY_NAME, 2, &n);
	/* tshark counts the root's text, "<Root>", as 6 bytes and one label, and a name of one
	 * character ("a") as 0 bytes and no label (it takes a length up to 1 for the root's) */
	fld_add(d, off, c->off - off, "Name length", K_DNS_QRY_NAME_LEN, FT_UINT, 3,
	        n.len == 1 ? 0
	        : n.len    ? n.len
	                   : 6);
	fld_add(d, off, c->off - off, "Label count", K_DNS_COUNT_LABELS, FT_UINT, 3,
	        n.len == 1 ? 0
	        : n.len    ? n.labels
	                   : 1);
	qtype = fld_u16(d, c, "Type", K_DNS_QRY_TYPE, 2);
	uint32_t coff = c->off;
	dns_class(d, m, c, K_DNS_QRY_CLASS, K_DNS_QRY_QU, "\"QU\" question");
	if (c->truncated) {
		diss_trunc(d, m->layer, c);
		return false;
	}
	if (m->info) {
		dns_info_type(m->info, qtype);
		dns_info_name(m->info, &n);
		if (m->mdns) {
			uint8_t hi = d->data[coff];
			sb_str(m->info, hi & 0x80 ? ", \"QU\" question" : ", \"QM\" question");
		}
	}
	return true;
}

/* The flags word and its bits. */
static uint16_t dns_flags(struct dissection *d, struct cursor *c, bool llmnr)
{
	uint32_t off = c->off;
	uint16_t flags = (uint16_t)fld_hex(d, c, 2, 4, "Flags", K_DNS_FLAGS, 1);
	const struct dns_flag_bit *bits = llmnr ? llmnr_flag_bits : dns_flag_bits;
	size_t n = llmnr ? sizeof llmnr_flag_bits / sizeof llmnr_flag_bits[0]
	                 : sizeof dns_flag_bits / sizeof dns_flag_bits[0];

	if (c->truncated)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!bits[i].response_only || (flags & 0x8000) ||
		    (bits[i].key == K_DNS_FLAGS_AUTHENTICATED && (flags & 0x0020)))
			fld_add(d, off, 2, bits[i].label, bits[i].key, bits[i].type, 2,
			        (flags & bits[i].mask) >> bits[i].shift);
	return flags;
}

/* tshark's Info: "Standard query response 0x1234 No such name A example.com SOA ns..." */
static void dns_info_head(struct sbuf *b, uint16_t id, uint16_t flags)
{
	static const char *const opcodes[] = {
	    [0] = "Standard query",        [1] = "Inverse query",
	    [2] = "Server status request", [4] = "Zone change notification",
	    [5] = "Dynamic update",        [6] = "DNS Stateful operations (DSO)",
	};
	static const char *const rcodes[] = {
	    [1] = "Format error",      [2] = "Server failure",
	    [3] = "No such name",      [4] = "Not implemented",
	    [5] = "Refused",           [6] = "Name exists",
	    [7] = "RRset exists",      [8] = "RRset does not exist",
	    [9] = "Not authoritative", [10] = "Name out of zone",
	};
	unsigned op = (flags >> 11) & 0xf, rc = flags & 0xf;

	sb_named(b, opcodes, sizeof opcodes / sizeof opcodes[0], op, "Unknown operation");
	sb_str(b, flags & 0x8000 ? " response " : " ");
	sb_hex(b, id, 4);
	if (!(flags & 0x8000) || rc == 0)
		return;
	sb_str(b, " ");
	sb_named(b, rcodes, sizeof rcodes / sizeof rcodes[0], rc, "Unknown error");
}

void dns_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct dns_msg m = {.layer = diss_layer(d, c, P_DNS), .msg = cur_rest(c)};
	uint16_t id, flags, qd, counts[3];
	struct sbuf info;

	(void)plen;
	m.mdns = diss_app_port(d) == 5353;
	id = (uint16_t)fld_hex(d, c, 2, 4, "Transaction ID", K_DNS_ID, 1);
	flags = dns_flags(d, c, diss_app_port(d) == 5355);
	if (!c->truncated && sum_begin(d, P_DNS)) { /* tshark's Info has what was read */
		info = sum_info(d);
		m.info = &info;
		dns_info_head(m.info, id, flags);
	}
	qd = fld_u16(d, c, "Questions", K_DNS_COUNT_QUERIES, 1);
	counts[0] = fld_u16(d, c, "Answer RRs", K_DNS_COUNT_ANSWERS, 1);
	counts[1] = fld_u16(d, c, "Authority RRs", K_DNS_COUNT_AUTH_RR, 1);
	counts[2] = fld_u16(d, c, "Additional RRs", K_DNS_COUNT_ADD_RR, 1);
	if (c->truncated) {
		diss_trunc(d, m.layer, c);
		return;
	}
	if (qd > 0) /* tshark's "Queries" subtree: the questions hang under it */
		fld_add(d, c->off, 0, "Queries", K_NONE, FT_TEXT, 1, 0);
	bool ok = true;
	for (uint16_t i = 0; i < qd && i < DNS_MAX_QUESTIONS && ok; i++)
		ok = dns_question(d, &m, c);
	if (ok && qd <= DNS_MAX_QUESTIONS)
		dns_records(d, &m, c, counts);
	diss_layer_end(d, m.layer, c);
}

/*
 * DNS over TCP (RFC 1035 4.2.2): a 2-byte length, then the message. Without reassembly
 * only a message that starts in this segment is decoded, as tshark does with it off.
 */
void dns_tcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct cursor msg;
	uint16_t len;

	if (cur_left(c) < 2 + DNS_HDR_LEN) {
		diss_data(d, c);
		return;
	}
	len = cur_be16(c);
	fld_add(d, c->off - 2, 2, "Length", K_DNS_LENGTH, FT_UINT, 1, len);
	msg = diss_window(c, len);
	dns_dissect(d, &msg, plen > 2 ? plen - 2 : 0);
}
