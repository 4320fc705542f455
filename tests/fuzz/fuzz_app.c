/*
 * fuzz_app.c - libFuzzer harness for the application parsers on a buffer that is not a
 * frame: the first input byte picks HTTP (and its message-length function, for reassembly),
 * SSDP, DHCP, DHCPv6 or NTP, the rest is the payload handed to it as a UDP or TCP layer
 * would (or as a reassembled PDU would be), with or without reassembly. Every field must lie inside
 * the bytes it indexes (the buffer, or d->alt: a dechunked HTTP body) and every field's value
 * text and the summary are formatted, so a read past the end shows up under AddressSanitizer.
 * HTTP's chunked-body walks (http_chunked.h) are run on the payload itself too.
 */
#include <stdio.h>
#include <string.h>

#include "decode/dissector.h"
#include "decode/http_chunked.h"
#include "decode/print.h"

static void (*const parsers[])(struct dissection *, struct cursor *, uint32_t) = {
    http_dissect, ssdp_dissect, dhcp_dissect, dhcpv6_dissect, ntp_dissect,
};

/* Does "chunked" (any case) appear in p[0..n)? */
static bool mentions_chunked(const uint8_t *p, uint32_t n)
{
	for (uint32_t i = 0; i + 7 <= n; i++) {
		uint32_t k = 0;
		while (k < 7 && (p[i + k] | 0x20) == (uint8_t) "chunked"[k])
			k++;
		if (k == 7)
			return true;
	}
	return false;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissection d;
	char text[DISS_TEXT_SIZE * 4 + 1];
	char line[SUMMARY_MAX];
	struct cursor c;

	if (size < 1 || size > 70000)
		return 0;
	const uint8_t *p = data + 1;
	uint32_t n = (uint32_t)size - 1;
	unsigned which = data[0] % (sizeof parsers / sizeof parsers[0]);

	dissect(&d, -1, p, 0, 0); /* resets d (an unknown link type decodes nothing) */
	d.data = p;
	d.caplen = n;
	d.len = n;
	d.desegment = (data[0] & 0x80) != 0; /* HTTP: a message past the end asks for reassembly */
	cur_init(&c, p, n);
	parsers[which](&d, &c, n);
	if (which == 0) {
		int64_t pdu = http_pdu_len(p, n);
		/* a complete message's length depends only on its bytes; not a chunked body's,
		 * which tshark ends by the bytes after it too (a size line it cannot read, a CR
		 * that is a line end only if more follows: http_chunked.h) */
		if (pdu > 0 && pdu < (int64_t)n && !mentions_chunked(p, n) &&
		    http_pdu_len(p, (uint32_t)pdu) != pdu)
			__builtin_trap();
		int64_t cl = http_chunked_len(p, n), cu = http_chunked_used(p, n);
		if (cl > (int64_t)n || cu < 0 || cu > (int64_t)n)
			__builtin_trap(); /* the chunk walks stay inside the bytes */
	}
	for (uint16_t i = 0; i < d.nf; i++) {
		const struct field *f = &d.f[i];
		if (f->len && ((uint64_t)f->off + f->len > fld_limit(&d, f) || !fld_data(&d, f)))
			__builtin_trap(); /* a field outside the bytes it indexes */
		field_value_text(&d, f, text, sizeof text);
	}
	summary_text(&d, line);
	return 0;
}
