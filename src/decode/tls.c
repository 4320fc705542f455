/*
 * tls.c - TLS records over TCP (RFC 8446 5.1, RFC 5246 6.2) and the handshake message
 * headers (RFC 8446 4); hello bodies and extensions in tls_hs.c, fingerprints in tls_ja.c.
 *
 *   record:    +------+---------+--------+------------------+
 *              | type | version | length | fragment ...     |
 *              |  1   |    2    |   2    | length bytes     |
 *              +------+---------+--------+------------------+
 *   handshake: +------+--------+---------------------+
 *              | type | length | body (length bytes) |
 *              |  1   |   3    |                     |
 *              +------+--------+---------------------+
 *
 * The Protocol column and Info are tshark's: the column names the session's version once a
 * ServerHello or an authoritative record gave it (tls_conv.c keeps it per stream), else the last
 * record's; Info lists the messages joined with ", ". A ClientHello's Info names its server
 * ("Client Hello (SNI=example.com)", as Wireshark 4.2 and later; tshark 4.0 prints "Client Hello"
 * alone). A record that runs past its segment is left to reassembly (reasm.h) or, without it, not
 * decoded, as tshark does; a handshake message that runs past its record is "[Client Hello
 * Fragment]" there and, when the caller follows the capture in order (d->tls_hsr), is reassembled
 * from the next handshake records of its direction and decoded whole in the frame of its last byte
 * (tls_hsr.h). A Certificate message's framing is decoded (tls_hs.c), its X.509 bodies not.
 * Bytes after records that start none are left to tls_conv.c (d->tls_stop), whose reading
 * depends on the stream's session version, as is a segment of a TLS stream that starts none.
 */
#include <string.h>

#include "decode/reasm.h"
#include "decode/tls.h"
#include "decode/tls_hsr.h"
#include "decode/tls_int.h"

#define TLS_REC_HDR 5
#define TLS_REC_MAX (16384u + 2048u) /* RFC 5246 6.2.3: the longest ciphertext fragment */
#define TLS_HS_HDR  4

enum { CT_CCS = 20, CT_ALERT = 21, CT_HANDSHAKE = 22, CT_APP_DATA = 23, CT_HEARTBEAT = 24 };

static const struct {
	uint8_t type;
	const char *name;
} hs_names[] = {
    {0, "Hello Request"},      {1, "Client Hello"},         {2, "Server Hello"},
    {4, "New Session Ticket"}, {5, "End of Early Data"},    {8, "Encrypted Extensions"},
    {11, "Certificate"},       {12, "Server Key Exchange"}, {13, "Certificate Request"},
    {14, "Server Hello Done"}, {15, "Certificate Verify"},  {16, "Client Key Exchange"},
    {20, "Finished"},          {22, "Certificate Status"},  {24, "Key Update"},
    {254, "Message Hash"},
};

static const struct {
	uint8_t code;
	const char *name;
} alert_names[] = {
    {0, "Close Notify"},
    {10, "Unexpected Message"},
    {20, "Bad Record MAC"},
    {21, "Decryption Failed"},
    {22, "Record Overflow"},
    {30, "Decompression Failure"},
    {40, "Handshake Failure"},
    {41, "No Certificate"},
    {42, "Bad Certificate"},
    {43, "Unsupported Certificate"},
    {44, "Certificate Revoked"},
    {45, "Certificate Expired"},
    {46, "Certificate Unknown"},
    {47, "Illegal Parameter"},
    {48, "Unknown CA"},
    {49, "Access Denied"},
    {50, "Decode Error"},
    {51, "Decrypt Error"},
    {60, "Export Restriction"},
    {70, "Protocol Version"},
    {71, "Insufficient Security"},
    {80, "Internal Error"},
    {86, "Inappropriate Fallback"},
    {90, "User Canceled"},
    {100, "No Renegotiation"},
    {109, "Missing Extension"},
    {110, "Unsupported Extension"},
    {111, "Certificate Unobtainable"},
    {112, "Unrecognized Name"},
    {113, "Bad Certificate Status Response"},
    {114, "Bad Certificate Hash Value"},
    {115, "Unknown PSK Identity"},
    {116, "Certificate Required"},
    {120, "No application Protocol"},
};

static const char *hs_name(uint8_t type)
{
	for (size_t i = 0; i < sizeof hs_names / sizeof hs_names[0]; i++)
		if (hs_names[i].type == type)
			return hs_names[i].name;
	return NULL;
}

static const char *alert_name(uint8_t code)
{
	for (size_t i = 0; i < sizeof alert_names / sizeof alert_names[0]; i++)
		if (alert_names[i].code == code)
			return alert_names[i].name;
	return NULL;
}

uint16_t tls_column_proto(uint16_t version)
{
	switch (version) {
	case 0x0300:
		return P_TLS_COL_SSLV3;
	case 0x0301:
		return P_TLS_COL_TLSV1;
	case 0x0302:
		return P_TLS_COL_TLSV11;
	case 0x0303:
		return P_TLS_COL_TLSV12;
	case 0x0304:
		return P_TLS_COL_TLSV13;
	default:
		return P_TLS_COL_SSL;
	}
}

bool tls_is_column(uint16_t proto)
{
	return proto >= P_TLS_COL_SSL && proto <= P_TLS_COL_TLSV13;
}

/* Appends one message to Info, after ", " when TLS wrote some already in this packet. */
static struct sbuf info_next(struct dissection *d)
{
	struct sbuf b;

	if (!tls_is_column(d->sum.proto)) {
		if (!sum_begin(d, P_TLS_COL_SSL))
			return (struct sbuf){NULL, 0, 0};
		return sum_info(d);
	}
	b = (struct sbuf){d->sum.info, strlen(d->sum.info), sizeof d->sum.info};
	sb_str(&b, ", ");
	return b;
}

void tls_info_add(struct dissection *d, const char *msg)
{
	struct sbuf b = info_next(d);

	if (b.p)
		sb_str(&b, msg);
}

/* "Client Hello (SNI=example.com)", as the issue asks and Wireshark 4.2 and later print it
 * (tshark 4.0 prints "Client Hello" alone); the name is escaped. */
static void client_hello_info(struct dissection *d, const struct tls_hello *h)
{
	struct sbuf b = info_next(d);

	if (!b.p)
		return;
	sb_str(&b, "Client Hello");
	if (h->sni_name && h->sni_len) {
		sb_str(&b, " (SNI=");
		sb_esc(&b, (const char *)h->sni_name, h->sni_len);
		sb_str(&b, ")");
	}
}

bool tls_looks(const struct cursor *c)
{
	const uint8_t *p = c->base + c->off;
	uint32_t len;

	if (cur_left(c) < TLS_REC_HDR)
		return false;
	len = (uint32_t)p[3] << 8 | p[4];
	return p[0] >= CT_CCS && p[0] <= CT_APP_DATA && p[1] == 3 && p[2] <= 4 && len > 0 &&
	       len <= TLS_REC_MAX;
}

uint32_t tls_pdu_len(const uint8_t *p, uint32_t n)
{
	struct cursor c;

	if (n < TLS_REC_HDR)
		return REASM_NEED_MORE;
	cur_init(&c, p, n);
	if (!tls_looks(&c))
		return REASM_NOT_MINE;
	return TLS_REC_HDR + ((uint32_t)p[3] << 8 | p[4]);
}

/* ---- handshake messages ---- */

static bool one_message(const struct cursor *body, uint32_t len);

/* One message of type t in body; hello messages are decoded, others only named. */
static void message(struct dissection *d, struct cursor *body, uint8_t t, unsigned depth, bool quic)
{
	struct tls_hello h;

	memset(&h, 0, sizeof h);
	h.quic = quic;
	h.client = t == 1;
	if (t == 1) {
		tls_client_hello(d, body, depth, &h);
		if (!h.bad && d->tree && !d->no_fingerprints) /* fields: a summary has none */
			tls_ja_client(d, &h, depth);
		client_hello_info(d, &h);
		return;
	}
	if (t == 12)
		tls_server_key_exchange(d, body, depth);
	if (t == 11)
		tls_certificate(d, body, depth);
	if (t != 2) {
		tls_info_add(d, hs_name(t));
		return;
	}
	tls_server_hello(d, body, depth, &h);
	if (!h.chosen)
		h.chosen = h.version;
	d->tls_version = h.chosen;
	if (!h.bad && d->tree && !d->no_fingerprints)
		tls_ja_server(d, &h, depth);
	tls_info_add(d, h.hrr ? "Hello Retry Request" : "Server Hello");
}

static void fragment_info(struct dissection *d, uint8_t type)
{
	struct sbuf b = info_next(d);

	if (!b.p)
		return;
	sb_str(&b, "[");
	sb_str(&b, hs_name(type));
	sb_str(&b, " Fragment]");
}

/* One whole message at c (its header and body there), decoded; c moves past it. */
static void one_hs_message(struct dissection *d, struct cursor *c, unsigned depth, bool quic)
{
	uint32_t off = c->off;
	const uint8_t *p = c->base + c->off;
	uint32_t len = (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
	struct cursor body;

	fld_add(d, off, TLS_HS_HDR + len, "Handshake Protocol", K_NONE, FT_TEXT, depth, 0);
	fld_u8(d, c, "Handshake Type", K_TLS_HS_TYPE, depth + 1);
	fld_add(d, off + 1, 3, "Length", K_TLS_HS_LENGTH, FT_UINT, depth + 1, len);
	cur_skip(c, 3);
	body = cur_sub(c, len);
	message(d, &body, p[0], depth + 1, quic);
	cur_skip(c, len);
}

/* tls_hsr.c's callback for a message reassembled across records. */
static void reassembled_message(struct dissection *d, struct cursor *c, unsigned depth)
{
	one_hs_message(d, c, depth, false);
}

/* Messages from c until its end; `first`: no message of the record came before (tshark names
 * only a record's first fragment in Info). */
static void hs_messages(struct dissection *d, struct cursor *c, unsigned depth, bool quic,
                        bool first)
{
	for (; cur_left(c) > 0 && !c->truncated; first = false) {
		const uint8_t *p = c->base + c->off;
		uint32_t len = cur_left(c) >= TLS_HS_HDR
		                   ? (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]
		                   : UINT32_MAX;

		if (!hs_name(p[0])) { /* tshark's reading of encrypted bytes */
			if (first)
				tls_info_add(d, "Encrypted Handshake Message");
			return;
		}
		if (len == UINT32_MAX || len > cur_left(c) - TLS_HS_HDR) {
			/* the message goes on in the next records: kept for them when the caller
			 * follows the stream (tls_hsr.h), named as tshark names a first part */
			if (!quic)
				tls_hsr_start(d, c, depth);
			if (first)
				fragment_info(d, p[0]);
			return;
		}
		one_hs_message(d, c, depth, quic);
	}
}

void tls_handshake_dissect(struct dissection *d, struct cursor *c, unsigned depth, bool quic)
{
	hs_messages(d, c, depth, quic, true);
}

/* A handshake record's body: first the rest of a message earlier records began (tls_hsr.h),
 * then its own messages; encrypted bytes as tshark guesses them (after a change cipher spec,
 * or a first message of 64 KiB or more in a record of 16 bytes or more). */
static void handshake_record(struct dissection *d, struct cursor *body, uint32_t len, bool ccs)
{
	const uint8_t *p = body->base + body->off;

	tls_hsr_record(d, body);
	if (tls_hsr_continue(d, body, 2, reassembled_message)) {
		hs_messages(d, body, 2, false, false);
		return;
	}
	if ((ccs && !one_message(body, len)) ||
	    (len >= 16 && (p[1] != 0 || !memcmp(p, "\0\0\0\0\0", 5))))
		tls_info_add(d, "Encrypted Handshake Message");
	else
		hs_messages(d, body, 2, false, true);
}

/* ---- records ---- */

static void alert(struct dissection *d, struct cursor *c, uint32_t len)
{
	struct sbuf b;
	uint8_t level, desc;
	const char *name;

	fld_add(d, c->off, len, "Alert Message", K_TLS_ALERT_MESSAGE, FT_PRESENT, 1, 0);
	if (len != 2) { /* tshark: any other length is an encrypted alert */
		tls_info_add(d, "Encrypted Alert");
		return;
	}
	level = fld_u8(d, c, "Level", K_TLS_ALERT_LEVEL, 2);
	desc = fld_u8(d, c, "Description", K_TLS_ALERT_DESC, 2);
	b = info_next(d);
	if (!b.p)
		return;
	sb_str(&b, "Alert (Level: ");
	sb_str(&b, level == 1 ? "Warning" : level == 2 ? "Fatal" : "Unknown");
	sb_str(&b, ", Description: ");
	name = alert_name(desc);
	if (name) {
		sb_str(&b, name);
	} else {
		sb_str(&b, "Unknown (");
		sb_u32(&b, desc);
		sb_str(&b, ")");
	}
	sb_str(&b, ")");
}

/* True if the record body is exactly one handshake message of a known type. */
static bool one_message(const struct cursor *body, uint32_t len)
{
	const uint8_t *p = body->base + body->off;

	return len >= TLS_HS_HDR && cur_left(body) >= TLS_HS_HDR && hs_name(p[0]) &&
	       ((uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]) + TLS_HS_HDR == len;
}

/* tshark's ssl_try_set_version(): a record whose version a conversation takes as its own (any
 * type but a handshake, or a handshake message other than a ClientHello), SSL 3.0 to TLS 1.2. */
static void note_auth_version(struct dissection *d, uint8_t type, uint16_t ver,
                              const struct cursor *body)
{
	bool hs = type == CT_HANDSHAKE;
	uint8_t t = cur_left(body) ? body->base[body->off] : 0;

	if (d->tls_auth_ver || ver < 0x0300 || ver > 0x0303 || (hs && (!hs_name(t) || t == 1)))
		return;
	d->tls_auth_ver = ver;
}

/* A heartbeat record (RFC 6520): tshark reads it as plain only when its lengths fit. */
static void heartbeat(struct dissection *d, const struct cursor *body, uint32_t len)
{
	const uint8_t *p = body->base + body->off;
	uint32_t plen = cur_left(body) >= 3 ? (uint32_t)p[1] << 8 | p[2] : UINT32_MAX;

	if (cur_left(body) >= 3 && (p[0] == 1 || p[0] == 2) && len >= 19 && plen <= len - 19)
		tls_info_add(d, p[0] == 1 ? "Heartbeat Request" : "Heartbeat Response");
	else
		tls_info_add(d, "Encrypted Heartbeat");
}

/* One whole record at c (its header is a record's and its bytes are there). */
void tls_record(struct dissection *d, struct cursor *c, bool *ccs)
{
	uint32_t off = c->off;
	uint8_t type = c->base[off];
	uint16_t ver, len;
	struct cursor body;
	/* TLS 1.3 hides the type of what it encrypts (tshark: "Opaque Type") */
	bool opaque = type == CT_APP_DATA && d->tls_version == 0x0304;

	len = (uint16_t)(c->base[off + 3] << 8 | c->base[off + 4]);
	fld_add(d, off, TLS_REC_HDR + len, "TLS Record Layer", K_NONE, FT_TEXT, 1, 0);
	fld_u8(d, c, opaque ? "Opaque Type" : "Content Type",
	       opaque ? K_TLS_RECORD_OPAQUE_TYPE : K_TLS_RECORD_CONTENT_TYPE, 2);
	ver = (uint16_t)fld_hex(d, c, 2, 4, "Version", K_TLS_RECORD_VERSION, 2);
	fld_u16(d, c, "Length", K_TLS_RECORD_LENGTH, 2);
	body = cur_sub(c, len);
	d->tls_last_ver = ver;
	note_auth_version(d, type, ver, &body);
	switch (type) {
	case CT_CCS:
		fld_add(d, body.off, len, "Change Cipher Spec Message", K_TLS_CHANGE_CIPHER_SPEC,
		        FT_PRESENT, 2, 0);
		tls_info_add(d, "Change Cipher Spec");
		*ccs = true;
		break;
	case CT_ALERT:
		alert(d, &body, len);
		break;
	case CT_HANDSHAKE:
		/* after a change cipher spec the handshake is encrypted (TLS 1.2), unless the
		 * record is exactly one plain message (TLS 1.3's compatibility CCS before a
		 * ClientHello) */
		handshake_record(d, &body, len, *ccs);
		break;
	case CT_HEARTBEAT: /* TLS 1.3 has none: tshark names nothing of it */
		if (d->tls_session_ver != 0x0304)
			heartbeat(d, &body, len);
		break;
	case CT_APP_DATA:
		fld_add(d, body.off, len, "Encrypted Application Data", K_TLS_APP_DATA, FT_BYTES, 2,
		        0);
		tls_info_add(d, "Application Data");
		break;
	}
	cur_skip(c, len);
}

/* A record that does not fit in what is left: reassembly's, or not decoded. */
void tls_partial(struct dissection *d, const struct cursor *c, uint32_t plen)
{
	uint32_t need = REASM_NEED_MORE;

	if (!d->desegment || plen != cur_left(c) || d->quoted)
		return; /* cut by the capture, or no reassembly: tshark decodes nothing of it */
	if (cur_left(c) >= TLS_REC_HDR)
		need = TLS_REC_HDR + ((uint32_t)c->base[c->off + 3] << 8 | c->base[c->off + 4]);
	d->pdu_off = c->off;
	d->pdu_need = need;
	d->pdu_proto = P_TLS;
}

void tls_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	bool ccs = false;
	uint16_t layer = diss_layer(d, c, P_TLS);

	d->tls_layer = layer;
	uint32_t start = c->off;

	/* plen: the bytes the segment declared from here (the capture may hold fewer) */
	if (plen == DISS_PLEN_UNKNOWN || plen > cur_left(c) + 0u)
		plen = plen == DISS_PLEN_UNKNOWN ? cur_left(c) : plen;
	while (cur_left(c) > 0) {
		uint32_t left = plen - (c->off - start);
		if (!tls_looks(c) && cur_left(c) >= TLS_REC_HDR) {
			/* bytes that are no record: what tshark makes of them depends on the
			 * conversation's version (tls_conv.c, once the stream is known) */
			d->tls_stop = c->off;
			break;
		}
		if (cur_left(c) < TLS_REC_HDR ||
		    cur_left(c) <
		        TLS_REC_HDR + ((uint32_t)c->base[c->off + 3] << 8 | c->base[c->off + 4])) {
			tls_partial(d, c, left);
			break;
		}
		tls_record(d, c, &ccs);
	}
	diss_layer_end(d, layer, c);
	/* a record's start alone, not left to reassembly: tshark's column "SSL", no Info */
	if (!tls_is_column(d->sum.proto) && d->pdu_off == UINT32_MAX && !d->quoted &&
	    sum_begin(d, P_TLS_COL_SSL))
		sum_info(d);
	if (tls_is_column(d->sum.proto))
		d->sum.proto = tls_column_proto(d->tls_version ? d->tls_version : d->tls_last_ver);
}
