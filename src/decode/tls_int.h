/*
 * tls_int.h - shared by tls.c, tls_hs.c and tls_ja.c: what a hello message collects for the
 * fingerprints (JA3, JA3S, JA4), bounded.
 */
#ifndef CAPSCOPE_TLS_INT_H
#define CAPSCOPE_TLS_INT_H

#include "decode/dissector.h"

#define TLS_HELLO_MAX 128 /* values of one list kept for a fingerprint (more are not kept) */

struct tls_list {
	uint16_t v[TLS_HELLO_MAX];
	uint16_t n;
};

struct tls_hello {
	bool client;
	bool quic;
	bool sni;             /* a server_name extension was present */
	bool hrr;             /* a ServerHello that is a HelloRetryRequest (RFC 8446 4.1.3) */
	bool bad;             /* an extension ran past its block: no fingerprint (as tshark) */
	uint16_t version;     /* the hello's legacy version */
	uint16_t max_version; /* the highest supported_versions value (GREASE aside), 0 if none */
	uint16_t chosen;      /* ServerHello: supported_versions' choice, else its version */
	uint16_t cipher;      /* ServerHello's suite */
	struct tls_list ciphers, exts, groups, formats, sigalgs;
	uint8_t alpn[2];  /* first ALPN value's first and last bytes */
	uint8_t alpn_len; /* 0: no ALPN value */
	const uint8_t
	    *sni_name; /* ClientHello: the first server name's bytes (raw), NULL if none */
	uint16_t sni_len;
};

/* RFC 8701 GREASE values (0x0a0a, 0x1a1a ... 0xfafa). */
static inline bool tls_grease(uint16_t v)
{
	return (v & 0x0f0f) == 0x0a0a && (v >> 8) == (v & 0xff);
}

static inline void tls_list_add(struct tls_list *l, uint16_t v)
{
	if (l->n < TLS_HELLO_MAX)
		l->v[l->n++] = v;
}

/* The first `digits` hex digits of the MD5 or SHA-256 of s[0..n) into out (digits + 1 bytes):
 * libcrypto (tls_digest.c); "" where the build has none (nocrypto/tls_digest.c). */
enum tls_digest { TLS_MD5, TLS_SHA256 };
void tls_digest_hex(enum tls_digest md, const char *s, size_t n, char *out, size_t digits);

/* tls.c's record layer, for tls_conv.c: Info's next message (after ", " when TLS wrote one in
 * this packet); one whole record at c (its bytes there; *ccs: a change cipher spec came before
 * in the packet); a record past what is left at c (`left` bytes declared from there), left to
 * reassembly with d->desegment, else not decoded. */
void tls_info_add(struct dissection *d, const char *msg);
void tls_record(struct dissection *d, struct cursor *c, bool *ccs);
void tls_partial(struct dissection *d, const struct cursor *c, uint32_t left);

/* Hello bodies and a ServerKeyExchange (tls_hs.c): the fields, and what the hello collects. */
void tls_client_hello(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h);
void tls_server_hello(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h);
void tls_server_key_exchange(struct dissection *d, const struct cursor *body, unsigned depth);
/* A Certificate message's framing (RFC 5246 7.4.2): the list length, each certificate's length
 * and bytes (tls_hs.c); the certificates themselves are not decoded. */
void tls_certificate(struct dissection *d, const struct cursor *body, unsigned depth);

/* Extensions (tls_hs.c): the block after the compression methods or the server's suite.
 * `layer` is the TLS layer's node, for an invalid length. */
void tls_extensions(struct dissection *d, struct cursor *c, unsigned depth, struct tls_hello *h,
                    uint16_t layer);
/* The fingerprints' fields (tls_ja.c), added after the hello's fields. */
void tls_ja_client(struct dissection *d, const struct tls_hello *h, unsigned depth);
void tls_ja_server(struct dissection *d, const struct tls_hello *h, unsigned depth);

#endif
