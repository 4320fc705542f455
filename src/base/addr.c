/* addr.c - address text (see addr.h). RFC 5952 for IPv6. */
#include "base/addr.h"

#include <string.h>

static const char hexdig[] = "0123456789abcdef";

/* "00".."99": two digits per division, the per-packet cost of --print and --json. */
static const char digits2[201] =
    "00010203040506070809101112131415161718192021222324252627282930313233343536373839"
    "40414243444546474849505152535455565758596061626364656667686970717273747576777879"
    "8081828384858687888990919293949596979899";

/* 10^i: the number of digits is counted first, so they are written in place (no copy). */
static const uint32_t pow10_32[10] = {
    1u, 10u, 100u, 1000u, 10000u, 100000u, 1000000u, 10000000u, 100000000u, 1000000000u,
};

/* Two digits at a time from the end: v's n digits into out[0..n). */
static void digits_u32(char *out, size_t n, uint32_t v)
{
	char *p = out + n;

	while (v >= 100) {
		p -= 2;
		memcpy(p, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (v >= 10)
		memcpy(p - 2, digits2 + 2 * v, 2);
	else
		p[-1] = (char)('0' + v);
}

void addr_digits_fixed(char *out, size_t n, uint32_t v)
{
	char *p = out + n;

	for (; n >= 2; n -= 2) {
		p -= 2;
		memcpy(p, digits2 + 2 * (v % 100), 2);
		v /= 100;
	}
	if (n)
		p[-1] = (char)('0' + v % 10);
}

/* Above 2^32, rare: what is above the low nine digits first, then those nine. */
static size_t u64_wide_text(char *out, uint64_t v)
{
	size_t hi = addr_u64_text(out, v / 1000000000u);

	addr_digits_fixed(out + hi, 9, (uint32_t)(v % 1000000000u));
	out[hi + 9] = '\0';
	return hi + 9;
}

size_t addr_u64_text(char *out, uint64_t v)
{
	uint32_t v32 = (uint32_t)v, log2, n;

	if (v > UINT32_MAX)
		return u64_wide_text(out, v);
	/* 32-bit arithmetic: most values are ports, lengths and sequence numbers. The digit count
	 * from the bit length b: b * 1233 >> 12 is floor(b * log10(2)), the count or one less. */
	log2 = 31u - (uint32_t)__builtin_clz(v32 | 1u);
	n = (log2 + 1) * 1233 >> 12;
	n += (v32 | 1u) >= pow10_32[n] ? 1 : 0; /* | 1: 0 has one digit */
	digits_u32(out, n, v32);
	out[n] = '\0';
	return n;
}

static size_t octet_text(char *out, unsigned b)
{
	if (b >= 100) {
		out[0] = (char)('0' + b / 100);
		memcpy(out + 1, digits2 + 2 * (b % 100), 2);
		return 3;
	}
	if (b >= 10) {
		memcpy(out, digits2 + 2 * b, 2);
		return 2;
	}
	out[0] = (char)('0' + b);
	return 1;
}

size_t addr_ipv4_text(char *out, const uint8_t a[4])
{
	size_t o = octet_text(out, a[0]);

	for (int i = 1; i < 4; i++) {
		out[o++] = '.';
		o += octet_text(out + o, a[i]);
	}
	out[o] = '\0';
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
