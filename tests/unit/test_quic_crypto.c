/*
 * test_quic_crypto.c - the QUIC Initial key schedule and packet protection against the
 * worked example of RFC 9001 Appendix A: every intermediate value (initial secret, client and
 * server secrets, key, iv, hp), the header protection mask, the unprotected header and the
 * decrypted payload of the client Initial (A.2) and of the server Initial (A.3).
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/quic_crypto.h"

static const char a2_hex[] = "c000000001088394c8f03e5157080000449e7b9aec34d1b1c98dd7689fb8ec11"
                             "d242b123dc9bd8bab936b47d92ec356c0bab7df5976d27cd449f63300099f399"
                             "1c260ec4c60d17b31f8429157bb35a1282a643a8d2262cad67500cadb8e7378c"
                             "8eb7539ec4d4905fed1bee1fc8aafba17c750e2c7ace01e6005f80fcb7df6212"
                             "30c83711b39343fa028cea7f7fb5ff89eac2308249a02252155e2347b63d58c5"
                             "457afd84d05dfffdb20392844ae812154682e9cf012f9021a6f0be17ddd0c208"
                             "4dce25ff9b06cde535d0f920a2db1bf362c23e596d11a4f5a6cf3948838a3aec"
                             "4e15daf8500a6ef69ec4e3feb6b1d98e610ac8b7ec3faf6ad760b7bad1db4ba3"
                             "485e8a94dc250ae3fdb41ed15fb6a8e5eba0fc3dd60bc8e30c5c4287e53805db"
                             "059ae0648db2f64264ed5e39be2e20d82df566da8dd5998ccabdae053060ae6c"
                             "7b4378e846d29f37ed7b4ea9ec5d82e7961b7f25a9323851f681d582363aa5f8"
                             "9937f5a67258bf63ad6f1a0b1d96dbd4faddfcefc5266ba6611722395c906556"
                             "be52afe3f565636ad1b17d508b73d8743eeb524be22b3dcbc2c7468d54119c74"
                             "68449a13d8e3b95811a198f3491de3e7fe942b330407abf82a4ed7c1b311663a"
                             "c69890f4157015853d91e923037c227a33cdd5ec281ca3f79c44546b9d90ca00"
                             "f064c99e3dd97911d39fe9c5d0b23a229a234cb36186c4819e8b9c5927726632"
                             "291d6a418211cc2962e20fe47feb3edf330f2c603a9d48c0fcb5699dbfe58964"
                             "25c5bac4aee82e57a85aaf4e2513e4f05796b07ba2ee47d80506f8d2c25e50fd"
                             "14de71e6c418559302f939b0e1abd576f279c4b2e0feb85c1f28ff18f58891ff"
                             "ef132eef2fa09346aee33c28eb130ff28f5b766953334113211996d20011a198"
                             "e3fc433f9f2541010ae17c1bf202580f6047472fb36857fe843b19f5984009dd"
                             "c324044e847a4f4a0ab34f719595de37252d6235365e9b84392b061085349d73"
                             "203a4a13e96f5432ec0fd4a1ee65accdd5e3904df54c1da510b0ff20dcc0c77f"
                             "cb2c0e0eb605cb0504db87632cf3d8b4dae6e705769d1de354270123cb11450e"
                             "fc60ac47683d7b8d0f811365565fd98c4c8eb936bcab8d069fc33bd801b03ade"
                             "a2e1fbc5aa463d08ca19896d2bf59a071b851e6c239052172f296bfb5e724047"
                             "90a2181014f3b94a4e97d117b438130368cc39dbb2d198065ae3986547926cd2"
                             "162f40a29f0c3c8745c0f50fba3852e566d44575c29d39a03f0cda721984b6f4"
                             "40591f355e12d439ff150aab7613499dbd49adabc8676eef023b15b65bfc5ca0"
                             "6948109f23f350db82123535eb8a7433bdabcb909271a6ecbcb58b936a88cd4e"
                             "8f2e6ff5800175f113253d8fa9ca8885c2f552e657dc603f252e1a8e308f76f0"
                             "be79e2fb8f5d5fbbe2e30ecadd220723c8c0aea8078cdfcb3868263ff8f09400"
                             "54da48781893a7e49ad5aff4af300cd804a6b6279ab3ff3afb64491c85194aab"
                             "760d58a606654f9f4400e8b38591356fbf6425aca26dc85244259ff2b19c41b9"
                             "f96f3ca9ec1dde434da7d2d392b905ddf3d1f9af93d1af5950bd493f5aa731b4"
                             "056df31bd267b6b90a079831aaf579be0a39013137aac6d404f518cfd4684064"
                             "7e78bfe706ca4cf5e9c5453e9f7cfd2b8b4c8d169a44e55c88d4a9a7f9474241"
                             "e221af44860018ab0856972e194cd934";
static const char a3_hex[] = "cf000000010008f067a5502a4262b5004075c0d95a482cd0991cd25b0aac406a"
                             "5816b6394100f37a1c69797554780bb38cc5a99f5ede4cf73c3ec2493a1839b3"
                             "dbcba3f6ea46c5b7684df3548e7ddeb9c3bf9c73cc3f3bded74b562bfb19fb84"
                             "022f8ef4cdd93795d77d06edbb7aaf2f58891850abbdca3d20398c276456cbc4"
                             "2158407dd074ee";

/* The CRYPTO frame of A.2's payload (then 917 bytes of PADDING). */
static const char a2_crypto_hex[] =
    "060040f1010000ed0303ebf8fa56f12939b9584a3896472ec40bb863cfd3e868"
    "04fe3a47f06a2b69484c00000413011302010000c000000010000e00000b6578"
    "616d706c652e636f6dff01000100000a00080006001d00170018001000070005"
    "04616c706e000500050100000000003300260024001d00209370b2c9caa47fba"
    "baf4559fedba753de171fa71f50f1ce15d43e994ec74d748002b000302030400"
    "0d0010000e0403050306030203080408050806002d00020101001c0002400100"
    "3900320408ffffffffffffffff05048000ffff07048000ffff08011001048000"
    "75300901100f088394c8f03e51570806048000ffff";
static const char a3_plain_hex[] =
    "02000000000600405a020000560303eefce7f7b37ba1d1632e96677825ddf739"
    "88cfc79825df566dc5430b9a045a1200130100002e00330024001d00209d3c94"
    "0d89690b84d08a60993c144eca684d1081287c834d5311bcf32bb9da1a002b00"
    "020304";

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;

	for (; h[0] && h[1] && n < cap; h += 2) {
		unsigned v = 0;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

static void check_hex(const uint8_t *got, size_t n, const char *want)
{
	char buf[2 * 64 + 1];

	for (size_t i = 0; i < n && i < 64; i++)
		snprintf(buf + 2 * i, 3, "%02x", got[i]);
	buf[2 * (n < 64 ? n : 64)] = '\0';
	CHECK_EQ_STR(buf, want);
}

static const uint8_t dcid[8] = {0x83, 0x94, 0xc8, 0xf0, 0x3e, 0x51, 0x57, 0x08};

static void test_key_schedule(void)
{
	uint8_t initial[32], client[32], server[32];
	struct quic_keys k;

	CHECK(quic_initial_secret(QUIC_VERSION_1, dcid, sizeof dcid, initial));
	check_hex(initial, 32, "7db5df06e7a69e432496adedb00851923595221596ae2ae9fb8115c1e9ed0a44");
	CHECK(quic_side_secret(initial, false, client));
	check_hex(client, 32, "c00cf151ca5be075ed0ebfb5c80323c42d6b7db67881289af4008f1f6c357aea");
	CHECK(quic_keys_from_secret(QUIC_VERSION_1, client, &k));
	check_hex(k.key, 16, "1f369613dd76d5467730efcbe3b1a22d");
	check_hex(k.iv, 12, "fa044b2f42a3fd3b46fb255c");
	check_hex(k.hp, 16, "9f50449e04a0e810283a1e9933adedd2");
	CHECK(quic_side_secret(initial, true, server));
	check_hex(server, 32, "3c199828fd139efd216c155ad844cc81fb82fa8d7446fa7d78be803acdda951b");
	CHECK(quic_keys_from_secret(QUIC_VERSION_1, server, &k));
	check_hex(k.key, 16, "cf3a5331653c364c88f0f379b6067e37");
	check_hex(k.iv, 12, "0ac1493ca1905853b0bba03e");
	check_hex(k.hp, 16, "c206b8d9b9f0f37644430b490eeaa314");
	CHECK(!quic_initial_secret(0xff00001cu, dcid, sizeof dcid,
	                           initial)); /* draft-28: quic.c maps it to draft-23's salt */
	CHECK(quic_crypto_version_known(QUIC_VERSION_2));
}

/*
 * The draft salts (draft-ietf-quic-tls-22 and -23, section 5.2) with RFC 9001's DCID: the
 * values were computed by another route, OpenSSL's HKDF through its command line:
 *   openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt mode:EXTRACT_ONLY \
 *       -kdfopt hexkey:8394c8f03e515708 -kdfopt hexsalt:SALT HKDF            -> initial
 *   openssl kdf -keylen 32 -kdfopt digest:SHA256 -kdfopt mode:EXPAND_ONLY \
 *       -kdfopt hexkey:INITIAL -kdfopt hexinfo:INFO HKDF                     -> client
 * and the same expansion of the client secret for the key (16), iv (12) and hp (16), INFO
 * being the HkdfLabel (RFC 8446 7.1): length (2 bytes), "tls13 " + label with its length
 * byte, an empty context (0x00); e.g. 00200f746c73313320636c69656e7420696e00 for "client in".
 * The same commands give RFC 9001 A.1's initial secret from version 1's salt (7db5df06...).
 */
static void check_draft(uint32_t version, const char *initial_hex, const char *client_hex,
                        const char *key, const char *iv, const char *hp)
{
	uint8_t initial[32], client[32];
	struct quic_keys k;

	CHECK(quic_initial_secret(version, dcid, sizeof dcid, initial));
	check_hex(initial, 32, initial_hex);
	CHECK(quic_side_secret(initial, false, client));
	check_hex(client, 32, client_hex);
	CHECK(quic_keys_from_secret(version, client, &k));
	check_hex(k.key, 16, key);
	check_hex(k.iv, 12, iv);
	check_hex(k.hp, 16, hp);
}

static void test_draft_salts(void)
{
	check_draft(QUIC_VERSION_DRAFT22,
	            "985b345492ea0b2800553589353725ce679ffd4cfc5d3aea970b52ee38ebcab5",
	            "7712ead935b044cb18e993a6f7a8c71119d2439ffdd3b6151ad7f9d9e77e2fb9",
	            "07863d9c083786bc86766ce0d02bf93f", "fb33da41a8f297d482df670e",
	            "48dbcf44e335508f7f23fb2c3790a37c");
	check_draft(QUIC_VERSION_DRAFT23,
	            "524e374c6da8cf8b496f4bcb696783507aafee6198b202b4bc823ebf7514a423",
	            "fda3953aecc040e48b34e27ef87de3a6098ecf0e38b7e032c5c57bcbd5975b84",
	            "af7fd7efebd21878ff66811248983694", "8681359410a70bb9c92f0420",
	            "a980b8b4fb7d9fbc13e814c23164253d");
}

/* Removes header protection from a long header packet whose packet number starts at pn_off;
 * returns the packet number length (0 on failure). */
static unsigned unprotect(const struct quic_keys *k, uint8_t *pkt, size_t pn_off, uint8_t mask[5])
{
	if (!quic_hp_mask(k->hp, pkt + pn_off + 4, mask))
		return 0;
	pkt[0] ^= mask[0] & 0x0f;
	unsigned pnl = (pkt[0] & 3u) + 1;
	for (unsigned i = 0; i < pnl; i++)
		pkt[pn_off + i] ^= mask[1 + i];
	return pnl;
}

static void test_client_initial(void)
{
	static uint8_t pkt[1200], plain[1200], want[1200];
	uint8_t mask[5];
	struct quic_keys k;

	CHECK_EQ_INT(unhex(a2_hex, pkt, sizeof pkt), 1200);
	CHECK(quic_initial_keys(QUIC_VERSION_1, dcid, sizeof dcid, false, &k));
	check_hex(pkt + 22, 16, "d1b1c98dd7689fb8ec11d242b123dc9b"); /* the sample */
	unsigned pnl = unprotect(&k, pkt, 18, mask);
	check_hex(mask, 5, "437b9aec36");
	CHECK_EQ_INT(pnl, 4);
	check_hex(pkt, 22, "c300000001088394c8f03e5157080000449e00000002");
	size_t hdr = 18 + pnl, ct = 1200 - hdr;
	CHECK(quic_aead_open(&k, 2, pkt, hdr, pkt + hdr, ct, plain));
	memset(want, 0, sizeof want);
	size_t n = unhex(a2_crypto_hex, want, sizeof want);
	CHECK_EQ_INT(n, 245);
	CHECK(memcmp(plain, want, ct - QUIC_TAG_LEN) == 0);
	CHECK_EQ_INT(ct - QUIC_TAG_LEN, 245 + 917);
	/* a flipped bit in the ciphertext, or the wrong packet number, fails the tag */
	pkt[100] ^= 1;
	CHECK(!quic_aead_open(&k, 2, pkt, hdr, pkt + hdr, ct, plain));
	pkt[100] ^= 1;
	CHECK(!quic_aead_open(&k, 3, pkt, hdr, pkt + hdr, ct, plain));
	CHECK(!quic_aead_open(&k, 2, pkt, hdr, pkt + hdr, QUIC_TAG_LEN - 1, plain));
}

static void test_server_initial(void)
{
	uint8_t pkt[135], plain[135], want[135], mask[5];
	struct quic_keys k;

	CHECK_EQ_INT(unhex(a3_hex, pkt, sizeof pkt), 135);
	CHECK(quic_initial_keys(QUIC_VERSION_1, dcid, sizeof dcid, true, &k));
	/* 1 + 4 + 1 + 0 (DCID) + 1 + 8 (SCID) + 1 (token length) + 2 (length) */
	unsigned pnl = unprotect(&k, pkt, 18, mask);
	CHECK_EQ_INT(pnl, 2);
	check_hex(pkt, 20, "c1000000010008f067a5502a4262b50040750001");
	size_t hdr = 18 + pnl, ct = sizeof pkt - hdr;
	CHECK(quic_aead_open(&k, 1, pkt, hdr, pkt + hdr, ct, plain));
	size_t n = unhex(a3_plain_hex, want, sizeof want);
	CHECK_EQ_INT(ct - QUIC_TAG_LEN, n);
	CHECK(memcmp(plain, want, n) == 0);
}

int main(void)
{
	test_key_schedule();
	test_client_initial();
	test_server_initial();
	test_draft_salts();
	return check_done();
}
