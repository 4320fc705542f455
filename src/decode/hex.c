/* hex.c - the hex dump: offset, 16 bytes in hex, ASCII column (see print.h). */
#include "base/escape.h"
#include "decode/print.h"

static const char hexdig[] = "0123456789abcdef";

/* Layout: 4 offset digits, 2 spaces, 16 x "hh " with an extra space after the 8th, a space,
 * then the ASCII column. Short last lines are padded so the ASCII column lines up. */
size_t hex_line(char *out, const uint8_t *data, uint32_t caplen, uint32_t off)
{
	size_t o = 0;
	uint32_t n = caplen - off < 16 ? caplen - off : 16;

	for (int shift = 12; shift >= 0; shift -= 4)
		out[o++] = hexdig[(off >> shift) & 15];
	if (off > 0xffff) { /* jumbo packets: widen rather than wrap */
		o = 0;
		for (int shift = 28; shift >= 0; shift -= 4)
			out[o++] = hexdig[(off >> shift) & 15];
	}
	out[o++] = ' ';
	out[o++] = ' ';
	for (uint32_t i = 0; i < 16; i++) {
		if (i == 8)
			out[o++] = ' ';
		out[o++] = i < n ? hexdig[data[off + i] >> 4] : ' ';
		out[o++] = i < n ? hexdig[data[off + i] & 15] : ' ';
		out[o++] = ' ';
	}
	out[o++] = ' ';
	for (uint32_t i = 0; i < n; i++)
		out[o++] = esc_ascii(data[off + i]);
	out[o] = '\0';
	return o;
}

void print_hex(struct outbuf *ob, const uint8_t *data, uint32_t caplen)
{
	for (uint32_t off = 0; off < caplen; off += 16) {
		char *p = ob_reserve(ob, HEXLINE_MAX + 1);
		size_t n = hex_line(p, data, caplen, off);
		p[n] = '\n';
		ob_commit(ob, n + 1);
	}
}
