/*
 * dns.c - Domain Name System messages (RFC 1035 4.1), header and questions.
 *
 *   +-----------------+-----------------+
 *   |       ID        |      Flags      |
 *   +-----------------+-----------------+
 *   |     QDCOUNT     |     ANCOUNT     |
 *   |     NSCOUNT     |     ARCOUNT     |
 *   +-----------------+-----------------+
 *   | questions: name, type (2), class (2) ... then resource records (counted only)
 *
 * Names may be compressed (4.1.4): a pointer is an offset from the message start. Loops
 * are bounded by a pointer budget, the text by 255 bytes and the label count; a bad name
 * is an invalid value and ends the layer. Label bytes are kept raw in the arena (field.h:
 * escaped when displayed); the root name is "<Root>" as tshark prints it.
 */
#include "decode/dissector.h"

#define DNS_HDR_LEN       12
#define DNS_MAX_QUESTIONS 8
#define DNS_MAX_NAME      255
#define DNS_MAX_LABELS    128
#define DNS_MAX_POINTERS  32

enum name_status { NAME_OK, NAME_TRUNC, NAME_LOOP, NAME_LONG, NAME_LABEL };

struct dns_name {
	char text[DNS_MAX_NAME + 1];
	size_t len;
	unsigned labels;
};

/* The flag bits as tshark shows them: some only in responses (RFC 1035 4.1.1, RFC 4035), and
 * AD in a query only when set (RFC 6840 5.7). */
static const struct {
	uint16_t mask;
	uint8_t shift;
	bool response_only;
	enum field_type type;
	enum field_key key;
	const char *label;
} dns_flag_bits[] = {
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

static const struct {
	uint16_t type;
	const char *name;
} dns_types[] = {
    {1, "A"},     {2, "NS"},   {5, "CNAME"}, {6, "SOA"},   {12, "PTR"},   {15, "MX"},   {16, "TXT"},
    {28, "AAAA"}, {33, "SRV"}, {41, "OPT"},  {64, "SVCB"}, {65, "HTTPS"}, {255, "ANY"},
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

/*
 * Reads the name at c's position; c ends after the name as stored in place (after the
 * first pointer). msg is the window of the whole message, for following pointers.
 */
static enum name_status read_name(const struct cursor *msg, struct cursor *c, struct dns_name *n)
{
	struct cursor w = *c;
	int labels = 0, ptrs = 0;

	n->len = 0;
	n->text[0] = '\0';
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

static const char *type_name(uint16_t type)
{
	for (size_t i = 0; i < sizeof(dns_types) / sizeof(dns_types[0]); i++)
		if (dns_types[i].type == type)
			return dns_types[i].name;
	return NULL;
}

/* "query A example.com, id 0x1234" / "response A example.com, id 0x1234, 2 answers" */
static void dns_summary(struct dissection *d, uint16_t id, uint16_t flags, uint16_t an,
                        const struct dns_name *q, uint16_t qtype)
{
	struct sbuf b;

	if (!sum_begin(d, P_DNS))
		return;
	b = sum_info(d);
	sb_str(&b, flags & 0x8000 ? "response" : "query");
	if (q) {
		const char *tn = type_name(qtype);
		sb_str(&b, " ");
		sb_str(&b, tn ? tn : "TYPE");
		if (!tn)
			sb_u32(&b, qtype);
		sb_str(&b, " ");
		sb_esc(&b, q->text, q->len);
	}
	sb_str(&b, ", id ");
	sb_hex(&b, id, 4);
	if (flags & 0x8000) {
		sb_str(&b, ", ");
		sb_u32(&b, an);
		sb_str(&b, an == 1 ? " answer" : " answers");
	}
}

/* One question into *n and *qtype; false after marking the layer. */
static bool dns_question(struct dissection *d, const struct cursor *msg, struct cursor *c,
                         uint16_t layer, struct dns_name *n, uint16_t *qtype)
{
	uint32_t off = c->off;
	enum name_status st = read_name(msg, c, n);
	static const char *const what[] = {
	    [NAME_LOOP] = "dns.name_ptr",
	    [NAME_LONG] = "dns.name_len",
	    [NAME_LABEL] = "dns.label_type",
	};

	if (st == NAME_TRUNC) {
		diss_trunc(d, layer, c);
		return false;
	}
	if (st != NAME_OK) {
		diss_invalid(d, layer, off, 1, "Bad name", what[st], off - msg->off);
		/* A bad pointer still ends the name in place (read_name moved c past it), so
		 * the type and class that follow are sound; tshark shows them too. Then stop. */
		if (st == NAME_LOOP) {
			fld_u16(d, c, "Type", K_DNS_QRY_TYPE, 2);
			fld_hex(d, c, 2, 4, "Class", K_DNS_QRY_CLASS, 2);
			if (c->truncated)
				diss_trunc(d, layer, c);
		}
		return false;
	}
	fld_add(d, off, c->off - off, "Name", K_DNS_QRY_NAME, FT_STR, 2,
	        diss_text(d, n->len ? n->text : "<Root>", n->len ? n->len : 6));
	/* tshark counts the root's text, "<Root>", as 6 bytes and one label, and a name of one
	 * character ("a") as 0 bytes and no label (it takes a length up to 1 for the root's) */
	fld_add(d, off, c->off - off, "Name length", K_DNS_QRY_NAME_LEN, FT_UINT, 3,
	        n->len == 1 ? 0
	        : n->len    ? n->len
	                    : 6);
	fld_add(d, off, c->off - off, "Label count", K_DNS_COUNT_LABELS, FT_UINT, 3,
	        n->len == 1 ? 0
	        : n->len    ? n->labels
	                    : 1);
	*qtype = fld_u16(d, c, "Type", K_DNS_QRY_TYPE, 2);
	fld_hex(d, c, 2, 4, "Class", K_DNS_QRY_CLASS, 2);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return false;
	}
	return true;
}

/* The flags word and its bits. */
static uint16_t dns_flags(struct dissection *d, struct cursor *c)
{
	uint32_t off = c->off;
	uint16_t flags = (uint16_t)fld_hex(d, c, 2, 4, "Flags", K_DNS_FLAGS, 1);

	if (c->truncated)
		return 0;
	for (size_t i = 0; i < sizeof dns_flag_bits / sizeof dns_flag_bits[0]; i++)
		if (!dns_flag_bits[i].response_only || (flags & 0x8000) ||
		    (dns_flag_bits[i].key == K_DNS_FLAGS_AUTHENTICATED && (flags & 0x0020)))
			fld_add(d, off, 2, dns_flag_bits[i].label, dns_flag_bits[i].key,
			        dns_flag_bits[i].type, 2,
			        (flags & dns_flag_bits[i].mask) >> dns_flag_bits[i].shift);
	return flags;
}

void dns_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_DNS);
	struct cursor msg = cur_rest(c);
	uint16_t id, flags, qd, an, qtype = 0;
	struct dns_name first, n;
	bool got = false;

	(void)plen;
	id = (uint16_t)fld_hex(d, c, 2, 4, "Transaction ID", K_DNS_ID, 1);
	flags = dns_flags(d, c);
	qd = fld_u16(d, c, "Questions", K_DNS_COUNT_QUERIES, 1);
	an = fld_u16(d, c, "Answer RRs", K_DNS_COUNT_ANSWERS, 1);
	fld_u16(d, c, "Authority RRs", K_DNS_COUNT_AUTH_RR, 1);
	fld_u16(d, c, "Additional RRs", K_DNS_COUNT_ADD_RR, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	if (qd > 0) /* tshark's "Queries" subtree: the questions hang under it */
		fld_add(d, c->off, 0, "Queries", K_NONE, FT_TEXT, 1, 0);
	for (uint16_t i = 0; i < qd && i < DNS_MAX_QUESTIONS; i++) {
		uint16_t t;
		if (!dns_question(d, &msg, c, layer, i == 0 ? &first : &n, &t))
			break;
		if (i == 0) {
			got = true;
			qtype = t;
		}
	}
	diss_layer_end(d, layer, c);
	dns_summary(d, id, flags, an, got ? &first : NULL, qtype);
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
