/* conv.c - conversation and protocol tables (see conv.h). */
#include "decode/conv.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "base/probe_remove.h"
#include "base/recency.h"
#include "decode/cursor.h"

#define VLAN_MAX 4 /* stacked tags looked through */

struct table {
	struct conv *v; /* entries; an evicted entry's index is reused by the next new one */
	size_t n, cap;
	uint32_t *slot;     /* open addressing: entry index + 1, 0 = empty */
	size_t nslot;       /* a power of two, at least twice n */
	struct recency rec; /* least recently seen first */
	uint64_t serial;    /* conversations ever added */
	uint64_t evicted, evicted_packets;
};

struct conv_table {
	struct table t[CONV_KINDS];
	struct conv_count proto[CP_COUNT];
	uint64_t untracked, frames;
	size_t max; /* entries a table holds before it evicts its least recently seen */
};

/* What conv_add needs from one frame. */
struct frame {
	struct conv_key key; /* as sent: a = source */
	bool ports;
	uint8_t tcp_flags; /* TCP only, when the byte was captured */
	enum conv_proto cp;
};

static const struct {
	const char *name;
	int depth;
} proto_rows[CP_COUNT] = {
    [CP_ALL] = {"All frames", 0},    [CP_IPV4] = {"IPv4", 1},        [CP_IPV4_TCP] = {"TCP", 2},
    [CP_IPV4_UDP] = {"UDP", 2},      [CP_IPV4_ICMP] = {"ICMP", 2},   [CP_IPV4_OTHER] = {"other", 2},
    [CP_IPV6] = {"IPv6", 1},         [CP_IPV6_TCP] = {"TCP", 2},     [CP_IPV6_UDP] = {"UDP", 2},
    [CP_IPV6_ICMP6] = {"ICMPv6", 2}, [CP_IPV6_OTHER] = {"other", 2}, [CP_ARP] = {"ARP", 1},
    [CP_OTHER] = {"other", 1},
};

const char *conv_proto_name(enum conv_proto p)
{
	return proto_rows[p].name;
}

int conv_proto_depth(enum conv_proto p)
{
	return proto_rows[p].depth;
}

static void table_init(struct table *t)
{
	memset(t, 0, sizeof *t);
	recency_init(&t->rec);
}

struct conv_table *conv_create(void)
{
	struct conv_table *t = calloc(1, sizeof(struct conv_table));

	if (t)
		conv_reset(t);
	return t;
}

void conv_set_max(struct conv_table *t, size_t max)
{
	t->max = max < 2 ? 2 : max > CONV_MAX ? CONV_MAX : max;
}

void conv_reset(struct conv_table *t)
{
	size_t max = t->max ? t->max : CONV_MAX;

	for (int k = 0; k < CONV_KINDS; k++) {
		free(t->t[k].v);
		free(t->t[k].slot);
		recency_free(&t->t[k].rec);
	}
	memset(t, 0, sizeof *t);
	for (int k = 0; k < CONV_KINDS; k++)
		table_init(&t->t[k]);
	t->max = max;
}

void conv_destroy(struct conv_table *t)
{
	if (!t)
		return;
	conv_reset(t);
	free(t);
}

/* ---------------------------------------------------------------- reading the headers */

/* Positions c at the network layer; returns its ethertype, or 0 when unknown. */
static uint16_t link_layer(int linktype, struct cursor *c)
{
	uint16_t et = 0;
	uint8_t v;

	switch (linktype) {
	case 1: /* Ethernet, through VLAN tags */
		cur_skip(c, 12);
		et = cur_be16(c);
		for (int i = 0; i < VLAN_MAX && (et == 0x8100 || et == 0x88a8 || et == 0x9100);
		     i++) {
			cur_skip(c, 2);
			et = cur_be16(c);
		}
		return c->truncated ? 0 : et;
	case 113: /* Linux cooked v1 */
		cur_skip(c, 14);
		et = cur_be16(c);
		return c->truncated ? 0 : et;
	case 276: /* Linux cooked v2 */
		et = cur_be16(c);
		cur_skip(c, 18);
		return c->truncated ? 0 : et;
	case 12:
	case 14:
	case 101:
	case 228:
	case 229: /* raw IP */
		if (!cur_has(c, 1))
			return 0;
		v = c->base[c->off] >> 4;
		return v == 4 ? 0x0800 : v == 6 ? 0x86dd : 0;
	default:
		return 0;
	}
}

static void read_ports(struct cursor *c, struct frame *f, uint8_t proto)
{
	uint16_t sp = cur_be16(c), dp = cur_be16(c);

	if (c->truncated)
		return;
	f->key.pa = sp;
	f->key.pb = dp;
	f->ports = true;
	if (proto == 6 && cur_skip(c, 9)) /* sequence, acknowledgment, data offset */
		f->tcp_flags = cur_u8(c);
}

static enum conv_proto l4_row(uint8_t proto, bool v6)
{
	if (proto == 6)
		return v6 ? CP_IPV6_TCP : CP_IPV4_TCP;
	if (proto == 17)
		return v6 ? CP_IPV6_UDP : CP_IPV4_UDP;
	if (proto == (v6 ? 58 : 1))
		return v6 ? CP_IPV6_ICMP6 : CP_IPV4_ICMP;
	return v6 ? CP_IPV6_OTHER : CP_IPV4_OTHER;
}

static bool ipv4(struct cursor *c, struct frame *f)
{
	uint8_t vihl = cur_u8(c), proto;
	const uint8_t *src, *dst;
	uint16_t frag;

	cur_skip(c, 5);
	frag = cur_be16(c);
	cur_skip(c, 1);
	proto = cur_u8(c);
	cur_skip(c, 2);
	src = cur_bytes(c, 4);
	dst = cur_bytes(c, 4);
	if (c->truncated || vihl >> 4 != 4 || (vihl & 15) < 5)
		return false;
	f->key.family = 4;
	f->key.proto = proto;
	memcpy(f->key.a, src, 4);
	memcpy(f->key.b, dst, 4);
	f->cp = l4_row(proto, false);
	if ((frag & 0x1fff) == 0 && (proto == 6 || proto == 17) &&
	    cur_skip(c, ((vihl & 15u) - 5) * 4))
		read_ports(c, f, proto);
	return true;
}

static bool ipv6(struct cursor *c, struct frame *f)
{
	uint8_t v = cur_u8(c), nh;
	const uint8_t *src, *dst;

	cur_skip(c, 5);
	nh = cur_u8(c);
	cur_skip(c, 1);
	src = cur_bytes(c, 16);
	dst = cur_bytes(c, 16);
	if (c->truncated || v >> 4 != 6)
		return false;
	f->key.family = 6;
	f->key.proto = nh; /* extension headers are not walked: such flows have no ports */
	memcpy(f->key.a, src, 16);
	memcpy(f->key.b, dst, 16);
	f->cp = l4_row(nh, true);
	if (nh == 6 || nh == 17)
		read_ports(c, f, nh);
	return true;
}

/* Fills f; returns true for an IP packet (the only kind with conversations). */
static bool read_frame(int linktype, const struct pkt_hdr *h, const uint8_t *data, struct frame *f)
{
	struct cursor c;
	uint16_t et;

	memset(f, 0, sizeof *f);
	f->cp = CP_OTHER;
	cur_init(&c, data, h->caplen);
	et = link_layer(linktype, &c);
	if (et == 0x0806)
		f->cp = CP_ARP;
	if (et == 0x0800)
		return ipv4(&c, f);
	if (et == 0x86dd)
		return ipv6(&c, f);
	return false;
}

bool conv_flow_key(int linktype, const uint8_t *data, uint32_t caplen, struct conv_key *k,
                   uint8_t *tcp_flags)
{
	struct pkt_hdr h = {.caplen = caplen, .len = caplen};
	struct frame f;

	if (!read_frame(linktype, &h, data, &f) || !f.ports)
		return false;
	*k = f.key;
	*tcp_flags = f.tcp_flags;
	return true;
}

/* ---------------------------------------------------------------- the hash tables */

/* A word-at-a-time multiply-xorshift hash: this runs twice for every packet the UI takes in,
 * at up to several hundred thousand packets a second, so it must cost a few cycles, not a
 * byte-serial loop. */
static uint32_t key_hash(const struct conv_key *k)
{
	uint64_t w[(sizeof *k + 7) / 8] = {0}, h = 0x9e3779b97f4a7c15ull;

	memcpy(w, k, sizeof *k);
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdull;
		h ^= h >> 29;
	}
	return (uint32_t)(h ^ (h >> 32));
}

static bool grow(struct table *t)
{
	size_t nslot = t->nslot ? t->nslot * 2 : 1024, cap = nslot / 2;
	uint32_t *slot = calloc(nslot, sizeof *slot);
	struct conv *v = realloc(t->v, cap * sizeof *v);

	if (v)
		t->v = v;
	if (!slot || !v || !recency_grow(&t->rec, cap)) {
		free(slot);
		return false;
	}
	t->cap = cap;
	for (size_t i = 0; i < t->n; i++) {
		size_t s = key_hash(&v[i].key) & (nslot - 1);
		while (slot[s])
			s = (s + 1) & (nslot - 1);
		slot[s] = (uint32_t)i + 1;
	}
	free(t->slot);
	t->slot = slot;
	t->nslot = nslot;
	return true;
}

/* The slot holding k, or the empty slot where it would go. */
static size_t probe(const struct table *t, const struct conv_key *k)
{
	size_t s = key_hash(k) & (t->nslot - 1);

	for (; t->slot[s]; s = (s + 1) & (t->nslot - 1))
		if (memcmp(&t->v[t->slot[s] - 1].key, k, sizeof *k) == 0)
			break;
	return s;
}

static size_t home(const void *ctx, uint32_t entry)
{
	const struct table *t = ctx;

	return key_hash(&t->v[entry].key) & (t->nslot - 1);
}

/* Takes the least recently seen entry out of the table and returns its index for reuse. */
static uint32_t evict(struct table *t)
{
	uint32_t i = t->rec.lru;

	probe_remove(t->slot, t->nslot, probe(t, &t->v[i].key), home, t);
	recency_unlink(&t->rec, i);
	t->evicted++;
	t->evicted_packets += t->v[i].packets;
	return i;
}

/* The entry for k, added when new (evicting the least recently seen entry when the table
 * holds max); NULL only when memory ran out before anything could be added. */
static struct conv *lookup(struct table *t, size_t max, const struct conv_key *k, bool *added)
{
	size_t s;
	uint32_t i;

	*added = false;
	if (t->n == t->cap && t->n < max)
		grow(t); /* when it cannot, the table evicts at its current size */
	if (!t->nslot)
		return NULL;
	s = probe(t, k);
	if (t->slot[s]) {
		i = t->slot[s] - 1;
		recency_touch(&t->rec, i);
		return &t->v[i];
	}
	if (t->n < t->cap && t->n < max) {
		i = (uint32_t)t->n++;
	} else {
		i = evict(t);
		s = probe(t, k); /* the removal may have moved entries of k's run */
	}
	t->slot[s] = i + 1;
	memset(&t->v[i], 0, sizeof t->v[0]);
	t->v[i].key = *k;
	t->v[i].serial = t->serial++;
	recency_push(&t->rec, i);
	*added = true;
	return &t->v[i];
}

/* Orders the two ends so both directions share an entry; true when they were swapped. */
static bool normalise(struct conv_key *k)
{
	int d = memcmp(k->a, k->b, sizeof k->a);
	uint8_t tmp[16];
	uint16_t p;

	if (d < 0 || (d == 0 && k->pa <= k->pb))
		return false;
	memcpy(tmp, k->a, sizeof tmp);
	memcpy(k->a, k->b, sizeof tmp);
	memcpy(k->b, tmp, sizeof tmp);
	p = k->pa;
	k->pa = k->pb;
	k->pb = p;
	return true;
}

static void count(struct conv *c, bool from_b, bool added, const struct pkt_hdr *h)
{
	int64_t ts = h->ts_sec * 1000000000 + h->ts_nsec;

	if (added) {
		c->b_first = from_b;
		c->first_ns = ts;
		c->rate_sec = h->ts_sec;
	}
	c->packets++;
	c->bytes += h->len;
	c->last_ns = ts;
	if (h->ts_sec != c->rate_sec) {
		c->rate_prev = h->ts_sec == c->rate_sec + 1 ? c->rate_cur : 0;
		c->rate_cur = 0;
		c->rate_sec = h->ts_sec;
	}
	c->rate_cur += h->len;
}

static void add_to(struct conv_table *t, enum conv_kind kind, struct conv_key k,
                   const struct pkt_hdr *h)
{
	bool from_b, added;
	struct conv *c;

	if (kind == CONV_PAIR)
		k.proto = 0, k.pa = k.pb = 0;
	from_b = normalise(&k);
	c = lookup(&t->t[kind], t->max, &k, &added);
	if (c)
		count(c, from_b, added, h);
	else
		t->untracked++;
}

void conv_add(struct conv_table *t, int linktype, const struct pkt_hdr *h, const uint8_t *data)
{
	struct frame f;
	bool ip = read_frame(linktype, h, data, &f);

	t->frames++;
	t->proto[CP_ALL].packets++;
	t->proto[CP_ALL].bytes += h->len;
	if (ip) {
		enum conv_proto net = f.key.family == 4 ? CP_IPV4 : CP_IPV6;
		t->proto[net].packets++;
		t->proto[net].bytes += h->len;
		add_to(t, CONV_PAIR, f.key, h);
		add_to(t, CONV_FLOW, f.key, h);
	}
	t->proto[f.cp].packets++;
	t->proto[f.cp].bytes += h->len;
}

/* ---------------------------------------------------------------- reading the tables */

size_t conv_count(const struct conv_table *t, enum conv_kind k)
{
	return t->t[k].n;
}

const struct conv *conv_get(const struct conv_table *t, enum conv_kind k, size_t i)
{
	return i < t->t[k].n ? &t->t[k].v[i] : NULL;
}

uint64_t conv_untracked(const struct conv_table *t)
{
	return t->untracked;
}

uint64_t conv_evicted(const struct conv_table *t, enum conv_kind k, uint64_t *packets)
{
	if (packets)
		*packets = t->t[k].evicted_packets;
	return t->t[k].evicted;
}

uint64_t conv_frames(const struct conv_table *t)
{
	return t->frames;
}

const struct conv_count *conv_protos(const struct conv_table *t)
{
	return t->proto;
}

double conv_rate_bps(const struct conv *c, int64_t now_sec)
{
	uint64_t b = c->rate_sec == now_sec - 1 ? c->rate_cur
	             : c->rate_sec == now_sec   ? c->rate_prev
	                                        : 0;

	return (double)b * 8;
}

static size_t addr_text(const struct conv_key *k, bool a, char *out)
{
	const uint8_t *ad = a ? k->a : k->b;

	return k->family == 4 ? addr_ipv4_text(out, ad) : addr_ipv6_text(out, ad);
}

void conv_endpoint(const struct conv *c, enum conv_kind k, bool a_side, char *out)
{
	bool a = a_side != c->b_first;
	char ad[ADDR_TEXT_MAX];

	addr_text(&c->key, a, ad);
	if (k == CONV_PAIR || !(c->key.proto == 6 || c->key.proto == 17))
		snprintf(out, CONV_ENDPOINT_MAX, "%s", ad);
	else
		snprintf(out, CONV_ENDPOINT_MAX, c->key.family == 6 ? "[%s]:%u" : "%s:%u", ad,
		         (unsigned)(a ? c->key.pa : c->key.pb));
}

void conv_filter(const struct conv *c, enum conv_kind k, char *out, size_t n)
{
	char a[ADDR_TEXT_MAX], b[ADDR_TEXT_MAX];
	const struct conv_key *key = &c->key;
	const char *ip = key->family == 6 ? "ipv6" : "ip";

	addr_text(key, true, a);
	addr_text(key, false, b);
	if (k == CONV_PAIR)
		snprintf(out, n, "%s.addr == %s && %s.addr == %s", ip, a, ip, b);
	else if (key->proto == 6 || key->proto == 17)
		snprintf(out, n, "%s.addr == %s && %s.port == %u && %s.addr == %s && %s.port == %u",
		         ip, a, key->proto == 6 ? "tcp" : "udp", (unsigned)key->pa, ip, b,
		         key->proto == 6 ? "tcp" : "udp", (unsigned)key->pb);
	else
		snprintf(out, n, "%s.addr == %s && %s.addr == %s && %s == %u", ip, a, ip, b,
		         key->family == 6 ? "ipv6.nxt" : "ip.proto", (unsigned)key->proto);
}
