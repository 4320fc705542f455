/*
 * nocrypto/tls_digest.c - for a build without libcrypto (the mingw-w64 cross build: Debian has
 * no libcrypto for it): no digest, so tls.handshake.ja3, ja3s and ja4 are empty strings there
 * (their full strings are still given). CMake picks this file when libcrypto is not found.
 */
#include "decode/tls_int.h"

void tls_digest_hex(enum tls_digest md, const char *s, size_t n, char *out, size_t digits)
{
	(void)md;
	(void)s;
	(void)n;
	(void)digits;
	out[0] = '\0';
}
