/*
 * addr_parse.c - address text to bytes (addr_parse.h): the display filter's literals and
 * the endpoints of -z follow read addresses the same way.
 */
#include "base/addr_parse.h"

#include <string.h>

int addr_hexval(char ch)
{
	if (ch >= '0' && ch <= '9')
		return ch - '0';
	if (ch >= 'a' && ch <= 'f')
		return ch - 'a' + 10;
	if (ch >= 'A' && ch <= 'F')
		return ch - 'A' + 10;
	return -1;
}

bool addr_digits(const char *s, size_t n, unsigned base, uint64_t *out)
{
	uint64_t v = 0;

	if (n == 0)
		return false;
	for (size_t i = 0; i < n; i++) {
		int dv = addr_hexval(s[i]);
		if (dv < 0 || (unsigned)dv >= base || v > (UINT64_MAX - (unsigned)dv) / base)
			return false;
		v = v * base + (unsigned)dv;
	}
	*out = v;
	return true;
}

bool addr_ipv4_parse(const char *s, size_t n, uint8_t out[4])
{
	size_t i = 0;

	for (int part = 0; part < 4; part++) {
		size_t g = 0;
		uint64_t v;
		while (i + g < n && s[i + g] >= '0' && s[i + g] <= '9')
			g++;
		if (g == 0 || g > 3 || !addr_digits(s + i, g, 10, &v) || v > 255)
			return false;
		out[part] = (uint8_t)v;
		i += g;
		if (part < 3 && (i >= n || s[i++] != '.'))
			return false;
	}
	return i == n;
}

/* RFC 4291 2.2 text: hex groups, one "::", an optional dotted IPv4 tail. */
bool addr_ipv6_parse(const char *s, size_t n, uint8_t out[16])
{
	uint8_t b[16] = {0};
	int nb = 0, gap = -1;
	size_t i = 0;

	if (n >= 2 && s[0] == ':' && s[1] == ':') {
		gap = 0;
		i = 2;
	}
	while (i < n && nb < 16) {
		size_t g = 0;
		uint64_t v;
		while (i + g < n && addr_hexval(s[i + g]) >= 0)
			g++;
		if (i + g < n && s[i + g] == '.' && nb <= 12 &&
		    addr_ipv4_parse(s + i, n - i, b + nb)) {
			nb += 4;
			i = n;
			break;
		}
		if (g == 0 || g > 4 || !addr_digits(s + i, g, 16, &v))
			return false;
		b[nb++] = (uint8_t)(v >> 8);
		b[nb++] = (uint8_t)v;
		i += g;
		if (i == n)
			break;
		if (s[i] != ':' || ++i == n)
			return false;
		if (s[i] == ':') {
			if (gap >= 0)
				return false;
			gap = nb;
			i++;
		}
	}
	if (i != n || (gap < 0 && nb != 16) || (gap >= 0 && nb > 14))
		return false;
	memset(out, 0, 16);
	memcpy(out, b, (size_t)(gap < 0 ? nb : gap));
	if (gap >= 0)
		memcpy(out + 16 - (nb - gap), b + gap, (size_t)(nb - gap));
	return true;
}
