/*
 * name_escape.c - names in messages, through the one escape function (decode/escape.h):
 * control bytes, backslash and every byte >= 0x7f become \xNN (0x9b alone is a CSI on some
 * terminals), and a name too long for the buffer ends in "...".
 */
#include "base/name_escape.h"

#include <string.h>

#include "base/escape.h"

const char *name_escape(const char *in, char *out, size_t n)
{
	const uint8_t *p = (const uint8_t *)in;
	size_t inlen = strlen(in);

	if (n < 4) {
		if (n > 0)
			out[0] = '\0';
		return out;
	}
	if (esc_len(p, inlen) < n) {
		esc_str(out, n, p, inlen);
		return out;
	}
	memcpy(out + esc_str(out, n - 3, p, inlen), "...", 4);
	return out;
}
