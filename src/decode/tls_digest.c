/*
 * tls_digest.c - the fingerprints' digests (tls_int.h) through libcrypto's EVP interface.
 *
 * Each algorithm is fetched once and kept: OpenSSL 3's EVP_md5()/EVP_sha256() make
 * EVP_Digest() look the implementation up again on every call, which cost more than the
 * digest itself (callgrind, a TLS mix). Any thread may dissect: the first fetch is published
 * with a compare-and-swap, and a thread that lost the race frees its own copy.
 */
#include <openssl/evp.h>
#include <stdatomic.h>

#include "decode/tls_int.h"

static _Atomic(EVP_MD *) fetched[2];

static const EVP_MD *algorithm(enum tls_digest md)
{
	EVP_MD *m = atomic_load(&fetched[md == TLS_SHA256]), *none = NULL;

	if (m)
		return m;
	m = EVP_MD_fetch(NULL, md == TLS_MD5 ? "MD5" : "SHA256", NULL);
	if (m && !atomic_compare_exchange_strong(&fetched[md == TLS_SHA256], &none, m)) {
		EVP_MD_free(m);
		m = none;
	}
	return m;
}

void tls_digest_hex(enum tls_digest md, const char *s, size_t n, char *out, size_t digits)
{
	static const char dig[] = "0123456789abcdef";
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	const EVP_MD *alg = algorithm(md);

	out[0] = '\0';
	if (!alg || EVP_Digest(s, n, h, &hl, alg, NULL) != 1 || 2 * (size_t)hl < digits)
		return;
	for (size_t i = 0; i < digits; i++)
		out[i] = dig[(h[i / 2] >> (i % 2 ? 0 : 4)) & 15];
	out[digits] = '\0';
}
