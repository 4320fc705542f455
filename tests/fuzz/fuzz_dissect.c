/*
 * fuzz_dissect.c - libFuzzer harness for the decoder and every text path behind it: the
 * first input byte picks a link type, the rest is one packet. Each run dissects it, then
 * formats the summary line, the JSON object, the hex dump and every field's value text, so a
 * read past caplen or a bad arena offset anywhere shows up under AddressSanitizer. The names
 * it carries are learned into a small table (names.c) and the line is printed with names too.
 */
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "decode/dissect.h"
#include "decode/names.h"
#include "decode/print.h"

static const int linktypes[] = {DLT_EN10MB, DLT_LINUX_SLL, DLT_LINUX_SLL2, DLT_RAW,
                                DLT_IPV4,   DLT_IPV6,      DLT_NULL,       DLT_LOOP};

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissection d;
	static struct outbuf ob;
	static struct print_ctx pc;
	static FILE *sink;
	static struct names *names;
	struct pkt_hdr h = {.ts_sec = 1700000000};
	char text[DISS_TEXT_SIZE * 4 + 1];

	if (size < 1)
		return 0;
	if (!sink)
		sink = fopen("/dev/null", "w");
	if (!names) /* small, so that eviction runs often */
		names = names_new(8, 512);
	int lt = linktypes[data[0] % (sizeof linktypes / sizeof linktypes[0])];
	h.caplen = (uint32_t)size - 1;
	h.len = h.caplen + (data[0] >> 4); /* sometimes claim more was on the wire */
	dissect(&d, lt, data + 1, h.caplen, h.len);
	for (uint16_t i = 0; i < d.nf; i++) {
		const struct field *f = &d.f[i];
		/* a field outside the captured bytes (or, FF_ALT, outside d.alt's) */
		if (f->len &&
		    (uint64_t)f->off + f->len > ((f->flags & FF_ALT) ? d.alt_len : h.caplen))
			__builtin_trap();
		field_value_text(&d, f, text, sizeof text);
	}
	ob_init(&ob, sink);
	print_init(&pc, TM_UTC, 6, true);
	print_packet(&pc, &ob, &h, &d);
	print_json(&pc, &ob, &h, &d);
	names_learn(names, &d);
	pc.names = names;
	pc.use_names = true;
	print_packet(&pc, &ob, &h, &d);
	ob_flush(&ob);
	return 0;
}
