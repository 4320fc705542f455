/*
 * test_conv.c - the conversation tables' bound (decode/conv.h) for days-long captures: a flood
 * of more new flows than the bound keeps each table at the bound, evicts the least recently
 * seen (idle) conversations and never one that had a packet since, counts what it evicted
 * and the packets those had (so kept + evicted packets = every IP frame), and its hash index
 * still finds every entry after tens of thousands of removals. Packets are raw IPv4/UDP
 * (linktype 228), written here, so every count is known.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/conv.h"

#define BOUND  1000
#define ACTIVE 10    /* flows that keep sending through the flood */
#define FLOOD  20000 /* new flows, each seen once */
#define EVERY  20    /* each active flow sends once every EVERY new flows */

/* A 28-byte IPv4/UDP packet src:sport -> 198.18.255.1:53. */
static void put_packet(struct conv_table *t, uint32_t src, uint16_t sport)
{
	uint8_t p[28] = {0x45, 0, 0, 28, 0, 0, 0, 0, 64, 17};
	struct pkt_hdr h = {.ts_sec = 1, .caplen = sizeof p, .len = sizeof p};

	p[12] = (uint8_t)(src >> 24), p[13] = (uint8_t)(src >> 16);
	p[14] = (uint8_t)(src >> 8), p[15] = (uint8_t)src;
	p[16] = 198, p[17] = 18, p[18] = 255, p[19] = 1;
	p[20] = (uint8_t)(sport >> 8), p[21] = (uint8_t)sport;
	p[23] = 53;
	conv_add(t, 228, &h, p);
}

/* The packets of the conversation whose side a has address src (either side), or -1. */
static long long packets_of(const struct conv_table *t, enum conv_kind k, uint32_t src)
{
	uint8_t a[4] = {(uint8_t)(src >> 24), (uint8_t)(src >> 16), (uint8_t)(src >> 8),
	                (uint8_t)src};

	for (size_t i = 0; i < conv_count(t, k); i++) {
		const struct conv *c = conv_get(t, k, i);
		if (memcmp(c->key.a, a, 4) == 0 || memcmp(c->key.b, a, 4) == 0)
			return (long long)c->packets;
	}
	return -1;
}

static uint64_t kept_packets(const struct conv_table *t, enum conv_kind k)
{
	uint64_t n = 0;

	for (size_t i = 0; i < conv_count(t, k); i++)
		n += conv_get(t, k, i)->packets;
	return n;
}

/* Every entry is still found by its key: one more packet to each adds no entry. */
static void check_index(struct conv_table *t, enum conv_kind k)
{
	uint64_t ev = conv_evicted(t, k, NULL), before = kept_packets(t, k);
	size_t n = conv_count(t, k);
	uint32_t src[BOUND];

	for (size_t i = 0; i < n && i < BOUND; i++) {
		const struct conv *c = conv_get(t, k, i);
		/* the flood's side is the one that is not 198.18.255.1 */
		const uint8_t *a = c->key.a[2] == 255 ? c->key.b : c->key.a;
		src[i] = (uint32_t)a[0] << 24 | (uint32_t)a[1] << 16 | (uint32_t)a[2] << 8 | a[3];
	}
	for (size_t i = 0; i < n && i < BOUND; i++)
		put_packet(t, src[i], 1000);
	CHECK_EQ_INT(conv_count(t, k), n);
	CHECK_EQ_INT(conv_evicted(t, k, NULL), ev);
	CHECK_EQ_INT(kept_packets(t, k), before + n);
}

static void test_flood(void)
{
	struct conv_table *t = conv_create();
	uint64_t frames = 0, ev_pkts = 0;
	uint64_t touches = 0;

	conv_set_max(t, BOUND);
	for (uint32_t i = 0; i < FLOOD; i++) {
		if (i % EVERY == 0) {
			for (uint32_t a = 0; a < ACTIVE; a++, frames++)
				put_packet(t, 0x0a000001 + a, 1000); /* 10.0.0.1.. */
			touches++;
		}
		put_packet(t, 0xc6120000 + i, 1000); /* 198.18.0.0.., one packet each */
		frames++;
	}
	for (int k = 0; k < CONV_KINDS; k++) {
		check_context(k == CONV_PAIR ? "pairs" : "5-tuples");
		CHECK_EQ_INT(conv_count(t, k), BOUND);
		/* ACTIVE + FLOOD conversations were added; all but BOUND of them left */
		CHECK_EQ_INT(conv_evicted(t, k, &ev_pkts), ACTIVE + FLOOD - BOUND);
		CHECK_EQ_INT(kept_packets(t, k) + ev_pkts, frames);
		for (uint32_t a = 0; a < ACTIVE; a++)
			CHECK_EQ_INT(packets_of(t, k, 0x0a000001 + a), touches);
		CHECK_EQ_INT(packets_of(t, k, 0xc6120000), -1); /* the first flood flow */
		CHECK_EQ_INT(packets_of(t, k, 0xc6120000 + FLOOD - 1), 1); /* the newest */
		CHECK_EQ_INT(conv_untracked(t), 0);
	}
	for (int k = 0; k < CONV_KINDS; k++) { /* after: it adds packets to both tables */
		check_context(k == CONV_PAIR ? "pairs' index" : "5-tuples' index");
		check_index(t, k);
	}
	/* serials: the newest conversation is the (ACTIVE + FLOOD)th ever added */
	uint64_t top = 0;
	for (size_t i = 0; i < conv_count(t, CONV_FLOW); i++)
		if (conv_get(t, CONV_FLOW, i)->serial > top)
			top = conv_get(t, CONV_FLOW, i)->serial;
	CHECK_EQ_INT(top, ACTIVE + FLOOD - 1);
	conv_reset(t);
	CHECK_EQ_INT(conv_evicted(t, CONV_FLOW, NULL), 0);
	for (uint32_t i = 0; i < BOUND + 5; i++)
		put_packet(t, 0xc6120000 + i, 1000);
	check_context("after reset: the bound is kept");
	CHECK_EQ_INT(conv_count(t, CONV_FLOW), BOUND);
	CHECK_EQ_INT(conv_evicted(t, CONV_FLOW, NULL), 5);
	conv_destroy(t);
}

/* Without conv_set_max the bound is CONV_MAX: a few thousand flows evict nothing. */
static void test_default_bound(void)
{
	struct conv_table *t = conv_create();

	for (uint32_t i = 0; i < 5000; i++)
		put_packet(t, 0xc6120000 + i, 1000);
	check_context("default bound");
	CHECK_EQ_INT(conv_count(t, CONV_FLOW), 5000);
	CHECK_EQ_INT(conv_evicted(t, CONV_FLOW, NULL), 0);
	conv_destroy(t);
}

int main(void)
{
	test_flood();
	test_default_bound();
	return check_done();
}
