/*
 * test_store.c - the packet store reads every packet back, byte for byte, from where the
 * file source said its record starts: classic pcap, and pcapng with non-packet blocks between
 * packets, and a spill file whose writer still buffers the newest packets. Also the filter
 * bar's column finding.
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

int main(void)
{
	snprintf(path, sizeof path, "%s/capscope-test-store-%d.pcap",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	test_pcap();
	test_pcapng();
	test_follow_writer();
	remove(path);
	test_filter_column();
	return check_done();
}
