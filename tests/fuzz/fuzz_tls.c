/*
 * fuzz_tls.c - libFuzzer harness for TLS, HTTP and TCP PDU reassembly. The first byte picks:
 *   even: the rest is a TCP byte stream, cut into segments by the lengths it carries
 *         ([1-byte length][flags: bit 0 direction, bit 1 skip 1..8 bytes (a gap), bit 2 send the
 *         segment twice (a retransmission), bit 3 FIN (ends a PDU that runs until the FIN),
 *         bit 4 send it after the next one (out of order: a hole filled late)][payload]),
 *         sent as IPv4/TCP packets of one connection on port 443 or 5555 (HTTP is found there
 *         by content) and run through dissect_pdus(), stream_annotate_mark() and
 *         reasm_packet(), as the headless reader does, with its TLS handshake reassembly
 *         across records (d->tls_hsr: several records in one input);
 *   odd:  the rest is handshake messages without records, as QUIC hands them over
 *         (tls_handshake_dissect()).
 * Every field's bytes must lie inside the frame, or inside the reassembled PDU for FF_ALT.
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/frame_meta.h"
#include "decode/reasm.h"
#include "decode/stream.h"
#include "decode/tls.h"

#define DLT_IPV4_RAW 228

static void check_fields(const struct dissection *d)
{
	char text[DISS_TEXT_SIZE * 4 + 1];

	for (uint16_t i = 0; i < d->nf; i++) {
		const struct field *f = &d->f[i];
		uint32_t lim = (f->flags & FF_ALT) ? d->alt_len : d->caplen;
		if (f->len && (uint64_t)f->off + f->len > lim)
			__builtin_trap(); /* a field outside its bytes */
		field_value_text(d, f, text, sizeof text);
	}
}

static size_t put16(uint8_t *p, uint16_t v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
	return 2;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	put16(p, (uint16_t)(v >> 16));
	return 2 + put16(p + 2, (uint16_t)v);
}

/* An IPv4/TCP packet (no checksums: nothing checks them) of n payload bytes. */
static size_t packet(uint8_t *out, int dir, uint16_t port, uint32_t seq, uint32_t ack, bool fin,
                     const uint8_t *pay, size_t n)
{
	uint8_t *ip = out, *tcp = out + 20;

	memset(out, 0, 40);
	ip[0] = 0x45;
	put16(ip + 2, (uint16_t)(40 + n));
	ip[8] = 64;
	ip[9] = 6;
	memcpy(ip + 12, dir ? "\x0a\0\0\x02" : "\x0a\0\0\x01", 4);
	memcpy(ip + 16, dir ? "\x0a\0\0\x01" : "\x0a\0\0\x02", 4);
	put16(tcp, dir ? port : 40000);
	put16(tcp + 2, dir ? 40000 : port);
	put32(tcp + 4, seq);
	put32(tcp + 8, ack);
	tcp[12] = 0x50;
	tcp[13] = fin ? 0x19 : 0x18; /* PSH ACK, FIN */
	put16(tcp + 14, 8192);
	memcpy(out + 40, pay, n);
	return 40 + n;
}

static void one(struct stream_table *st, struct reasm *r, struct dissection *d,
                struct frame_meta *m, const uint8_t *pkt, size_t n)
{
	struct stream_mark mk;

	m->number++;
	m->ts_nsec += 1000;
	dissect_pdus(d, m->number % 3 != 0, DLT_IPV4_RAW, pkt, (uint32_t)n, (uint32_t)n);
	stream_annotate_mark(st, d, m, &mk);
	reasm_packet(r, d, &mk, (uint32_t)m->number);
	check_fields(d);
}

static void stream(const uint8_t *data, size_t size, uint16_t port)
{
	static struct dissection d;
	static uint8_t pkt[40 + 256], held[40 + 256];
	size_t held_len = 0;
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	struct reasm *r = reasm_create(true);
	struct frame_meta m = {.ts_sec = 1700000000};
	uint32_t seq[2] = {1000, 9000};
	size_t off = 0;

	d.tls_hsr = reasm_tls_hsr(r);
	while (st && r && off + 2 <= size) {
		size_t n = data[off], flags = data[off + 1];
		int dir = flags & 1;
		off += 2;
		if (n > size - off)
			n = size - off;
		if (flags & 2)
			seq[dir] += 1 + (uint32_t)(flags >> 5);
		size_t len = packet(pkt, dir, port, seq[dir], seq[!dir], flags & 8, data + off, n);
		if (flags & 16) { /* held back: sent after the next segment */
			memcpy(held, pkt, len);
			held_len = len;
		} else {
			one(st, r, &d, &m, pkt, len);
			if (held_len)
				one(st, r, &d, &m, held, held_len);
			held_len = 0;
		}
		if (flags & 4)
			one(st, r, &d, &m, pkt, len);
		seq[dir] += (uint32_t)n + ((flags & 8) != 0);
		off += n;
	}
	d.tls_hsr = NULL;
	reasm_free(r);
	stream_table_free(st);
}

static void handshake(const uint8_t *data, size_t size)
{
	static struct dissection d;
	struct cursor c;

	/* a packet of nothing, then the messages as alt bytes: QUIC's decrypted CRYPTO data */
	d.tls_hsr = NULL;
	dissect(&d, DLT_IPV4_RAW, data, 0, 0);
	d.alt = data;
	d.alt_len = (uint32_t)size;
	d.in_alt = true;
	cur_init(&c, data, (uint32_t)size);
	tls_handshake_dissect(&d, &c, 1, true);
	d.in_alt = false;
	check_fields(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	if (data[0] & 1)
		handshake(data + 1, size - 1);
	else
		stream(data + 1, size - 1, data[0] & 2 ? 5555 : 443);
	return 0;
}
