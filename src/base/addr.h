/*
 * addr.h - address text: IPv4 dotted quad, IPv6 in RFC 5952 form, MAC with colons.
 *
 * Written by hand rather than with inet_ntop(): it is on the per-packet path of --print
 * and --json, and Windows' inet_ntop formats IPv6 differently. Each function writes at most
 * ADDR_TEXT_MAX bytes including the NUL and returns the length without the NUL.
 */
#ifndef CAPSCOPE_ADDR_H
#define CAPSCOPE_ADDR_H

#include <stddef.h>
#include <stdint.h>

#define ADDR_TEXT_MAX 46 /* longest IPv6 text (with embedded IPv4) plus NUL */

size_t addr_ipv4_text(char *out, const uint8_t a[4]);
size_t addr_ipv6_text(char *out, const uint8_t a[16]);
size_t addr_mac_text(char *out, const uint8_t a[6]);
/* Unsigned decimal; out needs 21 bytes. */
size_t addr_u64_text(char *out, uint64_t v);
/* Exactly n digits (the low ones) of v, zero-padded, two at a time; no NUL. */
void addr_digits_fixed(char *out, size_t n, uint32_t v);

#endif
