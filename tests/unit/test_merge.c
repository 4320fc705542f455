/*
 * test_merge.c - several sources merged by timestamp (capture_start_many, capture_merge.c):
 * three capture files with interleaved timestamps (and ties) read as three sources give
 * every packet exactly once, in timestamp order (ties by source index), each stamped with
 * its source's index; per-source and summed counters; -c's count over the merge; a source
 * that ends early holds nothing back; and a pcapng file written with one interface per
 * source names each packet's interface (its blocks walked). No adapter is opened.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture_thread.h"
#include "capture/dump.h"
#include "capture/ring.h"
#include "capture/source.h"
#include "check.h"

#define NSRC 3
#define NPKT 2000 /* a source: more than a file producer's batch, so the rings turn over */

static char dir[200], paths[NSRC][300];

/* Source s's packet i: its time interleaves with the others' (some equal), its bytes name
 * it (s, i). Source 2 has only a tenth of the packets (it ends early). */
static void frame(int s, int i, struct pkt_hdr *h, uint8_t *buf)
{
	memset(buf, 0, 64);
	buf[12] = 0x08, buf[14] = 0x45, buf[60] = (uint8_t)s;
	memcpy(buf + 61, &i, 2);
	h->ts_sec = 1700000000 + i / 100;
	h->ts_nsec =
	    (uint32_t)(i % 100) * 10000000u + (s == 1 && i % 7 == 0 ? 0 : (uint32_t)s * 1000u);
	h->caplen = h->len = 64;
	h->ifidx = 0;
}

static int npkt(int s)
{
	return s == 2 ? NPKT / 10 : NPKT;
}

static void write_files(void)
{
	char err[DUMP_ERRLEN];
	uint8_t buf[64];
	struct pkt_hdr h;

	for (int s = 0; s < NSRC; s++) {
		struct dump *d;
		snprintf(paths[s], sizeof paths[s], "%s/src%d.pcap", dir, s);
		d = dump_open(paths[s], DLT_EN10MB, 65535, 9, err);
		CHECK(d != NULL);
		if (!d)
			return;
		for (int i = 0; i < npkt(s); i++) {
			frame(s, i, &h, buf);
			dump_write(d, &h, buf, err);
		}
		CHECK_EQ_INT(dump_close(d, err), 0);
	}
}

static bool open_all(struct source **src)
{
	enum source_err why;
	char err[SOURCE_ERRLEN];

	for (int s = 0; s < NSRC; s++) {
		struct source_opts o = {.name = paths[s], .kind = SOURCE_FILE, .no_pos = true};
		src[s] = source_open(&o, &why, err);
		CHECK(src[s] != NULL);
		if (!src[s])
			return false;
	}
	return true;
}

static bool later(const struct pkt_hdr *a, unsigned ai, const struct pkt_hdr *b, unsigned bi)
{
	if (a->ts_sec != b->ts_sec)
		return a->ts_sec > b->ts_sec;
	if (a->ts_nsec != b->ts_nsec)
		return a->ts_nsec > b->ts_nsec;
	return ai > bi;
}

/* Reads the merge to its end; optional pcapng dump of it. Returns packets seen. */
static uint64_t consume(struct ring *ring, int *seen, int *bad_order, int *bad_tag, struct dump *ng)
{
	struct ring_rec r;
	struct pkt_hdr prev = {0};
	unsigned prev_if = 0;
	uint64_t n = 0;
	char err[DUMP_ERRLEN];

	while (!ring_drained(ring)) {
		if (!ring_wait(ring, 100))
			continue;
		while (ring_peek(ring, &r)) {
			int s = r.data[60], i = 0;
			memcpy(&i, r.data + 61, 2);
			if (n && !later(&r.hdr, r.hdr.ifidx, &prev, prev_if))
				(*bad_order)++;
			if ((int)r.hdr.ifidx != s || s >= NSRC)
				(*bad_tag)++;
			else if (i < NPKT)
				seen[s * NPKT + i]++;
			if (ng)
				dump_write(ng, &r.hdr, r.data, err);
			prev = r.hdr;
			prev_if = r.hdr.ifidx;
			n++;
			ring_pop(ring);
		}
	}
	return n;
}

/* Walks the pcapng file's blocks: 3 IDBs, then EPBs whose interface id is the source that
 * the packet's bytes name. Returns the EPBs whose interface is right. */
static int check_pcapng(const char *path, int *idbs)
{
	FILE *f = fopen(path, "rb");
	static uint8_t buf[8 << 20];
	size_t n = f ? fread(buf, 1, sizeof buf, f) : 0, at = 0;
	int good = 0;
	uint32_t type, len, ifid;

	if (f)
		fclose(f);
	*idbs = 0;
	while (at + 12 <= n) {
		memcpy(&type, buf + at, 4);
		memcpy(&len, buf + at + 4, 4);
		if (len < 12 || at + len > n)
			break;
		if (type == 1)
			(*idbs)++;
		if (type == 6 && len >= 28 + 64) {
			memcpy(&ifid, buf + at + 8, 4);
			good += buf[at + 28 + 60] == ifid;
		}
		at += len;
	}
	return good;
}

static void test_merge_order(void)
{
	struct source *src[NSRC] = {0};
	char err[SOURCE_ERRLEN];
	struct ring *ring = ring_create(RING_MIN_BYTES, err, sizeof err);
	static int seen[NSRC * NPKT];
	int bad_order = 0, bad_tag = 0, twice = 0, missing = 0;
	struct capture_counters total;
	struct capture_end each[NSRC];
	struct capture *c;
	uint64_t n;
	struct dump_iface more[NSRC - 1] = {{"b", DLT_EN10MB, 65535}, {"c", DLT_EN10MB, 65535}};
	struct dump_section sec = {.if_name = "a", .more = more, .n_more = NSRC - 1};
	char ngpath[300];
	struct dump *ng;

	CHECK(ring != NULL);
	if (!ring || !open_all(src))
		return;
	snprintf(ngpath, sizeof ngpath, "%s/merged.pcapng", dir);
	ng = dump_open_fmt(ngpath, DUMP_PCAPNG, &sec, DLT_EN10MB, 65535, 9, err);
	CHECK(ng != NULL);
	c = capture_start_many(src, NSRC, ring, RING_MIN_BYTES, 100, 0, err);
	CHECK(c != NULL);
	if (!c)
		return;
	CHECK_EQ_INT(capture_sources(c), NSRC);
	n = consume(ring, seen, &bad_order, &bad_tag, ng);
	CHECK_EQ_INT(capture_join_each(c, &total, each, err), SRC_OK);
	CHECK_EQ_INT(n, 2 * NPKT + NPKT / 10);
	CHECK_EQ_INT(bad_order, 0);
	CHECK_EQ_INT(bad_tag, 0);
	for (int s = 0; s < NSRC; s++)
		for (int i = 0; i < npkt(s); i++) {
			twice += seen[s * NPKT + i] > 1;
			missing += seen[s * NPKT + i] == 0;
		}
	CHECK_EQ_INT(twice, 0);
	CHECK_EQ_INT(missing, 0);
	CHECK_EQ_INT(total.received, n);
	for (int s = 0; s < NSRC; s++) {
		CHECK_EQ_INT(each[s].cnt.received, npkt(s));
		CHECK_EQ_INT(each[s].st, SRC_OK);
	}
	CHECK_EQ_INT(ng ? dump_close(ng, err) : -1, 0);
	{
		int idbs = 0;
		CHECK_EQ_INT(check_pcapng(ngpath, &idbs), 2 * NPKT + NPKT / 10);
		CHECK_EQ_INT(idbs, NSRC);
	}
	for (int s = 0; s < NSRC; s++)
		source_close(src[s]);
	ring_destroy(ring);
}

/* -c over the merge: exactly that many, the earliest ones. */
static void test_merge_count(void)
{
	struct source *src[NSRC] = {0};
	char err[SOURCE_ERRLEN];
	struct ring *ring = ring_create(RING_MIN_BYTES, err, sizeof err);
	static int seen[NSRC * NPKT];
	int bad_order = 0, bad_tag = 0;
	struct capture *c;
	uint64_t n;

	if (!ring || !open_all(src))
		return;
	c = capture_start_many(src, NSRC, ring, RING_MIN_BYTES, 100, 250, err);
	CHECK(c != NULL);
	if (!c)
		return;
	n = consume(ring, seen, &bad_order, &bad_tag, NULL);
	CHECK_EQ_INT(capture_join(c, NULL, err), SRC_OK);
	CHECK_EQ_INT(n, 250);
	CHECK_EQ_INT(bad_order, 0);
	CHECK_EQ_INT(seen[0], 1); /* the first packet of source 0 is among the earliest */
	for (int s = 0; s < NSRC; s++)
		source_close(src[s]);
	ring_destroy(ring);
}

int main(void)
{
	snprintf(dir, sizeof dir, "/tmp/capscope_merge_XXXXXX");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	write_files();
	test_merge_order();
	test_merge_count();
	for (int s = 0; s < NSRC; s++)
		unlink(paths[s]);
	{
		char p[300];
		snprintf(p, sizeof p, "%s/merged.pcapng", dir);
		if (getenv("CAPSCOPE_KEEP_MERGED"))
			fprintf(stderr, "kept %s\n", p);
		else
			unlink(p);
	}
	rmdir(dir);
	return check_done();
}
