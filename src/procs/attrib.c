/*
 * attrib.c - process attribution (attrib.h), the portable part: the flow cache, the rate
 * bound on kernel lookups, and the process table (proctab.c). What the kernel says comes
 * from the platform backends (attrib_os.h).
 *
 * The kernel is asked through a backend (attrib_backend.h): in this process, or through the
 * capture helper when this process dropped its privileges.
 * The flow cache is a hash over the packet's 5-tuple taken in a canonical order (the lesser
 * address and port first), so both directions of a flow are one entry; the entry remembers
 * which end is local. It is bounded by max_flows and evicts the least recently used flow.
 * A flow is asked about again when:
 *  - it is new (a miss): the local end is tried as the source first (an outgoing packet),
 *    then as the destination; the eBPF records before sock_diag;
 *  - a TCP SYN without ACK opens it (the 4-tuple may have been used by another process);
 *  - its answer is old: a negative one after NEG_TTL_NS, a positive one after
 *    RECHECK_UDP_NS / RECHECK_TCP_NS (a UDP port is rebound without any SYN to say so). A
 *    recheck that finds no socket keeps the owner: packets after the process closed or
 *    exited are still its own. A TCP flow's recheck asks sock_diag for the open socket's
 *    present holder before the eBPF records (a socket passed to another process).
 * Every kernel lookup takes a token of LOOKUPS_PER_SEC; rechecks only use the upper half,
 * so a flood of unknown flows (forwarded traffic) costs a bounded number of queries a second
 * and never starves new flows of known processes.
 * The process table (proctab.c) evicts its least recently seen process when full: each
 * attributed packet keeps its process in it, and a cached flow whose process was evicted is
 * asked about again as a new flow (its packets are unattributed until it is).
 * A packet neither of whose addresses is this namespace's own (forwarded, mirrored, another
 * host's) cannot be a local socket's: it is answered before the cache, with no hashing and
 * no entry, so remote-only traffic costs two short list scans a packet.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "procs/attrib.h"
#include "procs/attrib_backend.h"
#include "procs/attrib_os.h"
#include "procs/proctab.h"

#define NEG_TTL_NS      (250ull * 1000 * 1000)
#define RECHECK_UDP_NS  (200ull * 1000 * 1000)
#define RECHECK_TCP_NS  (2000ull * 1000 * 1000)
#define LOOKUPS_PER_SEC 2000u
#define SEC_NS          1000000000ull

struct flow {
	struct flow_key k;     /* canonical order: (src, sport) <= (dst, dport) */
	uint64_t checked_ns;   /* when the kernel was last asked */
	uint32_t id;           /* ATTRIB_NONE: a negative answer */
	uint32_t hnext;        /* hash chain: index + 1, 0 ends it */
	uint32_t older, newer; /* LRU list: index + 1, 0 ends it */
	bool local_src;        /* the local end is k's src */
};

struct attrib {
	struct flow *flows;
	uint32_t *buckets; /* index + 1 of a chain's first flow */
	size_t nbuckets_mask, max_flows, nflows;
	uint32_t newest, oldest; /* LRU ends, index + 1 */
	struct proctab *procs;
	const struct attrib_backend_ops *ops;
	void *be;                /* the backend's instance; NULL: nothing is asked */
	struct localaddr *local; /* NULL: every address may be local */
	uint64_t window_ns;      /* the current second of kernel lookups */
	unsigned tokens;
	bool windowed;
	struct attrib_counters c;
	char how[200];    /* how attribution works here, without the latest problem */
	char status[400]; /* how + the latest problem, escaped */
};

/* ---- status ---- */

static void update_status(struct attrib *a)
{
	char raw[sizeof a->status];
	const char *problem = a->be ? a->ops->problem(a->be) : "";

	snprintf(raw, sizeof raw, "%s%s%s", a->how, problem[0] ? "; " : "", problem);
	esc_cstr(a->status, sizeof a->status, raw);
}

static const struct attrib_backend_ops *backend = &attrib_local_ops;

void attrib_use_backend(const struct attrib_backend_ops *ops)
{
	backend = ops ? ops : &attrib_local_ops;
}

struct attrib *attrib_open(const struct attrib_opts *o)
{
	struct attrib *a = calloc(1, sizeof *a);
	size_t nb = 16;

	if (!a)
		return NULL;
	a->max_flows = o->max_flows ? o->max_flows : ATTRIB_DEFAULT_FLOWS;
	while (nb < a->max_flows)
		nb *= 2;
	a->flows = calloc(a->max_flows, sizeof *a->flows);
	a->buckets = calloc(nb, sizeof *a->buckets);
	a->procs = proctab_new(o->max_procs ? o->max_procs : ATTRIB_DEFAULT_PROCS);
	if (!a->flows || !a->buckets || !a->procs) {
		attrib_close(a);
		return NULL;
	}
	a->nbuckets_mask = nb - 1;
	a->local = localaddr_new();
	a->ops = backend;
	a->be = a->ops->open(o, a->how, sizeof a->how);
	update_status(a);
	return a;
}

void attrib_close(struct attrib *a)
{
	if (!a)
		return;
	if (a->be)
		a->ops->close(a->be);
	localaddr_free(a->local);
	proctab_free(a->procs);
	free(a->flows);
	free(a->buckets);
	free(a);
}

/* ---- the flow cache ---- */

/* k in canonical order; *flipped when that swapped its ends. */
static struct flow_key canonical(const struct flow_key *k, bool *flipped)
{
	struct flow_key c = *k;
	int d = memcmp(k->src, k->dst, sizeof k->src);

	*flipped = d > 0 || (d == 0 && k->sport > k->dport);
	if (*flipped) {
		memcpy(c.src, k->dst, sizeof c.src);
		memcpy(c.dst, k->src, sizeof c.dst);
		c.sport = k->dport;
		c.dport = k->sport;
	}
	return c;
}

/* Eight bytes of a at a time (memcpy: no alignment assumed). */
static uint64_t word(const uint8_t *a)
{
	uint64_t w;

	memcpy(&w, a, sizeof w);
	return w;
}

/* A multiply-xorshift over a canonical key's fields a word at a time: called for every
 * packet of a local flow, where a byte-serial hash over its 38 bytes was most of
 * attribution's cost. Never 0. */
static uint64_t canonical_hash(const struct flow_key *c)
{
	const uint64_t m = 0x9e3779b97f4a7c15ull;
	uint64_t h = ((uint64_t)c->family << 56 | (uint64_t)c->proto << 48 |
	              (uint64_t)c->sport << 16 | c->dport) *
	             m;

	h = (h ^ word(c->src)) * m;
	h = (h ^ word(c->src + 8)) * m;
	h = (h ^ word(c->dst)) * m;
	h = (h ^ word(c->dst + 8)) * m;
	h ^= h >> 31;
	return h ? h : 1;
}

uint64_t flow_key_hash(const struct flow_key *k)
{
	bool flipped;
	struct flow_key c = canonical(k, &flipped);

	return canonical_hash(&c);
}

static size_t bucket_of(const struct attrib *a, const struct flow_key *k)
{
	return (size_t)canonical_hash(k) & a->nbuckets_mask;
}

static bool key_eq(const struct flow_key *x, const struct flow_key *y)
{
	return x->family == y->family && x->proto == y->proto && x->sport == y->sport &&
	       x->dport == y->dport && memcmp(x->src, y->src, 16) == 0 &&
	       memcmp(x->dst, y->dst, 16) == 0;
}

static void lru_unlink(struct attrib *a, uint32_t i)
{
	struct flow *f = &a->flows[i - 1];

	if (f->older)
		a->flows[f->older - 1].newer = f->newer;
	else
		a->oldest = f->newer;
	if (f->newer)
		a->flows[f->newer - 1].older = f->older;
	else
		a->newest = f->older;
	f->older = f->newer = 0;
}

static void lru_push(struct attrib *a, uint32_t i)
{
	struct flow *f = &a->flows[i - 1];

	f->older = a->newest;
	f->newer = 0;
	if (a->newest)
		a->flows[a->newest - 1].newer = i;
	a->newest = i;
	if (!a->oldest)
		a->oldest = i;
}

static struct flow *find(struct attrib *a, const struct flow_key *k)
{
	uint32_t i = a->buckets[bucket_of(a, k)];

	for (size_t hops = 0; i && hops < a->max_flows; hops++) {
		struct flow *f = &a->flows[i - 1];
		if (key_eq(&f->k, k)) {
			if (a->newest != i) { /* a run of one flow's packets moves nothing */
				lru_unlink(a, i);
				lru_push(a, i);
			}
			return f;
		}
		i = f->hnext;
	}
	return NULL;
}

static void unhash(struct attrib *a, uint32_t i)
{
	uint32_t *p = &a->buckets[bucket_of(a, &a->flows[i - 1].k)];

	for (size_t hops = 0; *p && hops < a->max_flows; hops++) {
		if (*p == i) {
			*p = a->flows[i - 1].hnext;
			return;
		}
		p = &a->flows[*p - 1].hnext;
	}
}

/* A new entry for k: a free slot, or the least recently used flow's. */
static struct flow *insert(struct attrib *a, const struct flow_key *k)
{
	uint32_t i;
	size_t b = bucket_of(a, k);

	if (a->nflows < a->max_flows) {
		i = (uint32_t)++a->nflows;
	} else {
		i = a->oldest;
		unhash(a, i);
		lru_unlink(a, i);
		a->c.flows_evicted++;
	}
	memset(&a->flows[i - 1], 0, sizeof a->flows[i - 1]);
	a->flows[i - 1].k = *k;
	a->flows[i - 1].hnext = a->buckets[b];
	a->buckets[b] = i;
	lru_push(a, i);
	return &a->flows[i - 1];
}

/* ---- kernel lookups ---- */

/* Takes a lookup token; a recheck only while more than half of the second's are left. */
static bool take_token(struct attrib *a, uint64_t now_ns, bool recheck)
{
	if (!a->windowed || now_ns - a->window_ns >= SEC_NS) {
		a->windowed = true;
		a->window_ns = now_ns;
		a->tokens = LOOKUPS_PER_SEC;
	}
	if (a->tokens == 0 || (recheck && a->tokens <= LOOKUPS_PER_SEC / 2))
		return false;
	a->tokens--;
	return true;
}

/* The owner of the socket at end `local` of k (true: k's src), from the backend.
 * holder_first: see attrib_backend.h. */
static int ask(struct attrib *a, const struct flow_key *k, bool local_src, uint64_t now_ns,
               bool holder_first, struct proc_owner *o, uint8_t *how)
{
	struct sock_key sk = {.family = k->family, .proto = k->proto};

	if (!a->be)
		return OWNER_NONE;
	sk.lport = local_src ? k->sport : k->dport;
	sk.rport = local_src ? k->dport : k->sport;
	memcpy(sk.laddr, local_src ? k->src : k->dst, 16);
	memcpy(sk.raddr, local_src ? k->dst : k->src, 16);
	*how = AH_NONE;
	return a->ops->lookup(a->be, &sk, now_ns, holder_first, o, how);
}

/* The process id of an owner, completed from /proc when first seen. */
static uint32_t owner_id(struct attrib *a, const struct proc_owner *o, uint8_t how)
{
	struct proc_info p;
	uint32_t id;
	bool added;

	memset(&p, 0, sizeof p);
	p.pid = o->pid;
	p.uid = o->uid;
	p.start = o->start;
	p.how = how;
	memcpy(p.name, o->comm, sizeof o->comm);
	p.name[sizeof o->comm - 1] = '\0';
	id = proctab_intern(a->procs, &p, &added);
	if (added && a->be)
		a->ops->complete(a->be, proctab_get(a->procs, id));
	return id;
}

/* Asks about k (its original direction: src is the packet's source); true if an owner was
 * found, with f's answer set. holder_first: see ask(). */
static bool resolve(struct attrib *a, struct flow *f, const struct flow_key *k, bool flipped,
                    uint64_t now_ns, bool holder_first)
{
	struct proc_owner o;
	uint8_t how = AH_NONE;

	for (int end = 0; end < 2; end++) {
		bool local_src = end == 0;
		if (ask(a, k, local_src, now_ns, holder_first, &o, &how) != OWNER_FOUND)
			continue;
		f->id = owner_id(a, &o, how);
		f->local_src = local_src != flipped;
		if (how == AH_EBPF)
			a->c.by_ebpf++;
		else
			a->c.by_sockdiag++;
		return true;
	}
	return false;
}

static bool stale(const struct flow *f, bool syn, uint64_t now_ns)
{
	uint64_t age = now_ns - f->checked_ns;

	if (f->id == ATTRIB_NONE)
		return age >= NEG_TTL_NS;
	if (syn)
		return true;
	return age >= (f->k.proto == 17 ? RECHECK_UDP_NS : RECHECK_TCP_NS);
}

uint32_t attrib_packet(struct attrib *a, const struct flow_key *k, bool syn, uint64_t now_ns,
                       bool *out)
{
	bool flipped, found;
	struct flow_key c;
	struct flow *f;
	bool recheck, gone;
	uint32_t id0;

	a->c.packets++;
	*out = false;
	if (!localaddr_is_local(a->local, k->family, k->src, now_ns) &&
	    !localaddr_is_local(a->local, k->family, k->dst, now_ns))
		return ATTRIB_NONE;
	c = canonical(k, &flipped);
	f = find(a, &c);
	/* each packet keeps its process in the table (the least recently seen leaves first); a
	 * flow whose process left it (evicted) is asked about as a new one */
	id0 = f ? f->id : ATTRIB_NONE;
	recheck = id0 != ATTRIB_NONE && proctab_touch(a->procs, id0);
	gone = id0 != ATTRIB_NONE && !recheck;
	if (!f || gone || stale(f, syn, now_ns)) {
		if (take_token(a, now_ns, recheck && !syn)) {
			if (!f)
				f = insert(a, &c);
			/* a known TCP flow's recheck asks for its present holder (ask()) */
			found = resolve(a, f, k, flipped, now_ns, recheck && !syn && k->proto == 6);
			if (!found && (!recheck || syn))
				f->id = ATTRIB_NONE; /* a SYN nobody owns: the old owner is gone */
			f->checked_ns = now_ns;
			update_status(a);
		}
	}
	/* the id touched above, or one the lookup just interned (in the table, just seen) */
	if (!f || f->id == ATTRIB_NONE || (f->id == id0 && gone))
		return ATTRIB_NONE;
	*out = f->local_src != flipped;
	a->c.attributed++;
	return f->id;
}

/* ---- the process table ---- */

const struct proc_info *attrib_proc(const struct attrib *a, uint32_t id)
{
	return proctab_get(a->procs, id);
}

uint32_t attrib_intern(struct attrib *a, const struct proc_info *p)
{
	bool added;

	return proctab_intern(a->procs, p, &added);
}

const char *attrib_status(const struct attrib *a)
{
	return a->status;
}

void attrib_counters(const struct attrib *a, struct attrib_counters *c)
{
	*c = a->c;
	if (a->be)
		a->ops->counters(a->be, &c->kernel_lookups, &c->proc_scans, &c->errors);
	c->flows = a->nflows;
	c->procs = proctab_count(a->procs);
	c->procs_evicted = proctab_evicted(a->procs);
}
