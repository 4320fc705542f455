/*
 * quic_crypto.c - QUIC Initial protection with libcrypto (RFC 9001 section 5; RFC 9369
 * section 3.3 for version 2's salt and labels). HKDF is HMAC-SHA256 (RFC 5869): every
 * output here is at most one SHA-256 block long, so Expand is one HMAC.
 */
#include <openssl/evp.h>
#include <openssl/hmac.h>
#include <string.h>

#include "decode/quic_crypto.h"

struct quic_version_info {
	uint32_t version;
	uint8_t salt[20];
	const char *key, *iv, *hp;
};

static const struct quic_version_info versions[] = {
    {QUIC_VERSION_1,
     {0x38, 0x76, 0x2c, 0xf7, 0xf5, 0x59, 0x34, 0xb3, 0x4d, 0x17,
      0x9a, 0xe6, 0xa4, 0xc8, 0x0c, 0xad, 0xcc, 0xbb, 0x7f, 0x0a},
     "quic key",
     "quic iv",
     "quic hp"},
    {QUIC_VERSION_2,
     {0x0d, 0xed, 0xe3, 0xde, 0xf7, 0x00, 0xa6, 0xdb, 0x81, 0x93,
      0x81, 0xbe, 0x6e, 0x26, 0x9d, 0xcb, 0xf9, 0xbd, 0x2e, 0xd9},
     "quicv2 key",
     "quicv2 iv",
     "quicv2 hp"},
    /* draft-22 (tshark uses it for every draft before 23 and mvfst's 0xfaceb001) */
    {QUIC_VERSION_DRAFT22,
     {0x7f, 0xbc, 0xdb, 0x0e, 0x7c, 0x66, 0xbb, 0xe9, 0x19, 0x3a,
      0x96, 0xcd, 0x21, 0x51, 0x9e, 0xbd, 0x7a, 0x02, 0x64, 0x4a},
     "quic key",
     "quic iv",
     "quic hp"},
    /* draft-23 to -28 (and mvfst's 0xfaceb002 and 0xfaceb00e, which tshark calls 27) */
    {QUIC_VERSION_DRAFT23,
     {0xc3, 0xee, 0xf7, 0x12, 0xc7, 0x2e, 0xbb, 0x5a, 0x11, 0xa7,
      0xd2, 0x43, 0x2b, 0xb4, 0x63, 0x65, 0xbe, 0xf9, 0xf5, 0x02},
     "quic key",
     "quic iv",
     "quic hp"},
    /* draft-29 to -32 (tshark also uses it for the 0x?a?a?a?a versions) */
    {QUIC_VERSION_DRAFT29,
     {0xaf, 0xbf, 0xec, 0x28, 0x99, 0x93, 0xd2, 0x4c, 0x9e, 0x97,
      0x86, 0xf1, 0x9c, 0x61, 0x11, 0xe0, 0x43, 0x90, 0xa8, 0x99},
     "quic key",
     "quic iv",
     "quic hp"},
};

static const struct quic_version_info *version_info(uint32_t version)
{
	for (size_t i = 0; i < sizeof versions / sizeof versions[0]; i++)
		if (versions[i].version == version)
			return &versions[i];
	return NULL;
}

bool quic_crypto_version_known(uint32_t version)
{
	return version_info(version) != NULL;
}

static bool hmac_sha256(const uint8_t *key, size_t key_len, const uint8_t *msg, size_t n,
                        uint8_t out[QUIC_SECRET_LEN])
{
	unsigned int len = 0;

	return HMAC(EVP_sha256(), key, (int)key_len, msg, n, out, &len) != NULL &&
	       len == QUIC_SECRET_LEN;
}

/* HKDF-Expand-Label (RFC 8446 section 7.1) with an empty context, out_len <= 32. */
static bool expand_label(const uint8_t secret[QUIC_SECRET_LEN], const char *label, uint8_t *out,
                         size_t out_len)
{
	uint8_t info[2 + 1 + 6 + 32 + 1 + 1], t[QUIC_SECRET_LEN];
	size_t ll = strlen(label), n = 0;

	if (ll > 32 || out_len > QUIC_SECRET_LEN)
		return false;
	info[n++] = 0;
	info[n++] = (uint8_t)out_len;
	info[n++] = (uint8_t)(6 + ll);
	memcpy(info + n, "tls13 ", 6);
	n += 6;
	memcpy(info + n, label, ll);
	n += ll;
	info[n++] = 0;    /* context length */
	info[n++] = 0x01; /* HKDF-Expand's block counter */
	if (!hmac_sha256(secret, QUIC_SECRET_LEN, info, n, t))
		return false;
	memcpy(out, t, out_len);
	return true;
}

bool quic_initial_secret(uint32_t version, const uint8_t *dcid, size_t dcid_len,
                         uint8_t out[QUIC_SECRET_LEN])
{
	const struct quic_version_info *v = version_info(version);

	return v && hmac_sha256(v->salt, sizeof v->salt, dcid, dcid_len, out);
}

bool quic_side_secret(const uint8_t initial[QUIC_SECRET_LEN], bool server,
                      uint8_t out[QUIC_SECRET_LEN])
{
	return expand_label(initial, server ? "server in" : "client in", out, QUIC_SECRET_LEN);
}

bool quic_keys_from_secret(uint32_t version, const uint8_t secret[QUIC_SECRET_LEN],
                           struct quic_keys *k)
{
	const struct quic_version_info *v = version_info(version);

	return v && expand_label(secret, v->key, k->key, QUIC_KEY_LEN) &&
	       expand_label(secret, v->iv, k->iv, QUIC_IV_LEN) &&
	       expand_label(secret, v->hp, k->hp, QUIC_KEY_LEN);
}

bool quic_initial_keys(uint32_t version, const uint8_t *dcid, size_t dcid_len, bool server,
                       struct quic_keys *k)
{
	uint8_t initial[QUIC_SECRET_LEN], side[QUIC_SECRET_LEN];

	return quic_initial_secret(version, dcid, dcid_len, initial) &&
	       quic_side_secret(initial, server, side) && quic_keys_from_secret(version, side, k);
}

bool quic_hp_mask(const uint8_t hp[QUIC_KEY_LEN], const uint8_t sample[QUIC_SAMPLE_LEN],
                  uint8_t mask[5])
{
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	uint8_t block[QUIC_SAMPLE_LEN + 16];
	int n = 0;
	bool ok = ctx && EVP_EncryptInit_ex(ctx, EVP_aes_128_ecb(), NULL, hp, NULL) == 1 &&
	          EVP_CIPHER_CTX_set_padding(ctx, 0) == 1 &&
	          EVP_EncryptUpdate(ctx, block, &n, sample, QUIC_SAMPLE_LEN) == 1 &&
	          n == QUIC_SAMPLE_LEN;

	EVP_CIPHER_CTX_free(ctx);
	if (ok)
		memcpy(mask, block, 5);
	return ok;
}

bool quic_aead_open(const struct quic_keys *k, uint64_t pn, const uint8_t *aad, size_t aad_len,
                    const uint8_t *ct, size_t ct_len, uint8_t *out)
{
	uint8_t nonce[QUIC_IV_LEN];
	int n = 0, fin = 0;

	if (ct_len < QUIC_TAG_LEN || ct_len - QUIC_TAG_LEN > INT32_MAX || aad_len > INT32_MAX)
		return false;
	memcpy(nonce, k->iv, QUIC_IV_LEN);
	for (int i = 0; i < 8; i++)
		nonce[QUIC_IV_LEN - 1 - i] ^= (uint8_t)(pn >> (8 * i));
	size_t plain = ct_len - QUIC_TAG_LEN;
	EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
	bool ok = ctx && EVP_DecryptInit_ex(ctx, EVP_aes_128_gcm(), NULL, k->key, nonce) == 1 &&
	          EVP_DecryptUpdate(ctx, NULL, &n, aad, (int)aad_len) == 1 &&
	          EVP_DecryptUpdate(ctx, out, &n, ct, (int)plain) == 1 &&
	          EVP_CIPHER_CTX_ctrl(ctx, EVP_CTRL_GCM_SET_TAG, QUIC_TAG_LEN,
	                              (void *)(ct + plain)) == 1 &&
	          EVP_DecryptFinal_ex(ctx, out + n, &fin) == 1;

	EVP_CIPHER_CTX_free(ctx);
	return ok;
}
