/*
 * test_stream.c - the stream tracker (decode/stream.h) on crafted IPv4/TCP and UDP packets:
 * numbering (first seen = 0, both directions one stream, a reused port pair with a new ISN a new
 * stream), the eviction bound under 4-tuple spraying (records never exceed the bound; packets
 * of evicted streams are counted), sequence numbers that jump by 2^31 and overlapping segments,
 * a SYN flood on one port pair (a new stream each new ISN, the records still bounded), an RST
 * storm (random sequence numbers on a live stream), and the per-packet mark; ICMP echo
 * matching's bound (echo_match.h): a flood of unanswered requests forgets the oldest, whose
 * late reply then gets nothing, while a recent one is still matched; and the decoder's own
 * frame links across 2^32 (a day at 50k pps): the ACKed segment's frame, a duplicate ACK's
 * frame and Info note, an echo reply's request frame, the segments of a reassembled PDU;
 * stream numbers past 2^32, which skip the numbers of streams still held.
 */
#include <string.h>

#include "check.h"
#include "decode/dissect.h"
#include "decode/echo_match.h"
#include "decode/reasm.h"
#include "decode/stream.h"

#define DLT_RAW_IPV4 228

static struct dissection d;

/* An IPv4 packet from 10.a:sport to 10.b:dport (a, b: the low 24 bits): TCP (proto 6) or UDP (17).
 */
static uint32_t build(uint8_t *p, uint8_t proto, uint32_t a, uint32_t b, uint16_t sport,
                      uint16_t dport, uint32_t seq, uint32_t ack, uint8_t flags, uint32_t paylen)
{
	uint32_t thl = proto == 6 ? 20 : 8, len = 20 + thl + paylen;

	memset(p, 0, len);
	p[0] = 0x45;
	p[2] = (uint8_t)(len >> 8);
	p[3] = (uint8_t)len;
	p[8] = 64;
	p[9] = proto;
	p[12] = 10;
	p[13] = (uint8_t)(a >> 16);
	p[14] = (uint8_t)(a >> 8);
	p[15] = (uint8_t)a;
	p[16] = 10;
	p[17] = (uint8_t)(b >> 16);
	p[18] = (uint8_t)(b >> 8);
	p[19] = (uint8_t)b;
	uint8_t *t = p + 20;
	t[0] = (uint8_t)(sport >> 8);
	t[1] = (uint8_t)sport;
	t[2] = (uint8_t)(dport >> 8);
	t[3] = (uint8_t)dport;
	if (proto == 17) {
		t[4] = (uint8_t)((8 + paylen) >> 8);
		t[5] = (uint8_t)(8 + paylen);
		return len;
	}
	for (int i = 0; i < 4; i++) {
		t[4 + i] = (uint8_t)(seq >> (24 - 8 * i));
		t[8 + i] = (uint8_t)(ack >> (24 - 8 * i));
	}
	t[12] = 0x50;
	t[13] = flags;
	t[14] = 0x20; /* window 8192 */
	return len;
}

/* Dissects and annotates one packet; returns the value of key k (UINT64_MAX if absent). */
static uint64_t feed(struct stream_table *st, uint64_t number, const uint8_t *p, uint32_t len,
                     enum field_key k)
{
	struct frame_meta m = {.number = number, .ts_sec = 1700000000, .ts_nsec = (uint32_t)number};

	dissect(&d, DLT_RAW_IPV4, p, len, len);
	stream_annotate(st, &d, &m);
	for (uint16_t i = 0; i < d.nf; i++)
		if (d.f[i].key == k)
			return d.f[i].u;
	return UINT64_MAX;
}

static bool has(enum field_key k)
{
	for (uint16_t i = 0; i < d.nf; i++)
		if (d.f[i].key == k)
			return true;
	return false;
}

static void test_numbering(void)
{
	struct stream_table *st = stream_table_create(64, true);
	uint8_t p[128];
	uint32_t n;

	check_context("numbering");
	n = build(p, 6, 1, 2, 1000, 80, 100, 0, 0x02, 0);
	CHECK_EQ_INT(feed(st, 1, p, n, K_TCP_STREAM), 0);
	n = build(p, 17, 1, 2, 1000, 53, 0, 0, 0, 4);
	CHECK_EQ_INT(feed(st, 2, p, n, K_UDP_STREAM), 0); /* UDP counts on its own */
	n = build(p, 6, 2, 1, 80, 1000, 500, 101, 0x12, 0);
	CHECK_EQ_INT(feed(st, 3, p, n, K_TCP_STREAM), 0); /* the other direction: same stream */
	CHECK_EQ_INT(feed(st, 3, p, n, K_TCP_SEQ), 0);
	CHECK_EQ_INT(feed(st, 3, p, n, K_TCP_ACK), 1);
	n = build(p, 6, 1, 3, 1000, 80, 100, 0, 0x02, 0);
	CHECK_EQ_INT(feed(st, 4, p, n, K_TCP_STREAM), 1);
	n = build(p, 6, 1, 2, 1000, 80, 9999, 0, 0x02, 0); /* new ISN, same ports */
	CHECK_EQ_INT(feed(st, 5, p, n, K_TCP_STREAM), 2);
	CHECK(has(K_TCP_ANALYSIS_REUSED_PORTS));
	CHECK(strncmp(d.sum.info, "[TCP Port numbers reused] ", 26) == 0);
	stream_table_free(st);
}

static void test_spraying(void)
{
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	struct stream_stats s;
	uint8_t p[128];
	uint32_t n;

	check_context("4-tuple spraying");
	for (uint32_t i = 0; i < 5000; i++) {
		n = build(p, 6, i, i * 7, (uint16_t)(i * 13), 80, i * 100003u, 0, 0x02, 0);
		CHECK_EQ_INT(feed(st, i + 1, p, n, K_TCP_STREAM), i);
	}
	stream_table_stats(st, &s);
	CHECK_EQ_INT(s.live, STREAM_MIN_MAX);
	CHECK_EQ_INT(s.evicted, 5000 - STREAM_MIN_MAX);
	/* the filter of evicted keys answers "probably": a few false positives under spraying */
	uint64_t before = s.revived;
	CHECK(before < 5000 / 50);
	n = build(p, 6, 0, 0, 0, 80, 0, 0, 0x10, 0); /* the first, long evicted, comes back */
	CHECK_EQ_INT(feed(st, 5001, p, n, K_TCP_STREAM), 5000);
	stream_table_stats(st, &s);
	CHECK_EQ_INT(s.revived, before + 1);
	CHECK(stream_table_bytes(STREAM_DEFAULT_MAX) < 80u * 1024 * 1024);
	stream_table_free(st);
}

static void test_jumps_and_overlap(void)
{
	struct stream_table *st = stream_table_create(64, true);
	uint8_t p[2048];
	uint32_t n, seq = 0xfffffff0u;

	check_context("2^31 jumps and overlaps");
	n = build(p, 6, 1, 2, 2000, 80, seq, 0, 0x02, 0);
	feed(st, 1, p, n, K_TCP_STREAM);
	n = build(p, 6, 1, 2, 2000, 80, seq + 1, 0, 0x10, 100);
	CHECK_EQ_INT(feed(st, 2, p, n, K_TCP_SEQ), 1); /* wraps past 2^32 */
	CHECK_EQ_INT(feed(st, 2, p, n, K_TCP_NXTSEQ), 101);
	n = build(p, 6, 1, 2, 2000, 80, seq + 51, 0, 0x10, 100); /* overlaps the first by 50 */
	feed(st, 3, p, n, K_TCP_STREAM);
	CHECK(has(K_TCP_ANALYSIS_RETRANSMISSION) || has(K_TCP_ANALYSIS_OUT_OF_ORDER));
	for (uint32_t i = 0; i < 64; i++) { /* every segment 2^31 away from the last */
		n = build(p, 6, 1, 2, 2000, 80, seq + 0x80000000u * i, 0, 0x10, 1000);
		CHECK_EQ_INT(feed(st, 4 + i, p, n, K_TCP_STREAM), 0);
	}
	stream_table_free(st);
}

static void test_syn_flood_rst_storm(void)
{
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	struct stream_stats s;
	struct stream_mark mk;
	struct frame_meta m = {.ts_sec = 1700000000};
	uint8_t p[128];
	uint32_t n, x = 12345;
	bool numbered = true, marked = true;

	check_context("SYN flood and RST storm");
	for (uint32_t i = 0; i < 3000; i++) { /* the same ports, a new ISN each time */
		n = build(p, 6, 1, 2, 4000, 80, i * 2654435761u, 0, 0x02, 0);
		numbered &= feed(st, i + 1, p, n, K_TCP_STREAM) == i;
	}
	CHECK(numbered);
	stream_table_stats(st, &s);
	CHECK_EQ_INT(s.live, 1);              /* one port pair: one record, whatever the streams */
	for (uint32_t i = 0; i < 3000; i++) { /* RSTs, both ways, random sequence numbers */
		x = x * 1103515245u + 12345u;
		n = i & 1 ? build(p, 6, 2, 1, 80, 4000, x, x ^ 0x5a5a5a5au, 0x14, 0)
		          : build(p, 6, 1, 2, 4000, 80, x, 0, 0x04, 0);
		m.number = 3001 + i;
		dissect(&d, DLT_RAW_IPV4, p, n, n);
		stream_annotate_mark(st, &d, &m, &mk);
		marked &= mk.proto == P_TCP && mk.number == 2999 && (mk.tcp_flags & SM_RST) &&
		          mk.dir == (i & 1);
	}
	CHECK(marked);
	stream_table_stats(st, &s);
	CHECK(s.live <= STREAM_MIN_MAX);
	stream_table_free(st);
}

static void test_no_analysis(void)
{
	struct stream_table *st = stream_table_create(64, false);
	uint8_t p[256];
	uint32_t n;

	check_context("--no-analysis");
	n = build(p, 6, 1, 2, 3000, 80, 5, 0, 0x10, 10);
	CHECK_EQ_INT(feed(st, 1, p, n, K_TCP_SEQ), 1);
	n = build(p, 6, 1, 2, 3000, 80, 5, 0, 0x10, 10);
	feed(st, 2, p, n, K_TCP_STREAM);
	CHECK(!has(K_TCP_ANALYSIS_FLAGS));
	CHECK_EQ_INT(d.sum.info[0] == '[', 0);
	stream_table_free(st);
}

/* An IPv4 echo request (or reply) 10.0.0.1 -> 10.0.0.2 (swapped for a reply), 8 data bytes,
 * with a real checksum (matching keys on it). */
static uint32_t echo(uint8_t *p, bool reply, uint16_t seq)
{
	uint32_t sum = 0;
	uint8_t *c = p + 20;

	build(p, 1, reply ? 2 : 1, reply ? 1 : 2, 0, 0, 0, 0, 0, 8);
	memset(c, 0, 16);
	c[0] = reply ? 0 : 8;
	c[5] = 7; /* identifier 7 */
	c[6] = (uint8_t)(seq >> 8);
	c[7] = (uint8_t)seq;
	memcpy(c + 8, "pingdata", 8);
	for (int i = 0; i < 16; i += 2)
		sum += (uint32_t)(c[i] << 8 | c[i + 1]);
	while (sum >> 16)
		sum = (sum & 0xffff) + (sum >> 16);
	c[2] = (uint8_t)(~sum >> 8);
	c[3] = (uint8_t)~sum;
	return 36;
}

static void test_echo_bound(void)
{
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	uint8_t p[64];
	uint64_t n = 0;
	uint32_t flood = ECHO_TABLE_MAX * 2;

	CHECK(st != NULL);
	feed(st, ++n, p, echo(p, false, 0), K_NONE);
	CHECK_EQ_INT(feed(st, ++n, p, echo(p, true, 0), K_ICMP_RESP_TO), 1);
	CHECK(strstr(d.sum.info, "(request in 1)") != NULL);
	for (uint32_t s = 1; s <= flood; s++) /* unanswered requests, one seq each */
		feed(st, ++n, p, echo(p, false, (uint16_t)s), K_NONE);
	/* the first of the flood was forgotten: its reply matches nothing (tshark's would) */
	CHECK(feed(st, ++n, p, echo(p, true, 1), K_ICMP_RESP_TO) == UINT64_MAX);
	CHECK(strstr(d.sum.info, "request in") == NULL);
	/* the last is still there */
	CHECK_EQ_INT(feed(st, ++n, p, echo(p, true, (uint16_t)flood), K_ICMP_RESP_TO), 2 + flood);
	stream_table_free(st);
}

/* Frames numbered from just below 2^32: every link the decoder keeps is the 64-bit number. */
static void test_frames_past_2_32(void)
{
	const uint64_t b = (1ull << 32) - 2; /* the SYN; the handshake's ACK is frame 2^32 */
	struct stream_table *st = stream_table_create(64, true);
	struct reasm *r = reasm_create(true);
	struct stream_mark mk;
	uint8_t p[128];
	uint32_t n;

	check_context("frames past 2^32");
	n = build(p, 6, 1, 2, 1000, 80, 100, 0, 0x02, 0);
	feed(st, b, p, n, K_NONE);
	n = build(p, 6, 2, 1, 80, 1000, 500, 101, 0x12, 0);
	feed(st, b + 1, p, n, K_NONE);
	n = build(p, 6, 1, 2, 1000, 80, 101, 501, 0x10, 0);
	feed(st, b + 2, p, n, K_NONE);
	n = build(p, 6, 1, 2, 1000, 80, 101, 501, 0x18, 10);
	feed(st, b + 3, p, n, K_NONE);
	n = build(p, 6, 2, 1, 80, 1000, 501, 111, 0x10, 0);
	CHECK_EQ_INT(feed(st, b + 4, p, n, K_TCP_ANALYSIS_ACKS_FRAME), b + 3);
	/* the same ACK again: a duplicate of frame b + 4 = 2^32 + 2 */
	CHECK_EQ_INT(feed(st, b + 5, p, n, K_TCP_ANALYSIS_DUPLICATE_ACK_FRAME), b + 4);
	CHECK(strncmp(d.sum.info, "[TCP Dup ACK 4294967298#1] ", 27) == 0);
	struct frame_meta m = {.number = b + 6, .ts_sec = 1700000000};
	dissect(&d, DLT_RAW_IPV4, p, n, n);
	stream_annotate_mark(st, &d, &m, &mk);
	CHECK_EQ_INT(mk.dupack_frame, b + 4);
	CHECK_EQ_INT(mk.dupack_num, 2);

	/* an echo request at 2^32 + 10, its reply at 2^32 + 11 */
	feed(st, b + 12, p, echo(p, false, 9), K_NONE);
	CHECK_EQ_INT(feed(st, b + 13, p, echo(p, true, 9), K_ICMP_RESP_TO), b + 12);
	CHECK(strstr(d.sum.info, "(request in 4294967306)") != NULL);
	m.number = b + 14;
	feed(st, b + 13, p, echo(p, false, 10), K_NONE);
	n = echo(p, true, 10);
	dissect(&d, DLT_RAW_IPV4, p, n, n);
	stream_annotate_mark(st, &d, &m, &mk);
	CHECK_EQ_INT(mk.echo_request, b + 13);

	/* an HTTP request in two segments, 2^32 - 1 and 2^32 + 1: the PDU lists both */
	static const char req[] = "GET / HTTP/1.1\r\nHost: a\r\n\r\n";
	const uint64_t fr[2] = {b + 1, b + 3};
	const uint32_t cut[3] = {0, 10, sizeof req - 1};
	uint64_t seg[2] = {0, 0};
	int nseg = 0;
	n = build(p, 6, 5, 6, 2000, 80, 700, 0, 0x02, 0);
	feed(st, b, p, n, K_NONE);
	for (int i = 0; i < 2; i++) {
		n = build(p, 6, 5, 6, 2000, 80, 701 + cut[i], 1, 0x18, cut[i + 1] - cut[i]);
		memcpy(p + 40, req + cut[i], cut[i + 1] - cut[i]);
		m.number = fr[i];
		dissect_pdus(&d, true, DLT_RAW_IPV4, p, n, n);
		stream_annotate_mark(st, &d, &m, &mk);
		reasm_packet(r, &d, &mk, fr[i]);
	}
	for (uint16_t i = 0; i < d.nf; i++)
		if (d.f[i].key == K_TCP_SEGMENT && nseg < 2)
			seg[nseg++] = d.f[i].u;
	CHECK_EQ_INT(nseg, 2);
	CHECK_EQ_INT(seg[0], b + 1);
	CHECK_EQ_INT(seg[1], b + 3);
	reasm_free(r);
	stream_table_free(st);
}

/* Stream numbers past 2^32 (22 days at 2,200 new streams a second): they start again from
 * 0, skipping the numbers of the streams still held, so a long-lived stream keeps its number
 * to itself; a number is given again once its stream was evicted. */
static void test_numbers_wrap(void)
{
	struct stream_table *st = stream_table_create(STREAM_MIN_MAX, true);
	struct stream_mark mk;
	struct frame_meta m = {.ts_sec = 1700000000};
	uint8_t p[128], l[128];
	uint32_t n, nl = build(l, 17, 1, 2, 5000, 53, 0, 0, 0, 4);
	bool never_l = true, distinct = true;

	check_context("numbers past 2^32");
	CHECK_EQ_INT(feed(st, 1, l, nl, K_UDP_STREAM), 0); /* L: long-lived */
	stream_table_number_from(st, (1ull << 32) - 2);
	n = build(p, 17, 3, 2, 5000, 53, 0, 0, 0, 4);
	CHECK_EQ_INT(feed(st, 2, p, n, K_UDP_STREAM), 4294967294u);
	n = build(p, 17, 4, 2, 5000, 53, 0, 0, 0, 4);
	CHECK_EQ_INT(feed(st, 3, p, n, K_UDP_STREAM), 4294967295u);
	n = build(p, 17, 5, 2, 5000, 53, 0, 0, 0, 4);
	m.number = 4;
	dissect(&d, DLT_RAW_IPV4, p, n, n);
	stream_annotate_mark(st, &d, &m, &mk);
	CHECK_EQ_INT(mk.number, 1); /* 0 is L's, held: skipped */
	CHECK_EQ_INT(mk.first, 1);
	dissect(&d, DLT_RAW_IPV4, l, nl, nl);
	stream_annotate_mark(st, &d, &m, &mk);
	CHECK_EQ_INT(mk.number, 0);
	CHECK_EQ_INT(mk.first, 0);
	/* 200 new streams while L sends now and then (it stays held): none is given 0, each a
	 * number of its own (2, 3, ...) */
	for (uint32_t i = 0; i < 200; i++) {
		n = build(p, 17, 100 + i, 2, 5000, 53, 0, 0, 0, 4);
		uint64_t got = feed(st, 10 + i, p, n, K_UDP_STREAM);
		never_l &= got != 0;
		distinct &= got == 2 + i;
		if (i % 4 == 0)
			CHECK_EQ_INT(feed(st, 10 + i, l, nl, K_UDP_STREAM), 0);
	}
	CHECK(never_l);
	CHECK(distinct);
	/* L quiet until evicted; at the next wrap 0 is free again */
	for (uint32_t i = 0; i < STREAM_MIN_MAX; i++) {
		n = build(p, 17, 1000 + i, 2, 5000, 53, 0, 0, 0, 4);
		feed(st, 300 + i, p, n, K_UDP_STREAM);
	}
	stream_table_number_from(st, 1ull << 33);
	n = build(p, 17, 2000, 2, 5000, 53, 0, 0, 0, 4);
	CHECK_EQ_INT(feed(st, 400, p, n, K_UDP_STREAM), 0);
	stream_table_free(st);
}

int main(void)
{
	test_numbering();
	test_spraying();
	test_jumps_and_overlap();
	test_syn_flood_rst_storm();
	test_no_analysis();
	test_echo_bound();
	test_frames_past_2_32();
	test_numbers_wrap();
	return check_done();
}
