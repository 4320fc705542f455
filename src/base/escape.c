/* escape.c - untrusted bytes to safe text (see escape.h). */
#include <string.h>

#include "base/escape.h"

static const char hexdig[] = "0123456789abcdef";

/* Bytes one input byte becomes: 1, 2 (\\) or 4 (\xNN). */
static size_t esc_width(uint8_t b)
{
	if (b == '\\')
		return 2;
	return (b < 0x20 || b >= 0x7f) ? 4 : 1;
}

size_t esc_len(const uint8_t *in, size_t inlen)
{
	size_t n = 0;

	for (size_t i = 0; i < inlen; i++)
		n += esc_width(in[i]);
	return n;
}

size_t esc_str(char *out, size_t outlen, const uint8_t *in, size_t inlen)
{
	size_t o = 0;

	if (outlen == 0)
		return 0;
	for (size_t i = 0; i < inlen; i++) {
		uint8_t b = in[i];
		size_t w = esc_width(b);
		if (o + w >= outlen)
			break;
		if (w == 1) {
			out[o++] = (char)b;
		} else if (w == 2) {
			out[o++] = '\\';
			out[o++] = '\\';
		} else {
			out[o++] = '\\';
			out[o++] = 'x';
			out[o++] = hexdig[b >> 4];
			out[o++] = hexdig[b & 15];
		}
	}
	out[o] = '\0';
	return o;
}

size_t esc_cstyle(char *out, size_t outlen, const uint8_t *in, size_t inlen)
{
	size_t o = 0;

	if (outlen == 0)
		return 0;
	for (size_t i = 0; i < inlen; i++) {
		uint8_t b = in[i];
		char t[6];
		size_t w = 2;
		t[0] = '\\';
		if (b == '\t' || b == '\n' || b == '\r')
			t[1] = b == '\t' ? 't' : b == '\n' ? 'n' : 'r';
		else
			w = esc_str(t, sizeof t, &b, 1);
		if (o + w >= outlen)
			break;
		memcpy(out + o, t, w);
		o += w;
	}
	out[o] = '\0';
	return o;
}

const char *esc_cstr(char *out, size_t outlen, const char *in)
{
	size_t n = 0;

	while (in[n])
		n++;
	esc_str(out, outlen, (const uint8_t *)in, n);
	return out;
}
