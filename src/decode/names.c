/*
 * names.c - the name table (an open hash over a fixed pool with an LRU list), learning from
 * dissections, and the services and OUI lists (see names.h).
 */
#include "decode/names.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "base/escape.h"
#include "decode/dissector.h"
#include "decode/names_dhcp.h"
#include "decode/tls.h"

#define NIL UINT32_MAX

struct name_entry {
	uint8_t addr[16];
	uint8_t alen;
	uint16_t len;
	char *name;
	uint32_t hnext;      /* hash chain */
	uint32_t prev, next; /* LRU list, most recent first */
};

struct names {
	struct name_entry *e;
	uint32_t *bucket;
	uint32_t nbuckets; /* a power of two */
	size_t max_entries, max_bytes;
	size_t count, bytes;
	uint32_t free_head; /* unused entries, chained through hnext */
	uint32_t head, tail;
	struct dhcp_leases *dhcp; /* names waiting for their DHCP ACK */
	uint64_t generation;      /* names_generation() */
};

static uint32_t addr_hash(const uint8_t *a, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ a[i]) * 16777619u;
	return h;
}

struct names *names_new(size_t max_entries, size_t max_bytes)
{
	struct names *t = calloc(1, sizeof *t);

	if (!t || max_entries == 0 || max_entries >= NIL)
		goto fail;
	t->nbuckets = 16;
	while (t->nbuckets < 2 * max_entries)
		t->nbuckets *= 2;
	t->e = calloc(max_entries, sizeof *t->e);
	t->bucket = malloc(t->nbuckets * sizeof *t->bucket);
	t->dhcp = dhcp_leases_new();
	if (!t->e || !t->bucket || !t->dhcp)
		goto fail;
	for (uint32_t i = 0; i < t->nbuckets; i++)
		t->bucket[i] = NIL;
	for (size_t i = 0; i < max_entries; i++)
		t->e[i].hnext = i + 1 < max_entries ? (uint32_t)i + 1 : NIL;
	t->max_entries = max_entries;
	t->max_bytes = max_bytes;
	t->head = t->tail = NIL;
	return t;
fail:
	names_free(t);
	return NULL;
}

void names_free(struct names *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->e && i < t->max_entries; i++)
		free(t->e[i].name);
	free(t->e);
	free(t->bucket);
	dhcp_leases_free(t->dhcp);
	free(t);
}

uint64_t names_generation(const struct names *t)
{
	return t ? t->generation : 0;
}

size_t names_cell(struct names *t, const uint8_t *addr, size_t alen, char *out, size_t width)
{
	char esc[4 * NAMES_NAME_MAX + 1];
	size_t n, e;
	const char *name = names_get(t, addr, alen, &n);

	out[0] = '\0';
	if (!name || width == 0)
		return 0;
	e = esc_str(esc, sizeof esc, (const uint8_t *)name, n);
	if (e > width) { /* cut, and say so (an escape cut short is still escaped text) */
		e = width;
		esc[e - 1] = '~';
	}
	memcpy(out, esc, e);
	out[e] = '\0';
	return e;
}

size_t names_count(const struct names *t)
{
	return t->count;
}

size_t names_bytes(const struct names *t)
{
	return t->bytes;
}

static uint32_t *chain_of(struct names *t, const uint8_t *addr, size_t alen)
{
	return &t->bucket[addr_hash(addr, alen) & (t->nbuckets - 1)];
}

static uint32_t find(struct names *t, const uint8_t *addr, size_t alen)
{
	for (uint32_t i = *chain_of(t, addr, alen); i != NIL; i = t->e[i].hnext)
		if (t->e[i].alen == alen && memcmp(t->e[i].addr, addr, alen) == 0)
			return i;
	return NIL;
}

static void lru_unlink(struct names *t, uint32_t i)
{
	struct name_entry *e = &t->e[i];

	if (e->prev != NIL)
		t->e[e->prev].next = e->next;
	else
		t->head = e->next;
	if (e->next != NIL)
		t->e[e->next].prev = e->prev;
	else
		t->tail = e->prev;
}

static void lru_push(struct names *t, uint32_t i)
{
	t->e[i].prev = NIL;
	t->e[i].next = t->head;
	if (t->head != NIL)
		t->e[t->head].prev = i;
	t->head = i;
	if (t->tail == NIL)
		t->tail = i;
}

static void evict(struct names *t, uint32_t i)
{
	struct name_entry *e = &t->e[i];
	uint32_t *p = chain_of(t, e->addr, e->alen);

	while (*p != i)
		p = &t->e[*p].hnext;
	*p = e->hnext;
	lru_unlink(t, i);
	t->bytes -= e->len;
	t->count--;
	t->generation++;
	free(e->name);
	e->name = NULL;
	e->hnext = t->free_head;
	t->free_head = i;
}

void names_set(struct names *t, const uint8_t *addr, size_t alen, const char *name, size_t n)
{
	uint32_t i;
	char *copy;

	if (!t || (alen != 4 && alen != 16) || n == 0)
		return;
	if (n > NAMES_NAME_MAX)
		n = NAMES_NAME_MAX;
	i = find(t, addr, alen);
	if (i != NIL && t->e[i].len == n && memcmp(t->e[i].name, name, n) == 0) {
		lru_unlink(t, i);
		lru_push(t, i);
		return;
	}
	if (i != NIL) /* a changed name replaces the old one */
		evict(t, i);
	if (n > t->max_bytes)
		return;
	while (t->count > 0 && (t->count >= t->max_entries || t->bytes + n > t->max_bytes))
		evict(t, t->tail);
	if (t->free_head == NIL || !(copy = malloc(n + 1)))
		return;
	memcpy(copy, name, n);
	copy[n] = '\0';
	i = t->free_head;
	t->free_head = t->e[i].hnext;
	memcpy(t->e[i].addr, addr, alen);
	t->e[i].alen = (uint8_t)alen;
	t->e[i].len = (uint16_t)n;
	t->e[i].name = copy;
	t->e[i].hnext = *chain_of(t, addr, alen);
	*chain_of(t, addr, alen) = i;
	lru_push(t, i);
	t->count++;
	t->bytes += n;
	t->generation++;
}

const char *names_get(struct names *t, const uint8_t *addr, size_t alen, size_t *n)
{
	uint32_t i = t ? find(t, addr, alen) : NIL;

	if (i == NIL)
		return NULL;
	lru_unlink(t, i);
	lru_push(t, i);
	*n = t->e[i].len;
	return t->e[i].name;
}

/* ---- learning ---- */

enum learn_how {
	LEARN_DNS_ANSWER, /* an A/AAAA record: the address takes the head of its CNAME chain */
	LEARN_DST_NAME,   /* a string field names the packet's destination (TLS/QUIC SNI) */
	LEARN_DST_HOST,   /* HTTP Host: names the destination, without a ":port" after it */
	LEARN_SRC_NAME,   /* a string field names the packet's source (a host name it sends) */
};

/* What is learned from which field. mDNS and LLMNR answers are DNS records (dns.c) and learned
 * the same way; the SNI of a QUIC Initial is the same TLS field. A DHCP host name (option 12)
 * or FQDN (81) is not a row: the client sends it from 0.0.0.0, before it has the address it
 * names; names_dhcp.c ties it to the address the server's ACK gives. */
static const struct {
	enum field_key key;
	enum learn_how how;
} learn_rows[] = {
    {K_DNS_A, LEARN_DNS_ANSWER},
    {K_DNS_AAAA, LEARN_DNS_ANSWER},
    {K_TLS_HS_SNI, LEARN_DST_NAME},
    {K_HTTP_HOST, LEARN_DST_HOST},
};

/* P_TLS's Protocol column rows are tls_is_column()'s */
static const enum proto learn_protos[] = {P_DNS, P_HTTP, P_TLS, P_DHCP};

/* The ports of DNS, for passes that do not decode application layers. */
static const uint16_t learn_ports[] = {53, 5353, 5355};
/* DHCP's (RFC 2131 4.1): few packets, each decoded whole. */
static const uint16_t dhcp_ports[] = {67, 68};

/* A DNS response with answers (RFC 1035 4.1.1: QR set, ANCOUNT > 0), from the raw payload;
 * over TCP after the 2-byte length. Queries, most of DNS traffic, need no second pass. */
static bool dns_answers(const struct dissection *d)
{
	const struct summary *s = &d->sum;
	uint32_t at = s->payload_off + (s->transport == P_TCP ? 2u : 0u);

	if (!s->has_payload || s->payload_len < (at - s->payload_off) + 8u)
		return false;
	return (d->data[at + 2] & 0x80) && (d->data[at + 6] | d->data[at + 7]);
}

/* A TCP payload that starts a TLS ClientHello record (content type 22, version 3.x, handshake
 * type 1) or an HTTP request line, or a UDP payload that may be a QUIC client Initial (a long
 * header in a datagram of at least 1200 bytes, RFC 9000 14.1): the packets whose server name
 * (SNI, Host) names their destination. A ClientHello split across segments is named only where
 * reassembly runs (the headless loop), not in a pass that decodes packets one by one. */
static bool names_in_payload(const struct dissection *d)
{
	static const char *const methods[] = {"GET ",    "POST ",    "HEAD ",  "PUT ",
	                                      "DELETE ", "OPTIONS ", "PATCH ", "CONNECT "};
	const struct summary *s = &d->sum;
	const uint8_t *p = d->data + s->payload_off;
	uint32_t n = s->payload_len;

	if (!s->has_payload || n < 6)
		return false;
	if (s->transport == P_UDP)
		return (p[0] & 0xc0) == 0xc0 && n >= 1200;
	if (s->transport != P_TCP)
		return false;
	if (p[0] == 22 && p[1] == 3 && p[5] == 1)
		return true;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t ml = strlen(methods[i]);
		if (n >= ml && memcmp(p, methods[i], ml) == 0)
			return true;
	}
	return false;
}

bool names_learns_ports(const struct dissection *d)
{
	const struct summary *s = &d->sum;

	for (size_t i = 0; s->has_ports && i < sizeof learn_ports / sizeof learn_ports[0]; i++)
		if (s->sport == learn_ports[i] || s->dport == learn_ports[i])
			return dns_answers(d);
	for (size_t i = 0; s->has_ports && s->transport == P_UDP && i < 2; i++)
		if (s->sport == dhcp_ports[i] || s->dport == dhcp_ports[i])
			return true;
	return names_in_payload(d);
}

bool names_learns(enum proto p)
{
	for (size_t i = 0; i < sizeof learn_protos / sizeof learn_protos[0]; i++)
		if (learn_protos[i] == p)
			return true;
	return tls_is_column(p);
}

#define DNS_RRS_MAX 64
#define CNAME_HOPS  16

struct dns_rr_view {
	const char *owner, *cname;
	size_t olen, clen;
	const uint8_t *addr;
	size_t alen;
};

static const char *field_str(const struct dissection *d, const struct field *f, size_t *n)
{
	*n = diss_text_len(d, f->u);
	return *n ? d->text + f->u : NULL;
}

static bool same_name(const char *a, size_t an, const char *b, size_t bn)
{
	if (!a || !b || an != bn)
		return false;
	for (size_t i = 0; i < an; i++)
		if (tolower((unsigned char)a[i]) != tolower((unsigned char)b[i]))
			return false;
	return true;
}

/* The records of d's DNS layer, in order; returns how many (at most DNS_RRS_MAX). */
static size_t dns_rrs(const struct dissection *d, struct dns_rr_view *rr, struct dns_rr_view *q)
{
	size_t n = 0;

	for (uint16_t i = 0; i < d->nf; i++) {
		const struct field *f = &d->f[i];
		if (f->key == K_DNS_QRY_NAME && !q->owner) {
			q->owner = field_str(d, f, &q->olen);
		} else if (f->key == K_DNS_RESP_NAME && n < DNS_RRS_MAX) {
			memset(&rr[n], 0, sizeof rr[n]);
			rr[n].owner = field_str(d, f, &rr[n].olen);
			n++;
		} else if (n > 0 && f->key == K_DNS_CNAME) {
			rr[n - 1].cname = field_str(d, f, &rr[n - 1].clen);
		} else if (n > 0 && (f->key == K_DNS_A || f->key == K_DNS_AAAA) &&
		           f->len == (f->key == K_DNS_A ? 4u : 16u)) {
			rr[n - 1].addr = d->data + f->off;
			rr[n - 1].alen = f->len;
		}
	}
	return n;
}

/* Each address record's address takes the name at the head of its CNAME chain: the name
 * whose CNAME leads, hop by hop, to the record's owner, stopping at the question's name (at
 * most CNAME_HOPS hops, so a chain that loops ends). */
static void learn_dns(struct names *t, const struct dissection *d)
{
	struct dns_rr_view rr[DNS_RRS_MAX], q = {0};
	size_t n = dns_rrs(d, rr, &q);

	for (size_t i = 0; i < n; i++) {
		const char *name = rr[i].owner;
		size_t len = rr[i].olen;
		if (!rr[i].addr || !name)
			continue;
		for (int hop = 0; hop < CNAME_HOPS && !same_name(name, len, q.owner, q.olen);
		     hop++) {
			size_t j = 0;
			while (j < n && !same_name(rr[j].cname, rr[j].clen, name, len))
				j++;
			if (j == n || !rr[j].owner)
				break;
			name = rr[j].owner;
			len = rr[j].olen;
		}
		names_set(t, rr[i].addr, rr[i].alen, name, len);
	}
}

static void learn_endpoint(struct names *t, const struct dissection *d, const struct field *f,
                           bool source)
{
	size_t alen = d->sum.net == P_IPV4 ? 4 : d->sum.net == P_IPV6 ? 16 : 0;
	size_t n;
	const char *s = field_str(d, f, &n);

	if (alen && s && d->sum.has_addrs)
		names_set(t, source ? d->sum.src : d->sum.dst, alen, s, n);
}

/* HTTP Host "name[:port]" ("[v6]:port" names no host): the name names the destination. */
static void learn_host(struct names *t, const struct dissection *d, const struct field *f)
{
	size_t alen = d->sum.net == P_IPV4 ? 4 : d->sum.net == P_IPV6 ? 16 : 0;
	size_t n;
	const char *s = field_str(d, f, &n);

	if (!alen || !s || !d->sum.has_addrs || s[0] == '[')
		return;
	for (size_t i = n; i-- > 0;)
		if (s[i] == ':') {
			n = i;
			break;
		}
	if (n)
		names_set(t, d->sum.dst, alen, s, n);
}

void names_learn(struct names *t, const struct dissection *d)
{
	bool dns = false;

	uint8_t addr[4];
	const char *name;
	size_t n;

	if (!t || !names_learns(d->sum.proto))
		return;
	if (dhcp_leases_learn(t->dhcp, d, addr, &name, &n))
		names_set(t, addr, 4, name, n);
	for (uint16_t i = 0; i < d->nf; i++)
		for (size_t r = 0; r < sizeof learn_rows / sizeof learn_rows[0]; r++) {
			if (learn_rows[r].key != d->f[i].key)
				continue;
			if (learn_rows[r].how == LEARN_DNS_ANSWER)
				dns = true;
			else if (learn_rows[r].how == LEARN_DST_HOST)
				learn_host(t, d, &d->f[i]);
			else
				learn_endpoint(t, d, &d->f[i], learn_rows[r].how == LEARN_SRC_NAME);
		}
	if (dns)
		learn_dns(t, d);
}
