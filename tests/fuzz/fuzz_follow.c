/*
 * fuzz_follow.c - libFuzzer harness for the follow engine: the input is a sequence of
 * segments, each [2-byte length][1 byte: bit 0 picks the stream's TCP or UDP engine][IPv4
 * packet]. Every packet is dissected (summary only) and fed to one TCP and one UDP engine,
 * whatever its addresses (so both directions, any sequence numbers, overlaps, gaps and
 * wrap-arounds meet one engine); every chunk is formatted in all three modes. A read outside
 * a packet, a chunk that points outside its packet, or state beyond the engine's bounds shows
 * up under AddressSanitizer or traps.
 */
#include <stdio.h>
#include <string.h>

#include "decode/dissect.h"
#include "decode/follow.h"
#include "decode/follow_out.h"

#define DLT_IPV4_RAW 228

struct sink {
	struct follow_out fo[3];
	struct outbuf *ob;
	const uint8_t *pkt;
	uint32_t pktlen;
};

static void on_chunk(void *ctx, const struct follow_chunk *c)
{
	struct sink *s = ctx;

	if (c->node > 1 || (c->missing && c->data) || (c->len && !c->data))
		__builtin_trap();
	for (int m = 0; m < 3; m++)
		follow_out_chunk(&s->fo[m], s->ob, c);
	s->ob->len = 0; /* keep nothing: only the formatting is under test */
}

static void check_bounds(const struct follow *f)
{
	struct follow_stats st;

	follow_stats(f, &st);
	for (int i = 0; i < 2; i++)
		if (st.held_segs[i] > FOLLOW_MAX_HELD_SEGS ||
		    st.held_bytes[i] > FOLLOW_MAX_HELD_BYTES)
			__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct dissection d;
	static struct outbuf ob;
	struct follow *f[2] = {follow_create(P_TCP), follow_create(P_UDP)};
	struct sink s = {.ob = &ob};
	char node[FOLLOW_NODE_TEXT_MAX];
	size_t off = 0;
	uint32_t frame = 0;

	ob_init(&ob, NULL);
	for (int m = 0; m < 3; m++)
		follow_out_init(&s.fo[m], (enum follow_mode)m);
	while (f[0] && f[1] && off + 3 <= size) {
		uint32_t n = (uint32_t)(data[off] << 8 | data[off + 1]) % 1600;
		off += 3;
		if (n > size - off)
			n = (uint32_t)(size - off);
		dissect_summary(&d, DLT_IPV4_RAW, data + off, n, n);
		follow_packet(f[data[off - 1] & 1], &d, ++frame, on_chunk, &s);
		check_bounds(f[0]);
		off += n;
	}
	for (int i = 0; i < 2 && f[i]; i++) {
		follow_finish(f[i], on_chunk, &s);
		follow_node_text(f[i], 0, node);
		follow_node_text(f[i], 1, node);
		if (strnlen(node, sizeof node) >= sizeof node)
			__builtin_trap();
	}
	follow_free(f[0]);
	follow_free(f[1]);
	return 0;
}
