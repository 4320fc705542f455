/*
 * dfilter_literal.c - literals as tshark 4.0 writes them, converted to the type of what they
 * are compared with (see dfilter_int.h): integers (decimal, 0x hex, 0 octal, 0b binary,
 * 'c' character constants, a leading minus), booleans (True, False or a number), times in
 * seconds with a fraction, MAC addresses (aa:bb:cc:dd:ee:ff, aa-bb-..., aabb.ccdd.eeff),
 * IPv4 and IPv6 addresses with an optional /prefix, byte strings (aa:bb:cc, aa-bb, aabb)
 * and strings (quoted with C escapes, r"raw", or an unquoted word).
 *
 * Converted bytes go to the filter's pool; a literal never reads past its token.
 */
#include <string.h>

#include "base/addr_parse.h"
#include "decode/dfilter_int.h"

static const char *lit_text(const struct dfilter *df, const struct df_node *n)
{
	return df->text + n->pos;
}

static int bad(struct dfilter *df, const struct df_node *n, const char *what)
{
	return df_fail(df, n->pos, "\"%.*s\" is not %s", (int)(n->len > 60 ? 60 : n->len),
	               lit_text(df, n), what);
}

/* An unsigned number with C's prefixes (0x, 0b, leading 0 octal). */
static bool parse_uint(const char *s, uint32_t n, uint64_t *out)
{
	if (n > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
		return addr_digits(s + 2, n - 2, 16, out);
	if (n > 2 && s[0] == '0' && (s[1] == 'b' || s[1] == 'B'))
		return addr_digits(s + 2, n - 2, 2, out);
	if (n > 1 && s[0] == '0')
		return addr_digits(s + 1, n - 1, 8, out);
	return addr_digits(s, n, 10, out);
}

/* Reads one escape after the backslash at s[*i]; returns the byte or -1. */
static int unescape_one(const char *s, uint32_t n, uint32_t *i)
{
	static const char from[] = "abfnrtv\\\"'", to[] = "\a\b\f\n\r\t\v\\\"'";
	const char *hit;
	uint64_t v;
	uint32_t k = *i + 1, m = 0;

	if (k >= n)
		return -1;
	if ((hit = strchr(from, s[k])) != NULL && s[k] != '\0') {
		*i = k + 1;
		return (unsigned char)to[hit - from];
	}
	if (s[k] == 'x') {
		while (m < 2 && k + 1 + m < n && addr_hexval(s[k + 1 + m]) >= 0)
			m++;
		if (m == 0 || !addr_digits(s + k + 1, m, 16, &v))
			return -1;
		*i = k + 1 + m;
		return (int)v;
	}
	while (m < 3 && k + m < n && s[k + m] >= '0' && s[k + m] <= '7')
		m++;
	if (m == 0 || !addr_digits(s + k, m, 8, &v) || v > 255)
		return -1;
	*i = k + m;
	return (int)v;
}

static int pool_put(struct dfilter *df, const struct df_node *n, uint8_t byte)
{
	if (df->npool >= DF_MAX_POOL)
		return df_fail(df, n->pos, "the filter's literals exceed %d bytes", DF_MAX_POOL);
	df->pool[df->npool++] = byte;
	return 0;
}

/* The bytes between the quotes of a string or character token, escapes processed. */
static int unquote(struct dfilter *df, const struct df_node *n, bool raw, struct df_const *c)
{
	const char *s = lit_text(df, n);
	uint32_t i = raw ? 2 : 1, end = n->len - 1;
	int byte;

	c->off = df->npool;
	while (i < end) { /* a raw string keeps its backslashes */
		if (raw || s[i] != '\\')
			byte = (unsigned char)s[i++];
		else if ((byte = unescape_one(s, end, &i)) < 0)
			return df_fail(df, n->pos + i, "invalid escape sequence in a string");
		if (pool_put(df, n, (uint8_t)byte) < 0)
			return -1;
	}
	c->n = df->npool - c->off;
	return 0;
}

int df_lit_string(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	if (n->lit_tok == TK_STRING || n->lit_tok == TK_RAW)
		return unquote(df, n, n->lit_tok == TK_RAW, c);
	if (n->lit_tok == TK_CHAR)
		return bad(df, n, "a string (use double quotes)");
	c->off = df->npool;
	for (uint32_t i = 0; i < n->len; i++)
		if (pool_put(df, n, (uint8_t)lit_text(df, n)[i]) < 0)
			return -1;
	c->n = n->len;
	return 0;
}

static int char_const(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	struct df_const s;
	uint32_t mark = df->npool;

	if (unquote(df, n, false, &s) < 0)
		return -1;
	df->npool = mark;
	if (s.n != 1)
		return bad(df, n, "a character constant of one byte");
	c->u = df->pool[s.off];
	c->neg = false;
	return 0;
}

int df_lit_int(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	const char *s = lit_text(df, n);
	bool neg = n->len > 0 && s[0] == '-';

	if (n->lit_tok == TK_CHAR)
		return char_const(df, n, c);
	if (n->lit_tok != TK_WORD)
		return df_fail(df, n->pos, "an integer cannot be converted from a string");
	if (!parse_uint(s + neg, n->len - neg, &c->u))
		return bad(df, n, "a valid integer (or it overflows 64 bits)");
	c->neg = neg && c->u != 0;
	return 0;
}

int df_lit_bool(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	const char *s = lit_text(df, n);

	if (n->lit_tok == TK_WORD && n->len == 4 && memcmp(s, "True", 4) == 0) {
		c->u = 1;
		return 0;
	}
	if (n->lit_tok == TK_WORD && n->len == 5 && memcmp(s, "False", 5) == 0) {
		c->u = 0;
		return 0;
	}
	if (n->lit_tok != TK_WORD || df_lit_int(df, n, c) < 0)
		return df->failed ? -1 : bad(df, n, "a boolean (True, False, 1 or 0)");
	c->u = c->u != 0;
	c->neg = false;
	return 0;
}

int df_lit_time(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	const char *s = lit_text(df, n);
	uint32_t i = s[0] == '-', dot = i;
	uint64_t sec = 0, frac = 0;

	while (dot < n->len && s[dot] != '.')
		dot++;
	if (n->lit_tok != TK_WORD || (dot > i && !addr_digits(s + i, dot - i, 10, &sec)) ||
	    sec > INT64_MAX / 1000000000 - 1 || (dot == i && dot + 1 >= n->len) ||
	    n->len - dot > 10 ||
	    (dot + 1 < n->len && !addr_digits(s + dot + 1, n->len - dot - 1, 10, &frac)))
		return bad(df, n, "a time in seconds (such as 1.5)");
	for (uint32_t k = n->len - dot; dot < n->len && k < 10; k++)
		frac *= 10;
	c->ns = (int64_t)(sec * 1000000000u + (dot < n->len ? frac : 0));
	if (s[0] == '-')
		c->ns = -c->ns;
	return 0;
}

/* Hex bytes in groups of 1, 2 or 4 digits split by one of ":-.", or an even run of digits. */
static int parse_hex_bytes(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	const char *s = lit_text(df, n);
	uint32_t i = 0;

	c->off = df->npool;
	while (i < n->len) {
		uint32_t g = 0;
		while (i + g < n->len && addr_hexval(s[i + g]) >= 0)
			g++;
		if (g == 0 || (g % 2 && g != 1))
			return bad(df, n, "a byte string (such as aa:bb:cc)");
		for (uint32_t k = 0; k < g; k += 2) {
			int hi = g == 1 ? 0 : addr_hexval(s[i + k]),
			    lo = addr_hexval(s[i + k + (g != 1)]);
			if (pool_put(df, n, (uint8_t)(hi << 4 | lo)) < 0)
				return -1;
		}
		i += g;
		if (i < n->len && (s[i] != ':' && s[i] != '-' && s[i] != '.'))
			return bad(df, n, "a byte string (such as aa:bb:cc)");
		if (i < n->len && ++i == n->len)
			return bad(df, n, "a byte string (such as aa:bb:cc)");
	}
	c->n = df->npool - c->off;
	return 0;
}

int df_lit_bytes(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	if (n->lit_tok == TK_STRING || n->lit_tok == TK_RAW)
		return unquote(df, n, n->lit_tok == TK_RAW, c);
	if (n->lit_tok == TK_CHAR)
		return bad(df, n, "a byte string");
	return parse_hex_bytes(df, n, c);
}

int df_lit_mac(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	if (n->lit_tok != TK_WORD)
		return df_fail(df, n->pos, "a MAC address cannot be converted from a string");
	if (parse_hex_bytes(df, n, c) < 0)
		return -1;
	if (c->n != 6)
		return bad(df, n, "a MAC address (six bytes)");
	c->prefix = 48;
	return 0;
}

/* Splits "addr/prefix": returns the address length and sets *prefix (max if absent). */
static int split_prefix(struct dfilter *df, const struct df_node *n, unsigned max, uint32_t *alen,
                        uint8_t *prefix)
{
	const char *s = lit_text(df, n);
	const char *slash = memchr(s, '/', n->len);
	uint64_t v = max;

	*alen = slash ? (uint32_t)(slash - s) : n->len;
	if (slash && !addr_digits(slash + 1, n->len - *alen - 1, 10, &v))
		return bad(df, n, "an address with a network prefix length");
	if (v > max)
		return df_fail(df, n->pos, "a network prefix of %llu bits is longer than %u",
		               (unsigned long long)v, max);
	*prefix = (uint8_t)v;
	return 0;
}

int df_lit_ipv4(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	uint8_t a[4];
	uint32_t alen;

	if (n->lit_tok != TK_WORD)
		return df_fail(df, n->pos, "an IPv4 address cannot be converted from a string");
	if (split_prefix(df, n, 32, &alen, &c->prefix) < 0)
		return -1;
	if (!addr_ipv4_parse(lit_text(df, n), alen, a))
		return bad(df, n, "a valid IPv4 address");
	c->off = df->npool;
	for (int k = 0; k < 4; k++)
		if (pool_put(df, n, a[k]) < 0)
			return -1;
	c->n = 4;
	return 0;
}

int df_lit_ipv6(struct dfilter *df, const struct df_node *n, struct df_const *c)
{
	uint8_t a[16];
	uint32_t alen;

	if (n->lit_tok != TK_WORD)
		return df_fail(df, n->pos, "an IPv6 address cannot be converted from a string");
	if (split_prefix(df, n, 128, &alen, &c->prefix) < 0)
		return -1;
	if (!addr_ipv6_parse(lit_text(df, n), alen, a))
		return bad(df, n, "a valid IPv6 address");
	c->off = df->npool;
	for (int k = 0; k < 16; k++)
		if (pool_put(df, n, a[k]) < 0)
			return -1;
	c->n = 16;
	return 0;
}

/* One signed decimal number at s[*i]; false if none. */
static bool slice_num(const char *s, uint32_t n, uint32_t *i, int64_t *out)
{
	bool neg = *i < n && s[*i] == '-';
	uint32_t g = 0;
	uint64_t v;

	while (*i + neg + g < n && s[*i + neg + g] >= '0' && s[*i + neg + g] <= '9')
		g++;
	if (g == 0 || g > 9 || !addr_digits(s + *i + neg, g, 10, &v))
		return false;
	*i += neg + g;
	*out = neg ? -(int64_t)v : (int64_t)v;
	return true;
}

static int bad_slice(struct dfilter *df, uint32_t pos, uint32_t len, const char *why)
{
	return df_fail(df, pos, "\"%.*s\" is not a byte range%s", (int)(len > 40 ? 40 : len),
	               df->text + pos, why);
}

/* [i], [i:len], [i-end], [:len], [i:] with i negative counting from the end. */
int df_lit_slice(struct dfilter *df, uint32_t pos, uint32_t len, struct df_slice *sl)
{
	const char *s = df->text + pos;
	uint32_t i = 0;
	int64_t start = 0, second = 0;
	char sep;

	memset(sl, 0, sizeof *sl);
	sl->on = true;
	sl->len = 1;
	if (s[0] != ':' && !slice_num(s, len, &i, &start))
		return bad_slice(df, pos, len, "");
	sl->start = (int32_t)start;
	if (i == len)
		return 0;
	sep = s[i++];
	if (sep == ':' && i == len) {
		sl->to_end = true;
		return 0;
	}
	if ((sep != ':' && sep != '-') || i >= len || s[i] == '-' ||
	    !slice_num(s, len, &i, &second) || i != len)
		return bad_slice(df, pos, len, "");
	if (sep == '-' && (start < 0 || second < start))
		return bad_slice(df, pos, len, " (it ends before it starts)");
	sl->len = (uint32_t)(sep == ':' ? second : second - start + 1);
	if (sl->len == 0)
		return bad_slice(df, pos, len, " (it is empty)");
	return 0;
}
