/*
 * nocrypto/quic_crypto.c - quic_crypto.h for a build without libcrypto (the Windows cross
 * build): no version has keys, so QUIC headers are decoded and payloads stay protected.
 */
#include "decode/quic_crypto.h"

bool quic_crypto_version_known(uint32_t version)
{
	(void)version;
	return false;
}

bool quic_initial_secret(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                         uint8_t out[QUIC_SECRET_LEN])
{
	(void)version, (void)dcid, (void)dcid_len, (void)out;
	return false;
}

bool quic_side_secret(const uint8_t initial[QUIC_SECRET_LEN], bool server,
                      uint8_t out[QUIC_SECRET_LEN])
{
	(void)initial, (void)server, (void)out;
	return false;
}

bool quic_keys_from_secret(uint32_t version, const uint8_t secret[QUIC_SECRET_LEN],
                           struct quic_keys *k)
{
	(void)version, (void)secret, (void)k;
	return false;
}

bool quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, bool server,
                       struct quic_keys *k)
{
	(void)version, (void)dcid, (void)dcid_len, (void)server, (void)k;
	return false;
}

bool quic_hp_mask(const uint8_t hp[QUIC_KEY_LEN], const uint8_t sample[QUIC_SAMPLE_LEN],
                  uint8_t mask[5])
{
	(void)hp, (void)sample, (void)mask;
	return false;
}

bool quic_aead_open(const struct quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len,
                    const uint8_t *ct, size_t ct_len, uint8_t *out)
{
	(void)k, (void)pn, (void)aad, (void)aad_len, (void)ct, (void)ct_len, (void)out;
	return false;
}
