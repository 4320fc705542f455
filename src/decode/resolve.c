/*
 * resolve.c - --resolve's owner side (see resolve.h): which addresses to ask, the cache of
 * addresses asked, the queues to and from the resolver thread (resolve_ares.c), and the
 * check of a packet against the resolver's own sockets.
 */
#include "decode/resolve.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/resolve_int.h"
#include "platform/os.h"

#define NS_PER_S 1000000000ull

struct cache_slot {
	struct rs_addr addr;
	uint64_t until_ns; /* not asked again before; 0: empty */
};

struct resolver {
	struct rs_shared sh;
	struct rs_thread *thread;
	struct cache_slot cache[RESOLVE_CACHE];
	struct rs_tuple own[RESOLVE_OWN]; /* the owner's copy of sh.own */
	size_t own_n;
	uint8_t rports[65536 / 8]; /* the servers' ports of own[]: most packets stop here */
	unsigned own_gen;
	uint64_t dropped;
};

const char *resolver_version(void)
{
	return rs_version();
}

struct resolver *resolver_new(const char *servers, char *err, size_t errlen)
{
	struct resolver *r = calloc(1, sizeof *r);

	if (!r) {
		snprintf(err, errlen, "out of memory for the resolver");
		return NULL;
	}
	pthread_mutex_init(&r->sh.mu, NULL);
	r->thread = rs_thread_start(&r->sh, servers, err, errlen);
	if (!r->thread) {
		pthread_mutex_destroy(&r->sh.mu);
		free(r);
		return NULL;
	}
	return r;
}

void resolver_free(struct resolver *r)
{
	if (!r)
		return;
	atomic_store(&r->sh.stop, true);
	rs_thread_stop(r->thread);
	pthread_mutex_destroy(&r->sh.mu);
	free(r);
}

/* Never asked (RFC 6890 and RFC 4291 special ranges): unspecified and "this network"
 * (0/8, ::), link-local (169.254/16, fe80::/10), multicast (224/4, ff00::/8), reserved and
 * broadcast (240/4, 255.255.255.255): no server has their PTR, or asking leaks nothing useful. */
static bool askable(const uint8_t *a, size_t alen)
{
	static const uint8_t zero[16] = {0};

	if (alen == 4)
		return a[0] != 0 && !(a[0] == 169 && a[1] == 254) && a[0] < 224;
	if (alen != 16 || memcmp(a, zero, 16) == 0 || a[0] == 0xff)
		return false;
	return !(a[0] == 0xfe && (a[1] & 0xc0) == 0x80);
}

static struct cache_slot *slot_of(struct resolver *r, const uint8_t *a, size_t alen)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < alen; i++)
		h = (h ^ a[i]) * 16777619u;
	return &r->cache[h % RESOLVE_CACHE];
}

static bool same_addr(const struct rs_addr *x, const uint8_t *a, size_t alen)
{
	return x->len == alen && memcmp(x->a, a, alen) == 0;
}

/* A collision replaces the slot's older address: it may be asked again, the cache stays
 * bounded. A full queue drops the ask (counted) and leaves the slot free for a later try. */
static void want_one(struct resolver *r, struct names *t, const uint8_t *a, size_t alen,
                     uint64_t now)
{
	struct cache_slot *c;
	size_t n;
	bool queued = false;

	if (!askable(a, alen) || names_get(t, a, alen, &n))
		return;
	c = slot_of(r, a, alen);
	if (c->until_ns > now && same_addr(&c->addr, a, alen))
		return;
	pthread_mutex_lock(&r->sh.mu);
	if (r->sh.ask_n < RESOLVE_QUEUE) {
		struct rs_addr *q = &r->sh.asks[(r->sh.ask_head + r->sh.ask_n++) % RESOLVE_QUEUE];
		memcpy(q->a, a, alen);
		q->len = (uint8_t)alen;
		queued = true;
	}
	pthread_mutex_unlock(&r->sh.mu);
	if (!queued) {
		r->dropped++;
		return;
	}
	memcpy(c->addr.a, a, alen);
	c->addr.len = (uint8_t)alen;
	/* pending: an answer (or the resolver's own timeouts) comes well within this */
	c->until_ns = now + RESOLVE_FAIL_S * NS_PER_S;
}

/* The link layer's broadcast: an IPv4 subnet broadcast address (198.18.0.255 in a /24)
 * cannot be told from a host's without the netmask, but its frame goes to everyone. */
static bool link_broadcast(const struct dissection *d)
{
	static const uint8_t all[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};

	if (d->linktype == 1) /* LINKTYPE_ETHERNET: the destination MAC first */
		return d->caplen >= 6 && memcmp(d->data, all, 6) == 0;
	if (d->linktype == 113) /* LINKTYPE_LINUX_SLL: packet type 1, "to everyone" */
		return d->caplen >= 2 && d->data[0] == 0 && d->data[1] == 1;
	if (d->linktype == 276) /* LINKTYPE_LINUX_SLL2: the packet type at offset 10 */
		return d->caplen >= 11 && d->data[10] == 1;
	return false;
}

void resolver_forget(struct resolver *r)
{
	if (r)
		memset(r->cache, 0, sizeof r->cache);
}

size_t resolver_room(struct resolver *r)
{
	size_t n;

	pthread_mutex_lock(&r->sh.mu);
	n = RESOLVE_QUEUE - r->sh.ask_n;
	pthread_mutex_unlock(&r->sh.mu);
	return n;
}

void resolver_want(struct resolver *r, struct names *t, const struct dissection *d)
{
	const struct summary *s = &d->sum;
	size_t alen = s->net == P_IPV4 ? 4 : s->net == P_IPV6 ? 16 : 0;
	uint64_t now;

	if (!r || !alen || !s->has_addrs)
		return;
	now = os_monotonic_ns();
	want_one(r, t, s->src, alen, now);
	if (!link_broadcast(d))
		want_one(r, t, s->dst, alen, now);
}

/* A PTR name only fills an address the capture has not named (see resolve.h). */
static bool take_answer(struct resolver *r, struct names *t, const struct rs_answer *ans,
                        uint64_t now)
{
	struct cache_slot *c = slot_of(r, ans->addr.a, ans->addr.len);
	size_t n;

	if (same_addr(&c->addr, ans->addr.a, ans->addr.len))
		c->until_ns = now + (ans->n ? RESOLVE_OK_S : RESOLVE_FAIL_S) * NS_PER_S;
	if (!ans->n || names_get(t, ans->addr.a, ans->addr.len, &n))
		return false;
	names_set(t, ans->addr.a, ans->addr.len, ans->name, ans->n);
	return true;
}

size_t resolver_collect(struct resolver *r, struct names *t)
{
	struct rs_answer got[8];
	size_t n, learned = 0;
	uint64_t now;

	if (!r)
		return 0;
	now = os_monotonic_ns();
	do { /* a few at a time: the copy is made outside the lock's hold on the names */
		pthread_mutex_lock(&r->sh.mu);
		for (n = 0; n < 8 && r->sh.ans_n > 0; n++, r->sh.ans_n--) {
			got[n] = r->sh.answers[r->sh.ans_head];
			r->sh.ans_head = (r->sh.ans_head + 1) % RS_ANSWERS;
		}
		pthread_mutex_unlock(&r->sh.mu);
		for (size_t i = 0; i < n; i++)
			learned += take_answer(r, t, &got[i], now);
	} while (n == 8);
	return learned;
}

/* The owner's copy of the own sockets, taken again when the thread changed them. */
static void own_refresh(struct resolver *r)
{
	unsigned gen = atomic_load(&r->sh.own_gen);

	if (gen == r->own_gen)
		return;
	pthread_mutex_lock(&r->sh.mu);
	memcpy(r->own, r->sh.own, sizeof r->own);
	r->own_n = r->sh.own_n;
	r->own_gen = atomic_load(&r->sh.own_gen);
	pthread_mutex_unlock(&r->sh.mu);
	memset(r->rports, 0, sizeof r->rports);
	for (size_t i = 0; i < r->own_n; i++)
		r->rports[r->own[i].rport >> 3] |= (uint8_t)(1u << (r->own[i].rport & 7));
}

static bool server_port(const struct resolver *r, uint16_t port)
{
	return r->rports[port >> 3] & (1u << (port & 7));
}

static bool tuple_is(const struct rs_tuple *o, const struct summary *s, size_t alen)
{
	uint8_t proto = s->transport == P_TCP ? 6 : 17;

	if (o->proto != proto || o->alen != alen)
		return false;
	if (s->sport == o->lport && s->dport == o->rport && memcmp(s->src, o->local, alen) == 0 &&
	    memcmp(s->dst, o->remote, alen) == 0)
		return true;
	return s->dport == o->lport && s->sport == o->rport &&
	       memcmp(s->dst, o->local, alen) == 0 && memcmp(s->src, o->remote, alen) == 0;
}

bool resolver_own(struct resolver *r, const struct summary *s)
{
	size_t alen = s->net == P_IPV4 ? 4 : s->net == P_IPV6 ? 16 : 0;

	if (!r || !alen || !s->has_ports || (s->transport != P_TCP && s->transport != P_UDP))
		return false;
	own_refresh(r);
	if (!server_port(r, s->sport) && !server_port(r, s->dport))
		return false;
	for (size_t i = 0; i < r->own_n; i++)
		if (tuple_is(&r->own[i], s, alen))
			return true;
	return false;
}

void resolver_get_stats(struct resolver *r, struct resolver_stats *st)
{
	memset(st, 0, sizeof *st);
	if (!r)
		return;
	st->sent = atomic_load(&r->sh.sent);
	st->names = atomic_load(&r->sh.names);
	st->failed = atomic_load(&r->sh.failed);
	st->dropped = r->dropped;
}
