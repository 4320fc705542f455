/*
 * quic_crypto.h - the QUIC Initial packet protection (RFC 9001 section 5, RFC 9369 for
 * version 2): the key schedule from the client's Destination Connection ID, header
 * protection and the AEAD. The only interface to the crypto library (quic_crypto.c is the
 * only file that includes it), so another platform can supply its own implementation.
 *
 * Every function is pure (no state between calls) and may be called from any thread.
 */
#ifndef CAPSCOPE_QUIC_CRYPTO_H
#define CAPSCOPE_QUIC_CRYPTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define QUIC_VERSION_1       0x00000001u
#define QUIC_VERSION_2       0x6b3343cfu
#define QUIC_VERSION_DRAFT29 0xff00001du
/* the first drafts of the other two salts tshark 4.0 knows: draft-22's (for every draft up
 * to 22) and draft-23's (drafts 23 to 28) */
#define QUIC_VERSION_DRAFT22 0xff000016u
#define QUIC_VERSION_DRAFT23 0xff000017u
#define QUIC_SECRET_LEN      32
#define QUIC_KEY_LEN         16
#define QUIC_IV_LEN          12
#define QUIC_TAG_LEN         16
#define QUIC_SAMPLE_LEN      16

struct quic_keys {
	uint8_t key[QUIC_KEY_LEN];
	uint8_t iv[QUIC_IV_LEN];
	uint8_t hp[QUIC_KEY_LEN];
};

/* True if `version` has Initial keys this module knows (v1 and v2). */
bool quic_crypto_version_known(uint32_t version);
/* initial_secret = HKDF-Extract(salt of `version`, dcid); false for an unknown version or a
 * crypto library failure. */
bool quic_initial_secret(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                         uint8_t out[QUIC_SECRET_LEN]);
/* The client's (server = false) or the server's Initial secret from the initial secret. */
bool quic_side_secret(const uint8_t initial[QUIC_SECRET_LEN], bool server,
                      uint8_t out[QUIC_SECRET_LEN]);
/* key, iv and hp from a side's secret, with `version`'s labels. */
bool quic_keys_from_secret(uint32_t version, const uint8_t secret[QUIC_SECRET_LEN],
                           struct quic_keys *k);
/* All of the above: the Initial keys of one side of the connection whose client chose dcid. */
bool quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, bool server,
                       struct quic_keys *k);
/* The 5-byte header protection mask: AES-128-ECB(hp, sample), first 5 bytes. */
bool quic_hp_mask(const uint8_t hp[QUIC_KEY_LEN], const uint8_t sample[QUIC_SAMPLE_LEN],
                  uint8_t mask[5]);
/*
 * AEAD_AES_128_GCM open: ct[0..ct_len) ends with the 16-byte tag; the nonce is iv XOR the
 * packet number; aad is the unprotected header. Writes ct_len - 16 bytes to out and returns
 * true only when the tag verifies.
 */
bool quic_aead_open(const struct quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len,
                    const uint8_t *ct, size_t ct_len, uint8_t *out);

#endif
