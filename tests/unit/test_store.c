/*
 * test_store.c - the packet store reads every packet back, byte for byte, from where the
 * file source said its record starts: classic pcap, and pcapng with non-packet blocks between
 * packets, and a spill file whose writer still buffers the newest packets; the index and
 * marks of the packets the spill file's ring drops leaving memory, their times kept for
 * relative and delta times, and numbering from past 2^32. Also the filter bar's column
 * finding.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/dump.h"
#include "capture/filter.h"
#include "capture/source.h"
#include "capture/store.h"
#include "check.h"

#define NPKT 50

static char path[256];

static void payload(int i, uint8_t *buf, uint32_t *len)
{
	*len = 60 + (uint32_t)(i * 37) % 900;
	for (uint32_t k = 0; k < *len; k++)
		buf[k] = (uint8_t)(i * 7 + k);
}

/* Reads the file through the file source and indexes it; checks each packet read back. */
static void index_and_read_back(const char *p, int expect)
{
	struct source_opts o = {.name = p, .kind = SOURCE_FILE};
	enum source_err why;
	char err[SOURCE_ERRLEN], serr[STORE_ERRLEN];
	struct source *s = source_open(&o, &why, err);
	struct pkt_hdr h;
	const uint8_t *d;
	static uint8_t copy[NPKT][1024], back[1024];
	int n = 0;

	CHECK(s != NULL);
	if (!s)
		return;
	CHECK(source_rereadable(s));
	struct store *st = store_create(p, source_linktype(s), source_tsprec(s));
	while (source_next(s, &h, &d, err) == 1 && n < NPKT) {
		memcpy(copy[n++], d, h.caplen);
		CHECK_EQ_INT(store_append(st, &h, h.pos), 0);
	}
	CHECK_EQ_INT(n, expect);
	CHECK_EQ_INT(store_count(st), expect);
	for (int i = n - 1; i >= 0; i--) { /* backwards: nothing depends on reading in order */
		const struct store_pkt *sp = store_get(st, (uint64_t)i);
		memset(back, 0, sizeof back);
		CHECK_EQ_INT(store_read(st, (uint64_t)i, back, serr), 0);
		CHECK(memcmp(back, copy[i], sp->caplen) == 0);
	}
	store_set_mark(st, 3, true);
	store_set_mark(st, 3, true);
	CHECK(store_marked(st, 3) && !store_marked(st, 4));
	CHECK_EQ_INT(store_mark_count(st), 1);
	CHECK(store_get(st, (uint64_t)n) == NULL);
	store_destroy(st);
	source_close(s);
}

static void test_pcap(void)
{
	char err[DUMP_ERRLEN];
	struct dump *d = dump_open(path, DLT_EN10MB, 65535, 6, err);
	uint8_t buf[1024];
	struct pkt_hdr h = {.ts_sec = 1700000000};

	for (int i = 0; i < NPKT; i++) {
		payload(i, buf, &h.caplen);
		h.len = h.caplen;
		h.ts_nsec = (uint32_t)i * 1000;
		dump_write(d, &h, buf, err);
	}
	CHECK_EQ_INT(dump_close(d, err), 0);
	index_and_read_back(path, NPKT);
}

/* The spill file case: packets are read back while the dump still holds them in its buffer
 * (nothing flushed by the writer); the store flushes what it needs, and only that. */
static void test_follow_writer(void)
{
	char err[DUMP_ERRLEN];
	struct dump *d = dump_open(path, DLT_EN10MB, 65535, 6, err);
	struct store *st = store_create(path, DLT_EN10MB, 6);
	uint8_t buf[1024], back[1024];
	struct pkt_hdr h = {.ts_sec = 1700000000};

	CHECK(d != NULL && st != NULL);
	store_follow_writer(st, d);
	for (int i = 0; i < NPKT; i++) {
		uint64_t pos = dump_bytes(d);
		payload(i, buf, &h.caplen);
		h.len = h.caplen;
		CHECK_EQ_INT(dump_write(d, &h, buf, err), 0);
		CHECK_EQ_INT(store_append(st, &h, pos), 0);
		if (i % 10 == 9) { /* read the newest: it is still in the dump's buffer */
			CHECK(dump_flushed_bytes(d) < dump_bytes(d));
			CHECK_EQ_INT(store_read(st, (uint64_t)i, back, err), 0);
			CHECK(memcmp(back, buf, h.caplen) == 0);
			CHECK(dump_flushed_bytes(d) == dump_bytes(d));
		}
	}
	uint64_t flushed = dump_flushed_bytes(d); /* an older packet: no flush needed */
	CHECK_EQ_INT(dump_write(d, &h, buf, err), 0);
	CHECK_EQ_INT(store_read(st, 3, back, err), 0);
	CHECK(dump_flushed_bytes(d) == flushed);
	store_follow_writer(st, NULL);
	store_destroy(st);
	CHECK_EQ_INT(dump_close(d, err), 0);
}

static void put32(FILE *f, uint32_t v)
{
	fwrite(&v, 4, 1, f);
}

/* A block of `type` with `body` (padded to 4) framed by its total length twice. */
static void block(FILE *f, uint32_t type, const uint8_t *body, uint32_t n)
{
	static const uint8_t zero[4];
	uint32_t pad = (4 - n % 4) % 4, total = 12 + n + pad;

	put32(f, type);
	put32(f, total);
	fwrite(body, 1, n, f);
	fwrite(zero, 1, pad, f);
	put32(f, total);
}

static void test_pcapng(void)
{
	FILE *f = fopen(path, "wb");
	uint8_t body[1200], buf[1024];
	const uint8_t shb[] = {0x4d, 0x3c, 0x2b, 0x1a, 1,    0,    0,    0,
	                       0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	const uint8_t idb[] = {1, 0, 0, 0, 0xff, 0xff, 0, 0};
	uint32_t len;

	block(f, 0x0A0D0D0A, shb, sizeof shb);
	block(f, 1, idb, sizeof idb);
	for (int i = 0; i < NPKT; i++) {
		payload(i, buf, &len);
		memset(body, 0, 20);
		memcpy(body + 12, &len, 4);
		memcpy(body + 16, &len, 4);
		memcpy(body + 20, buf, len);
		if (i % 3 == 1) /* an unknown (custom) block between packets: walked over */
			block(f, 0x40000BAD, idb, sizeof idb);
		block(f, 6, body, 20 + len);
	}
	fclose(f);
	index_and_read_back(path, NPKT);
}

static void test_filter_column(void)
{
	struct filter_check c;

	filter_check("udp port 53", DLT_EN10MB, 65535, &c);
	CHECK(c.ok);
	filter_check("tcp prot 80", DLT_EN10MB, 65535, &c);
	CHECK(!c.ok && c.msg[0]);
	CHECK_EQ_INT(c.column, 4); /* "prot" */
	filter_check("udp and ((port 53)", DLT_EN10MB, 65535, &c);
	CHECK_EQ_INT(c.column, 18); /* the missing ')' at the end */
	filter_check("udp)", DLT_EN10MB, 65535, &c);
	CHECK_EQ_INT(c.column, 3);
}

/* n index entries from number `from` on: packet i at second i, position i * 100. */
static void append_n(struct store *st, uint64_t from, uint64_t n)
{
	for (uint64_t i = from; i < from + n; i++) {
		struct pkt_hdr h = {.ts_sec = (int64_t)i, .caplen = 60, .len = 60};
		CHECK_EQ_INT(store_append(st, &h, i * 100), 0);
	}
}

static void test_drop_head(void)
{
	struct store *st = store_create("/nonexistent", 1, 6);
	char err[STORE_ERRLEN];
	uint8_t buf[64];

	append_n(st, 0, 100000);
	size_t full = store_memory(st);
	store_set_mark(st, 10, true);
	store_set_mark(st, 90000, true);
	store_drop_head(st, 80000);
	CHECK_EQ_INT(store_first(st), 80000);
	CHECK_EQ_INT(store_count(st), 100000);
	CHECK(store_get(st, 79999) == NULL);
	CHECK(store_get(st, 80000) != NULL && store_get(st, 80000)->pos == 8000000);
	CHECK(store_read(st, 79999, buf, err) < 0 && strstr(err, "left the temporary file"));
	CHECK_EQ_INT(store_mark_count(st), 1); /* packet 10's mark left with it */
	CHECK(store_marked(st, 90000) && !store_marked(st, 10));
	CHECK_EQ_INT(store_first_ts(st), 0);
	CHECK_EQ_INT(store_ts_before(st, 80000), 79999 * 1000000000ll);
	CHECK_EQ_INT(store_ts_before(st, 80001), 80000 * 1000000000ll);
	/* the chunks before the first packet held went (four kept as spares) */
	CHECK(store_memory(st) < full / 2);
	/* and memory stays put while the ring goes round: append 100000, drop as many */
	size_t held = store_memory(st);
	for (int round = 0; round < 10; round++) {
		append_n(st, store_count(st), 10000);
		store_drop_head(st, store_count(st) - 20000);
	}
	CHECK(store_memory(st) <= held + (256u << 10));
	store_truncate(st, store_count(st) - 5);
	CHECK(store_get(st, store_count(st)) == NULL);
	store_destroy(st);

	/* numbered from just below 2^32 (the test hook) */
	const uint64_t b32 = 1ull << 32;
	st = store_create("/nonexistent", 1, 6);
	store_number_from(st, b32 - 3);
	append_n(st, b32 - 3, 6);
	CHECK_EQ_INT(store_count(st), b32 + 3);
	CHECK_EQ_INT(store_first(st), b32 - 3);
	CHECK(store_get(st, b32 - 4) == NULL);
	CHECK(store_get(st, b32)->pos == b32 * 100);
	store_set_mark(st, b32 - 1, true);
	store_set_mark(st, b32, true);
	CHECK(store_marked(st, b32 - 1) && store_marked(st, b32) && !store_marked(st, b32 + 1));
	CHECK_EQ_INT(store_first_ts(st), (int64_t)(b32 - 3) * 1000000000ll);
	CHECK_EQ_INT(store_ts_before(st, b32 - 3), (int64_t)(b32 - 3) * 1000000000ll);
	store_destroy(st);
}

int main(void)
{
	snprintf(path, sizeof path, "%s/capscope-test-store-%d.pcap",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	test_pcap();
	test_pcapng();
	test_follow_writer();
	remove(path);
	test_drop_head();
	test_filter_column();
	return check_done();
}
