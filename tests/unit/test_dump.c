/*
 * test_dump.c - pcap output: bytes and timestamps survive at microsecond and nanosecond
 * precision, and a full disk (/dev/full) is reported by write, flush and close.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/dump.h"
#include "check.h"

#define NPKT 5

static char path[256];

static void packet(int i, struct pkt_hdr *h, uint8_t *buf)
{
	int j;

	h->ts_sec = 1700000000 + i;
	h->ts_nsec = 123456789u + (uint32_t)i * 1001u;
	h->caplen = 60 + (uint32_t)i * 13;
	h->len = h->caplen + (uint32_t)i;
	for (j = 0; j < (int)h->caplen; j++)
		buf[j] = (uint8_t)(i * 31 + j);
}

static void write_file(int tsprec)
{
	char err[DUMP_ERRLEN] = "";
	struct dump *d = dump_open(path, DLT_EN10MB, 65535, tsprec, err);
	struct pkt_hdr h;
	uint8_t buf[256];
	int i, bad = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	for (i = 0; i < NPKT; i++) {
		packet(i, &h, buf);
		bad += dump_write(d, &h, buf, err) != 0;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(dump_packets(d), NPKT);
	CHECK_EQ_INT(dump_bytes(d), 24 + NPKT * 16 + 5 * 60 + 13 * 10);
	CHECK_EQ_INT(dump_close(d, err), 0);
}

static void read_back(int tsprec)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	unsigned prec = tsprec == 9 ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO;
	pcap_t *p = pcap_open_offline_with_tstamp_precision(path, prec, ebuf);
	struct pcap_pkthdr *ph;
	const u_char *data;
	struct pkt_hdr h;
	uint8_t buf[256];
	int i, bad = 0;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_EQ_INT(pcap_datalink(p), DLT_EN10MB);
	CHECK_EQ_INT(pcap_snapshot(p), 65535);
	for (i = 0; i < NPKT; i++) {
		packet(i, &h, buf);
		if (pcap_next_ex(p, &ph, &data) != 1) {
			bad++;
			continue;
		}
		bad += ph->ts.tv_sec != h.ts_sec || ph->caplen != h.caplen || ph->len != h.len;
		bad += (uint32_t)ph->ts.tv_usec != (tsprec == 9 ? h.ts_nsec : h.ts_nsec / 1000);
		bad += memcmp(data, buf, h.caplen) != 0;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(pcap_next_ex(p, &ph, &data), PCAP_ERROR_BREAK);
	pcap_close(p);
}

static uint32_t file_magic(void)
{
	uint32_t m = 0;
	FILE *f = fopen(path, "rb");

	if (f != NULL) {
		if (fread(&m, 4, 1, f) != 1)
			m = 0;
		fclose(f);
	}
	return m;
}

static void test_roundtrip(void)
{
	write_file(6);
	CHECK_EQ_INT(file_magic(), 0xa1b2c3d4u);
	read_back(6);
	write_file(9);
	CHECK_EQ_INT(file_magic(), 0xa1b23c4du);
	read_back(9);
}

static void test_open_error(void)
{
	char err[DUMP_ERRLEN] = "";

	CHECK(dump_open("/nonexistent-dir/x\x01.pcap", DLT_EN10MB, 100, 6, err) == NULL);
	CHECK_EQ_STR(err, "capscope: opening '/nonexistent-dir/x\\x01.pcap' failed: "
	                  "No such file or directory");
}

#define FULL_MSG "capscope: writing '/dev/full' failed: No space left on device"

static void test_full_disk(void)
{
	char err[DUMP_ERRLEN] = "";
	struct pkt_hdr h;
	uint8_t buf[256];
	struct dump *d;
	int i, rc = 0;

	if (access("/dev/full", W_OK) != 0) {
		printf("skipping the full-disk checks: no /dev/full\n");
		return;
	}
	packet(1, &h, buf);
	d = dump_open("/dev/full", DLT_EN10MB, 65535, 6, err); /* flush reports it */
	CHECK(d != NULL && dump_write(d, &h, buf, err) == 0);
	CHECK_EQ_INT(dump_flush(d, err), -1);
	CHECK_EQ_STR(err, FULL_MSG);
	err[0] = '\0';
	CHECK_EQ_INT(dump_write(d, &h, buf, err), -1); /* sticky */
	CHECK_EQ_STR(err, FULL_MSG);
	CHECK_EQ_INT(dump_close(d, err), -1);

	d = dump_open("/dev/full", DLT_EN10MB, 65535, 9, err); /* a write past the buffer */
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = dump_write(d, &h, buf, err);
	CHECK_EQ_INT(rc, -1);
	CHECK(i < 20000);
	CHECK_EQ_STR(err, FULL_MSG);
	dump_close(d, err);

	err[0] = '\0';
	d = dump_open("/dev/full", DLT_EN10MB, 65535, 6, err); /* only the close */
	CHECK_EQ_INT(dump_close(d, err), -1);
	CHECK_EQ_STR(err, FULL_MSG);
}

int main(void)
{
	snprintf(path, sizeof(path), "%s/capscope-test-dump-%d.pcap",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	test_roundtrip();
	test_open_error();
	test_full_disk();
	remove(path);
	return check_done();
}
