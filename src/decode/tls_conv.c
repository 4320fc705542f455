/*
 * tls_conv.c - a segment of a TCP stream known to carry TLS, decoded as tshark 4.0 decodes
 * one once the conversation is TLS's (tls_conv.h), and the stream's session version.
 *
 * tshark 4.0 (packet-tls.c, dissect_ssl()): a segment whose first four bytes are printable is
 * not TLS's. Otherwise the Protocol column starts as the session version's name ("SSL" while
 * unknown) and the bytes are read as records, one after the other:
 *   - under 5 bytes left: reassembly asks for one more segment, or nothing more is decoded;
 *   - session SSL 3.0 to TLS 1.2: an SSLv2 ClientHello look (0x80, ?, 1) is SSLv2's; a type
 *     outside 20..25 is "Ignored Unknown Record" (TLS 1.0 and later) and ends the segment;
 *     any type inside is a record whatever its version bytes;
 *   - session unknown or TLS 1.3 (not among the versions its switch names): SSLv2-looking
 *     bytes (first >= 0x80, third a SSLv2 message type) are SSLv2's; a record needs type
 *     20..25 and version 3.0 to 3.3; anything else is "Continuation Data" and ends it; a
 *     heartbeat in TLS 1.3 (not allowed there) is decoded without Info;
 *   - a record past the segment is left to reassembly, or not decoded (no Info).
 * capscope does not decode SSLv2 records: their bytes end the segment's decode, as tshark's
 * do when the record runs past the segment (the case a continuation segment meets).
 */
#include "decode/tls_conv.h"

#include <stdlib.h>

#include "decode/tls.h"
#include "decode/tls_int.h"

#define REC_HDR 5

struct tls_conv {
	uint32_t stream[TLS_CONV_SLOTS]; /* stream number + 1 owning the slot, 0 free */
	uint16_t ver[TLS_CONV_SLOTS];    /* session version, 0 unknown */
	bool tls[TLS_CONV_SLOTS];        /* the stream carried TLS */
};

struct tls_conv *tls_conv_create(void)
{
	return calloc(1, sizeof(struct tls_conv));
}

void tls_conv_free(struct tls_conv *t)
{
	free(t);
}

/* The stream's slot, taken over (cleared) when another stream had it. */
static uint32_t slot(struct tls_conv *t, uint32_t stream)
{
	uint32_t h = stream % TLS_CONV_SLOTS;

	if (t->stream[h] != stream + 1u) {
		t->stream[h] = stream + 1u;
		t->ver[h] = 0;
		t->tls[h] = false;
	}
	return h;
}

bool tls_conv_is_tls(struct tls_conv *t, uint32_t stream)
{
	return t && t->tls[slot(t, stream)];
}

uint16_t tls_conv_version(struct tls_conv *t, uint32_t stream)
{
	return t ? t->ver[slot(t, stream)] : 0;
}

bool tls_conv_takes(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; n > 4 && i < 4; i++)
		if (p[i] < 0x20 || p[i] > 0x7e)
			return true;
	return n <= 4;
}

static bool known_version(uint16_t v)
{
	return v >= 0x0300 && v <= 0x0303;
}

static bool valid_type(uint8_t t)
{
	return t >= 20 && t <= 25; /* up to heartbeat (24) and TLS 1.2's connection ID (25) */
}

static bool sslv2_looks(const uint8_t *p, uint16_t ver)
{
	if (known_version(ver))
		return p[0] == 0x80 && p[2] == 1; /* an SSLv2-compatible ClientHello */
	/* SSLv2 error (0), client hello (1), client master key (2), server hello (4) */
	return p[0] >= 0x80 && (p[2] <= 2 || p[2] == 4);
}

static bool sslv3_looks(const uint8_t *p)
{
	uint16_t v = (uint16_t)(p[1] << 8 | p[2]);

	return valid_type(p[0]) && known_version(v);
}

/* The records from c on, by the rules above; false once the segment's decode ends. */
static bool one_record(struct dissection *d, struct cursor *c, uint32_t left, uint16_t ver,
                       bool *ccs)
{
	const uint8_t *p = c->base + c->off;
	uint32_t len;

	if (cur_left(c) < REC_HDR) {
		tls_partial(d, c, left);
		return false;
	}
	len = (uint32_t)p[3] << 8 | p[4];
	if (sslv2_looks(p, ver))
		return false;
	if (known_version(ver) && ver >= 0x0301 && !valid_type(p[0])) {
		tls_info_add(d, "Ignored Unknown Record");
		return false;
	}
	if (!known_version(ver) && !sslv3_looks(p)) {
		tls_info_add(d, "Continuation Data");
		return false;
	}
	if (!valid_type(p[0])) { /* SSL 3.0: the record is skipped */
		tls_info_add(d, "Continuation Data");
		return cur_skip(c, REC_HDR + len), !c->truncated;
	}
	if (cur_left(c) < REC_HDR + len) {
		tls_partial(d, c, left);
		return false;
	}
	d->tls_session_ver = ver;
	tls_record(d, c, ccs);
	d->tls_session_ver = 0;
	return true;
}

/* The records, then the column: "SSL" or the version's name, no Info unless one was named. */
static void records(struct dissection *d, struct cursor *c, uint32_t plen, uint16_t ver)
{
	uint32_t start = c->off;
	bool ccs = false;

	if (plen == DISS_PLEN_UNKNOWN || plen < cur_left(c))
		plen = cur_left(c);
	while (cur_left(c) > 0 && one_record(d, c, plen - (c->off - start), ver, &ccs))
		;
	if (!tls_is_column(d->sum.proto) && d->pdu_off == UINT32_MAX && sum_begin(d, P_TLS_COL_SSL))
		sum_info(d);
	if (tls_is_column(d->sum.proto))
		d->sum.proto = tls_column_proto(ver ? ver : d->tls_last_ver);
}

void tls_conv_dissect(struct dissection *d, struct cursor *c, uint32_t plen, uint16_t ver)
{
	uint16_t layer = diss_layer(d, c, P_TLS);

	d->tls_layer = layer;
	records(d, c, plen, ver);
	diss_layer_end(d, layer, c);
}

void tls_conv_rest(struct dissection *d, struct cursor *c, uint32_t plen, uint16_t ver)
{
	records(d, c, plen, ver);
}

void tls_conv_column(struct tls_conv *t, struct dissection *d, uint32_t stream)
{
	uint32_t h;

	if (!t)
		return;
	h = slot(t, stream);
	if (d->tls_version)
		t->ver[h] = d->tls_version;
	else if (!t->ver[h] && d->tls_auth_ver)
		t->ver[h] = d->tls_auth_ver;
	if (tls_is_column(d->sum.proto) || d->pdu_proto == P_TLS)
		t->tls[h] = true;
	if (!tls_is_column(d->sum.proto) || !t->ver[h])
		return;
	d->sum.proto = tls_column_proto(t->ver[h]);
	if (t->ver[h] != 0x0304)
		return;
	/* TLS 1.3 hides the type of what it encrypts: tshark calls the field Opaque Type */
	for (uint16_t i = 0; i < d->nf; i++)
		if (d->f[i].key == K_TLS_RECORD_CONTENT_TYPE && d->f[i].u == 23) {
			d->f[i].key = K_TLS_RECORD_OPAQUE_TYPE;
			d->f[i].label = "Opaque Type";
		}
}
