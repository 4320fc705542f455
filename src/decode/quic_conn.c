/*
 * quic_conn.c - what tshark remembers of a QUIC connection between datagrams, bounded: the
 * UDP endpoints (tshark keeps decoding a UDP conversation as QUIC once a datagram of it
 * was), the client's first Destination Connection ID (the Initial keys of both sides come
 * from it), the version those keys were made for and both sides' Source Connection IDs (a
 * short header's DCID length). At most QUIC_MAX_CONNS connections; the oldest is reused.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dissector.h"
#include "decode/quic_conn.h"
#include "decode/tls_hsr.h"

struct quic_conns *quic_conns_create(void)
{
	return calloc(1, sizeof(struct quic_conns));
}

void quic_conns_free(struct quic_conns *t)
{
	free(t);
}

void quic_conns_frame(struct quic_conns *t, struct dissection *d, uint64_t frame)
{
	tls_hsr_number_fields(d, frame);
	if (!t || !t->unnumbered)
		return;
	t->unnumbered = false;
	for (unsigned i = 0; i < QUIC_MAX_CONNS; i++)
		for (unsigned side = 0; side < 2 && t->c[i].used; side++)
			for (unsigned k = 0; k < t->c[i].hs_nfrag[side]; k++)
				if (t->c[i].hs_frame[side][k] == 0)
					t->c[i].hs_frame[side][k] = frame;
}

static size_t addr_len(const struct summary *s)
{
	return s->net == P_IPV6 ? 16 : 4;
}

struct quic_conn *quic_conn_find(struct quic_conns *t, const struct summary *s, bool *from_server)
{
	size_t n = addr_len(s);

	for (unsigned i = 0; t && i < QUIC_MAX_CONNS; i++) {
		struct quic_conn *c = &t->c[i];
		if (!c->used || c->net != s->net)
			continue;
		if (c->cport == s->sport && c->sport == s->dport && !memcmp(c->caddr, s->src, n) &&
		    !memcmp(c->saddr, s->dst, n)) {
			*from_server = false;
			return c;
		}
		if (c->cport == s->dport && c->sport == s->sport && !memcmp(c->caddr, s->dst, n) &&
		    !memcmp(c->saddr, s->src, n)) {
			*from_server = true;
			return c;
		}
	}
	return NULL;
}

/* The i-th connection back from the newest (a later CID map entry hides an earlier one). */
static struct quic_conn *nth_newest(struct quic_conns *t, unsigned i)
{
	return &t->c[(t->next + QUIC_MAX_CONNS - 1 - i) % QUIC_MAX_CONNS];
}

static bool same_cid(const uint8_t *a, uint8_t alen, const uint8_t *b, uint8_t blen)
{
	return alen == blen && alen > 0 && memcmp(a, b, alen) == 0;
}

/* The newest connection with this CID: 0 a client's SCID, 1 a server's, 2 a client's
 * first DCID. */
static struct quic_conn *by_cid(struct quic_conns *t, const uint8_t *cid, uint8_t len, int map)
{
	for (unsigned i = 0; i < QUIC_MAX_CONNS; i++) {
		struct quic_conn *c = nth_newest(t, i);
		if (c->used && (map == 0   ? same_cid(c->cscid, c->cscil, cid, len)
		                : map == 1 ? same_cid(c->sscid, c->sscil, cid, len)
		                           : same_cid(c->odcid, c->odcil, cid, len)))
			return c;
	}
	return NULL;
}

static bool from_its_server(const struct quic_conn *c, const struct summary *s)
{
	size_t n = addr_len(s);

	return c->net == s->net && c->sport == s->sport && !memcmp(c->saddr, s->src, n);
}

struct quic_conn *quic_conn_find_cid(struct quic_conns *t, const struct summary *s,
                                     const uint8_t *dcid, uint8_t dcil, bool zero_rtt, bool initial,
                                     bool *from_server)
{
	struct quic_conn *c = NULL;

	if (dcil == 0 || !dcid) { /* the conversation's */
		c = quic_conn_find(t, s, from_server);
		if (c)
			*from_server = from_its_server(c, s);
		return c;
	}
	if (!zero_rtt && (c = by_cid(t, dcid, dcil, 0)) != NULL) {
		/* the client chose it, so the server sent this; if both chose it, the ports tell */
		*from_server = by_cid(t, dcid, dcil, 1) ? from_its_server(c, s) : true;
		return c;
	}
	if (!zero_rtt && (c = by_cid(t, dcid, dcil, 1)) != NULL) {
		*from_server = false;
		return c;
	}
	if ((zero_rtt || initial) && (c = by_cid(t, dcid, dcil, 2)) != NULL)
		*from_server = false;
	return c;
}

struct quic_conn *quic_conn_find_short(struct quic_conns *t, const struct summary *s,
                                       const uint8_t *pkt, uint32_t n, bool *from_server)
{
	for (unsigned i = 0; i < QUIC_MAX_CONNS; i++) {
		struct quic_conn *c = nth_newest(t, i);
		if (!c->used)
			continue;
		if (c->cscil && n > c->cscil && !memcmp(pkt + 1, c->cscid, c->cscil)) {
			*from_server = true;
			return c;
		}
		if (c->sscil && n > c->sscil && !memcmp(pkt + 1, c->sscid, c->sscil)) {
			*from_server = false;
			return c;
		}
	}
	struct quic_conn *c = quic_conn_find(t, s, from_server);
	if (c)
		*from_server = from_its_server(c, s);
	return c;
}

static bool conv_match(const struct quic_conv *v, const struct summary *s)
{
	size_t n = addr_len(s);

	if (!v->used || v->net != s->net)
		return false;
	return (v->pa == s->sport && v->pb == s->dport && !memcmp(v->a, s->src, n) &&
	        !memcmp(v->b, s->dst, n)) ||
	       (v->pa == s->dport && v->pb == s->sport && !memcmp(v->a, s->dst, n) &&
	        !memcmp(v->b, s->src, n));
}

/* The bucket of a conversation, the same from either end (address bytes XORed, ports added). */
static unsigned conv_bucket(const uint8_t *a, uint16_t pa, const uint8_t *b, uint16_t pb, size_t n)
{
	uint32_t x = (uint32_t)(pa + pb) * 2654435761u;

	for (size_t i = 0; i < n; i++)
		x = (x ^ (uint8_t)(a[i] ^ b[i])) * 16777619u;
	return (x ^ x >> 16) % QUIC_CONV_BUCKETS;
}

bool quic_conv_is(const struct quic_conns *t, const struct summary *s)
{
	if (!t->vcount[conv_bucket(s->src, s->sport, s->dst, s->dport, addr_len(s))])
		return false;
	for (unsigned i = 0; i < QUIC_MAX_CONVS; i++)
		if (conv_match(&t->v[i], s))
			return true;
	return false;
}

void quic_conv_mark(struct quic_conns *t, const struct summary *s)
{
	if (!s->has_ports || quic_conv_is(t, s))
		return;
	struct quic_conv *v = &t->v[t->vnext];
	size_t n = addr_len(s);
	t->vnext = (t->vnext + 1) % QUIC_MAX_CONVS;
	if (v->used) /* the oldest mark goes */
		t->vcount[conv_bucket(v->a, v->pa, v->b, v->pb, v->net == P_IPV6 ? 16 : 4)]--;
	*v = (struct quic_conv){.used = true, .net = s->net, .pa = s->sport, .pb = s->dport};
	memcpy(v->a, s->src, n);
	memcpy(v->b, s->dst, n);
	t->vcount[conv_bucket(v->a, v->pa, v->b, v->pb, n)]++;
}

struct quic_conn *quic_conn_add(struct quic_conns *t, const struct summary *s, uint32_t version,
                                const uint8_t *dcid, uint8_t dcil)
{
	struct quic_conn *c = &t->c[t->next];

	t->next = (t->next + 1) % QUIC_MAX_CONNS;
	memset(c, 0, sizeof *c);
	c->used = true;
	c->net = s->net;
	c->cport = s->sport;
	c->sport = s->dport;
	memcpy(c->caddr, s->src, addr_len(s));
	memcpy(c->saddr, s->dst, addr_len(s));
	c->version = version;
	quic_conn_set_odcid(c, dcid, dcil);
	return c;
}

void quic_conn_set_odcid(struct quic_conn *c, const uint8_t *dcid, uint8_t dcil)
{
	c->odcil = dcil <= QUIC_CID_MAX && dcid ? dcil : 0;
	if (c->odcil)
		memcpy(c->odcid, dcid, c->odcil);
}

void quic_conn_set_scid(struct quic_conn *c, bool server, const uint8_t *scid, uint8_t scil)
{
	if (scil > QUIC_CID_MAX || (scil && !scid))
		return;
	if (scil)
		memcpy(server ? c->sscid : c->cscid, scid, scil);
	*(server ? &c->sscil : &c->cscil) = scil;
}
