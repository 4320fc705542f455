/*
 * stream_table.c - finds, numbers and evicts stream records (see stream.h for the bound).
 *
 * Records live in one array of max_streams; an open-addressing hash (linear probing, twice
 * as many slots as records, backward-shift deletion: no tombstones) maps a key to its record
 * (each slot keeps the key's hash beside the record index, so probing past other keys and
 * finding a new one read no record: under address spraying every packet is a new key, and a
 * record read is a cache miss),
 * and a doubly linked LRU list over record indexes picks the record a new stream takes when
 * the array is full (its links in an array of their own, not in the 1 KiB records: moving a
 * stream to the front touches its neighbours' links, which would be two more records' cache
 * lines for every packet). tcp.stream and udp.stream count separately from 0 in order of first
 * packet, as tshark numbers conversations; a TCP session that reuses the ports of an earlier
 * one (stream_tcp_reuses) takes the earlier one's record under a new number, as tshark starts
 * a new conversation there.
 * Numbers are 32-bit, as tshark's: past 2^32 streams of a protocol they start again from 0.
 * From then on a second index (by number, built at the wrap: 8 bytes a record, nothing
 * before it) lets a new stream skip the numbers the table's streams hold, so two streams held
 * never share one (stream.h).
 */
#include <stddef.h>
#include <stdlib.h>
#include <string.h>

#include "base/probe_remove.h"
#include "decode/echo_match.h"
#include "decode/stream_int.h"

#define EVICTED_BITS (1u << 16) /* the filter of evicted keys: 8 KiB */

struct slot {
	uint32_t rec1; /* record index + 1; 0 = empty */
	uint32_t hash; /* key_hash() of its record's key */
};

struct lru_link {
	uint32_t prev, next; /* record indexes; STREAM_NIL ends the list */
};

struct stream_table {
	struct stream_rec *rec;
	struct lru_link *lru; /* beside rec[i] */
	struct slot *slot;
	uint32_t nslots;
	uint32_t max, used;
	uint32_t lru_head, lru_tail; /* most and least recently used */
	bool analysis;
	uint64_t next_number[2]; /* [0] TCP, [1] UDP */
	uint32_t *num_slot; /* after the first wrap: records by (protocol, number), index + 1 */
	struct stream_stats st;
	struct echo_table *echo; /* ICMP echo requests, kept and cleared with the streams */
	uint64_t evicted_bits[EVICTED_BITS / 64];
};

static uint32_t slots_for(size_t max)
{
	uint32_t n = 1;

	while (n < max * 2)
		n <<= 1;
	return n;
}

size_t stream_table_bytes(size_t max_streams)
{
	if (max_streams < STREAM_MIN_MAX)
		max_streams = STREAM_MIN_MAX;
	return sizeof(struct stream_table) +
	       max_streams * (sizeof(struct stream_rec) + sizeof(struct lru_link)) +
	       slots_for(max_streams) * sizeof(struct slot);
}

struct stream_table *stream_table_create(size_t max_streams, bool analysis)
{
	struct stream_table *t = calloc(1, sizeof *t);

	if (max_streams < STREAM_MIN_MAX)
		max_streams = STREAM_MIN_MAX;
	if (max_streams > UINT32_MAX / 4)
		max_streams = UINT32_MAX / 4;
	if (!t)
		return NULL;
	t->max = (uint32_t)max_streams;
	t->nslots = slots_for(max_streams);
	t->rec = malloc(max_streams * sizeof *t->rec);
	t->lru = malloc(max_streams * sizeof *t->lru);
	t->slot = calloc(t->nslots, sizeof *t->slot);
	t->echo = echo_table_create();
	if (!t->rec || !t->lru || !t->slot || !t->echo) {
		stream_table_free(t);
		return NULL;
	}
	t->lru_head = t->lru_tail = STREAM_NIL;
	t->analysis = analysis;
	return t;
}

void stream_table_free(struct stream_table *t)
{
	if (!t)
		return;
	free(t->rec);
	free(t->lru);
	free(t->slot);
	free(t->num_slot);
	echo_table_free(t->echo);
	free(t);
}

void stream_table_stats(const struct stream_table *t, struct stream_stats *out)
{
	*out = t->st;
	out->tcp_streams = t->next_number[0];
	out->udp_streams = t->next_number[1];
	out->live = t->used;
}

struct echo_table *stream_echo_table(struct stream_table *t)
{
	return t->echo;
}

bool stream_analysis_on(const struct stream_table *t)
{
	return t->analysis;
}

/* The key a word at a time (stream_annotate.c zeroes it before filling it, so the bytes past
 * alen are zero), each word mixed by a multiply and a shift: a byte-serial FNV-1a took ~110
 * instructions a packet. */
static uint32_t key_hash(const struct stream_key *k)
{
	uint64_t w[(sizeof *k + 7) / 8] = {0};
	uint64_t h = 0x9e3779b97f4a7c15u;

	memcpy(w, k, sizeof *k);
	for (size_t i = 0; i < sizeof w / sizeof w[0]; i++) {
		h = (h ^ w[i]) * 0xff51afd7ed558ccdu;
		h ^= h >> 32;
	}
	return (uint32_t)h;
}

static bool key_eq(const struct stream_key *a, const struct stream_key *b)
{
	return memcmp(a, b, sizeof *a) == 0;
}

/* ---- the LRU list ---- */

static void lru_unlink(struct stream_table *t, uint32_t i)
{
	struct lru_link *l = &t->lru[i];

	if (l->prev != STREAM_NIL)
		t->lru[l->prev].next = l->next;
	else
		t->lru_head = l->next;
	if (l->next != STREAM_NIL)
		t->lru[l->next].prev = l->prev;
	else
		t->lru_tail = l->prev;
}

static void lru_push_front(struct stream_table *t, uint32_t i)
{
	struct lru_link *l = &t->lru[i];

	l->prev = STREAM_NIL;
	l->next = t->lru_head;
	if (t->lru_head != STREAM_NIL)
		t->lru[t->lru_head].prev = i;
	t->lru_head = i;
	if (t->lru_tail == STREAM_NIL)
		t->lru_tail = i;
}

/* ---- the hash ---- */

/* The slot holding key k, or the empty slot where it would go. */
static uint32_t slot_of(const struct stream_table *t, const struct stream_key *k, uint32_t h)
{
	uint32_t mask = t->nslots - 1, s = h & mask;

	while (t->slot[s].rec1 &&
	       (t->slot[s].hash != h || !key_eq(&t->rec[t->slot[s].rec1 - 1].key, k)))
		s = (s + 1) & mask;
	return s;
}

/* Empties slot s and moves later entries of its probe run back (no tombstones). */
static void slot_delete(struct stream_table *t, uint32_t s)
{
	uint32_t mask = t->nslots - 1, j = s;

	t->slot[s].rec1 = 0;
	for (;;) {
		j = (j + 1) & mask;
		if (!t->slot[j].rec1)
			return;
		uint32_t home = t->slot[j].hash & mask;
		bool stays = s <= j ? (s < home && home <= j) : (s < home || home <= j);
		/* the entry at j moves to s unless its home lies cyclically within (s, j] */
		if (!stays) {
			t->slot[s] = t->slot[j];
			t->slot[j].rec1 = 0;
			s = j;
		}
	}
}

/* ---- numbers after the wrap ---- */

static uint32_t num_hash(uint8_t proto, uint32_t number, uint32_t nslots)
{
	return ((number ^ (uint32_t)proto << 24) * 2654435761u) & (nslots - 1);
}

static size_t num_home(const void *ctx, uint32_t i)
{
	const struct stream_table *t = ctx;

	return num_hash(t->rec[i].key.proto, t->rec[i].number, t->nslots);
}

/* The number index's slot of (proto, number), or the empty one where it would go. */
static uint32_t num_slot_of(const struct stream_table *t, uint8_t proto, uint32_t number)
{
	uint32_t mask = t->nslots - 1, s = num_hash(proto, number, t->nslots);

	for (; t->num_slot[s]; s = (s + 1) & mask) {
		const struct stream_rec *r = &t->rec[t->num_slot[s] - 1];
		if (r->number == number && r->key.proto == proto)
			break;
	}
	return s;
}

static void num_add(struct stream_table *t, uint32_t i)
{
	if (t->num_slot)
		t->num_slot[num_slot_of(t, t->rec[i].key.proto, t->rec[i].number)] = i + 1;
}

/* Record i's number leaves the index (it is evicted, or numbered again). */
static void num_remove(struct stream_table *t, uint32_t i)
{
	if (t->num_slot)
		probe_remove(t->num_slot, t->nslots,
		             num_slot_of(t, t->rec[i].key.proto, t->rec[i].number), num_home, t);
}

/* The first wrap: every record but `except` (being numbered) into a new number index. False
 * when out of memory (numbers may then repeat, as tshark's do). */
static bool num_build(struct stream_table *t, uint32_t except)
{
	t->num_slot = calloc(t->nslots, sizeof *t->num_slot);
	if (!t->num_slot)
		return false;
	for (uint32_t i = 0; i < t->used; i++)
		if (i != except)
			num_add(t, i);
	return true;
}

/* The next number of record i's protocol: past the wrap, the next one no record holds. */
static uint32_t number_for(struct stream_table *t, uint32_t i)
{
	uint8_t proto = t->rec[i].key.proto;
	uint64_t *next = &t->next_number[proto == P_UDP];

	if (*next > UINT32_MAX && (t->num_slot || num_build(t, i)))
		while (t->num_slot[num_slot_of(t, proto, (uint32_t)*next)])
			++*next; /* at most `used` numbers are held: this ends */
	return (uint32_t)(*next)++;
}

void stream_table_number_from(struct stream_table *t, uint64_t n)
{
	t->next_number[0] = t->next_number[1] = n;
}

/* A two-bit Bloom filter of evicted keys: "was evicted" may be a false positive (under 1% with
 * 5000 evictions, growing as the 64 Ki bits fill), "was not" is exact. */
static bool evicted_test_set(struct stream_table *t, uint32_t h, bool set)
{
	uint32_t b[2] = {h % EVICTED_BITS, (h * 2654435761u >> 16) % EVICTED_BITS};
	bool was = true;

	for (int i = 0; i < 2; i++) {
		was &= t->evicted_bits[b[i] / 64] >> (b[i] % 64) & 1;
		if (set)
			t->evicted_bits[b[i] / 64] |= 1ull << (b[i] % 64);
	}
	return was;
}

/* A record for a new key: a free one, or the least recently used one taken back. */
static uint32_t take_record(struct stream_table *t)
{
	uint32_t i;

	if (t->used < t->max)
		return t->used++;
	i = t->lru_tail;
	struct stream_key *old = &t->rec[i].key;
	uint32_t h = key_hash(old);
	slot_delete(t, slot_of(t, old, h));
	num_remove(t, i);
	evicted_test_set(t, h, true);
	lru_unlink(t, i);
	t->st.evicted++;
	return i;
}

/* (Re)starts record r as a new stream numbered in its protocol's sequence (r is in no
 * index by number). */
static void start_stream(struct stream_table *t, struct stream_rec *r, const struct stream_key *k,
                         int64_t ns)
{
	/* everything but the kept segments (only seg[0..nseg) is ever read): a new stream
	 * writes a few cache lines, not the whole 1 KiB record */
	memset(r, 0, offsetof(struct stream_rec, dir));
	for (int i = 0; i < 2; i++)
		memset(&r->dir[i], 0, offsetof(struct tcp_dir, seg));
	r->key = *k;
	r->number = number_for(t, (uint32_t)(r - t->rec));
	num_add(t, (uint32_t)(r - t->rec));
	r->fresh = true;
	r->first_ns = r->last_ns = ns;
	stream_tcp_init(r);
}

struct stream_rec *stream_find(struct stream_table *t, const struct stream_key *k, int dir,
                               const struct tcp_pkt *tcp, int64_t ns, bool *reused)
{
	uint32_t h = key_hash(k), s = slot_of(t, k, h), i;
	bool revived;

	*reused = false;
	if (t->slot[s].rec1) {
		i = t->slot[s].rec1 - 1;
		if (i != t->lru_head) { /* the front already: nothing moves */
			lru_unlink(t, i);
			lru_push_front(t, i);
		}
		if (tcp && stream_tcp_reuses(&t->rec[i], dir, tcp)) {
			revived = t->rec[i].revived;
			num_remove(t, i);
			start_stream(t, &t->rec[i], k, ns);
			t->rec[i].revived = revived;
			t->rec[i].first_dir = (uint8_t)dir;
			*reused = true;
		}
		t->st.revived += t->rec[i].revived;
		return &t->rec[i];
	}
	i = take_record(t);
	revived = evicted_test_set(t, h, false);
	start_stream(t, &t->rec[i], k, ns);
	t->rec[i].revived = revived;
	t->rec[i].first_dir = (uint8_t)dir;
	t->st.revived += revived;
	s = slot_of(t, k, h); /* eviction may have moved entries */
	t->slot[s] = (struct slot){i + 1, h};
	lru_push_front(t, i);
	return &t->rec[i];
}
