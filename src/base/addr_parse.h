/*
 * addr_parse.h - address and number text to bytes, strict: the whole text must be the
 * address (no spaces, no prefix length). Text is not NUL-terminated: s[0..n).
 */
#ifndef CAPSCOPE_ADDR_PARSE_H
#define CAPSCOPE_ADDR_PARSE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* The value of a hex digit, -1 for any other character. */
int addr_hexval(char ch);
/* Digits of s[0..n) in base (up to 16); false on a bad digit, an empty run or overflow. */
bool addr_digits(const char *s, size_t n, unsigned base, uint64_t *out);
/* Dotted quad, each part 0-255 in at most three digits. */
bool addr_ipv4_parse(const char *s, size_t n, uint8_t out[4]);
/* RFC 4291 2.2 text: hex groups, one "::", an optional dotted IPv4 tail. */
bool addr_ipv6_parse(const char *s, size_t n, uint8_t out[16]);

#endif
