/*
 * fuzz_stream.c - libFuzzer harness for the stream tracker: the input is a sequence of
 * segments, each [2-byte length][1 byte of time step][IPv4 or IPv6 packet]; every one is
 * dissected, annotated (stream_annotate: TCP analysis, and ICMP/ICMPv6 echo matching) and its
 * fields formatted, through one small table (16 records, so eviction runs too). Inputs of odd
 * length number their streams from just below 2^32, so the numbers wrap and the table's index
 * by number (stream_table_number_from) runs too. A read outside a packet, a field outside
 * caplen or unbounded state shows up under AddressSanitizer.
 */
#include <string.h>

#include "decode/dissect.h"
#include "decode/stream.h"

#define LINKTYPE_RAW 101 /* IPv4 or IPv6 by the version nibble */

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissection d;
	char text[DISS_TEXT_SIZE * 4 + 1];
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	struct frame_meta m = {.ts_sec = 1700000000};
	size_t off = 0;

	if (st && size % 2) /* the length alone decides: the input's format stays as it was */
		stream_table_number_from(st, UINT32_MAX - 4);
	while (st && off + 3 <= size) {
		uint32_t n = (uint32_t)(data[off] << 8 | data[off + 1]) % 1600;
		m.ts_nsec = (m.ts_nsec + data[off + 2] * 997u) % 1000000000u;
		off += 3;
		if (n > size - off)
			n = (uint32_t)(size - off);
		m.number++;
		dissect(&d, LINKTYPE_RAW, data + off, n, n);
		stream_annotate(st, &d, &m);
		for (uint16_t i = 0; i < d.nf; i++) {
			if (d.f[i].len && (uint64_t)d.f[i].off + d.f[i].len > n)
				__builtin_trap();
			field_value_text(&d, &d.f[i], text, sizeof text);
		}
		if (strnlen(d.sum.info, sizeof d.sum.info) >= sizeof d.sum.info)
			__builtin_trap();
		off += n;
	}
	stream_table_free(st);
	return 0;
}
