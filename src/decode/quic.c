/*
 * quic.c - QUIC long header packets found by content in UDP (RFC 9000 17.2, RFC 8999, RFC
 * 9369 for version 2), Initial packets decrypted (RFC 9001 5) and their frames decoded
 * (quic_frames.c).
 *
 *   +-+-+-+-+-+-+-+-+
 *   |1|1|T T|R R|P P|   header form, fixed bit, type, reserved and packet number length
 *   +-+-+-+-+-+-+-+-+   (R and P are under header protection)
 *   |   Version (32)                  |
 *   | DCID Len (8) | DCID (0..160)    |
 *   | SCID Len (8) | SCID (0..160)    |
 *   | Token Length (i), Token (Initial only)
 *   | Length (i)  | Packet Number (8..32) | Protected Payload ...
 *
 * Recognised as tshark 4.0's heuristic does, on any port no other dissector took: at least
 * 13 captured bytes, the long header form, a version that names a QUIC draft from 11 on (or
 * v1, v2, mvfst, the 0x?a?a?a?a versions that force negotiation), and CID lengths up to 20.
 * tshark then decodes the rest of that UDP conversation as QUIC (short headers, Version
 * Negotiation) and takes the Initial keys of both sides from the client's first DCID: so
 * does capscope when its caller keeps a connection table (d->quic_conns, quic_conn.c);
 * without one each datagram is decoded alone, as tshark decodes a lone datagram.
 * Coalesced packets are decoded one after another (at most QUIC_MAX_PACKETS).
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/quic_conn.h"
#include "decode/quic_crypto.h"

#define QUIC_MAX_CID     QUIC_CID_MAX
#define QUIC_MAX_PACKETS 8

enum { QT_INITIAL, QT_0RTT, QT_HANDSHAKE, QT_RETRY };
static const char *const type_names[] = {"Initial", "0-RTT", "Handshake", "Retry"};

/* tshark's quic_draft_version(): the draft a version is based on, 0 if not QUIC. */
static unsigned draft_version(uint32_t v)
{
	if ((v >> 8) == 0xff0000u)
		return v & 0xff;
	if (v == 0xfaceb001u)
		return 22;
	if (v == 0xfaceb002u || v == 0xfaceb00eu)
		return 27;
	if ((v & 0x0f0f0f0fu) == 0x0a0a0a0au)
		return 29;
	if (v == QUIC_VERSION_1)
		return 34;
	if (v == QUIC_VERSION_2 || v == 0x709a50c4u)
		return 100;
	return 0;
}

/* The version whose Initial keys decrypt `v`, 0 if quic_crypto has none: as tshark's
 * quic_create_initial_secrets(), draft 22's salt for every draft up to 22, draft 23's for 23
 * to 28, draft 29's for 29 to 32 and the versions that force negotiation. */
static uint32_t key_version(uint32_t v)
{
	unsigned draft = draft_version(v);

	if (draft && draft <= 22)
		v = QUIC_VERSION_DRAFT22;
	else if (draft >= 23 && draft <= 28)
		v = QUIC_VERSION_DRAFT23;
	else if (draft >= 29 && draft <= 32)
		v = QUIC_VERSION_DRAFT29;
	return quic_crypto_version_known(v) ? v : 0;
}

/* A QUIC variable-length integer (RFC 9000 16); *n gets its size (0 on a failed read). */
uint64_t quic_varint(struct cursor *c, uint32_t *n)
{
	uint32_t off = c->off;
	uint8_t b = cur_u8(c);
	uint64_t v = b & 0x3f;
	unsigned len = 1u << (b >> 6);

	for (unsigned i = 1; i < len; i++)
		v = v << 8 | cur_u8(c);
	*n = c->truncated ? 0 : c->off - off;
	return c->truncated ? 0 : v;
}

uint16_t quic_fld_at(struct dissection *d, const struct cursor *c, uint32_t off, uint32_t len,
                     const char *label, enum field_key key, enum field_type type, unsigned depth,
                     uint64_t u)
{
	uint16_t i = fld_add(d, off, len, label, key, type, depth, u);

	if (d->alt && c->base == d->alt) { /* decrypted bytes: fld_add clamped to the frame */
		d->f[i].off = off;
		d->f[i].len = len;
		d->f[i].flags |= FF_ALT;
	}
	return i;
}

uint64_t quic_fld_varint(struct dissection *d, struct cursor *c, const char *label,
                         enum field_key key, unsigned depth)
{
	uint32_t off = c->off, n;
	uint64_t v = quic_varint(c, &n);

	if (n)
		quic_fld_at(d, c, off, n, label, key, FT_UINT, depth, v);
	return v;
}

static void sb_cid(struct sbuf *b, const char *name, const uint8_t *cid, uint8_t len)
{
	static const char hex[] = "0123456789abcdef";
	char t[2 * QUIC_MAX_CID + 1];

	if (!cid || len == 0)
		return;
	for (unsigned i = 0; i < len; i++) {
		t[2 * i] = hex[cid[i] >> 4];
		t[2 * i + 1] = hex[cid[i] & 15];
	}
	t[2 * len] = '\0';
	sb_str(b, ", ");
	sb_str(b, name);
	sb_str(b, t);
}

/* What one long header holds, as read, and the connection it belongs to. */
struct quic_hdr {
	uint32_t start, version, pn_off, end; /* end: the packet's last byte + 1 in the frame */
	uint8_t first, type, dcil, scil;
	const uint8_t *dcid, *scid;
	bool clamped;           /* its Length ran past the datagram */
	struct quic_conn *conn; /* NULL: decoded alone */
	bool from_server;
};

/*
 * Removes header protection and decrypts an Initial into d->quic_buf; adds the reserved
 * bits, packet number length, packet number and payload fields. Returns the packet number
 * length (0: no keys or no room), with *ok set when the tag verified, and the payload's
 * offset and length in d->quic_buf in *plain and *plen. The keys are those of the
 * connection's first DCID and version (tshark's), else of this packet's DCID, client side.
 */
static unsigned decrypt_initial(struct dissection *d, const struct quic_hdr *h, uint64_t *pn,
                                bool *ok, uint32_t *plain, uint32_t *plen)
{
	const struct quic_conn *cn = h->conn;
	uint32_t kv = key_version(cn ? cn->version : h->version), used = d->alt_len;
	struct quic_keys k;
	uint8_t mask[5];

	*ok = false;
	if (!kv || h->end - h->pn_off < 4 + QUIC_SAMPLE_LEN ||
	    !quic_initial_keys(kv, cn ? cn->odcid : h->dcid, cn ? cn->odcil : h->dcil,
	                       cn && h->from_server, &k) ||
	    !quic_hp_mask(k.hp, d->data + h->pn_off + 4, mask))
		return 0;
	uint8_t first = h->first ^ (mask[0] & 0x0f);
	unsigned pnl = (first & 3u) + 1;
	uint32_t hlen = h->pn_off + pnl - h->start, ct = h->end - h->pn_off - pnl;
	if (hlen + ct > DISS_QUIC_BUF - used) /* no room: left protected */
		return 0;
	uint8_t *hdr = d->quic_buf + used;
	memcpy(hdr, d->data + h->start, hlen);
	hdr[0] = first;
	*pn = 0;
	for (unsigned i = 0; i < pnl; i++) {
		hdr[hlen - pnl + i] ^= mask[1 + i];
		*pn = *pn << 8 | hdr[hlen - pnl + i];
	}
	fld_add(d, h->start, 1, "Reserved", K_QUIC_LONG_RESERVED, FT_UINT, 1, (first >> 2) & 3u);
	fld_add(d, h->start, 1, "Packet Number Length", K_QUIC_PACKET_NUMBER_LENGTH, FT_UINT, 1,
	        pnl - 1);
	fld_add(d, h->pn_off, pnl, "Packet Number", K_QUIC_PACKET_NUMBER, FT_UINT, 1, *pn);
	if (ct > 0)
		fld_add(d, h->pn_off + pnl, ct, "Payload", K_QUIC_PAYLOAD, FT_BYTES, 1, 0);
	*ok = quic_aead_open(&k, *pn, hdr, hlen, d->data + h->pn_off + pnl, ct, hdr + hlen);
	if (*ok) {
		*plain = used + hlen;
		*plen = ct - QUIC_TAG_LEN;
		d->alt = d->quic_buf;
		d->alt_len = *plain + *plen;
	}
	return pnl;
}

static void failed(struct dissection *d, uint32_t off)
{
	fld_add(d, off, 0, "Failed to decrypt handshake", K_QUIC_DECRYPTION_FAILED, FT_PRESENT, 1,
	        0);
}

/* The packet's payload: decrypted frames for an Initial, else what tshark shows of it. */
static void packet_payload(struct dissection *d, const struct quic_hdr *h, struct sbuf *b)
{
	uint32_t plain = 0, plen = 0;
	uint64_t pn = 0;
	bool ok = false;
	unsigned pnl = 0;

	if (h->type == QT_INITIAL)
		pnl = decrypt_initial(d, h, &pn, &ok, &plain, &plen);
	if (pnl == 0) { /* no keys: tshark shows the bytes after Length and that it failed */
		if (h->end > h->pn_off)
			fld_add(d, h->pn_off, h->end - h->pn_off, "Remaining Payload",
			        K_QUIC_REMAINING_PAYLOAD, FT_BYTES, 1, 0);
		failed(d, h->pn_off);
		return;
	}
	sb_str(b, ", PKN: ");
	sb_u32(b, (uint32_t)pn); /* at most 4 bytes */
	if (!ok) {
		failed(d, h->pn_off + pnl);
		return;
	}
	struct cursor fc = {.base = d->quic_buf, .off = plain, .end = plain + plen};
	quic_frames(d, &fc, b, true, h->conn, h->from_server);
}

/* Retry (RFC 9000 17.2.5): a token and a 16-byte integrity tag fill the rest. */
static void retry_payload(struct dissection *d, struct cursor *c)
{
	uint32_t n = cur_left(c);

	if (n < 16) {
		fld_add(d, c->off, n, "Remaining Payload", K_QUIC_REMAINING_PAYLOAD, FT_BYTES, 1,
		        0);
		cur_skip(c, n);
		return;
	}
	if (n > 16)
		fld_bytes(d, c, n - 16, "Retry Token", K_QUIC_RETRY_TOKEN, 1);
	fld_bytes(d, c, 16, "Retry Integrity Tag", K_QUIC_RETRY_INTEGRITY_TAG, 1);
}

/* Version Negotiation (RFC 9000 17.2.1): the supported versions fill the rest. */
static void vn_payload(struct dissection *d, struct cursor *c)
{
	while (cur_left(c) >= 4)
		fld_hex(d, c, 4, 8, "Supported Version", K_QUIC_SUPPORTED_VERSION, 1);
}

/* The connection IDs; false if a length is over 20. */
static bool cids(struct dissection *d, struct cursor *c, uint16_t layer, struct quic_hdr *h)
{
	h->dcil = fld_u8(d, c, "Destination Connection ID Length", K_QUIC_DCIL, 1);
	h->dcid =
	    h->dcil ? fld_bytes(d, c, h->dcil, "Destination Connection ID", K_QUIC_DCID, 1) : NULL;
	h->scil = fld_u8(d, c, "Source Connection ID Length", K_QUIC_SCIL, 1);
	h->scid = h->scil ? fld_bytes(d, c, h->scil, "Source Connection ID", K_QUIC_SCID, 1) : NULL;
	if (h->dcil <= QUIC_MAX_CID && h->scil <= QUIC_MAX_CID)
		return true;
	diss_invalid(d, layer, h->start + 5, 1, "Bad CID length", "quic.cid_length",
	             h->dcil > QUIC_MAX_CID ? h->dcil : h->scil);
	return false;
}

/* An Initial's token length past the packet (returned, else 0): tshark finds it before it
 * shows any field. */
static uint64_t token_lies(const struct cursor *c, uint8_t first, uint32_t version)
{
	struct cursor p = *c;
	uint32_t n;
	uint8_t type = (first >> 4) & 3u;

	if (!(first & 0x80) || version == 0 || (version == QUIC_VERSION_2 ? type != 1 : type != 0))
		return 0;
	cur_skip(&p, 5);
	cur_skip(&p, cur_u8(&p));
	cur_skip(&p, cur_u8(&p));
	uint64_t tl = quic_varint(&p, &n);
	return n && tl > cur_left(&p) ? tl : 0;
}

/* The fixed part up to the Length field. False when the packet ends there or lies. */
static bool long_header(struct dissection *d, struct cursor *c, uint16_t layer, struct quic_hdr *h)
{
	h->start = c->off;
	h->first = cur_u8(c);
	h->version = cur_be32(c);
	h->type = (h->first >> 4) & 3u;
	if (h->version == QUIC_VERSION_2) /* RFC 9369 3.2: the types are rotated */
		h->type = (h->type + 3) & 3u;
	fld_add(d, h->start, 1, "Header Form", K_QUIC_HEADER_FORM, FT_UINT, 1, 1);
	if (h->version == 0) {
		d->f[fld_add(d, h->start, 1, "Unused", K_QUIC_VN_UNUSED, FT_HEX, 1,
		             h->first & 0x7fu)]
		    .width = 2;
	} else {
		if (h->type != QT_RETRY) /* tshark shows none for a Retry */
			fld_add(d, h->start, 1, "Fixed Bit", K_QUIC_FIXED_BIT, FT_BOOL, 1,
			        (h->first >> 6) & 1u);
		fld_add(d, h->start, 1, "Packet Type",
		        h->version == QUIC_VERSION_2 ? K_QUIC_LONG_PACKET_TYPE_V2
		                                     : K_QUIC_LONG_PACKET_TYPE,
		        FT_UINT, 1, (h->first >> 4) & 3u);
	}
	d->f[fld_add(d, h->start + 1, 4, "Version", K_QUIC_VERSION, FT_HEX, 1, h->version)].width =
	    8;
	if (!cids(d, c, layer, h))
		return false;
	if (h->version != 0 && h->type == QT_INITIAL) {
		uint64_t tl = quic_fld_varint(d, c, "Token Length", K_QUIC_TOKEN_LENGTH, 1);
		if (tl)
			fld_bytes(d, c, (uint32_t)tl, "Token", K_QUIC_TOKEN, 1);
	}
	return !c->truncated;
}

/* What a long header tells the connection: a client's first Initial starts one (with the
 * keys' DCID and version); the server's packets set the version the keys are made for. */
static void track(struct dissection *d, struct quic_hdr *h)
{
	if (!d->quic_conns || d->quoted)
		return;
	/* tshark's quic_connection_find(): by the DCID among the CIDs each side chose (a 0-RTT
	 * or client Initial also among the clients' first DCIDs), else by the conversation */
	struct quic_conn *by_cid = quic_conn_find_cid(
	    d->quic_conns, &d->sum, h->dcid, h->dcil, h->version && h->type == QT_0RTT,
	    h->version && h->type == QT_INITIAL, &h->from_server);
	if (by_cid || h->dcil > 0)
		h->conn = by_cid;
	if (h->version == 0)
		return;
	if (!h->conn && h->type == QT_INITIAL) {
		h->conn = quic_conn_add(d->quic_conns, &d->sum, h->version, h->dcid, h->dcil);
		h->from_server = false;
	}
	if (!h->conn)
		return;
	quic_conn_set_scid(h->conn, h->from_server, h->scid, h->scil);
	if (h->from_server)
		h->conn->version = h->version;
	if (h->from_server && h->type == QT_RETRY) /* RFC 9001 5.2: keys from the new DCID */
		quic_conn_set_odcid(h->conn, h->scid, h->scil);
}

static void info_start(struct sbuf *b, const char *what, const struct quic_hdr *h)
{
	b->len = 0;
	b->p[0] = '\0';
	sb_str(b, what);
	sb_cid(b, "DCID=", h->dcid, h->dcil);
	sb_cid(b, "SCID=", h->scid, h->scil);
}

/* A long header packet from c->off; returns false when nothing more can follow it. */
static bool long_packet(struct dissection *d, struct cursor *c, struct sbuf *b, struct quic_hdr *h)
{
	uint16_t layer = diss_layer(d, c, P_QUIC);
	uint16_t plen_field =
	    fld_add(d, c->off, 0, "Packet Length", K_QUIC_PACKET_LENGTH, FT_UINT, 1, cur_left(c));

	if (!long_header(d, c, layer, h)) {
		if (c->truncated)
			diss_trunc(d, layer, c);
		return false;
	}
	track(d, h);
	info_start(b, h->version == 0 ? "Version Negotiation" : type_names[h->type], h);
	if (h->version == 0 || h->type == QT_RETRY) {
		if (h->version == 0)
			vn_payload(d, c);
		else
			retry_payload(d, c);
		d->f[plen_field].u = c->off - h->start;
		diss_layer_end(d, layer, c);
		return false;
	}
	uint64_t len = quic_fld_varint(d, c, "Length", K_QUIC_LENGTH, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return false;
	}
	h->pn_off = c->off;
	h->clamped = len > cur_left(c);
	h->end = h->pn_off + (h->clamped ? cur_left(c) : (uint32_t)len);
	d->f[plen_field].u = h->end - h->start;
	packet_payload(d, h, b);
	c->off = h->end;
	diss_layer_end(d, layer, c);
	return !h->clamped;
}

/* A short header (RFC 9000 17.3) of a known connection: its DCID is the peer's SCID; the
 * rest, packet number included, is protected (no 1-RTT keys here). */
static void short_packet(struct dissection *d, struct cursor *c, struct sbuf *b, struct quic_hdr *h)
{
	uint16_t layer = diss_layer(d, c, P_QUIC);
	uint32_t start = c->off;

	h->conn = quic_conn_find_short(d->quic_conns, &d->sum, c->base + c->off, cur_left(c),
	                               &h->from_server);
	/* without the connection the DCID's length is not known: none is read */
	uint8_t dcil = !h->conn ? 0 : h->from_server ? h->conn->cscil : h->conn->sscil;

	fld_add(d, start, 0, "Packet Length", K_QUIC_PACKET_LENGTH, FT_UINT, 1, cur_left(c));
	uint8_t first = cur_u8(c);
	fld_add(d, start, 1, "Header Form", K_QUIC_HEADER_FORM, FT_UINT, 1, 0);
	fld_add(d, start, 1, "Fixed Bit", K_QUIC_FIXED_BIT, FT_BOOL, 1, (first >> 6) & 1u);
	fld_add(d, start, 1, "Spin Bit", K_QUIC_SPIN_BIT, FT_BOOL, 1, (first >> 5) & 1u);
	const uint8_t *dcid =
	    dcil ? fld_bytes(d, c, dcil, "Destination Connection ID", K_QUIC_DCID, 1) : NULL;
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	b->len = 0;
	b->p[0] = '\0';
	sb_str(b, "Protected Payload (KP0)");
	sb_cid(b, "DCID=", dcid, dcil);
	if (cur_left(c) > 0)
		fld_bytes(d, c, cur_left(c), "Remaining Payload", K_QUIC_REMAINING_PAYLOAD, 1);
	/* tshark finds no 1-RTT keys once per connection and then stops trying (quietly) */
	if (!h->conn || !h->conn->short_seen)
		failed(d, c->off);
	if (h->conn)
		h->conn->short_seen = true;
	diss_layer_end(d, layer, c);
}

/* tshark's heuristic: enough bytes, a long header, a QUIC version, CID lengths up to 20. */
static bool looks_like_quic(const struct cursor *c)
{
	struct cursor p = *c;
	uint8_t first, dcil;
	uint32_t version;

	if (cur_left(c) < 13)
		return false;
	first = cur_u8(&p);
	version = cur_be32(&p);
	dcil = cur_u8(&p);
	return (first & 0x80) && draft_version(version) >= 11 && dcil <= QUIC_MAX_CID &&
	       cur_skip(&p, dcil) && cur_left(&p) > 0 && cur_u8(&p) <= QUIC_MAX_CID;
}

bool quic_heur(struct dissection *d, struct cursor *c, uint32_t plen)
{
	struct quic_conns *t = d->quoted || d->lean ? NULL : d->quic_conns;

	(void)plen;
	/* tshark decodes the rest of a UDP conversation as QUIC once one datagram was */
	if (!(t && quic_conv_is(t, &d->sum)) && !looks_like_quic(c))
		return false;
	if (d->lean)
		return true;
	if (t)
		quic_conv_mark(t, &d->sum);
	bool summary = sum_begin(d, P_QUIC);
	char scratch[sizeof d->sum.info];
	struct sbuf b = summary ? sum_info(d) : (struct sbuf){scratch, 0, sizeof scratch};
	struct cursor v = *c;
	uint8_t first = cur_u8(&v);
	uint64_t tl = token_lies(c, first, cur_be32(&v));
	if (tl) {
		uint16_t layer = diss_layer(d, c, P_QUIC);
		diss_invalid(d, layer, c->off, cur_left(c), "Bad token length", "quic.token_length",
		             tl > UINT32_MAX ? UINT32_MAX : (uint32_t)tl);
		return true;
	}
	/* the Info text is the last packet's, as tshark's column shows */
	for (unsigned i = 0; i < QUIC_MAX_PACKETS && cur_left(c) > 0; i++) {
		struct quic_hdr one = {.conn = NULL};
		if (!(c->base[c->off] & 0x80)) {
			if (t) /* a short header of a conversation taken as QUIC */
				short_packet(d, c, &b, &one);
			break;
		}
		if (!long_packet(d, c, &b, &one))
			break;
	}
	return true;
}
