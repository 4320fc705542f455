/*
 * test_pcaprec.c - the in-memory pcap parser (capture/pcaprec.h): headers in both
 * byte orders and both units, a pcapng or garbage start refused, records whole, cut at every
 * byte (never read past what is given: 0 until whole), a caplen above the bound refused,
 * and a block of several records walked to its end.
 */
#include <string.h>

#include "capture/pcaprec.h"
#include "check.h"

static void put32(uint8_t *p, uint32_t v, bool big)
{
	for (int i = 0; i < 4; i++)
		p[big ? 3 - i : i] = (uint8_t)(v >> (8 * i));
}

/* A file header with magic m, written big- or little-endian; 24 bytes. */
static void header(uint8_t *p, uint32_t m, bool big)
{
	memset(p, 0, PCAPREC_HDR_BYTES);
	put32(p, m, big);
	p[big ? 5 : 4] = 2; /* version 2.4 */
	p[big ? 7 : 6] = 4;
	put32(p + 16, 65535, big);
	put32(p + 20, 0x10000001u, big); /* Ethernet with an FCS flag above the 16 bits */
}

static size_t record(uint8_t *p, uint32_t sec, uint32_t frac, uint32_t caplen, bool big)
{
	put32(p, sec, big);
	put32(p + 4, frac, big);
	put32(p + 8, caplen, big);
	put32(p + 12, caplen + 4, big);
	for (uint32_t i = 0; i < caplen; i++)
		p[16 + i] = (uint8_t)(i * 7);
	return 16 + caplen;
}

static void test_headers(void)
{
	static const struct {
		uint32_t magic;
		bool big, nano;
	} cases[] = {{0xa1b2c3d4u, false, false},
	             {0xa1b2c3d4u, true, false},
	             {0xa1b23c4du, false, true},
	             {0xa1b23c4du, true, true}};
	struct pcaprec_file pr;
	uint8_t h[PCAPREC_HDR_BYTES];
	char err[128];

	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		header(h, cases[i].magic, cases[i].big);
		memset(&pr, 0, sizeof pr);
		CHECK_EQ_INT(pcaprec_header(&pr, h, sizeof h, err, sizeof err), 24);
		CHECK_EQ_INT(pr.swapped, cases[i].big);
		CHECK_EQ_INT(pr.nano, cases[i].nano);
		CHECK_EQ_INT(pr.snaplen, 65535);
		CHECK_EQ_INT(pr.linktype, 1);
		CHECK_EQ_INT(pcaprec_header(&pr, h, 23, err, sizeof err), 0);
	}
	header(h, 0x0a0d0d0au, false); /* a pcapng section header block */
	CHECK_EQ_INT(pcaprec_header(&pr, h, sizeof h, err, sizeof err), -1);
	CHECK_EQ_STR(err, "unknown file format");
}

static void test_records(bool big)
{
	static uint8_t buf[3 * (16 + 300)];
	struct pcaprec_file pr = {.swapped = big};
	struct pcaprec r;
	char err[128];
	size_t n = 0, at = 0;
	long got;
	int count = 0;

	n += record(buf + n, 1700000000u, 5, 60, big);
	n += record(buf + n, 1700000001u, 999999, 300, big);
	n += record(buf + n, 4000000000u, 0, 0, big); /* seconds past 2038, unsigned */
	/* cut at every length: 0 until the first record is whole, never a read beyond */
	for (size_t cut = 0; cut < 16 + 60; cut++)
		CHECK_EQ_INT(pcaprec_next(&pr, buf, cut, &r, err, sizeof err), 0);
	while ((got = pcaprec_next(&pr, buf + at, n - at, &r, err, sizeof err)) > 0) {
		CHECK(r.data == buf + at + 16);
		CHECK_EQ_INT(r.len, r.caplen + 4);
		at += (size_t)got;
		count++;
	}
	CHECK_EQ_INT(got, 0);
	CHECK_EQ_INT(count, 3);
	CHECK_EQ_INT(at, n);
	CHECK_EQ_INT(r.sec, 4000000000u);
	record(buf, 1, 2, 300, big);
	CHECK_EQ_INT(pcaprec_next(&pr, buf, 16 + 300, &r, err, sizeof err), 16 + 300);
	CHECK_EQ_INT(r.sec, 1);
	CHECK_EQ_INT(r.frac, 2);
	CHECK_EQ_INT(r.data[299], (uint8_t)(299 * 7));
}

static void test_bound(void)
{
	struct pcaprec_file pr = {0};
	struct pcaprec r;
	uint8_t rec[16] = {0};
	char err[128];

	put32(rec + 8, PCAPREC_MAX_CAPLEN + 1, false);
	/* refused from its header alone: nothing waits for 256 KiB that will never be used */
	CHECK_EQ_INT(pcaprec_next(&pr, rec, sizeof rec, &r, err, sizeof err), -1);
	CHECK(strstr(err, "invalid packet capture length") != NULL);
	put32(rec + 8, 0xffffffffu, false);
	CHECK_EQ_INT(pcaprec_next(&pr, rec, sizeof rec, &r, err, sizeof err), -1);
	put32(rec + 8, PCAPREC_MAX_CAPLEN, false);
	CHECK_EQ_INT(pcaprec_next(&pr, rec, sizeof rec, &r, err, sizeof err), 0);
}

int main(void)
{
	test_headers();
	test_records(false);
	test_records(true);
	test_bound();
	return check_done();
}
