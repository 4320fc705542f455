/*
 * tsprec.c - native timestamp precision from a capture's first bytes (see tsprec.h).
 * pcap: the magic number says it. pcapng: the first Interface Description Block's
 * if_tsresol option (pcapng spec, section 4.2): 10^-v, or 2^-v when the top bit is set;
 * absent means microseconds. Every length read from the input is bounds-checked.
 */
#include "capture/tsprec.h"

#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "capture/pcapng_opts.h"

#define PEEK_MAX    (1u << 20)
#define PCAPNG_SHB  0x0a0d0d0au
#define PCAPNG_IDB  1u
#define PCAPNG_BOM  0x1a2b3c4du
#define OPT_END     0
#define OPT_TSRESOL 9

struct reader {
	size_t (*rd)(void *ctx, uint8_t *dst, size_t n);
	void *ctx;
	struct tsprec_peek *pk;
};

/* Makes the peek buffer hold at least `want` bytes: 1, 0 if the input is shorter (or
 * `want` is past the limit), -1 when out of memory. */
static int need(struct reader *r, size_t want)
{
	struct tsprec_peek *pk = r->pk;
	size_t n;

	if (want > PEEK_MAX)
		return 0;
	if (want > pk->cap) {
		uint8_t *nb = realloc(pk->buf, want < 256 ? 256 : want);

		if (nb == NULL)
			return -1;
		pk->buf = nb;
		pk->cap = want < 256 ? 256 : want;
	}
	for (; pk->len < want; pk->len += n)
		if ((n = r->rd(r->ctx, pk->buf + pk->len, want - pk->len)) == 0)
			return 0;
	return 1;
}

static int resol_prec(uint8_t v)
{
	if (v & 0x80)
		return (v & 0x7f) >= 20 ? 9 : 6; /* 2^-20 s is just under 1 us */
	return v > 6 ? 9 : 6;
}

/* b: a whole IDB of blen bytes (blen >= 12, checked). Options start after 16 bytes and end
 * before the trailing 4-byte length. */
static int idb_tsprec(const uint8_t *b, uint32_t blen, bool swap)
{
	uint32_t o = 16, end = blen - 4;

	while (o + 4 <= end) {
		uint16_t code = pcapng_get16(b + o, swap), olen = pcapng_get16(b + o + 2, swap);

		if (code == OPT_END || olen > end - o - 4)
			break;
		if (code == OPT_TSRESOL && olen >= 1)
			return resol_prec(b[o + 4]);
		o += 4 + (((uint32_t)olen + 3) & ~3u);
	}
	return 6;
}

/* Walks blocks from the SHB to the first IDB. Returns the precision, or -1 out of memory. */
static int pcapng_tsprec(struct reader *r)
{
	size_t off = 0;
	bool swap;
	int st;

	if ((st = need(r, 12)) <= 0)
		return st < 0 ? -1 : 6;
	if (pcapng_get32(r->pk->buf + 8, false) != PCAPNG_BOM &&
	    pcapng_get32(r->pk->buf + 8, true) != PCAPNG_BOM)
		return 6;
	swap = pcapng_get32(r->pk->buf + 8, false) != PCAPNG_BOM;
	for (;;) {
		uint32_t type, blen;

		if ((st = need(r, off + 8)) <= 0)
			return st < 0 ? -1 : 6;
		type = pcapng_get32(r->pk->buf + off, swap);
		blen = pcapng_get32(r->pk->buf + off + 4, swap);
		if (blen < 12 || blen % 4 != 0 || blen > PEEK_MAX - off ||
		    (off > 0 && type == PCAPNG_SHB))
			return 6;
		if ((st = need(r, off + blen)) <= 0)
			return st < 0 ? -1 : 6;
		if (type == PCAPNG_IDB)
			return blen >= 20 ? idb_tsprec(r->pk->buf + off, blen, swap) : 6;
		off += blen;
	}
}

int tsprec_sniff(size_t (*rd)(void *ctx, uint8_t *dst, size_t n), void *ctx, struct tsprec_peek *pk)
{
	struct reader r = {rd, ctx, pk};
	int st = need(&r, 4);

	if (st <= 0)
		return st < 0 ? -1 : 6;
	switch (pcapng_get32(pk->buf, false)) {
	case 0xa1b2c3d4u:
	case 0xd4c3b2a1u:
		return 6;
	case 0xa1b23c4du:
	case 0x4d3cb2a1u:
		return 9;
	case PCAPNG_SHB:
		return pcapng_tsprec(&r);
	default:
		return 6;
	}
}
