/*
 * test_source.c - file and stream sources: native timestamp precision (pcap and pcapng),
 * exact timestamps, the user-space filter, errors for corrupt, truncated, non-capture and
 * missing files, and an unknown adapter. Never opens a real adapter.
 */
#include <fcntl.h>
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

#define NPKT 6

static char dir[200], path[300];

static bool starts_with(const char *s, const char *prefix)
{
	if (strncmp(s, prefix, strlen(prefix)) == 0)
		return true;
	fprintf(stderr, "'%s' does not start with '%s'\n", s, prefix);
	return false;
}

/* Ethernet + IPv4 with protocol `proto` (17 UDP, 6 TCP), 60 bytes. */
static void frame(int i, uint8_t proto, struct pkt_hdr *h, uint8_t *buf)
{
	memset(buf, 0, 60);
	buf[12] = 0x08, buf[14] = 0x45, buf[23] = proto, buf[59] = (uint8_t)i;
	h->ts_sec = 1600000000 + i;
	h->ts_nsec = 987654321u - (uint32_t)i;
	h->caplen = h->len = 60;
}

static void write_pcap(const char *p, int tsprec)
{
	char err[DUMP_ERRLEN];
	struct dump *d = dump_open(p, DLT_EN10MB, 65535, tsprec, err);
	struct pkt_hdr h;
	uint8_t buf[60];
	int i;

	for (i = 0; i < NPKT; i++) {
		frame(i, i % 2 ? 6 : 17, &h, buf);
		dump_write(d, &h, buf, err);
	}
	CHECK_EQ_INT(dump_close(d, err), 0);
}

static struct source *open_src(const char *name, enum source_kind kind, enum source_err *why,
                               char *err)
{
	struct source_opts o = {.name = name, .kind = kind, .snaplen = 65535, .timeout_ms = 100};

	err[0] = '\0';
	return source_open(&o, why, err);
}

/* Reads everything; returns the packets read, with *last the last return code. */
static int read_all(struct source *s, int tsprec, int *last, char *err)
{
	struct pkt_hdr h, want;
	const uint8_t *data;
	uint8_t buf[60];
	int n = 0, bad = 0;

	while ((*last = source_next(s, &h, &data, err)) == 1) {
		frame(data[59], data[23], &want, buf);
		bad += h.ts_sec != want.ts_sec || h.caplen != 60 || memcmp(data, buf, 60) != 0;
		bad += h.ts_nsec != (tsprec == 9 ? want.ts_nsec : want.ts_nsec / 1000 * 1000);
		n++;
	}
	CHECK_EQ_INT(bad, 0);
	return n;
}

static void test_file(int tsprec)
{
	char err[SOURCE_ERRLEN];
	enum source_err why;
	struct source *s;
	uint64_t a, b, c;
	int last;

	write_pcap(path, tsprec);
	s = open_src(path, SOURCE_FILE, &why, err);
	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_EQ_INT(source_tsprec(s), tsprec);
	CHECK_EQ_INT(source_linktype(s), DLT_EN10MB);
	CHECK_EQ_INT(source_snaplen(s), 65535);
	CHECK_EQ_INT(source_kind(s), SOURCE_FILE);
	CHECK_EQ_STR(source_name(s), path);
	CHECK(!source_stats(s, &a, &b, &c));
	CHECK_EQ_INT(read_all(s, tsprec, &last, err), NPKT);
	CHECK_EQ_INT(last, -1);
	source_close(s);
}

static void test_filter(void)
{
	char err[SOURCE_ERRLEN];
	enum source_err why;
	struct pkt_hdr h;
	const uint8_t *data;
	struct source *s;
	int n = 0, bad = 0;

	write_pcap(path, 9);
	s = open_src(path, SOURCE_FILE, &why, err);
	CHECK_EQ_INT(source_set_filter(s, "xyz", err), SRC_ERR_FILTER);
	CHECK(starts_with(err, "capscope: bad filter 'xyz': "));
	CHECK_EQ_INT(source_set_filter(s, "udp", err), SRC_OK);
	while (source_next(s, &h, &data, err) == 1) {
		bad += data[23] != 17;
		n++;
	}
	CHECK_EQ_INT(n, NPKT / 2);
	CHECK_EQ_INT(bad, 0);
	source_close(s);
}

static void cut_file(const char *p, long bytes_off)
{
	FILE *f = fopen(p, "rb+");
	long size;

	fseek(f, 0, SEEK_END);
	size = ftell(f);
	fclose(f);
	CHECK_EQ_INT(truncate(p, size - bytes_off), 0);
}

static void poke32(const char *p, long off, uint32_t v)
{
	FILE *f = fopen(p, "rb+");

	fseek(f, off, SEEK_SET);
	fwrite(&v, 4, 1, f);
	fclose(f);
}

/* A corrupt record: the good packets come first, then SRC_ERR_READ with the count. */
static void expect_read_error(int good)
{
	char err[SOURCE_ERRLEN], want[SOURCE_ERRLEN + 400];
	enum source_err why;
	struct source *s = open_src(path, SOURCE_FILE, &why, err);
	int last;

	CHECK_EQ_INT(read_all(s, 9, &last, err), good);
	CHECK_EQ_INT(last, -2);
	snprintf(want, sizeof(want), "capscope: error reading '%s' after %d packets: ", path, good);
	CHECK(starts_with(err, want));
	source_close(s);
}

static void test_corrupt(void)
{
	write_pcap(path, 9);
	cut_file(path, 5); /* truncated inside the last record */
	expect_read_error(NPKT - 1);
	write_pcap(path, 9);
	poke32(path, 24 + 2 * (16 + 60) + 8, 0x7fffffff); /* third record: absurd caplen */
	expect_read_error(2);
}

static void write_text(const char *p, const char *text)
{
	FILE *f = fopen(p, "wb");

	fputs(text, f);
	fclose(f);
}

static void test_not_capture(void)
{
	char err[SOURCE_ERRLEN], bad[400], want[600];
	enum source_err why = SRC_OK;

	snprintf(bad, sizeof(bad), "%s/notes\x1b[31m.txt", dir);
	write_text(bad, "this is not a capture file, just some text\n");
	CHECK(open_src(bad, SOURCE_FILE, &why, err) == NULL);
	CHECK_EQ_INT(why, SRC_ERR_FILE);
	snprintf(want, sizeof(want), "capscope: cannot read '%s/notes\\x1b[31m.txt': ", dir);
	CHECK(starts_with(err, want));
	CHECK(strstr(err, "\x1b") == NULL);
	remove(bad);

	write_text(path, "");
	CHECK(open_src(path, SOURCE_FILE, &why, err) == NULL);
	CHECK_EQ_INT(why, SRC_ERR_FILE);

	snprintf(want, sizeof(want),
	         "capscope: cannot read '%s/missing.pcap': "
	         "No such file or directory",
	         dir);
	snprintf(bad, sizeof(bad), "%s/missing.pcap", dir);
	CHECK(open_src(bad, SOURCE_FILE, &why, err) == NULL);
	CHECK_EQ_INT(why, SRC_ERR_FILE);
	CHECK_EQ_STR(err, want);
}

static size_t put32(uint8_t *p, uint32_t v, int be)
{
	int i;

	for (i = 0; i < 4; i++)
		p[i] = (uint8_t)(be ? v >> (24 - 8 * i) : v >> (8 * i));
	return 4;
}

static size_t put16(uint8_t *p, uint16_t v, int be)
{
	p[0] = (uint8_t)(be ? v >> 8 : v);
	p[1] = (uint8_t)(be ? v : v >> 8);
	return 2;
}

/* A pcapng file: SHB, IDB (with if_tsresol `resol`, or none when 0), one EPB. */
static size_t make_pcapng(uint8_t *b, uint8_t resol, uint64_t ts, int be)
{
	size_t o = 0, idb, epb;
	struct pkt_hdr h;
	uint8_t fr[60];

	o += put32(b + o, 0x0a0d0d0a, be), o += put32(b + o, 28, be);
	o += put32(b + o, 0x1a2b3c4d, be), o += put16(b + o, 1, be), o += put16(b + o, 0, be);
	memset(b + o, 0xff, 8), o += 8, o += put32(b + o, 28, be);
	idb = o;
	o += put32(b + o, 1, be), o += put32(b + o, resol ? 32 : 20, be);
	o += put16(b + o, DLT_EN10MB, be), o += put16(b + o, 0, be), o += put32(b + o, 65535, be);
	if (resol) {
		o += put16(b + o, 9, be), o += put16(b + o, 1, be);
		b[o] = resol, b[o + 1] = b[o + 2] = b[o + 3] = 0, o += 4;
		o += put32(b + o, 0, be);
	}
	o += put32(b + o, (uint32_t)(o + 4 - idb), be);
	epb = o;
	frame(0, 17, &h, fr);
	o += put32(b + o, 6, be), o += put32(b + o, 32 + 60, be), o += put32(b + o, 0, be);
	o += put32(b + o, (uint32_t)(ts >> 32), be), o += put32(b + o, (uint32_t)ts, be);
	o += put32(b + o, 60, be), o += put32(b + o, 60, be);
	memcpy(b + o, fr, 60), o += 60;
	o += put32(b + o, (uint32_t)(o + 4 - epb), be);
	return o;
}

static void check_one_packet(struct source *s, int tsprec, uint32_t ts_nsec)
{
	char err[SOURCE_ERRLEN];
	struct pkt_hdr h;
	const uint8_t *data;

	CHECK(s != NULL);
	if (s == NULL)
		return;
	CHECK_EQ_INT(source_tsprec(s), tsprec);
	CHECK_EQ_INT(source_next(s, &h, &data, err), 1);
	CHECK_EQ_INT(h.ts_sec, 1700000000);
	CHECK_EQ_INT(h.ts_nsec, ts_nsec);
	CHECK_EQ_INT(h.caplen, 60);
	CHECK_EQ_INT(source_next(s, &h, &data, err), -1);
	source_close(s);
}

static void test_pcapng(void)
{
	static const struct {
		uint8_t resol;
		uint64_t ts;
		int tsprec;
		uint32_t nsec;
	} cases[] = {
	    {0, 1700000000123456u, 6, 123456000u},
	    {6, 1700000000123456u, 6, 123456000u},
	    {9, 1700000000123456789u, 9, 123456789u},
	    {0x80 | 10, 1700000000ull * 1024u + 512u, 6, 500000000u},
	    {0x80 | 30, (uint64_t)1700000000u << 30 | 1u << 29, 9, 500000000u},
	};
	char err[SOURCE_ERRLEN];
	enum source_err why;
	uint8_t b[512];
	size_t i, n;
	int be;

	for (be = 0; be < 2; be++) {
		for (i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
			FILE *f = fopen(path, "wb");

			n = make_pcapng(b, cases[i].resol, cases[i].ts, be);
			fwrite(b, 1, n, f);
			fclose(f);
			check_one_packet(open_src(path, SOURCE_FILE, &why, err), cases[i].tsprec,
			                 cases[i].nsec);
		}
	}
}

/* Feeds a file through a pipe: as stdin ("-") or by its /dev/fd name; neither can seek. */
static int pipe_of(const uint8_t *b, size_t n)
{
	int fd[2];

	if (pipe(fd) != 0 || write(fd[1], b, n) != (ssize_t)n)
		return -1;
	close(fd[1]);
	return fd[0];
}

static void test_stream(void)
{
	char err[SOURCE_ERRLEN], name[64];
	enum source_err why;
	uint8_t b[4096];
	int saved = dup(0), fd, last;
	size_t n;
	FILE *f;

	write_pcap(path, 9);
	f = fopen(path, "rb");
	n = fread(b, 1, sizeof(b), f);
	fclose(f);
	fd = pipe_of(b, n);
	dup2(fd, 0);
	close(fd);
	struct source *s = open_src("-", SOURCE_STREAM, &why, err);
	CHECK(s != NULL && source_tsprec(s) == 9 && source_kind(s) == SOURCE_STREAM);
	if (s != NULL)
		CHECK_EQ_INT(read_all(s, 9, &last, err), NPKT);
	source_close(s);
	dup2(saved, 0);
	close(saved);

	n = make_pcapng(b, 9, 1700000000123456789u, 0);
	fd = pipe_of(b, n);
	snprintf(name, sizeof(name), "/dev/fd/%d", fd);
	check_one_packet(open_src(name, SOURCE_FILE, &why, err), 9, 123456789u);
	close(fd);
}

/* Runs the capture thread over the file at `path`; returns the records the consumer saw. */
static uint64_t run_capture(uint64_t max, enum source_err *st, struct capture_counters *cc,
                            char *err)
{
	enum source_err why;
	struct source *s = open_src(path, SOURCE_FILE, &why, err);
	struct ring *r = ring_create(RING_MIN_BYTES, err, SOURCE_ERRLEN);
	struct capture *c = capture_start(s, r, max, err);
	struct ring_rec rec;
	uint64_t n = 0;

	while (!ring_drained(r)) {
		while (ring_peek(r, &rec)) {
			n++;
			ring_pop(r);
		}
		ring_wait(r, -1);
	}
	*st = capture_join(c, cc, err);
	ring_destroy(r);
	source_close(s);
	return n;
}

static void test_capture_thread(void)
{
	char err[SOURCE_ERRLEN];
	struct capture_counters cc;
	enum source_err st;

	write_pcap(path, 9);
	CHECK_EQ_INT(run_capture(0, &st, &cc, err), NPKT);
	CHECK_EQ_INT(st, SRC_OK);
	CHECK(cc.finished && cc.received == NPKT && cc.ring_drops == 0 && cc.kernel_drops == 0);
	CHECK_EQ_INT(run_capture(2, &st, &cc, err), 2);
	CHECK_EQ_INT(cc.received, 2);
	cut_file(path, 5);
	CHECK_EQ_INT(run_capture(0, &st, &cc, err), NPKT - 1);
	CHECK_EQ_INT(st, SRC_ERR_READ);
	CHECK(strstr(err, "error reading") != NULL);
}

static void test_unknown_adapter(void)
{
	char err[SOURCE_ERRLEN];
	enum source_err why = SRC_OK;

	CHECK(open_src("capscope-nonexistent0", SOURCE_LIVE, &why, err) == NULL);
	CHECK_EQ_INT(why, SRC_ERR_NODEV);
	CHECK(starts_with(err, "no such adapter 'capscope-nonexistent0'; available: "));
	CHECK(open_src("9999", SOURCE_LIVE, &why, err) == NULL);
	CHECK_EQ_INT(why, SRC_ERR_NODEV);
	CHECK(starts_with(err, "no such adapter '9999'; available: "));
}

int main(void)
{
	snprintf(dir, sizeof(dir), "%s", getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	snprintf(path, sizeof(path), "%s/capscope-test-source-%d.pcap", dir, (int)getpid());
	test_file(9);
	test_file(6);
	test_filter();
	test_corrupt();
	test_not_capture();
	test_pcapng();
	test_stream();
	test_capture_thread();
	test_unknown_adapter();
	remove(path);
	return check_done();
}
