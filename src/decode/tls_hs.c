/*
 * tls_hs.c - hello bodies (RFC 8446 4.1.2, 4.1.3), an ECDHE ServerKeyExchange's signature
 * algorithm, and hello extensions (RFC 8446 4.2, RFC 6066 3, RFC 7301 3.1, RFC 8422 5.1):
 *
 *   extensions:  | length (2) | { type (2) | length (2) | data } ...
 *
 * Each extension is read inside its own declared length (a lying length cuts only it, and a
 * list inside one is bounded by both); lists are collected for the fingerprints (tls_int.h).
 */
#include <string.h>

#include "decode/tls_int.h"

enum {
	EXT_SNI = 0,
	EXT_GROUPS = 10,
	EXT_POINT_FORMATS = 11,
	EXT_SIG_ALGS = 13,
	EXT_ALPN = 16,
	EXT_VERSIONS = 43,
	EXT_KEY_SHARE = 51,
};

/* A list of 2-byte values with a 2-byte length: the fields and the fingerprint's list. */
static void list16(struct dissection *d, struct cursor *c, unsigned depth, enum field_key lkey,
                   const char *llabel, enum field_key key, const char *label, struct tls_list *l)
{
	uint16_t n = fld_u16(d, c, llabel, lkey, depth);

	for (uint32_t i = 0; i + 2 <= n && !c->truncated; i += 2) {
		uint16_t v = (uint16_t)fld_hex(d, c, 2, 4, label, key, depth + 1);
		if (!c->truncated && l)
			tls_list_add(l, v);
	}
}

static void sni(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h)
{
	uint16_t n = fld_u16(d, c, "Server Name list length", K_TLS_HS_SNI_LIST_LEN, depth);
	struct cursor l = cur_sub(c, n);

	while (cur_left(&l) >= 3 && !l.truncated) {
		uint32_t off;
		uint16_t len;
		const uint8_t *p;

		fld_u8(d, &l, "Server Name Type", K_TLS_HS_SNI_TYPE, depth);
		len = fld_u16(d, &l, "Server Name length", K_TLS_HS_SNI_LEN, depth);
		off = l.off;
		p = cur_bytes(&l, len);
		if (!p)
			return;
		fld_add(d, off, len, "Server Name", K_TLS_HS_SNI, FT_STR, depth,
		        diss_text(d, (const char *)p, len));
		if (!h->sni_name) { /* the first name, for the Info column */
			h->sni_name = p;
			h->sni_len = len;
		}
	}
}

static void alpn(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h)
{
	uint16_t n = fld_u16(d, c, "ALPN Extension Length", K_TLS_HS_ALPN_LEN, depth);
	struct cursor l = cur_sub(c, n);

	while (cur_left(&l) >= 1 && !l.truncated) {
		uint32_t off;
		uint8_t len = fld_u8(d, &l, "ALPN string length", K_TLS_HS_ALPN_STR_LEN, depth + 1);
		const uint8_t *p;

		off = l.off;
		p = cur_bytes(&l, len);
		if (!p)
			return;
		fld_add(d, off, len, "ALPN Next Protocol", K_TLS_HS_ALPN_STR, FT_STR, depth + 1,
		        diss_text(d, (const char *)p, len));
		if (h->alpn_len == 0 && len > 0) {
			h->alpn[0] = p[0];
			h->alpn[1] = p[len - 1];
			h->alpn_len = len;
		}
	}
}

static void versions(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h)
{
	uint16_t v;

	if (!h->client) { /* the server's choice alone */
		v = (uint16_t)fld_hex(d, c, 2, 4, "Supported Version", K_TLS_HS_SUPPORTED_VERSION,
		                      depth);
		if (!c->truncated)
			h->chosen = v;
		return;
	}
	uint8_t n =
	    fld_u8(d, c, "Supported Versions length", K_TLS_HS_SUPPORTED_VERSIONS_LEN, depth);
	for (unsigned i = 0; i + 2 <= n && !c->truncated; i += 2) {
		v = (uint16_t)fld_hex(d, c, 2, 4, "Supported Version", K_TLS_HS_SUPPORTED_VERSION,
		                      depth);
		if (!c->truncated && !tls_grease(v) && v > h->max_version)
			h->max_version = v;
	}
}

static void key_share_entry(struct dissection *d, struct cursor *c, unsigned depth)
{
	uint16_t n;

	fld_u16(d, c, "Group", K_TLS_HS_KEY_SHARE_GROUP, depth);
	n = fld_u16(d, c, "Key Exchange Length", K_TLS_HS_KEY_SHARE_KEX_LENGTH, depth);
	cur_skip(c, n);
}

static void key_share(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h,
                      uint16_t elen)
{
	if (!h->client) {
		if (elen == 2) /* a HelloRetryRequest names the group it wants */
			fld_u16(d, c, "Selected Group", K_TLS_HS_KEY_SHARE_SELECTED_GROUP, depth);
		else
			key_share_entry(d, c, depth + 1);
		return;
	}
	uint16_t n =
	    fld_u16(d, c, "Client Key Share Length", K_TLS_HS_KEY_SHARE_CLIENT_LENGTH, depth);
	struct cursor l = cur_sub(c, n);

	while (cur_left(&l) >= 4 && !l.truncated)
		key_share_entry(d, &l, depth + 1);
}

static void point_formats(struct dissection *d, struct cursor *c, unsigned depth,
                          struct tls_hello *h)
{
	uint8_t n =
	    fld_u8(d, c, "EC point formats Length", K_TLS_HS_EC_POINT_FORMATS_LENGTH, depth);

	for (unsigned i = 0; i < n && !c->truncated; i++) {
		uint8_t v = fld_u8(d, c, "EC point format", K_TLS_HS_EC_POINT_FORMAT, depth + 1);
		if (!c->truncated)
			tls_list_add(&h->formats, v);
	}
}

/* The body of one extension, inside its declared length. */
static void extension(struct dissection *d, struct cursor *c, uint16_t type, uint16_t len,
                      unsigned depth, struct tls_hello *h)
{
	switch (type) {
	case EXT_SNI:
		h->sni = true;
		if (h->client)
			sni(d, c, depth, h);
		break;
	case EXT_GROUPS:
		list16(d, c, depth, K_TLS_HS_SUPPORTED_GROUPS_LENGTH,
		       "Supported Groups List Length", K_TLS_HS_SUPPORTED_GROUP, "Supported Group",
		       &h->groups);
		break;
	case EXT_POINT_FORMATS:
		point_formats(d, c, depth, h);
		break;
	case EXT_SIG_ALGS:
		list16(d, c, depth, K_TLS_HS_SIG_HASH_ALG_LEN, "Signature Hash Algorithms Length",
		       K_TLS_HS_SIG_HASH_ALG, "Signature Algorithm", &h->sigalgs);
		break;
	case EXT_ALPN:
		alpn(d, c, depth, h);
		break;
	case EXT_VERSIONS:
		versions(d, c, depth, h);
		break;
	case EXT_KEY_SHARE:
		key_share(d, c, depth, h, len);
		break;
	default:
		break;
	}
}

void tls_extensions(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h,
                    uint16_t layer)
{
	uint16_t total = fld_u16(d, c, "Extensions Length", K_TLS_HS_EXTENSIONS_LENGTH, depth);
	struct cursor all = cur_sub(c, total);

	while (cur_left(&all) >= 4 && !all.truncated) {
		uint32_t off = all.off;
		uint16_t type = cur_be16(&all), len = cur_be16(&all);
		struct cursor body;

		if (len > cur_left(&all)) { /* tshark: malformed, the extension not shown */
			diss_invalid(d, layer, off + 2, 2, "Extension length past the extensions",
			             "tls.handshake.extension.len", len);
			h->bad = true;
			break;
		}
		body = cur_sub(&all, len);
		fld_add(d, off, 4 + len, "Extension", K_NONE, FT_TEXT, depth, 0);
		fld_add(d, off, 2, "Type", K_TLS_HS_EXT_TYPE, FT_UINT, depth + 1, type);
		fld_add(d, off + 2, 2, "Length", K_TLS_HS_EXT_LEN, FT_UINT, depth + 1, len);
		tls_list_add(&h->exts, type);
		extension(d, &body, type, len, depth + 1, h);
		if (!cur_skip(&all, len))
			break;
	}
	cur_skip(c, total);
}

/* ---- hello bodies (RFC 8446 4.1.2, 4.1.3) ---- */

/* RFC 8446 4.1.3: a ServerHello with this random is a HelloRetryRequest */
static const uint8_t hrr_random[32] = {
    0xcf, 0x21, 0xad, 0x74, 0xe5, 0x9a, 0x61, 0x11, 0xbe, 0x1d, 0x8c, 0x02, 0x1e, 0x65, 0xb8, 0x91,
    0xc2, 0xa2, 0x11, 0x16, 0x7a, 0xbb, 0x8c, 0x5e, 0x07, 0x9e, 0x09, 0xe2, 0xc8, 0xa8, 0x33, 0x9c};

static void hello_common(struct dissection *d, struct cursor *c, unsigned depth,
                         struct tls_hello *h)
{
	uint8_t sid;
	const uint8_t *random;

	h->version = (uint16_t)fld_hex(d, c, 2, 4, "Version", K_TLS_HS_VERSION, depth);
	random = fld_bytes(d, c, 32, "Random", K_TLS_HS_RANDOM, depth);
	if (!h->client && random && memcmp(random, hrr_random, 32) == 0)
		h->hrr = true;
	sid = fld_u8(d, c, "Session ID Length", K_TLS_HS_SESSION_ID_LENGTH, depth);
	if (sid)
		fld_bytes(d, c, sid, "Session ID", K_TLS_HS_SESSION_ID, depth);
}

void tls_client_hello(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h)
{
	uint16_t n;
	uint8_t m;

	hello_common(d, c, depth, h);
	n = fld_u16(d, c, "Cipher Suites Length", K_TLS_HS_CIPHER_SUITES_LENGTH, depth);
	for (uint32_t i = 0; i + 2 <= n && !c->truncated; i += 2)
		tls_list_add(&h->ciphers, (uint16_t)fld_hex(d, c, 2, 4, "Cipher Suite",
		                                            K_TLS_HS_CIPHERSUITE, depth + 1));
	m = fld_u8(d, c, "Compression Methods Length", K_TLS_HS_COMP_METHODS_LENGTH, depth);
	for (unsigned i = 0; i < m && !c->truncated; i++)
		fld_u8(d, c, "Compression Method", K_TLS_HS_COMP_METHOD, depth + 1);
	if (cur_left(c) >= 2)
		tls_extensions(d, c, depth, h, d->tls_layer);
}

void tls_server_hello(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h)
{
	hello_common(d, c, depth, h);
	h->cipher = (uint16_t)fld_hex(d, c, 2, 4, "Cipher Suite", K_TLS_HS_CIPHERSUITE, depth);
	fld_u8(d, c, "Compression Method", K_TLS_HS_COMP_METHOD, depth);
	if (cur_left(c) >= 2)
		tls_extensions(d, c, depth, h, d->tls_layer);
}

/*
 * An ECDHE ServerKeyExchange (RFC 8422 5.4, TLS 1.2: RFC 5246 7.4.3): curve type 3 (named
 * curve), group, point, then the signature's algorithm and the signature. Which key exchange
 * it is depends on the suite chosen earlier; only a body that parses exactly this way gives
 * its signature algorithm (tls.handshake.sig_hash_alg, as tshark).
 */
void tls_server_key_exchange(struct dissection *d, const struct cursor *body, unsigned depth)
{
	struct cursor c = *body;
	uint8_t plen;
	uint32_t at;
	uint16_t slen;

	if (cur_u8(&c) != 3 || !cur_skip(&c, 2))
		return;
	plen = cur_u8(&c);
	if (!cur_skip(&c, plen))
		return;
	at = c.off;
	if (!cur_skip(&c, 2))
		return;
	slen = cur_be16(&c);
	if (c.truncated || slen != cur_left(&c))
		return;
	c.off = at;
	fld_hex(d, &c, 2, 4, "Signature Algorithm", K_TLS_HS_SIG_HASH_ALG, depth);
}

/* A 3-byte length at c, read and recorded; UINT32_MAX when fewer than 3 bytes are left. */
static uint32_t u24_field(struct dissection *d, struct cursor *c, const char *label,
                          enum field_key key, unsigned depth)
{
	const uint8_t *p = c->base + c->off;
	uint32_t v;

	if (cur_left(c) < 3)
		return UINT32_MAX;
	v = (uint32_t)p[0] << 16 | (uint32_t)p[1] << 8 | p[2];
	fld_add(d, c->off, 3, label, key, FT_UINT, depth, v);
	cur_skip(c, 3);
	return v;
}

void tls_certificate(struct dissection *d, const struct cursor *body, unsigned depth)
{
	struct cursor c = *body, list;
	uint32_t n = u24_field(d, &c, "Certificates Length", K_TLS_HS_CERTIFICATES_LENGTH, depth);

	if (n == UINT32_MAX)
		return;
	if (n > cur_left(&c))
		n = cur_left(&c); /* a lying length: the certificates that are there */
	fld_add(d, c.off, n, "Certificates", K_TLS_HS_CERTIFICATES, FT_PRESENT, depth, 0);
	list = cur_sub(&c, n);
	while (cur_left(&list) >= 3) { /* bounded: each turn takes 3 bytes or more */
		uint32_t len = u24_field(d, &list, "Certificate Length",
		                         K_TLS_HS_CERTIFICATE_LENGTH, depth + 1);
		if (len > cur_left(&list))
			return;
		fld_bytes(d, &list, len, "Certificate", K_TLS_HS_CERTIFICATE, depth + 1);
	}
}
