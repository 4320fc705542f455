/*
 * field.c - field key names and value text (see field.h; the names live in field_info.c).
 *
 * Also the dissectors' side of the field array (fld_*() and the text arena, declared in
 * dissector.h). The text is what `tshark -T fields -e KEY` prints for the same field, so
 * --json output can be diffed against tshark. No snprintf: this runs for every field of
 * every packet.
 */
#include <stdio.h>
#include <string.h>

#include "base/addr.h"
#include "decode/dissector.h"
#include "base/escape.h"

static const char hexdig[] = "0123456789abcdef";

const char *field_key_name(enum field_key k)
{
	const struct field_info *fi = field_key_info(k);

	return fi ? fi->name : NULL;
}

/* "0x" and exactly `width` digits (at least 1, at most 16): tshark's BASE_HEX. */
static size_t hex_text(char *out, uint64_t v, unsigned width)
{
	if (width == 0 || width > 16)
		width = 1;
	out[0] = '0';
	out[1] = 'x';
	for (unsigned i = 0; i < width; i++)
		out[2 + i] = hexdig[(v >> (4 * (width - 1 - i))) & 15];
	out[2 + width] = '\0';
	return 2 + width;
}

/* Hex pairs with colons ("de:ad:be:ef"), cut at whole pairs to fit n. */
static size_t bytes_text(char *buf, size_t n, const uint8_t *p, uint32_t len)
{
	size_t o = 0;

	for (uint32_t i = 0; i < len && o + 3 + (i > 0) <= n; i++) {
		if (i)
			buf[o++] = ':';
		buf[o++] = hexdig[p[i] >> 4];
		buf[o++] = hexdig[p[i] & 15];
	}
	buf[o] = '\0';
	return o;
}

/* Copies a short formatted value into buf, cut to n-1 bytes. */
static size_t put(char *buf, size_t n, const char *s, size_t len)
{
	if (len >= n)
		len = n - 1;
	memcpy(buf, s, len);
	buf[len] = '\0';
	return len;
}

size_t field_value_text(const struct dissection *d, const struct field *f, char *buf, size_t n)
{
	char t[ADDR_TEXT_MAX];
	const uint8_t *p = fld_data(d, f);
	size_t len = 0;

	if (n == 0)
		return 0;
	if (!p && (f->type == FT_MAC || f->type == FT_IPV4 || f->type == FT_IPV6 ||
	           f->type == FT_BYTES)) {
		buf[0] = '\0';
		return 0;
	}
	switch ((enum field_type)f->type) {
	case FT_UINT:
		len = addr_u64_text(t, f->u);
		break;
	case FT_BOOL:
		len = addr_u64_text(t, f->u != 0);
		break;
	case FT_HEX:
		len = hex_text(t, f->u, f->width);
		break;
	case FT_MAC: /* addresses are only added once fully read; the checks keep it so */
		if (f->len >= 6)
			len = addr_mac_text(t, p);
		break;
	case FT_IPV4:
		if (f->len >= 4)
			len = addr_ipv4_text(t, p);
		break;
	case FT_IPV6:
		if (f->len >= 16)
			len = addr_ipv6_text(t, p);
		break;
	case FT_BYTES:
		return bytes_text(buf, n, p, f->len);
	case FT_STR:
		if (f->u >= DISS_TEXT_SIZE)
			break;
		if (f->flags & FF_CESC)
			return esc_cstyle(buf, n, (const uint8_t *)d->text + f->u,
			                  diss_text_len(d, f->u));
		return esc_str(buf, n, (const uint8_t *)d->text + f->u, diss_text_len(d, f->u));
	case FT_RELTIME:
		len = field_reltime_text(t, (int64_t)f->u);
		break;
	case FT_PRESENT:
		t[0] = '1';
		len = 1;
		break;
	case FT_MSEC:
		len = field_msec_text(t, sizeof t, (int64_t)f->u);
		break;
	case FT_LAYER:
	case FT_TEXT:
		break;
	}
	return put(buf, n, t, len);
}

size_t field_msec_text(char *out, size_t n, int64_t ns)
{
	/* tshark: nstime_to_msec() of the normalised difference (nanoseconds in [0, 1e9)), its
	 * FT_DOUBLE printed with DBL_DIG (15) significant digits */
	int64_t s = ns / 1000000000, frac = ns % 1000000000;
	int k;

	if (frac < 0) {
		s--;
		frac += 1000000000;
	}
	k = snprintf(out, n, "%.15g", (double)s * 1000 + (double)frac / 1000000);
	return k < 0 ? 0 : (size_t)k < n ? (size_t)k : n - 1;
}

size_t field_reltime_text(char *out, int64_t ns)
{
	uint64_t mag = ns < 0 ? 0 - (uint64_t)ns : (uint64_t)ns;
	size_t n = 0;

	if (ns < 0)
		out[n++] = '-';
	n += addr_u64_text(out + n, mag / 1000000000u);
	out[n++] = '.';
	for (uint64_t frac = mag % 1000000000u, div = 100000000u; div; div /= 10)
		out[n++] = (char)('0' + frac / div % 10);
	return n;
}

/* ---- adding fields (dissector.h) ---- */

uint16_t fld_add_kept(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                      enum field_key key, enum field_type type, unsigned depth, uint64_t u)
{
	uint16_t i = d->nf;
	struct field *f;

	if (i >= DISS_MAX_FIELDS - 1) {
		/* The last slot is scratch: callers may still write to the index they get. */
		d->fields_full = true;
		i = DISS_MAX_FIELDS - 1;
	} else {
		d->nf++;
	}
	f = &d->f[i];
	/* A field never claims bytes that were not captured (a lying length may ask for them):
	 * the hex pane highlights exactly [off, off+len). In the alt bytes, their length bounds. */
	uint32_t lim = d->in_alt ? d->alt_len : d->caplen;
	if (off > lim)
		off = lim;
	if (len > lim - off)
		len = lim - off;
	f->off = off;
	f->len = len;
	f->u = u;
	f->label = label;
	f->key = (uint16_t)key;
	f->type = (uint8_t)type;
	f->depth = (uint8_t)(depth + d->quoted);
	f->flags = d->in_alt ? FF_ALT : 0;
	f->width = 0;
	f->proto = i > 0 ? d->f[i - 1].proto : P_NONE;
	return i;
}

/* Reads an n-byte big-endian integer and records it; no field on a failed read. */
static uint32_t read_int(struct dissection *d, struct cursor *c, unsigned n, const char *label,
                         enum field_key key, enum field_type type, unsigned depth, uint16_t *idx)
{
	uint32_t off = c->off;
	uint32_t v;

	if (c->truncated || !cur_has(c, n)) { /* as cursor.c: no read after a failed one */
		c->truncated = true;
		*idx = UINT16_MAX;
		return 0;
	}
	v = n == 1 ? cur_u8(c) : n == 2 ? cur_be16(c) : cur_be32(c);
	*idx = fld_add(d, off, n, label, key, type, depth, v);
	return v;
}

uint8_t fld_u8_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                    unsigned depth)
{
	uint16_t i;

	return (uint8_t)read_int(d, c, 1, label, key, FT_UINT, depth, &i);
}

uint16_t fld_u16_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                      unsigned depth)
{
	uint16_t i;

	return (uint16_t)read_int(d, c, 2, label, key, FT_UINT, depth, &i);
}

uint32_t fld_u32_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                      unsigned depth)
{
	uint16_t i;

	return read_int(d, c, 4, label, key, FT_UINT, depth, &i);
}

uint32_t fld_hex_tree(struct dissection *d, struct cursor *c, unsigned nbytes, unsigned width,
                      const char *label, enum field_key key, unsigned depth)
{
	uint16_t i;
	uint32_t v = read_int(d, c, nbytes, label, key, FT_HEX, depth, &i);

	if (i != UINT16_MAX)
		d->f[i].width = (uint8_t)width;
	return v;
}

const uint8_t *fld_addr_tree(struct dissection *d, struct cursor *c, enum field_type type,
                             const char *label, enum field_key key, unsigned depth)
{
	uint32_t n = type == FT_MAC ? 6 : type == FT_IPV4 ? 4 : 16;
	uint32_t off = c->off;
	const uint8_t *p = cur_bytes(c, n);

	if (p)
		fld_add(d, off, n, label, key, type, depth, 0);
	return p;
}

const uint8_t *fld_bytes_tree(struct dissection *d, struct cursor *c, uint32_t n, const char *label,
                              enum field_key key, unsigned depth)
{
	uint32_t off = c->off;
	const uint8_t *p = cur_bytes(c, n);

	if (p)
		fld_add(d, off, n, label, key, FT_BYTES, depth, 0);
	return p;
}

/* ---- the text arena (dissector.h) ---- */

/*
 * Each entry is a 2-byte big-endian length, the bytes and a NUL: packet text may hold NUL
 * bytes, which field_value_text() shows (escaped) while C-string readers stop safely
 * there. The entry at DISS_TEXT_EMPTY is the empty string, the answer when the arena is full.
 */
uint32_t diss_text(struct dissection *d, const char *s, size_t n)
{
	uint32_t at = d->ntext + 2u;

	if (at >= DISS_TEXT_SIZE || n >= DISS_TEXT_SIZE - at || n > UINT16_MAX)
		return DISS_TEXT_EMPTY;
	d->text[at - 2] = (char)(n >> 8);
	d->text[at - 1] = (char)(n & 0xff);
	memcpy(d->text + at, s, n);
	d->text[at + n] = '\0';
	d->ntext = (uint16_t)(at + n + 1);
	return at;
}

size_t diss_text_len(const struct dissection *d, uint64_t at)
{
	size_t n;

	if (at < DISS_TEXT_EMPTY || at >= DISS_TEXT_SIZE)
		return 0;
	n = (size_t)(uint8_t)d->text[at - 2] << 8 | (uint8_t)d->text[at - 1];
	return n < DISS_TEXT_SIZE - at ? n : DISS_TEXT_SIZE - at - 1;
}
