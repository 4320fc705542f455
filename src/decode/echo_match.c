/*
 * echo_match.c - echo request/reply matching (see echo_match.h for what and the bound).
 *
 * The requests live in one array of ECHO_TABLE_MAX entries, seen as sets of ECHO_WAYS: a key
 * hashes to one set, and a new request takes its key's entry, a free way, or the way written
 * longest ago. Nothing else is allocated per packet.
 */
#include <stdlib.h>
#include <string.h>

#include "decode/dissector.h"
#include "decode/echo_match.h"

#define ECHO_WAYS 4u

struct echo_key {
	uint8_t proto; /* P_ICMP or P_ICMPV6 (low byte) */
	uint8_t alen;
	uint16_t cksum;      /* tshark's conv_key[0]: the checksum as the request would carry it */
	uint32_t id_seq;     /* conv_key[1]: identifier << 16 | sequence number */
	uint8_t addr[2][16]; /* the conversation's two addresses, the lower first */
};

struct echo_entry {
	struct echo_key key;
	uint64_t rqst_frame, resp_frame;
	int64_t rqst_ns;
	uint64_t stamp; /* when written (a request counter); 0: free */
};

struct echo_table {
	struct echo_entry e[ECHO_TABLE_MAX];
	uint64_t clock;
	struct echo_stats st;
};

struct echo_table *echo_table_create(void)
{
	return calloc(1, sizeof(struct echo_table));
}

void echo_table_free(struct echo_table *t)
{
	free(t);
}

void echo_table_stats(const struct echo_table *t, struct echo_stats *out)
{
	*out = t->st;
}

/* a + b in ones' complement, as the Internet checksum adds */
static uint16_t ones_add(uint16_t a, uint16_t b)
{
	uint32_t s = (uint32_t)a + b;

	return (uint16_t)((s & 0xffff) + (s >> 16));
}

/*
 * tshark's conv_key[0]. An echo reply's checksum differs from its request's only by the type
 * byte (ICMP 8 -> 0: +0x0800; ICMPv6 128 -> 129: -0x0100), so packet-icmp.c keys a request by
 * the checksum its reply will carry and packet-icmpv6.c keys a reply by the checksum its
 * request carried: ~in_cksum(~ck, ~delta) is ck + delta in ones' complement, which is never
 * 0xffff, and a checksum field read as it is is 0xffff taken as 0 (both zeros of ones'
 * complement: tshark 4.0 matches either, icmp-echo-match frames 35-46).
 */
static uint16_t echo_cksum_key(const struct sum_echo *e)
{
	if (e->proto == P_ICMP) {
		if (e->reply)
			return e->checksum == 0xffff ? 0 : e->checksum;
		return (uint16_t)~ones_add((uint16_t)~e->checksum, (uint16_t)~0x0800);
	}
	if (!e->reply)
		return e->checksum == 0xffff ? 0 : e->checksum;
	return (uint16_t)~ones_add((uint16_t)~e->checksum, (uint16_t)~0x0100);
}

/* The key of d's echo message; false without both addresses. */
static bool echo_key_of(const struct dissection *d, struct echo_key *k)
{
	const struct summary *s = &d->sum;
	size_t alen = s->net == P_IPV4 ? 4 : s->net == P_IPV6 ? 16 : 0;
	int lo;

	if (!alen || !s->has_addrs)
		return false;
	memset(k, 0, sizeof *k);
	k->proto = (uint8_t)s->echo.proto;
	k->alen = (uint8_t)alen;
	k->cksum = echo_cksum_key(&s->echo);
	k->id_seq = (uint32_t)s->echo.ident << 16 | s->echo.seq;
	lo = memcmp(s->src, s->dst, alen) > 0;
	memcpy(k->addr[lo], s->src, alen);
	memcpy(k->addr[!lo], s->dst, alen);
	return true;
}

/* The key's set: a multiply-xorshift hash a word at a time (an echo costs ~50 instructions
 * here where a byte-wise FNV-1a over the 44-byte key cost ~200, callgrind). */
static struct echo_entry *echo_set(struct echo_table *t, const struct echo_key *k)
{
	uint64_t h = (uint64_t)k->proto << 56 | (uint64_t)k->cksum << 32 | k->id_seq, w;

	for (size_t i = 0; i < sizeof k->addr; i += sizeof w) {
		memcpy(&w, &k->addr[0][0] + i, sizeof w);
		h = (h ^ w) * 0x9e3779b97f4a7c15ull;
		h ^= h >> 29;
	}
	return &t->e[(h >> 32) % (ECHO_TABLE_MAX / ECHO_WAYS) * ECHO_WAYS];
}

static struct echo_entry *echo_lookup(struct echo_table *t, const struct echo_key *k)
{
	struct echo_entry *set = echo_set(t, k);

	for (unsigned w = 0; w < ECHO_WAYS; w++)
		if (set[w].stamp && memcmp(&set[w].key, k, sizeof *k) == 0)
			return &set[w];
	return NULL;
}

/* A request: replaces the entry of its key, as tshark's unmatched table does. */
static void echo_request(struct echo_table *t, const struct echo_key *k, uint64_t frame, int64_t ns)
{
	struct echo_entry *set = echo_set(t, k), *e = echo_lookup(t, k);

	for (unsigned w = 0; !e && w < ECHO_WAYS; w++)
		if (!set[w].stamp)
			e = &set[w];
	if (!e) { /* a full set: the way written longest ago */
		e = &set[0];
		for (unsigned w = 1; w < ECHO_WAYS; w++)
			if (set[w].stamp < e->stamp)
				e = &set[w];
		if (!e->resp_frame)
			t->st.forgotten++;
	}
	e->key = *k;
	e->rqst_frame = frame;
	e->resp_frame = 0;
	e->rqst_ns = ns;
	e->stamp = ++t->clock;
	t->st.requests++;
}

/* Where the ICMP layer's own fields end (its data layer follows): the synthetic fields go
 * there, as in tshark's tree, so the decode pane shows them under ICMP; d->nf if not found. */
static uint16_t echo_end(const struct dissection *d)
{
	uint16_t layer = UINT16_MAX, end;

	for (uint16_t i = 0; i < d->nf; i++)
		if (d->f[i].type == FT_LAYER && d->f[i].proto == d->sum.echo.proto &&
		    d->f[i].depth == 0)
			layer = i;
	if (layer == UINT16_MAX)
		return d->nf;
	for (end = (uint16_t)(layer + 1); end < d->nf && d->f[end].depth > 0; end++)
		;
	return end;
}

/* A synthetic field (length 0 at the end of the ICMP header) at the end of the ICMP layer. */
static void echo_field(struct dissection *d, const char *label, enum field_key k,
                       enum field_type type, uint64_t u)
{
	uint16_t end, i;
	struct field f;

	if (!d->tree || d->fields_full)
		return;
	end = echo_end(d);
	i = fld_add(d, d->sum.echo.layer_end, 0, label, k, type, 1, u);
	d->f[i].proto = d->sum.echo.proto;
	if (d->fields_full || end >= i)
		return;
	f = d->f[i];
	memmove(&d->f[end + 1], &d->f[end], (size_t)(i - end) * sizeof f);
	d->f[end] = f;
	if (d->app_nf >= end && d->app_nf) {
		d->app_nf++;
		d->app_end++;
	}
}

/* " (request in 12)" after the Info text (cut at its end when full, as tshark's column). */
static void echo_info(struct dissection *d, const char *what, uint64_t frame)
{
	dissect_info_write(d); /* an Info left unwritten (TCP's: never an echo's, but safe) */
	size_t have = strnlen(d->sum.info, sizeof d->sum.info - 1);
	struct sbuf b = {d->sum.info + have, 0, sizeof d->sum.info - have};

	sb_str(&b, what);
	if (!frame)
		return;
	sb_u64(&b, frame);
	sb_str(&b, ")");
}

void echo_show(struct dissection *d, const struct echo_view *v)
{
	bool v6 = d->sum.echo.proto == P_ICMPV6;

	if (!d->sum.echo.proto)
		return;
	if (v->reply && v->frame) {
		echo_field(d, "Response to", v6 ? K_ICMPV6_RESP_TO : K_ICMP_RESP_TO, FT_UINT,
		           v->frame);
		echo_field(d, "Response time", v6 ? K_ICMPV6_RESPTIME : K_ICMP_RESPTIME, FT_MSEC,
		           (uint64_t)v->resp_ns);
		echo_info(d, " (request in ", v->frame);
	} else if (!v->reply && v->frame) {
		echo_field(d, "Response in", v6 ? K_ICMPV6_RESP_IN : K_ICMP_RESP_IN, FT_UINT,
		           v->frame);
		echo_info(d, " (reply in ", v->frame);
	} else if (!v->reply) {
		echo_field(d, "No response seen", v6 ? K_ICMPV6_NO_RESP : K_ICMP_NO_RESP,
		           FT_PRESENT, 0);
		echo_info(d, " (no response found!)", 0);
	}
}

void echo_annotate(struct echo_table *t, struct dissection *d, uint64_t frame, int64_t ns,
                   struct echo_mark *out)
{
	struct echo_key k;
	struct echo_entry *e;

	memset(out, 0, sizeof *out);
	if (!d->sum.echo.proto || !echo_key_of(d, &k))
		return;
	if (!d->sum.echo.reply) {
		echo_request(t, &k, frame, ns);
		return;
	}
	e = echo_lookup(t, &k);
	if (!e || e->resp_frame) /* no request, or answered already: tshark shows nothing */
		return;
	e->resp_frame = frame;
	t->st.matched++;
	out->request_frame = e->rqst_frame;
	out->resp_ns = ns - e->rqst_ns;
	echo_show(d, &(struct echo_view){true, e->rqst_frame, out->resp_ns});
}
