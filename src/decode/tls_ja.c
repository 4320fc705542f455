/*
 * tls_ja.c - TLS client and server fingerprints from a hello (tls_int.h):
 *   JA3  (salesforce/ja3): "version,ciphers,extensions,groups,point formats", decimal values
 *        joined with '-', GREASE values left out; tls.handshake.ja3 is its MD5 in hex.
 *   JA3S: "version,cipher,extensions" and its MD5 (tshark's tls.handshake.ja3s).
 *   JA4  (FoxIO-LLC/ja4, technical_details/JA4.md): a_b_c where
 *        a = 't' (TCP) or 'q' (QUIC), the version (highest supported_versions value, else
 *            the hello's: "13", "12", "11", "10", "s3"), 'd' with SNI or 'i', the cipher and
 *            extension counts (2 digits, at most 99, GREASE left out), and the first and last
 *            characters of the first ALPN value ("00" without; their hex digits when one is
 *            not alphanumeric);
 *        b = the first 12 hex digits of SHA-256 over the sorted ciphers as 4-digit hex joined
 *            with ',' ("000000000000" if none);
 *        c = the same over the sorted extensions without SNI (0) and ALPN (16), then '_' and
 *            the signature algorithms in their order (no '_' when there are none).
 * A hello with more than TLS_HELLO_MAX values in a list is fingerprinted on the first ones.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/tls_int.h"

#define JA_TEXT_MAX 3072

struct jbuf {
	char s[JA_TEXT_MAX];
	size_t n;
};

static void jb_str(struct jbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (n > sizeof b->s - 1 - b->n)
		n = sizeof b->s - 1 - b->n;
	memcpy(b->s + b->n, s, n);
	b->n += n;
	b->s[b->n] = '\0';
}

static void jb_num(struct jbuf *b, unsigned v, bool hex4)
{
	static const char dig[] = "0123456789abcdef";
	char t[8];
	size_t i = sizeof t - 1;

	t[i] = '\0';
	if (hex4) {
		for (int k = 0; k < 4; k++, v >>= 4)
			t[--i] = dig[v & 15];
	} else {
		do
			t[--i] = dig[v % 10];
		while ((v /= 10) && i > 0);
	}
	jb_str(b, t + i);
}

/* The list's values (GREASE left out, and skip0/skip16 values when asked) joined by sep. */
static void jb_list(struct jbuf *b, const struct tls_list *l, bool hex4, const char *sep,
                    bool skip_sni_alpn)
{
	bool first = true;

	for (unsigned i = 0; i < l->n; i++) {
		uint16_t v = l->v[i];
		if (tls_grease(v) || (skip_sni_alpn && (v == 0 || v == 16)))
			continue;
		if (!first)
			jb_str(b, sep);
		jb_num(b, v, hex4);
		first = false;
	}
}

static void add_str(struct dissection *d, const char *label, enum field_key key, unsigned depth,
                    const char *s)
{
	uint32_t off = d->nf ? d->f[d->nf - 1].off : 0;

	fld_add(d, off, 0, label, key, FT_STR, depth, diss_text(d, s, strlen(s)));
}

static void ja3(struct dissection *d, const struct tls_hello *h, unsigned depth)
{
	struct jbuf b = {.n = 0};
	char md5[33];

	jb_num(&b, h->version, false);
	jb_str(&b, ",");
	jb_list(&b, &h->ciphers, false, "-", false);
	jb_str(&b, ",");
	jb_list(&b, &h->exts, false, "-", false);
	jb_str(&b, ",");
	jb_list(&b, &h->groups, false, "-", false);
	jb_str(&b, ",");
	jb_list(&b, &h->formats, false, "-", false);
	tls_digest_hex(TLS_MD5, b.s, b.n, md5, 32);
	add_str(d, "JA3 Fullstring", K_TLS_HS_JA3_FULL, depth, b.s);
	add_str(d, "JA3", K_TLS_HS_JA3, depth, md5);
}

static int cmp16(const void *a, const void *b)
{
	return (int)*(const uint16_t *)a - (int)*(const uint16_t *)b;
}

static unsigned count(const struct tls_list *l)
{
	unsigned n = 0;

	for (unsigned i = 0; i < l->n; i++)
		n += !tls_grease(l->v[i]);
	return n > 99 ? 99 : n;
}

static const char *ja4_version(uint16_t v)
{
	switch (v) {
	case 0x0304:
		return "13";
	case 0x0303:
		return "12";
	case 0x0302:
		return "11";
	case 0x0301:
		return "10";
	case 0x0300:
		return "s3";
	case 0x0002:
		return "s2";
	default:
		return "00";
	}
}

static bool alnum(uint8_t c)
{
	return (c >= '0' && c <= '9') || (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z');
}

/* The 12 hex digits of a list's SHA-256 ("000000000000" when the text is empty). */
static void ja4_hash(const struct jbuf *b, char out[13])
{
	if (b->n == 0)
		memcpy(out, "000000000000", 13);
	else
		tls_digest_hex(TLS_SHA256, b->s, b->n, out, 12);
}

static void ja4(struct dissection *d, const struct tls_hello *h, unsigned depth)
{
	static const char dig[] = "0123456789abcdef";
	struct tls_list sorted;
	struct jbuf a = {.n = 0}, b = {.n = 0}, c = {.n = 0};
	char hb[13], hc[13];

	jb_str(&a, h->quic ? "q" : "t");
	jb_str(&a, ja4_version(h->max_version ? h->max_version : h->version));
	jb_str(&a, h->sni ? "d" : "i");
	char counts[5] = {(char)('0' + count(&h->ciphers) / 10),
	                  (char)('0' + count(&h->ciphers) % 10), (char)('0' + count(&h->exts) / 10),
	                  (char)('0' + count(&h->exts) % 10), 0};
	jb_str(&a, counts);
	char alpn[3] = "00";
	if (h->alpn_len && alnum(h->alpn[0]) && alnum(h->alpn[1])) {
		alpn[0] = (char)h->alpn[0];
		alpn[1] = (char)h->alpn[1];
	} else if (h->alpn_len) {
		alpn[0] = dig[h->alpn[0] >> 4];
		alpn[1] = dig[h->alpn[1] & 15];
	}
	jb_str(&a, alpn);
	sorted = h->ciphers;
	qsort(sorted.v, sorted.n, sizeof sorted.v[0], cmp16);
	jb_list(&b, &sorted, true, ",", false);
	sorted = h->exts;
	qsort(sorted.v, sorted.n, sizeof sorted.v[0], cmp16);
	jb_list(&c, &sorted, true, ",", true);
	ja4_hash(&b, hb);
	if (c.n == 0) {
		memcpy(hc, "000000000000", 13);
	} else {
		if (count(&h->sigalgs)) {
			jb_str(&c, "_");
			jb_list(&c, &h->sigalgs, true, ",", false);
		}
		ja4_hash(&c, hc);
	}
	jb_str(&a, "_");
	jb_str(&a, hb);
	jb_str(&a, "_");
	jb_str(&a, hc);
	add_str(d, "JA4", K_TLS_HS_JA4, depth, a.s);
}

void tls_ja_client(struct dissection *d, const struct tls_hello *h, unsigned depth)
{
	ja4(d, h, depth);
	ja3(d, h, depth);
}

void tls_ja_server(struct dissection *d, const struct tls_hello *h, unsigned depth)
{
	struct jbuf b = {.n = 0};
	char md5[33];

	jb_num(&b, h->version, false);
	jb_str(&b, ",");
	jb_num(&b, h->cipher, false);
	jb_str(&b, ",");
	jb_list(&b, &h->exts, false, "-", false);
	tls_digest_hex(TLS_MD5, b.s, b.n, md5, 32);
	add_str(d, "JA3S Fullstring", K_TLS_HS_JA3S_FULL, depth, b.s);
	add_str(d, "JA3S", K_TLS_HS_JA3S, depth, md5);
}
