/*
 * fuzz_quic.c - libFuzzer harness for the QUIC parsers. The first input byte picks what the
 * rest is:
 *   even: a UDP payload to port 443, dissected in an Ethernet/IPv4/UDP frame with a
 *         connection table that lives across inputs (so short headers, Version Negotiation
 *         and server Initials of remembered connections are reached too): the header parser;
 *   odd:  the decrypted payload of an Initial, handed to quic_frames() as quic.c hands it
 *         (from d->quic_buf, as d->alt): the frame parser and the CRYPTO join, with or
 *         without a connection that keeps a split handshake message across inputs.
 * Every field's value text is formatted, and a field outside the captured bytes (or, for
 * FF_ALT fields, outside d->alt) traps.
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/quic_conn.h"

static void check_fields(const struct dissection *d)
{
	static char text[DISS_TEXT_SIZE * 4 + 1];

	for (uint16_t i = 0; i < d->nf; i++) {
		const struct field *f = &d->f[i];
		uint32_t lim = (f->flags & FF_ALT) ? d->alt_len : d->caplen;
		if (f->len && (uint64_t)f->off + f->len > lim)
			__builtin_trap();
		if ((f->flags & FF_ALT) && !d->alt)
			__builtin_trap();
		field_value_text(d, f, text, sizeof text);
	}
}

/* Ethernet + IPv4 + UDP (checksum 0) around payload[0..n); the client port varies with the
 * selector so remembered connections are met again. */
static uint32_t frame(uint8_t *out, const uint8_t *payload, uint32_t n, uint8_t sel)
{
	static const uint8_t eth[14] = {0, 0, 0, 0, 0, 2, 0, 0, 0, 0, 0, 1, 0x08, 0x00};
	uint32_t ipl = 20 + 8 + n, ul = 8 + n;
	bool to_server = sel & 2;
	uint16_t cport = (uint16_t)(50000 + ((sel >> 2) & 7));
	uint8_t ip[20] = {0x45,
	                  0,
	                  (uint8_t)(ipl >> 8),
	                  (uint8_t)ipl,
	                  0,
	                  0,
	                  0,
	                  0,
	                  64,
	                  17,
	                  0,
	                  0,
	                  10,
	                  0,
	                  0,
	                  1,
	                  10,
	                  0,
	                  0,
	                  2};

	if (!to_server) { /* from the server: swap the addresses */
		ip[15] = 2;
		ip[19] = 1;
	}
	uint16_t sp = to_server ? cport : 443, dp = to_server ? 443 : cport;
	uint8_t udp[8] = {(uint8_t)(sp >> 8),
	                  (uint8_t)sp,
	                  (uint8_t)(dp >> 8),
	                  (uint8_t)dp,
	                  (uint8_t)(ul >> 8),
	                  (uint8_t)ul,
	                  0,
	                  0};
	memcpy(out, eth, 14);
	memcpy(out + 14, ip, 20);
	memcpy(out + 34, udp, 8);
	memcpy(out + 42, payload, n);
	return 42 + n;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissection d;
	static struct quic_conns *conns;
	static struct quic_conn conn;
	static uint8_t pkt[42 + 65507];

	if (size < 1 || size - 1 > 65507)
		return 0;
	if (!conns)
		conns = quic_conns_create();
	uint8_t sel = data[0];
	uint32_t n = (uint32_t)size - 1;
	if (!(sel & 1)) {
		d.quic_conns = conns;
		uint32_t len = frame(pkt, data + 1, n, sel);
		dissect(&d, 1 /* DLT_EN10MB */, pkt, len, len);
		check_fields(&d);
		dissect_summary(&d, 1, pkt, len, len);
		return 0;
	}
	if (n > DISS_QUIC_BUF / 2) /* quic.c leaves the other half for the joined CRYPTO data */
		return 0;
	d.quic_conns = NULL;
	dissect(&d, 1, pkt, 0, 0); /* resets the dissection */
	memcpy(d.quic_buf, data + 1, n);
	d.alt = d.quic_buf;
	d.alt_len = n;
	struct cursor c = {.base = d.quic_buf, .off = 0, .end = n};
	char info[200] = "";
	struct sbuf b = {info, 0, sizeof info};
	/* selector bit 2: with a connection that keeps a split message across inputs */
	quic_frames(&d, &c, &b, (sel & 2) != 0, (sel & 4) ? &conn : NULL, (sel & 8) != 0);
	check_fields(&d);
	return 0;
}
