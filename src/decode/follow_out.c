/*
 * follow_out.c - tshark 4.0's -z follow text (follow_out.h), byte for byte for raw and
 * ascii: node 1's chunks start with a tab; ascii gives each chunk's length on a line of its
 * own; a gap is the text "[N bytes missing in capture file]" with its terminating NUL, as
 * tshark shows it (the NUL is a '.' in ascii and "00" in raw).
 */
#include "decode/follow_out.h"

#include <stdio.h>

#include "base/addr.h"

#define SEPARATOR "===================================================================\n"
#define HEX_ROW   16
/* hex rows: "%08X  ", 16 "xx " groups with one more space after the eighth, one space */
#define HEX_AREA 50

static const char hexdig[] = "0123456789abcdef";

const char *follow_mode_name(enum follow_mode m)
{
	return m == FOLLOW_RAW ? "raw" : m == FOLLOW_HEX ? "hex" : "ascii";
}

void follow_out_init(struct follow_out *fo, enum follow_mode mode)
{
	*fo = (struct follow_out){.mode = mode};
}

void follow_out_header(const struct follow_out *fo, struct outbuf *ob, const struct follow *f,
                       const char *filter)
{
	char node[FOLLOW_NODE_TEXT_MAX];

	ob_str(ob, "\n" SEPARATOR "Follow: ");
	ob_str(ob, follow_proto(f) == P_UDP ? "udp," : "tcp,");
	ob_str(ob, follow_mode_name(fo->mode));
	ob_str(ob, "\nFilter: ");
	ob_str(ob, filter);
	for (int i = 0; i < 2; i++) {
		ob_str(ob, i ? "\nNode 1: " : "\nNode 0: ");
		follow_node_text(f, i, node);
		ob_str(ob, node);
	}
	ob_char(ob, '\n');
}

void follow_out_footer(struct outbuf *ob)
{
	ob_str(ob, SEPARATOR);
}

/* ascii mode keeps newlines and carriage returns; neither mode lets other controls out */
static char shown(uint8_t b, bool keep_lines)
{
	if (b >= 0x20 && b < 0x7f)
		return (char)b;
	return keep_lines && (b == '\n' || b == '\r') ? (char)b : '.';
}

static void out_ascii(struct outbuf *ob, const uint8_t *p, size_t n)
{
	while (n > 0) {
		size_t k = n < OUTBUF_RESERVE_MAX ? n : OUTBUF_RESERVE_MAX;
		char *o = ob_reserve(ob, k);
		for (size_t i = 0; i < k; i++)
			o[i] = shown(p[i], true);
		ob_commit(ob, k);
		p += k;
		n -= k;
	}
}

static void hex_row(struct outbuf *ob, bool tab, uint64_t pos, const uint8_t *p, size_t n)
{
	char *o = ob_reserve(ob, 1 + 10 + HEX_AREA + HEX_ROW + 2), *s = o;

	if (tab)
		*o++ = '\t';
	o += snprintf(o, 11, "%08X  ", (unsigned)pos);
	for (size_t i = 0; i < HEX_ROW; i++) {
		bool have = i < n;
		*o++ = have ? hexdig[p[i] >> 4] : ' ';
		*o++ = have ? hexdig[p[i] & 15] : ' ';
		*o++ = ' ';
		if (i == 7)
			*o++ = ' ';
	}
	*o++ = ' ';
	for (size_t i = 0; i < n; i++) {
		*o++ = shown(p[i], false);
		if (i == 7)
			*o++ = ' ';
	}
	/* tshark ends a row one space short when it ends in a space (the gap after the eighth
	 * byte, or the data's own) */
	if (o[-1] == ' ')
		o--;
	*o++ = '\n';
	ob_commit(ob, (size_t)(o - s));
}

static void out_hex(struct follow_out *fo, struct outbuf *ob, int node, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i += HEX_ROW)
		hex_row(ob, node == 1, fo->pos[node] + i, p + i, n - i < HEX_ROW ? n - i : HEX_ROW);
	fo->pos[node] += n;
}

void follow_out_chunk(struct follow_out *fo, struct outbuf *ob, const struct follow_chunk *c)
{
	char gap[64];
	const uint8_t *p = c->data;
	size_t n = c->len;

	if (c->unplaced)
		return;
	if (c->missing) { /* tshark's text, NUL included, printed as if it were payload */
		n = (size_t)snprintf(gap, sizeof gap, "[%d bytes missing in capture file]",
		                     (int)(int32_t)c->missing) +
		    1;
		p = (const uint8_t *)gap;
	}
	if (c->node == 1 && fo->mode != FOLLOW_HEX)
		ob_char(ob, '\t');
	if (fo->mode == FOLLOW_ASCII) {
		ob_u64(ob, n);
		ob_char(ob, '\n');
		out_ascii(ob, p, n);
	} else if (fo->mode == FOLLOW_RAW) {
		ob_hex(ob, p, n);
	} else {
		out_hex(fo, ob, c->node, p, n);
		return;
	}
	ob_char(ob, '\n');
}
