/*
 * model_resolve.c - --resolve in the monitor (see model_resolve.h).
 */
#include "model/model_resolve.h"

#include <stdlib.h>
#include <string.h>

#include "decode/resolve.h"
#include "model/model_internal.h"
#include "platform/os.h"

struct model_resolve {
	struct resolver *r;
	struct dissection d; /* the transport of the packet being checked */
	uint64_t *own;       /* store indices of own lookup packets, ascending */
	size_t own_n, own_cap;
	uint64_t asked_upto; /* store packets whose addresses were asked */
	uint8_t buf[SOURCE_DEFAULT_SNAPLEN];
};

bool model_resolve_on(const struct model *m)
{
	return m->resolve && m->resolve->r;
}

bool model_resolve_set(struct model *m, bool on)
{
	char err[300];

	if (!on) {
		if (m->resolve)
			resolver_free(m->resolve->r), m->resolve->r = NULL;
		return true;
	}
	if (model_resolve_on(m))
		return true;
	if (!m->resolve && !(m->resolve = calloc(1, sizeof *m->resolve))) {
		model_set_error(m, "out of memory for the resolver");
		return false;
	}
	m->resolve->r = resolver_new(m->resolve_servers, err, sizeof err);
	if (!m->resolve->r) {
		model_set_error(m, err);
		return false;
	}
	return true;
}

static bool own_push(struct model_resolve *s, uint64_t index)
{
	if (s->own_n == s->own_cap) {
		size_t cap = s->own_cap ? s->own_cap * 2 : 256;
		uint64_t *v = realloc(s->own, cap * sizeof *v);
		if (!v)
			return false;
		s->own = v;
		s->own_cap = cap;
	}
	s->own[s->own_n++] = index;
	return true;
}

void model_resolve_take(struct model *m, uint64_t index, const struct pkt_hdr *h,
                        const uint8_t *data)
{
	struct model_resolve *s = m->resolve;

	if (!s || !s->r)
		return;
	dissect_transport(&s->d, store_linktype_of(m->store, index), data, h->caplen, h->len);
	if (resolver_own(s->r, &s->d.sum))
		own_push(s, index);
}

bool model_resolve_hidden(const struct model *m, uint64_t index)
{
	const struct model_resolve *s = m->resolve;
	size_t lo = 0, hi;

	if (!s || s->own_n == 0)
		return false;
	hi = s->own_n;
	while (lo < hi) { /* the first own index >= index */
		size_t mid = lo + (hi - lo) / 2;
		if (s->own[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->own_n && s->own[lo] == index;
}

uint64_t model_resolve_hidden_count(const struct model *m)
{
	return m->resolve ? m->resolve->own_n : 0;
}

/* Asks for the addresses of stored packets in order while the resolver's queue has room. */
static void ask_stored(struct model *m, struct model_resolve *s, uint64_t t0, uint64_t budget)
{
	char err[STORE_ERRLEN];
	uint64_t n = m->store ? store_count(m->store) : 0, done = 0;

	while (s->asked_upto < n && resolver_room(s->r) > 2) {
		uint64_t i = s->asked_upto++;
		const struct store_pkt *p = store_get(m->store, i);
		if (model_resolve_hidden(m, i) || store_read(m->store, i, s->buf, err) < 0)
			continue;
		dissect_transport(&s->d, store_linktype_of(m->store, i), s->buf, p->caplen, p->len);
		resolver_want(s->r, m->names, &s->d);
		if ((++done & 255) == 0 && os_monotonic_ns() - t0 > budget)
			break;
	}
}

bool model_resolve_step(struct model *m, uint64_t budget_ns)
{
	struct model_resolve *s = m->resolve;
	size_t learned;

	if (!s || !s->r)
		return false;
	learned = resolver_collect(s->r, m->names);
	ask_stored(m, s, os_monotonic_ns(), budget_ns);
	return learned > 0;
}

void model_resolve_truncate(struct model *m, uint64_t n)
{
	struct model_resolve *s = m->resolve;

	if (!s)
		return;
	while (s->own_n > 0 && s->own[s->own_n - 1] >= n)
		s->own_n--;
	if (s->asked_upto > n)
		s->asked_upto = n;
}

void model_resolve_drop_head(struct model *m, uint64_t first)
{
	struct model_resolve *s = m->resolve;
	size_t k = 0;

	if (!s)
		return;
	while (k < s->own_n && s->own[k] < first)
		k++;
	memmove(s->own, s->own + k, (s->own_n - k) * sizeof *s->own);
	s->own_n -= k;
	if (s->asked_upto < first)
		s->asked_upto = first;
}

void model_resolve_reset(struct model *m)
{
	if (!m->resolve)
		return;
	m->resolve->own_n = 0;
	m->resolve->asked_upto = 0;
	resolver_forget(m->resolve->r); /* the names table starts anew too */
}

void model_resolve_free(struct model *m)
{
	if (!m->resolve)
		return;
	resolver_free(m->resolve->r);
	free(m->resolve->own);
	free(m->resolve);
	m->resolve = NULL;
}
