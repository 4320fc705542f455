/* addr.c - address text (see addr.h). RFC 5952 for IPv6. */
#include "decode/addr.h"

static const char hexdig[] = "0123456789abcdef";

size_t addr_u64_text(char *out, uint64_t v)
{
	char tmp[20];
	size_t n = 0;

	do {
		tmp[n++] = (char)('0' + v % 10);
		v /= 10;
	} while (v);
	for (size_t i = 0; i < n; i++)
		out[i] = tmp[n - 1 - i];
	out[n] = '\0';
	return n;
}

size_t addr_ipv4_text(char *out, const uint8_t a[4])
{
	size_t o = 0;

	for (int i = 0; i < 4; i++) {
		if (i)
			out[o++] = '.';
		o += addr_u64_text(out + o, a[i]);
	}
	return o;
}

size_t addr_mac_text(char *out, const uint8_t a[6])
{
	for (int i = 0; i < 6; i++) {
		out[i * 3] = hexdig[a[i] >> 4];
		out[i * 3 + 1] = hexdig[a[i] & 15];
		out[i * 3 + 2] = ':';
	}
	out[17] = '\0';
	return 17;
}

/* One 16-bit group in lowercase hex without leading zeros. */
static size_t hex_group(char *out, unsigned g)
{
	size_t o = 0;
	int shift = 12;

	while (shift > 0 && ((g >> shift) & 15) == 0)
		shift -= 4;
	for (; shift >= 0; shift -= 4)
		out[o++] = hexdig[(g >> shift) & 15];
	return o;
}

/* RFC 5952 4.2: the longest run of two or more zero groups, the first on ties. */
static void longest_zero_run(const unsigned g[8], int *start, int *len)
{
	*start = -1;
	*len = 0;
	for (int i = 0; i < 8;) {
		int j = i;
		while (j < 8 && g[j] == 0)
			j++;
		if (j - i > *len && j - i >= 2) {
			*start = i;
			*len = j - i;
		}
		i = (j == i) ? i + 1 : j;
	}
}

/* RFC 5952 5: IPv4-mapped (::ffff:a.b.c.d) keeps its dotted tail, as tshark prints it. */
static int is_v4_mapped(const uint8_t a[16])
{
	for (int i = 0; i < 10; i++)
		if (a[i])
			return 0;
	return a[10] == 0xff && a[11] == 0xff;
}

size_t addr_ipv6_text(char *out, const uint8_t a[16])
{
	unsigned g[8];
	int zs, zl;
	size_t o = 0;

	if (is_v4_mapped(a)) {
		const char prefix[] = "::ffff:";
		for (o = 0; prefix[o]; o++)
			out[o] = prefix[o];
		return o + addr_ipv4_text(out + o, a + 12);
	}
	for (int i = 0; i < 8; i++)
		g[i] = (unsigned)a[2 * i] << 8 | a[2 * i + 1];
	longest_zero_run(g, &zs, &zl);
	for (int i = 0; i < 8; i++) {
		if (i == zs) {
			out[o++] = ':';
			if (i == 0)
				out[o++] = ':';
			i += zl - 1;
			continue;
		}
		o += hex_group(out + o, g[i]);
		if (i < 7)
			out[o++] = ':';
	}
	out[o] = '\0';
	return o;
}
