/*
 * http_chunked.c - HTTP/1.1 chunked bodies as tshark 4.0 reads them (see http_chunked.h):
 * the reassembly's walk (sscanf's sizes, one line after the zero chunk) and the dissector's
 * (strtol's sizes, chunk fields, trailer lines, the dechunked body).
 *
 *   1a;name=val CRLF  <26 bytes> CRLF  0 CRLF  Trailer: x CRLF  CRLF
 *   ^size line        ^chunk-data ^boundary    ^trailer-part      ^end
 */
#include "decode/http_chunked.h"

#include <string.h>

#include "decode/dissector.h"

/* tshark's tvb_find_line_end(desegment TRUE) over p[off..lim): the line's length and *next
 * after its end (CR, LF or CRLF), or -1 when no end is there (a CR last counts as none). */
static int64_t line_end(const uint8_t *p, uint32_t off, uint32_t lim, uint32_t *next)
{
	const uint8_t *lf, *cr;
	uint32_t i;

	if (off >= lim)
		return -1;
	lf = memchr(p + off, '\n', lim - off);
	cr = memchr(p + off, '\r', lf ? (size_t)(lf - (p + off)) : lim - off);
	if (!lf && !cr)
		return -1;
	i = (uint32_t)((cr ? cr : lf) - p);
	if (cr && i + 1 >= lim)
		return -1;
	*next = i + 1 + (cr && p[i + 1] == '\n');
	return i - off;
}

static int hexval(uint8_t c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	c |= 0x20;
	return c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
}

/* A size line as C's strto(u)l(s, NULL, 16) reads the string tshark makes of it (cut at ';'
 * or NUL): spaces, a sign, "0x", hex digits. *digits says whether any digit was read;
 * *over whether the magnitude passed 64 bits (or, for strtol, its signed range). */
struct hexnum {
	uint64_t mag;
	bool neg, digits, over;
};

static struct hexnum read_hex(const uint8_t *p, uint32_t n, uint64_t limit)
{
	struct hexnum h = {0, false, false, false};
	uint32_t i = 0;

	while (i < n && (p[i] == ' ' || (p[i] >= '\t' && p[i] <= '\r')))
		i++;
	if (i < n && (p[i] == '+' || p[i] == '-'))
		h.neg = p[i++] == '-';
	if (i + 2 < n + 1 && i + 1 < n && p[i] == '0' && (p[i + 1] | 0x20) == 'x' && i + 2 < n &&
	    hexval(p[i + 2]) >= 0)
		i += 2;
	for (; i < n && p[i] != ';' && p[i] != '\0' && hexval(p[i]) >= 0; i++) {
		h.digits = true;
		if (h.mag > (limit - (uint64_t)hexval(p[i])) / 16)
			h.over = true;
		else
			h.mag = h.mag * 16 + (uint64_t)hexval(p[i]);
	}
	return h;
}

/* The dissector's size: (guint32)strtol(line, NULL, 16). Overflow gives LONG_MAX (all ones
 * once cut to 32 bits) or LONG_MIN (zero); a negative value wraps. */
static uint32_t strtol_size(const uint8_t *p, uint32_t n)
{
	struct hexnum h = read_hex(p, n, (uint64_t)INT64_MAX + 1);

	if (!h.neg && h.mag > (uint64_t)INT64_MAX)
		h.over = true;
	if (h.over)
		return h.neg ? 0 : UINT32_MAX;
	return (uint32_t)(h.neg ? (uint64_t)0 - h.mag : h.mag);
}

/* The reassembly's size: sscanf(line, "%x", &unsigned) (glibc: strtoul, cut to 32 bits);
 * false when no digit is there. */
static bool sscanf_size(const uint8_t *p, uint32_t n, uint32_t *size)
{
	struct hexnum h = read_hex(p, n, UINT64_MAX);

	if (!h.digits)
		return false;
	*size = h.over ? UINT32_MAX : (uint32_t)(h.neg ? (uint64_t)0 - h.mag : h.mag);
	return true;
}

/* ---- the dissector's walk ---- */

/* Where the walk writes the dechunked bytes (NULL: only counts them). */
struct sink {
	uint8_t *buf;
	uint32_t at, cap;
	bool full;
};

static void sink_put(struct sink *s, const uint8_t *p, uint32_t n)
{
	if (!s || !s->buf || s->full)
		return;
	if (n > s->cap - s->at) {
		s->full = true;
		return;
	}
	memcpy(s->buf + s->at, p, n);
	s->at += n;
}

/* The zero chunk's trailer lines up to an empty one, from off (tshark: trailer-part, then
 * the last CRLF); returns the offset after what was taken. */
static uint32_t trailer(struct dissection *d, const struct cursor *c, uint32_t off, uint32_t lim,
                        unsigned depth)
{
	uint32_t t = off, at = off, next = 0;
	int64_t ll;

	do { /* whole lines only: a line without its end is not taken */
		at = t;
		ll = line_end(c->base, t, lim, &next);
		if (ll >= 0)
			t = next;
	} while (ll > 0);
	if (d && at > off) {
		uint16_t i =
		    fld_add(d, off, at - off, "trailer-part", K_HTTP_CHUNKED_TRAILER_PART, FT_STR,
		            depth, diss_text(d, (const char *)c->base + off, at - off));
		d->f[i].flags |= FF_CESC;
	}
	if (ll == 0) {
		if (d)
			fld_add(d, at, t - at, "\\r\\n", K_NONE, FT_TEXT, depth, 0);
		return t;
	}
	return at;
}

/* One chunk at off; false when the walk ends (a size line it cannot take, or the zero
 * chunk: *off then past its trailer; or a fault). */
static bool chunk(struct dissection *d, const struct cursor *c, uint32_t *off, uint32_t lim,
                  unsigned depth, struct sink *s, struct http_chunked *r)
{
	const uint8_t *p = c->base;
	uint32_t co = 0, left = lim - *off, size, claimed;
	int64_t ll = line_end(p, *off, lim, &co);

	if (ll <= 0)
		return false;
	size = claimed = strtol_size(p + *off, (uint32_t)ll);
	if (size > left)
		size = left;
	if ((uint64_t)co + size > lim) { /* tshark's tvb_memcpy throws */
		r->fault = true;
		r->fault_off = *off;
		r->fault_size = claimed;
		return false;
	}
	sink_put(s, p + co, size);
	r->body_len += size;
	if (d) {
		fld_add(d, *off, co - *off + size + (size ? 2 : 0),
		        size ? "Data chunk" : "End of chunked encoding", K_NONE, FT_TEXT, depth, 0);
		fld_add(d, *off, co - *off, "Chunk size", K_HTTP_CHUNK_SIZE, FT_UINT, depth + 1,
		        size);
		if (size)
			fld_add(d, co, size, "Chunk data", K_HTTP_CHUNK_DATA, FT_BYTES, depth + 1,
			        0);
	}
	if (size && (uint64_t)co + size + 2 > lim) { /* the boundary's 2 bytes are not there */
		r->fault = true;
		r->fault_off = co + size;
		r->fault_size = claimed;
		return false;
	}
	if (d && size)
		fld_add(d, co + size, 2, "Chunk boundary", K_HTTP_CHUNK_BOUNDARY, FT_BYTES,
		        depth + 1, 0);
	*off = co + size + (size ? 2 : 0);
	if (size == 0) {
		*off = trailer(d, c, *off, lim, depth);
		return false;
	}
	return true;
}

/* The walk over c's window: every loop turn moves off forward (a size line and its end at
 * least), so it ends within the window's length. */
static void walk(struct dissection *d, const struct cursor *c, unsigned depth, struct sink *s,
                 struct http_chunked *r)
{
	uint32_t start = c->off, off = c->off, lim = c->off + cur_left(c);
	uint16_t node = 0;

	if (d)
		node =
		    fld_add(d, off, lim - off, "HTTP chunked response", K_NONE, FT_TEXT, depth, 0);
	while (off < lim && chunk(d, c, &off, lim, depth + 1, s, r))
		;
	r->used = r->fault ? 0 : off - start;
	if (d && !r->fault) /* tshark's node spans what was taken (all of it on a fault) */
		d->f[node].len = r->used;
}

int64_t http_chunked_len(const uint8_t *p, uint32_t n)
{
	uint32_t b = 0, co = 0, size = 0, end = 0;

	for (;;) { /* the reassembly: b moves forward each turn */
		int64_t ll = line_end(p, b, n, &co);
		if (ll < 0)
			return -1;
		if (!sscanf_size(p + b, (uint32_t)ll, &size) || size > (1u << 31))
			break; /* tshark stops reassembling: decoded as it is */
		if (size == 0) {
			if (line_end(p, co, n, &end) < 0)
				return -1;
			break;
		}
		if ((uint64_t)n - b <= size)
			return -1;
		if ((uint64_t)co + size + 2 >= n)
			return -1;
		b = co + size + 2;
	}
	return http_chunked_used(p, n);
}

int64_t http_chunked_used(const uint8_t *p, uint32_t n)
{
	struct http_chunked r;
	struct cursor c;

	memset(&r, 0, sizeof r);
	cur_init(&c, p, n);
	walk(NULL, &c, 0, NULL, &r);
	return r.fault ? (int64_t)n : (int64_t)r.used;
}

void http_chunked_dissect(struct dissection *d, const struct cursor *c, unsigned depth,
                          struct http_chunked *out)
{
	uint32_t prev = d->alt ? d->alt_len : 0;
	struct sink s = {d->body_buf, 0, 0, false};

	memset(out, 0, sizeof *out);
	if (prev > DISS_BODY_BUF) {
		s.buf = NULL;
	} else {
		if (d->alt && d->alt != d->body_buf) /* the fields on them keep their offsets */
			memmove(d->body_buf, d->alt, prev);
		s.at = prev;
		s.cap = DISS_BODY_BUF;
	}
	walk(d, c, depth, &s, out);
	if (!s.buf || s.full || out->used == 0)
		return;
	out->stored = true;
	out->body_off = prev;
	d->alt = d->body_buf;
	d->alt_len = s.at;
}
