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

struct quic_conns *quic_conns_create(void)
{
	return calloc(1, sizeof(struct quic_conns));
}

void quic_conns_free(struct quic_conns *t)
{
	free(t);
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
