/*
 * privsep_proto.c - encoders and checking parsers of the capture helper's protocol (see
 * privsep_proto.h). Pure functions over buffers: no I/O, no libpcap.
 */
#include "capture/privsep_proto.h"

#include <stdlib.h>
#include <string.h>

static void put_raw(struct ps_buf *b, const void *p, size_t n)
{
	if (b->bad || n == 0) /* p may be NULL then (an empty string) */
		return;
	if (b->n + n > b->cap) {
		size_t cap = b->cap ? b->cap : 256;
		uint8_t *np;

		while (cap < b->n + n)
			cap *= 2;
		if (cap > PS_MAX_REPLY || !(np = realloc(b->p, cap))) {
			b->bad = true;
			return;
		}
		b->p = np;
		b->cap = cap;
	}
	memcpy(b->p + b->n, p, n);
	b->n += n;
}

void ps_put_u8(struct ps_buf *b, uint8_t v)
{
	put_raw(b, &v, 1);
}

void ps_put_u16(struct ps_buf *b, uint16_t v)
{
	uint8_t x[2] = {(uint8_t)v, (uint8_t)(v >> 8)};

	put_raw(b, x, 2);
}

void ps_put_u32(struct ps_buf *b, uint32_t v)
{
	ps_put_u16(b, (uint16_t)v);
	ps_put_u16(b, (uint16_t)(v >> 16));
}

void ps_put_u64(struct ps_buf *b, uint64_t v)
{
	ps_put_u32(b, (uint32_t)v);
	ps_put_u32(b, (uint32_t)(v >> 32));
}

void ps_put_bytes(struct ps_buf *b, const void *p, size_t n)
{
	put_raw(b, p, n);
}

void ps_put_str(struct ps_buf *b, const char *s)
{
	size_t n = s ? strlen(s) : 0;

	if (n > PS_STR_MAX)
		n = PS_STR_MAX; /* a system string (an error text) longer than this is cut */
	ps_put_u16(b, (uint16_t)n);
	put_raw(b, s, n);
}

void ps_begin(struct ps_buf *b, uint16_t type, uint16_t seq)
{
	b->n = 0;
	b->bad = false;
	ps_put_u32(b, 0); /* the length, filled in by ps_end */
	ps_put_u16(b, type);
	ps_put_u16(b, seq);
}

bool ps_end(struct ps_buf *b)
{
	if (b->bad || b->n < PS_HDR_LEN)
		return false;
	b->p[0] = (uint8_t)b->n;
	b->p[1] = (uint8_t)(b->n >> 8);
	b->p[2] = (uint8_t)(b->n >> 16);
	b->p[3] = (uint8_t)(b->n >> 24);
	return true;
}

void ps_buf_free(struct ps_buf *b)
{
	free(b->p);
	memset(b, 0, sizeof *b);
}

void ps_rd_init(struct ps_rd *r, const uint8_t *p, size_t n)
{
	r->p = p;
	r->n = n;
	r->off = 0;
	r->bad = false;
}

static const uint8_t *take(struct ps_rd *r, size_t n)
{
	const uint8_t *p;

	if (r->bad || n > r->n - r->off) {
		r->bad = true;
		return NULL;
	}
	p = r->p + r->off;
	r->off += n;
	return p;
}

uint8_t ps_get_u8(struct ps_rd *r)
{
	const uint8_t *p = take(r, 1);

	return p ? p[0] : 0;
}

uint16_t ps_get_u16(struct ps_rd *r)
{
	const uint8_t *p = take(r, 2);

	return p ? (uint16_t)(p[0] | p[1] << 8) : 0;
}

uint32_t ps_get_u32(struct ps_rd *r)
{
	uint32_t lo = ps_get_u16(r);

	return lo | (uint32_t)ps_get_u16(r) << 16;
}

uint64_t ps_get_u64(struct ps_rd *r)
{
	uint64_t lo = ps_get_u32(r);

	return lo | (uint64_t)ps_get_u32(r) << 32;
}

void ps_get_str(struct ps_rd *r, char *out, size_t cap)
{
	uint16_t n = ps_get_u16(r);
	const uint8_t *p = take(r, n);

	out[0] = '\0';
	if (!p || n >= cap || n > PS_STR_MAX || memchr(p, 0, n)) {
		r->bad = true;
		return;
	}
	memcpy(out, p, n);
	out[n] = '\0';
}

bool ps_rd_ok(const struct ps_rd *r)
{
	return !r->bad && r->off == r->n;
}

bool ps_hdr_parse(const uint8_t hdr[PS_HDR_LEN], size_t max, uint32_t *len, uint16_t *type,
                  uint16_t *seq)
{
	struct ps_rd r;

	ps_rd_init(&r, hdr, PS_HDR_LEN);
	*len = ps_get_u32(&r);
	*type = ps_get_u16(&r);
	*seq = ps_get_u16(&r);
	return *len >= PS_HDR_LEN && *len <= max;
}

static bool in_range(int32_t v, int32_t lo, int32_t hi)
{
	return v >= lo && v <= hi;
}

static void get_open(struct ps_rd *r, struct ps_open *o)
{
	o->snaplen = (int32_t)ps_get_u32(r);
	o->timeout_ms = (int32_t)ps_get_u32(r);
	o->buffer_kib = (int32_t)ps_get_u32(r);
	o->promisc = ps_get_u8(r) != 0;
	o->immediate = ps_get_u8(r) != 0;
	ps_get_str(r, o->name, sizeof o->name);
	if (!in_range(o->snaplen, 0, PS_MAX_SNAP) || !in_range(o->timeout_ms, 0, 60000) ||
	    !in_range(o->buffer_kib, 0, PS_MAX_BUFKIB) || o->name[0] == '\0')
		r->bad = true;
}

/* The body of each request type; false for a type the helper does not serve. */
static bool get_body(struct ps_rd *r, struct ps_req *q)
{
	switch (q->type) {
	case PS_HELLO:
		q->version = ps_get_u32(r);
		return true;
	case PS_LIST:
	case PS_PROBE:
		return true;
	case PS_LINKTYPE:
	case PS_SEND:
		ps_get_str(r, q->text, 256);
		if (q->text[0] == '\0')
			r->bad = true;
		return true;
	case PS_OPEN:
		get_open(r, &q->open);
		return true;
	case PS_FILTER:
		q->id = ps_get_u32(r);
		ps_get_str(r, q->text, sizeof q->text);
		return true;
	case PS_STATS:
	case PS_CLOSE:
		q->id = ps_get_u32(r);
		return true;
	case PS_STATS_OPEN:
		ps_get_stats_open(r, &q->stats, q->text, sizeof q->text);
		return true;
	case PS_STATS_READ:
	case PS_STATS_STOP:
	case PS_STATS_CLOSE:
		if (q->type == PS_STATS_READ)
			q->after = ps_get_u64(r);
		q->id = ps_get_u32(r);
		if (q->id >= PS_MAX_STATS)
			r->bad = true;
		return true;
	case PS_SPAWN:
		ps_get_spawn(r, &q->spawn, q->text, sizeof q->text);
		return true;
	case PS_SPAWN_WAIT:
		q->id = ps_get_u32(r);
		if (q->id >= PS_MAX_SPAWN)
			r->bad = true;
		return true;
	case PS_SERVICE: /* the service checks its own bytes */
		q->body = r->p + r->off;
		q->body_n = r->n - r->off;
		r->off = r->n;
		return true;
	default:
		return false;
	}
}

bool ps_req_parse(const uint8_t *msg, size_t n, struct ps_req *q)
{
	struct ps_rd r;
	uint32_t len;

	memset(q, 0, sizeof *q);
	if (n < PS_HDR_LEN || !ps_hdr_parse(msg, PS_MAX_REQ, &len, &q->type, &q->seq) || len != n)
		return false;
	ps_rd_init(&r, msg + PS_HDR_LEN, n - PS_HDR_LEN);
	if (!get_body(&r, q))
		return false;
	if (q->id >= PS_MAX_SRC)
		return false;
	return ps_rd_ok(&r);
}

void ps_req_open(struct ps_buf *b, uint16_t seq, const struct ps_open *o)
{
	ps_begin(b, PS_OPEN, seq);
	ps_put_u32(b, (uint32_t)o->snaplen);
	ps_put_u32(b, (uint32_t)o->timeout_ms);
	ps_put_u32(b, (uint32_t)o->buffer_kib);
	ps_put_u8(b, o->promisc);
	ps_put_u8(b, o->immediate);
	ps_put_str(b, o->name);
}

static void put_addr(struct ps_buf *b, const struct adapter_addr *a)
{
	ps_put_u8(b, (uint8_t)a->family);
	ps_put_bytes(b, a->addr, 16);
	ps_put_u8(b, (uint8_t)(a->has_netmask | a->has_broadcast << 1 | a->has_dest << 2));
	ps_put_bytes(b, a->netmask, 16);
	ps_put_bytes(b, a->broadcast, 16);
	ps_put_bytes(b, a->dest, 16);
}

void ps_put_adapters(struct ps_buf *b, const struct adapter_list *l)
{
	size_t n = l->n < PS_MAX_ADS ? l->n : PS_MAX_ADS;

	ps_put_u32(b, (uint32_t)n);
	for (size_t i = 0; i < n; i++) {
		const struct adapter *a = &l->v[i];
		size_t na = a->naddrs < PS_MAX_ADDRS ? a->naddrs : PS_MAX_ADDRS;

		ps_put_str(b, a->name);
		ps_put_u8(b, a->description != NULL);
		ps_put_str(b, a->description);
		ps_put_u32(b, a->flags);
		ps_put_u32(b, (uint32_t)a->conn);
		ps_put_u32(b, (uint32_t)a->linktype);
		ps_put_u32(b, (uint32_t)na);
		for (size_t k = 0; k < na; k++)
			put_addr(b, &a->addrs[k]);
	}
}

static void get_bytes(struct ps_rd *r, uint8_t *out, size_t n)
{
	const uint8_t *p = take(r, n);

	if (p)
		memcpy(out, p, n);
}

static void get_addr(struct ps_rd *r, struct adapter_addr *a)
{
	uint8_t has;

	a->family = ps_get_u8(r);
	get_bytes(r, a->addr, 16);
	has = ps_get_u8(r);
	a->has_netmask = has & 1;
	a->has_broadcast = has >> 1 & 1;
	a->has_dest = has >> 2 & 1;
	get_bytes(r, a->netmask, 16);
	get_bytes(r, a->broadcast, 16);
	get_bytes(r, a->dest, 16);
	if ((a->family != 0 && a->family != 4 && a->family != 6) || has > 7)
		r->bad = true;
}

static char *get_dup(struct ps_rd *r)
{
	static char tmp[PS_STR_MAX + 1]; /* the main process reads answers on one thread at a
	                                    time (privsep_client.c's lock) */
	char *s;

	ps_get_str(r, tmp, sizeof tmp);
	if (r->bad || !(s = strdup(tmp))) {
		r->bad = true;
		return NULL;
	}
	return s;
}

static void get_adapter(struct ps_rd *r, struct adapter *a)
{
	bool has_desc;
	uint32_t conn, na;

	a->name = get_dup(r);
	has_desc = ps_get_u8(r) != 0;
	a->description = get_dup(r);
	if (!has_desc) {
		free(a->description);
		a->description = NULL;
	}
	a->flags = ps_get_u32(r);
	conn = ps_get_u32(r);
	a->conn = conn <= AD_CONN_NA ? (enum adapter_conn)conn : AD_CONN_UNKNOWN;
	a->linktype = (int)ps_get_u32(r);
	na = ps_get_u32(r);
	if (r->bad || !a->name || a->name[0] == '\0' || na > PS_MAX_ADDRS || conn > AD_CONN_NA ||
	    a->flags > 15) {
		r->bad = true;
		return;
	}
	a->addrs = na ? calloc(na, sizeof *a->addrs) : NULL;
	if (na && !a->addrs) {
		r->bad = true;
		return;
	}
	for (uint32_t k = 0; k < na && !r->bad; k++)
		get_addr(r, &a->addrs[a->naddrs++]);
}

/* As adapter_list_free(), here so that this file links alone (the fuzz target). */
static void release(struct adapter_list *l)
{
	for (size_t i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].description);
		free(l->v[i].addrs);
	}
	free(l->v);
	memset(l, 0, sizeof *l);
}

bool ps_get_adapters(struct ps_rd *r, struct adapter_list *l)
{
	uint32_t n = ps_get_u32(r);

	memset(l, 0, sizeof *l);
	if (r->bad || n > PS_MAX_ADS || (n && !(l->v = calloc(n, sizeof *l->v))))
		r->bad = true;
	for (uint32_t i = 0; i < n && !r->bad; i++)
		get_adapter(r, &l->v[l->n++]);
	if (ps_rd_ok(r))
		return true;
	release(l);
	return false;
}

void ps_put_opened(struct ps_buf *b, const struct ps_opened *o)
{
	ps_put_u32(b, o->id);
	ps_put_u32(b, (uint32_t)o->linktype);
	ps_put_u32(b, (uint32_t)o->snaplen);
	ps_put_u8(b, o->nano);
	ps_put_u32(b, o->netmask);
	ps_put_str(b, o->name);
	ps_put_str(b, o->warning);
}

bool ps_get_opened(struct ps_rd *r, struct ps_opened *o)
{
	uint8_t nano;

	o->id = ps_get_u32(r);
	o->linktype = (int32_t)ps_get_u32(r);
	o->snaplen = (int32_t)ps_get_u32(r);
	nano = ps_get_u8(r);
	o->nano = nano != 0;
	o->netmask = ps_get_u32(r);
	ps_get_str(r, o->name, sizeof o->name);
	ps_get_str(r, o->warning, sizeof o->warning);
	return ps_rd_ok(r) && o->id < PS_MAX_SRC && nano <= 1 && o->name[0] != '\0' &&
	       in_range(o->snaplen, 1, PS_MAX_SNAP) && in_range(o->linktype, 0, 65535);
}

void ps_rec_encode(uint8_t out[PS_REC_LEN], const struct ps_rec *h)
{
	struct ps_buf b = {.p = out, .cap = PS_REC_LEN}; /* fits: never reallocates */

	ps_put_u32(&b, h->kind);
	ps_put_u32(&b, h->caplen);
	ps_put_u32(&b, h->len);
	ps_put_u32(&b, h->nsec);
	ps_put_u64(&b, (uint64_t)h->sec);
}

bool ps_rec_check(const uint8_t in[PS_REC_LEN], uint32_t snaplen, struct ps_rec *h)
{
	struct ps_rd r;

	ps_rd_init(&r, in, PS_REC_LEN);
	h->kind = ps_get_u32(&r);
	h->caplen = ps_get_u32(&r);
	h->len = ps_get_u32(&r);
	h->nsec = ps_get_u32(&r);
	h->sec = (int64_t)ps_get_u64(&r);
	if (h->kind == PS_REC_ERROR)
		return h->caplen > 0 && h->caplen <= PS_STR_MAX;
	return h->kind == PS_REC_PACKET && h->caplen <= snaplen && h->len >= h->caplen &&
	       h->nsec < 1000000000u;
}
