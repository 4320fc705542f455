/*
 * tls_digest.c - the fingerprints' digests (tls_int.h) through libcrypto's EVP interface.
 */
#include <openssl/evp.h>

#include "decode/tls_int.h"

void tls_digest_hex(enum tls_digest md, const char *s, size_t n, char *out, size_t digits)
{
	static const char dig[] = "0123456789abcdef";
	unsigned char h[EVP_MAX_MD_SIZE];
	unsigned hl = 0;
	const EVP_MD *alg = md == TLS_MD5 ? EVP_md5() : EVP_sha256();

	out[0] = '\0';
	if (EVP_Digest(s, n, h, &hl, alg, NULL) != 1 || 2 * (size_t)hl < digits)
		return;
	for (size_t i = 0; i < digits; i++)
		out[i] = dig[(h[i / 2] >> (i % 2 ? 0 : 4)) & 15];
	out[digits] = '\0';
}
