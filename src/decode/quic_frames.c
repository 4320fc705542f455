/*
 * quic_frames.c - the frames of a decrypted QUIC Initial (RFC 9000 19): PADDING, PING, ACK,
 * CRYPTO and CONNECTION_CLOSE, the frames an Initial may carry. The cursor is over
 * d->quic_buf (d->alt), so every field is FF_ALT.
 *
 * CRYPTO frames are joined by offset into the handshake stream from offset 0 (at most
 * QUIC_MAX_CRYPTO frames a packet), which goes to the TLS handshake parser once its first
 * message is whole: a ClientHello split across Initials is kept in the connection
 * (quic_conn.h) until its end comes, as tshark reassembles it; without a connection table
 * only a message within one packet is decoded.
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/quic_conn.h"
#include "decode/tls.h"

#define QUIC_MAX_FRAMES 256
#define QUIC_MAX_CRYPTO 16

struct crypto_part {
	uint64_t offset;
	uint32_t at, len; /* in d->quic_buf */
};

struct frames {
	struct crypto_part crypto[QUIC_MAX_CRYPTO];
	unsigned ncrypto;
};

/* The frame's node and its type field (whose index it returns); its name goes to Info. */
static uint16_t frame_node(struct dissection *d, const struct cursor *c, uint32_t off,
                           uint64_t type, const char *name, struct sbuf *b)
{
	quic_fld_at(d, c, off, 0, name, K_NONE, FT_TEXT, 1, 0);
	if (b) {
		sb_str(b, ", ");
		sb_str(b, name);
	}
	return quic_fld_at(d, c, off, c->off - off, "Frame Type", K_QUIC_FRAME_TYPE, FT_UINT, 2,
	                   type);
}

static void padding(struct dissection *d, struct cursor *c, uint32_t off, struct sbuf *b)
{
	uint32_t n = 1;

	while (cur_left(c) > 0 && c->base[c->off] == 0) {
		c->off++;
		n++;
	}
	d->f[frame_node(d, c, off, 0, "PADDING", b)].len = 1; /* the type byte, not the run */
	quic_fld_at(d, c, off, 0, "Padding Length", K_QUIC_PADDING_LENGTH, FT_UINT, 2, n);
}

static void ack(struct dissection *d, struct cursor *c, bool ecn)
{
	quic_fld_varint(d, c, "Largest Acknowledged", K_QUIC_ACK_LARGEST_ACKNOWLEDGED, 2);
	quic_fld_varint(d, c, "ACK Delay", K_QUIC_ACK_ACK_DELAY, 2);
	uint64_t n = quic_fld_varint(d, c, "ACK Range Count", K_QUIC_ACK_ACK_RANGE_COUNT, 2);
	quic_fld_varint(d, c, "First ACK Range", K_QUIC_ACK_FIRST_ACK_RANGE, 2);
	/* each range takes at least 2 bytes: the count is bounded by what is left */
	for (uint64_t i = 0; i < n && !c->truncated; i++) {
		quic_fld_varint(d, c, "Gap", K_QUIC_ACK_GAP, 2);
		quic_fld_varint(d, c, "ACK Range", K_QUIC_ACK_ACK_RANGE, 2);
	}
	if (ecn) {
		quic_fld_varint(d, c, "ECT(0) Count", K_QUIC_ACK_ECT0_COUNT, 2);
		quic_fld_varint(d, c, "ECT(1) Count", K_QUIC_ACK_ECT1_COUNT, 2);
		quic_fld_varint(d, c, "ECN-CE Count", K_QUIC_ACK_ECN_CE_COUNT, 2);
	}
}

static void crypto(struct dissection *d, struct cursor *c, struct frames *fr)
{
	uint64_t off = quic_fld_varint(d, c, "Offset", K_QUIC_CRYPTO_OFFSET, 2);
	uint64_t len = quic_fld_varint(d, c, "Length", K_QUIC_CRYPTO_LENGTH, 2);
	uint32_t at = c->off;

	if (c->truncated || len > cur_left(c)) {
		c->truncated = true;
		return;
	}
	cur_skip(c, (uint32_t)len);
	if (fr->ncrypto < QUIC_MAX_CRYPTO)
		fr->crypto[fr->ncrypto++] = (struct crypto_part){off, at, (uint32_t)len};
}

static void conn_close(struct dissection *d, struct cursor *c, bool app)
{
	if (app) {
		quic_fld_varint(d, c, "Application Error code", K_QUIC_CC_ERROR_CODE_APP, 2);
	} else {
		quic_fld_varint(d, c, "Error code", K_QUIC_CC_ERROR_CODE, 2);
		quic_fld_varint(d, c, "Frame Type", K_QUIC_CC_FRAME_TYPE, 2);
	}
	uint64_t n =
	    quic_fld_varint(d, c, "Reason phrase Length", K_QUIC_CC_REASON_PHRASE_LENGTH, 2);
	uint32_t at = c->off;
	const uint8_t *p = n <= cur_left(c) ? cur_bytes(c, (uint32_t)n) : NULL;

	if (!p) {
		c->truncated = true;
		return;
	}
	if (n)
		quic_fld_at(d, c, at, (uint32_t)n, "Reason phrase", K_QUIC_CC_REASON_PHRASE, FT_STR,
		            2, diss_text(d, (const char *)p, (size_t)n));
}

/* A message whose start earlier packets brought: tshark's fragments, one a packet (this one
 * last, numbered by quic_conns_frame()). */
static void fragments(struct dissection *d, uint32_t at, const struct quic_conn *cn, int side)
{
	fld_add(d, at, 0, "Handshake Protocol (last fragment)", K_NONE, FT_TEXT, 1, 0);
	fld_add(d, at, 0, "Reassembled Handshake Fragments", K_TLS_HS_FRAGMENTS, FT_PRESENT, 1, 0);
	for (unsigned k = 0; k < cn->hs_nfrag[side]; k++)
		fld_add(d, at, 0, "Handshake Fragment", K_TLS_HS_FRAGMENT, FT_UINT, 2,
		        cn->hs_frame[side][k]);
	fld_add(d, at, 0, "Handshake Fragment", K_TLS_HS_FRAGMENT, FT_UINT, 2, 0);
	fld_add(d, at, 0, "Handshake Fragment count", K_TLS_HS_FRAGMENT_COUNT, FT_UINT, 2,
	        cn->hs_nfrag[side] + 1u);
}

/*
 * The CRYPTO stream d->quic_buf[at, at + n) from its offset 0: TLS handshake messages
 * without records, in a TLS layer of their own (tshark's "quic:tls"). Its fields are FF_ALT;
 * the Protocol column and Info stay QUIC's, as tshark's do.
 */
static void quic_crypto_stream(struct dissection *d, uint32_t at, uint32_t n,
                               const struct quic_conn *cn, int side)
{
	struct cursor c = {.base = d->quic_buf, .off = at, .end = at + n};
	uint16_t proto = d->sum.proto;
	char info[sizeof d->sum.info];
	bool in_alt = d->in_alt;

	memcpy(info, d->sum.info, sizeof info);
	d->in_alt = true;
	uint16_t layer = diss_layer(d, &c, P_TLS);
	d->tls_layer = layer;
	if (cn && cn->hs_nfrag[side])
		fragments(d, at, cn, side);
	tls_handshake_dissect(d, &c, 1, true);
	diss_layer_end(d, layer, &c);
	d->in_alt = in_alt;
	d->sum.proto = proto;
	memcpy(d->sum.info, info, sizeof info);
}

/* The packet's part of a kept message start (none when it brought no new bytes). */
static void keep_fragment(struct dissection *d, struct quic_conn *cn, int side, uint32_t n)
{
	if (n == cn->hs_len[side])
		return;
	if (cn->hs_nfrag[side] >= QUIC_HS_FRAGS) { /* over the bound: not kept */
		cn->hs_len[side] = 0;
		cn->hs_nfrag[side] = 0;
		return;
	}
	cn->hs_frame[side][cn->hs_nfrag[side]++] = 0;
	if (d->quic_conns) /* the connection's table (a caller may decode alone again) */
		d->quic_conns->unnumbered = true;
}

/* The start of a message that goes on in a later packet: tshark shows a TLS layer with
 * the message's first part ("Client Hello (fragment)"), without fields. */
static void crypto_fragment(struct dissection *d, uint32_t at, uint32_t n)
{
	struct cursor c = {.base = d->quic_buf, .off = at, .end = at + n};
	bool in_alt = d->in_alt;

	d->alt_len = at + n; /* the fragment's bytes stay in alt while the dissection is used */
	d->in_alt = true;
	uint16_t layer = diss_layer(d, &c, P_TLS);
	fld_add(d, at, n, "Handshake Protocol (fragment)", K_NONE, FT_TEXT, 1, 0);
	cur_skip(&c, n);
	diss_layer_end(d, layer, &c);
	d->in_alt = in_alt;
}

/* Appends to d->quic_buf[start, start + *n) the CRYPTO data that runs on from offset *n
 * (the stream so far); false when there is no room. */
static bool join_crypto(struct dissection *d, const struct frames *fr, uint32_t start, uint32_t *n)
{
	bool grew = true;

	for (unsigned round = 0; round < QUIC_MAX_CRYPTO && grew; round++) {
		grew = false;
		for (unsigned i = 0; i < fr->ncrypto; i++) {
			const struct crypto_part *p = &fr->crypto[i];
			if (p->offset > *n || p->offset + p->len <= *n)
				continue;
			uint32_t skip = (uint32_t)(*n - p->offset), add = p->len - skip;
			if (add > DISS_QUIC_BUF - start - *n)
				return false;
			memcpy(d->quic_buf + start + *n, d->quic_buf + p->at + skip, add);
			*n += add;
			grew = true;
		}
	}
	return true;
}

/* Whether the stream holds its first handshake message whole (type, 24-bit length). */
static bool message_whole(const uint8_t *p, uint32_t n)
{
	return n >= 4 && ((uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]) <= n - 4;
}

/*
 * The side's CRYPTO stream from offset 0: what the connection kept from earlier packets
 * (tshark joins a ClientHello split across Initials) and this packet's frames, in
 * d->quic_buf after the decrypted bytes. Handed on once its first message is whole; kept
 * (at most QUIC_CRYPTO_KEEP bytes) while it is not.
 */
static void crypto_stream(struct dissection *d, const struct frames *fr, struct quic_conn *cn,
                          bool server)
{
	uint32_t start = d->alt_len, n = 0;
	int side = server ? 1 : 0;

	/* the stream's start was decoded before: tshark takes this as a retransmission */
	if (fr->ncrypto == 0 || (cn && cn->hs_done[side]))
		return;
	if (cn && cn->hs_len[side] > 0 && cn->hs_len[side] <= DISS_QUIC_BUF - start) {
		memcpy(d->quic_buf + start, cn->hs[side], cn->hs_len[side]);
		n = cn->hs_len[side];
	}
	if (!join_crypto(d, fr, start, &n) || n == 0)
		return;
	if (!message_whole(d->quic_buf + start, n)) {
		crypto_fragment(d, start, n);
		if (cn && n <= QUIC_CRYPTO_KEEP) {
			keep_fragment(d, cn, side, n);
			memcpy(cn->hs[side], d->quic_buf + start, n);
			cn->hs_len[side] = n;
		}
		return;
	}
	d->alt_len = start + n;
	quic_crypto_stream(d, start, n, cn, side);
	if (cn) {
		cn->hs_len[side] = 0;
		cn->hs_nfrag[side] = 0;
		cn->hs_done[side] = true;
	}
}

/* The type names tshark puts in Info, for the frames decoded here. */
static const char *frame_name(uint64_t t)
{
	switch (t) {
	case 0x01:
		return "PING";
	case 0x02:
		return "ACK";
	case 0x03:
		return "ACK_ECN";
	case 0x06:
		return "CRYPTO";
	case 0x1c:
	case 0x1d:
		return "CC";
	default:
		return NULL;
	}
}

void quic_frames(struct dissection *d, struct cursor *c, struct sbuf *b, bool tls,
                 struct quic_conn *cn, bool server)
{
	struct frames fr = {.ncrypto = 0};

	for (unsigned i = 0; i < QUIC_MAX_FRAMES && cur_left(c) > 0 && !c->truncated; i++) {
		uint32_t off = c->off, n;
		uint64_t t = quic_varint(c, &n);
		const char *name = frame_name(t);

		if (t == 0) {
			padding(d, c, off, b);
			continue;
		}
		frame_node(d, c, off, t, name ? name : "Unknown frame", name ? b : NULL);
		if (t == 0x02 || t == 0x03)
			ack(d, c, t == 0x03);
		else if (t == 0x06)
			crypto(d, c, &fr);
		else if (t == 0x1c || t == 0x1d)
			conn_close(d, c, t == 0x1d);
		else if (t >= 0x04 && t <= 0x1e)
			break; /* a frame an Initial may not carry: its body is not decoded */
		/* tshark reads an unknown type alone and goes on with the next byte */
	}
	if (c->truncated) { /* a frame ran past the packet: tshark's "Malformed Packet" */
		d->f[quic_fld_at(d, c, c->off, 0, "[|quic]", K_NONE, FT_TEXT, 1, 0)].flags |=
		    FF_TRUNCATED;
		if (!d->malformed[0])
			strcpy(d->malformed, "truncated quic");
	}
	if (tls)
		crypto_stream(d, &fr, cn, server);
}
