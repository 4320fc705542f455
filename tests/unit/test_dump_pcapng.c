/*
 * test_dump_pcapng.c - pcapng output (dump.h with DUMP_PCAPNG) and reading its comments back
 * (pktfile_comment): libpcap reads the packets back with their bytes, lengths and
 * timestamps at microsecond and nanosecond resolution; each packet's comment comes back
 * from the position the file source gives it; a comment past PCAPNG_COMMENT_MAX is cut, a
 * record larger than the write buffer is written whole, -C rotation makes whole pcapng
 * files, and a full disk is reported. (tshark and capinfos read these files in
 * tests/save/test_pcapng.sh.)
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/dump.h"
#include "capture/dump_pcapng.h"
#include "capture/dump_rotate.h"
#include "capture/pktfile.h"
#include "capture/source.h"
#include "capture/store.h"
#include "check.h"
#include "model/file_procs.h"
#include "procs/proc_comment.h"

#define NPKT  6
#define JUMBO (1500u * 1024u) /* more than dump.c's 1 MiB buffer */

static char path[256];
static uint8_t *big;

static void packet(int i, struct pkt_hdr *h, uint8_t *buf)
{
	h->ts_sec = 1700000000 + i;
	h->ts_nsec = 123456789u + (uint32_t)i * 1001u;
	h->caplen =
	    i == NPKT - 1 ? JUMBO : 60 + (uint32_t)i * 13; /* 60 + 13i is never a multiple of 4 */
	h->len = h->caplen + (uint32_t)i;
	for (uint32_t j = 0; j < h->caplen; j++)
		buf[j] = (uint8_t)(i * 31 + (int)j);
}

/* Packet i's comment: none for 1, an overlong one for 3, else a short one. */
static const char *comment_of(int i, char *buf, size_t n)
{
	if (i == 1)
		return NULL;
	if (i == 3) {
		memset(buf, 'c', n - 1);
		buf[n - 1] = '\0';
		return buf;
	}
	snprintf(buf, n, "Process: p%d[%d]\nPID: %d\n", i, 100 + i, 100 + i);
	return buf;
}

static void write_file(int tsprec, const char *if_name)
{
	static char cbuf[PCAPNG_COMMENT_MAX + 100];
	char err[DUMP_ERRLEN] = "";
	struct dump_section sec = {.if_name = if_name};
	struct dump *d = dump_open_fmt(path, DUMP_PCAPNG, &sec, DLT_EN10MB, 65535, tsprec, err);
	struct pkt_hdr h;
	uint64_t bytes = 0;
	int bad = 0;

	CHECK(d != NULL);
	if (d == NULL)
		return;
	bytes = dump_bytes(d);
	for (int i = 0; i < NPKT; i++) {
		const char *c = comment_of(i, cbuf, sizeof cbuf);
		packet(i, &h, big);
		bytes += dump_record_bytes(d, h.caplen, c ? strlen(c) : 0);
		bad += dump_write_comment(d, &h, big, c, c ? strlen(c) : 0, err) != 0;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(dump_packets(d), NPKT);
	CHECK_EQ_INT(dump_bytes(d), bytes);
	dump_set_stats(d, 1000, 7);
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
	int bad = 0;

	CHECK(p != NULL);
	if (p == NULL)
		return;
	CHECK_EQ_INT(pcap_datalink(p), DLT_EN10MB);
	for (int i = 0; i < NPKT - 1; i++) { /* libpcap refuses the jumbo record (past 256 KiB) */
		packet(i, &h, big);
		if (pcap_next_ex(p, &ph, &data) != 1) {
			bad++;
			continue;
		}
		bad += ph->ts.tv_sec != h.ts_sec || ph->caplen != h.caplen || ph->len != h.len;
		bad += (uint32_t)ph->ts.tv_usec != (tsprec == 9 ? h.ts_nsec : h.ts_nsec / 1000);
		bad += memcmp(data, big, h.caplen) != 0;
	}
	CHECK_EQ_INT(bad, 0);
	CHECK_EQ_INT(pcap_next_ex(p, &ph, &data), PCAP_ERROR);
	pcap_close(p);
}

/* The jumbo record is whole: its bytes, then its comment, read where the one before ends. */
static void read_jumbo(struct pktfile *f, uint64_t pos_before, uint32_t caplen_before,
                       size_t clen_before)
{
	uint8_t *buf = malloc(JUMBO);
	char err[PKTFILE_ERRLEN], got[64];
	struct pkt_hdr h;
	size_t len;
	/* the EPB before it: 28 + padded data + comment option + end + trailing length */
	uint64_t pos = pos_before + pcapng_epb_bytes(caplen_before, clen_before);

	packet(NPKT - 1, &h, big);
	CHECK(buf && pktfile_read(f, pos, JUMBO, buf, err) == 0 && memcmp(buf, big, JUMBO) == 0);
	CHECK_EQ_INT(pktfile_comment(f, pos, 0, got, sizeof got, &len, err), 1);
	CHECK_EQ_STR(got, "Process: p5[105]\nPID: 105\n");
	free(buf);
}

/* Each packet's comment, found from the position the file source gives the packet. */
static void read_comments(void)
{
	static char want[PCAPNG_COMMENT_MAX + 100], got[PCAPNG_COMMENT_MAX + 100];
	struct source_opts so = {.name = path, .kind = SOURCE_FILE, .snaplen = 65535};
	char err[SOURCE_ERRLEN];
	enum source_err why;
	struct source *s = source_open(&so, &why, err);
	struct pktfile *f = pktfile_open(path, err);
	const uint8_t *data;
	struct pkt_hdr h;
	size_t len;

	CHECK(s != NULL && f != NULL && pktfile_is_pcapng(f));
	for (int i = 0; s && f && source_next(s, &h, &data, err) == 1; i++) {
		const char *c = comment_of(i, want, sizeof want);
		int rc = pktfile_comment(f, h.pos, 0, got, sizeof got, &len, err);
		check_context(c ? c : "(no comment)");
		CHECK_EQ_INT(rc, c ? 1 : 0);
		if (i == 3) /* cut to PCAPNG_COMMENT_MAX */
			CHECK_EQ_INT(len, PCAPNG_COMMENT_MAX);
		else if (c)
			CHECK_EQ_STR(got, c);
		CHECK_EQ_INT(pktfile_comment(f, h.pos, 1, got, sizeof got, &len, err), 0);
		CHECK_EQ_INT(pktfile_comment(f, h.pos, 0, got, 8, &len, err), c ? 1 : 0);
		CHECK_EQ_INT(len, c ? 7 : 0);
		if (i == NPKT - 2)
			read_jumbo(f, h.pos, h.caplen, strlen(c));
	}
	check_context("");
	if (s)
		source_close(s);
	pktfile_close(f);
}

static void test_roundtrip(void)
{
	write_file(6, NULL);
	read_back(6);
	read_comments();
	write_file(9, "cs0");
	read_back(9);
	read_comments();
}

static void test_format_for(void)
{
	CHECK_EQ_INT(dump_format_for("a.pcap", false), DUMP_PCAP);
	CHECK_EQ_INT(dump_format_for("a.pcap", true), DUMP_PCAPNG);
	CHECK_EQ_INT(dump_format_for("a.PcapNG", false), DUMP_PCAPNG);
	CHECK_EQ_INT(dump_format_for("pcapng", false), DUMP_PCAP);
	CHECK_EQ_INT(dump_format_for("-", false), DUMP_PCAP);
}

/* -C: every file is a whole pcapng file that libpcap opens, and no packet is lost. */
static void test_rotate(void)
{
	char name[300], err[DUMP_ERRLEN];
	struct dump_rotate_opts o = {.path = path, .max_bytes = 400, .format = DUMP_PCAPNG};
	struct dump_rotate *r = dump_rotate_open(&o, DLT_EN10MB, 65535, 9, err);
	struct pkt_hdr h;
	int total = 0;

	CHECK(r != NULL);
	for (int i = 0; r && i < 10; i++) {
		packet(i % 3, &h, big);
		CHECK_EQ_INT(dump_rotate_write_comment(r, &h, big, "PID: 1\n", 7, err), 0);
	}
	CHECK(r && dump_rotate_files(r) > 2);
	unsigned files = r ? dump_rotate_files(r) : 0;
	CHECK(r && dump_rotate_close(r, err) == 0);
	for (unsigned k = 0; k < files; k++) {
		char ebuf[PCAP_ERRBUF_SIZE];
		struct pcap_pkthdr *ph;
		const u_char *data;
		dump_rotate_name(&o, k, 0, name, sizeof name);
		pcap_t *p = pcap_open_offline(name, ebuf);
		CHECK(p != NULL);
		while (p && pcap_next_ex(p, &ph, &data) == 1)
			total++;
		if (p)
			pcap_close(p);
		remove(name);
	}
	CHECK_EQ_INT(total, 10);
}

/* The monitor's path: a store over a pcapng file gives each packet its process back from
 * its comment (file_procs_get), and nothing for a packet without one of ours. */
static void test_file_procs(void)
{
	struct proc_info pi = {.pid = 77, .uid = 0, .how = AH_SOCKDIAG}, q;
	char err[DUMP_ERRLEN], text[1024];
	struct dump_section sec = {.if_name = "cs0", .comment = PROC_COMMENT_SECTION};
	struct dump *d = dump_open_fmt(path, DUMP_PCAPNG, &sec, DLT_EN10MB, 65535, 9, err);
	struct pkt_hdr h;
	size_t n;
	bool out;

	snprintf(pi.name, sizeof pi.name, "curl");
	snprintf(pi.user, sizeof pi.user, "root");
	n = proc_comment_format(&pi, true, text, sizeof text);
	packet(0, &h, big);
	CHECK(d && dump_write_comment(d, &h, big, text, n, err) == 0);    /* ours */
	CHECK(d && dump_write(d, &h, big, err) == 0);                     /* none */
	CHECK(d && dump_write_comment(d, &h, big, "hello", 5, err) == 0); /* someone else's */
	CHECK(d && dump_close(d, err) == 0);

	struct source_opts so = {.name = path, .kind = SOURCE_FILE, .snaplen = 65535};
	enum source_err why;
	struct source *src = source_open(&so, &why, err);
	struct store *st = store_create(path, DLT_EN10MB, 9);
	const uint8_t *data;
	CHECK(src && st);
	while (src && st && source_next(src, &h, &data, err) == 1)
		store_append(st, &h, h.pos);
	CHECK_EQ_INT(st ? store_count(st) : 0, 3);
	CHECK(st && file_procs_get(st, 0, &q, &out));
	CHECK_EQ_INT(q.pid, 77);
	CHECK_EQ_STR(q.name, "curl");
	CHECK_EQ_INT(q.how, AH_COMMENT);
	CHECK(out);
	CHECK(st && !file_procs_get(st, 1, &q, &out));
	CHECK(st && !file_procs_get(st, 2, &q, &out));
	CHECK(st && !file_procs_get(st, 3, &q, &out)); /* past the end */
	CHECK(st && file_procs_attributed(st));        /* the section says so */
	if (src)
		source_close(src);
	store_destroy(st);
	/* a file without the section comment (test_roundtrip's) says nothing of the others */
	write_file(6, "cs0");
	st = store_create(path, DLT_EN10MB, 6);
	CHECK(st && !file_procs_attributed(st));
	store_destroy(st);
}

#define FULL_MSG "capscope: writing '/dev/full' failed: No space left on device"

static void test_full_disk(void)
{
	char err[DUMP_ERRLEN] = "";
	struct pkt_hdr h;
	struct dump *d;
	int i, rc = 0;

	if (access("/dev/full", W_OK) != 0) {
		check_skip("the full-disk checks: no /dev/full");
		return;
	}
	packet(1, &h, big);
	d = dump_open_fmt("/dev/full", DUMP_PCAPNG, NULL, DLT_EN10MB, 65535, 6, err);
	CHECK(d != NULL && dump_write_comment(d, &h, big, "PID: 1", 6, err) == 0);
	CHECK_EQ_INT(dump_flush(d, err), -1);
	CHECK_EQ_STR(err, FULL_MSG);
	CHECK_EQ_INT(dump_write(d, &h, big, err), -1); /* sticky */
	CHECK_EQ_INT(dump_close(d, err), -1);

	d = dump_open_fmt("/dev/full", DUMP_PCAPNG, NULL, DLT_EN10MB, 65535, 9, err);
	for (i = 0; i < 100000 && rc == 0; i++)
		rc = dump_write_comment(d, &h, big, "PID: 1", 6, err);
	CHECK_EQ_INT(rc, -1);
	CHECK_EQ_STR(err, FULL_MSG);
	dump_close(d, err);

	err[0] = '\0';
	d = dump_open_fmt("/dev/full", DUMP_PCAPNG, NULL, DLT_EN10MB, 65535, 6, err);
	dump_set_stats(d, 1, 0);
	CHECK_EQ_INT(dump_close(d, err), -1); /* the headers and the statistics block */
	CHECK_EQ_STR(err, FULL_MSG);
}

int main(void)
{
	big = malloc(JUMBO);
	if (!big)
		return 1;
	snprintf(path, sizeof(path), "%s/capscope-test-pcapng-%d.pcapng",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp", (int)getpid());
	test_format_for();
	test_roundtrip();
	test_rotate();
	test_file_procs();
	test_full_disk();
	remove(path);
	free(big);
	return check_done();
}
