/*
 * escape.h - the one path for untrusted text (packet bytes, file names, adapter
 * descriptions) to a terminal or a JSON document.
 *
 * Nothing from a packet or a file name may reach the terminal raw: a control byte could
 * move the cursor, change colours or retitle the window. Pure functions; any thread.
 */
#ifndef CAPSCOPE_ESCAPE_H
#define CAPSCOPE_ESCAPE_H

#include <stddef.h>
#include <stdint.h>

/*
 * Copies in[0..inlen) to out, escaping bytes < 0x20, 0x7f and >= 0x80 as \xNN and the
 * backslash as \\. Always NUL-terminates (when outlen > 0) and never cuts an escape in half.
 * Returns the number of bytes written, not counting the NUL.
 */
size_t esc_str(char *out, size_t outlen, const uint8_t *in, size_t inlen);
/* How many bytes esc_str() needs for in[0..inlen), without the NUL. */
size_t esc_len(const uint8_t *in, size_t inlen);
/*
 * As esc_str(), but tab, line feed and carriage return as \t \n \r: how tshark -T fields
 * writes them (it writes other control bytes raw; these stay \xNN).
 */
size_t esc_cstyle(char *out, size_t outlen, const uint8_t *in, size_t inlen);
/* esc_str() of a NUL-terminated string; returns out (for use in printf arguments). */
const char *esc_cstr(char *out, size_t outlen, const char *in);
/* The hex dump's ASCII column: the byte itself if printable (0x20..0x7e), else '.'. */
static inline char esc_ascii(uint8_t b)
{
	return (b >= 0x20 && b <= 0x7e) ? (char)b : '.';
}

#endif
