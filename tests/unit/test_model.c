/*
 * test_model.c - the monitor's model (model/) without a terminal: opening a file and a
 * stream, the display filter and its refilter (finished, and cancelled part-way as Esc
 * does), the row index, marks, the conversation tables, a spill file whose disk fills
 * (RLIMIT_FSIZE stands in for a full disk: the write fails with EFBIG as it would with
 * ENOSPC), and keeping a stream's packets when the session hangs up; for days-long runs, the
 * memory of a stream under a small --spill-max staying bounded over many wraps of its ring
 * (model_memory(), not RSS), the same ring over two sources' pcapng spill, packet numbers
 * past 2^32 (a test hook starts the numbering just below it) and stream numbers past 2^32
 * (follow of a number given again). Captures are written here, byte by byte, so every
 * expected count is known.
 */
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <unistd.h>

#include "check.h"
#include "capture/pktfile.h"
#include "capture/save.h"
#include "decode/frame_meta.h"
#include "model/follow_data.h"
#include "model/kept.h"
#include "model/model.h"
#include "model/model_internal.h"
#include "model/model_streams.h"
#include "platform/os.h"

#define PKT_LEN 60 /* Ethernet + IPv4 + UDP or TCP + payload, all packets alike */

static char dir[256];

static void put16(uint8_t *p, unsigned v)
{
	p[0] = (uint8_t)(v >> 8);
	p[1] = (uint8_t)v;
}

/* Packet i: 198.18.0.(1 + i%4) -> 198.18.1.1; every 5th TCP port 80, the rest UDP, to port
 * 53 when i % 3 == 0, else 1000 + i % 7. */
static void make_packet(unsigned i, uint8_t *p)
{
	bool tcp = i % 5 == 4;

	memset(p, 0, PKT_LEN);
	memcpy(p, "\x02\x00\x00\x00\x00\x01\x02\x00\x00\x00\x00\x02\x08\x00", 14);
	p[14] = 0x45;
	put16(p + 16, PKT_LEN - 14);
	p[22] = 64;
	p[23] = tcp ? 6 : 17;
	memcpy(p + 26, "\xc6\x12\x00", 3);
	p[29] = (uint8_t)(1 + i % 4);
	memcpy(p + 30, "\xc6\x12\x01\x01", 4);
	put16(p + 34, 40000 + i % 100);
	put16(p + 36, tcp ? 80 : i % 3 == 0 ? 53 : 1000 + i % 7);
	if (tcp) {
		p[46] = 0x50; /* header length 20 */
		p[47] = 0x18; /* PSH ACK */
		put16(p + 48, 1024);
	} else {
		put16(p + 38, PKT_LEN - 34);
	}
}

static unsigned expect_dns(unsigned n)
{
	unsigned k = 0;

	for (unsigned i = 0; i < n; i++)
		k += i % 5 != 4 && i % 3 == 0;
	return k;
}

/* Packet i of a flood: a UDP datagram of a stream of its own (the source address's last two
 * bytes and port from i), so that per-stream state grows with every packet unless bounded. */
static void make_flood_packet(unsigned i, uint8_t *p)
{
	make_packet(i, p);
	p[23] = 17;
	memset(p + 38, 0, PKT_LEN - 38);
	put16(p + 38, PKT_LEN - 34);
	p[28] = (uint8_t)(i >> 24);
	p[29] = (uint8_t)(i >> 16);
	put16(p + 34, i & 0xffff);
	put16(p + 36, 1000);
}

/* A pcap file of n packets built by make (microsecond timestamps, Ethernet). */
static void write_pcap_of(const char *path, unsigned n, void (*make)(unsigned, uint8_t *))
{
	static const uint8_t hdr[24] = {0xd4, 0xc3, 0xb2, 0xa1, 2,    0,    4, 0, 0, 0, 0, 0,
	                                0,    0,    0,    0,    0xff, 0xff, 0, 0, 1, 0, 0, 0};
	FILE *f = fopen(path, "wb");
	uint8_t rec[16 + PKT_LEN];

	fwrite(hdr, 1, sizeof hdr, f);
	for (unsigned i = 0; i < n; i++) {
		uint32_t v[4] = {1700000000u + i / 1000, (i % 1000) * 1000, PKT_LEN, PKT_LEN};
		memcpy(rec, v, 16); /* little-endian host, as the magic says */
		make(i, rec + 16);
		fwrite(rec, 1, sizeof rec, f);
	}
	fclose(f);
}

/* A pcap file of n packets (microsecond timestamps, Ethernet). */
static void write_pcap(const char *path, unsigned n)
{
	write_pcap_of(path, n, make_packet);
}

/* Pumps the ring until the source is read to its end (bounded: 10 s). */
static void pump_all(struct model *m)
{
	uint64_t deadline = os_monotonic_ns() + 10000000000ull;

	while ((m->cap || model_busy(m)) && os_monotonic_ns() < deadline) {
		model_pump(m, 50000000ull);
		if (!m->ring_behind) /* as the monitor's loop: the stream pass behind the store */
			model_streams_step(m, 50000000ull);
		if (m->cap && !model_busy(m))
			usleep(1000);
	}
}

static void refilter_all(struct model *m)
{
	for (int i = 0; i < 100000 && model_refilter_step(m, 50000000ull); i++)
		;
}

static struct model *open_file(const char *path)
{
	struct model *m = model_create();
	struct source_opts o = {.name = path, .kind = SOURCE_FILE};

	CHECK(m != NULL);
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	pump_all(m);
	return m;
}

static void test_file_and_filter(void)
{
	char path[300];
	struct filter_verdict chk;
	unsigned n = 3000, dns = expect_dns(n);

	snprintf(path, sizeof path, "%s/file.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_file(path);
	CHECK_EQ_INT(m->state, CS_DONE);
	CHECK_EQ_INT(store_count(m->store), n);
	CHECK_EQ_INT(m->rows.n, n);
	CHECK_EQ_INT(model_row_index(m, 17), 17); /* no filter: row = packet */

	CHECK(model_set_filter(m, "udp dst port 53", &chk));
	CHECK(m->refiltering);
	refilter_all(m);
	CHECK(!m->refiltering);
	CHECK_EQ_INT(m->rows.n, dns);
	bool rows_ok = true;
	for (uint64_t r = 0; r < m->rows.n; r++) /* the k-th DNS packet, in capture order */
		rows_ok &= model_row_index(m, r) % 3 == 0 && model_row_index(m, r) % 5 != 4 &&
		           (r == 0 || model_row_index(m, r) > model_row_index(m, r - 1));
	CHECK(rows_ok);

	/* The selected packet decodes from the store. */
	model_select(m, 2);
	const struct dissection *d = model_selected(m);
	CHECK(d != NULL && d->sum.has_ports && d->sum.dport == 53);

	/* Marks go to the store index of the row. */
	model_toggle_mark(m, 1);
	CHECK_EQ_INT(store_mark_count(m->store), 1);
	CHECK(store_marked(m->store, model_row_index(m, 1)));
	model_toggle_mark(m, 1);
	CHECK_EQ_INT(store_mark_count(m->store), 0);

	/* A bad filter is refused with libpcap's reason and the column; the display stays. */
	CHECK(!model_set_filter(m, "udp prot 53", &chk));
	CHECK(!chk.ok && chk.msg[0] != '\0');
	CHECK_EQ_INT(m->rows.n, dns);
	CHECK_EQ_STR(m->filter_text, "udp dst port 53");

	/* No filter: every packet again. */
	CHECK(model_set_filter(m, "", &chk));
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, n);
	CHECK_EQ_INT(m->filter_kind, FK_NONE);
	model_destroy(m);
}

/* The bar takes either language: BPF when the text is BPF, else a display filter. */
static void test_filter_kinds(void)
{
	char path[300];
	struct filter_verdict v;
	unsigned n = 3000;

	snprintf(path, sizeof path, "%s/kinds.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_file(path);
	model_check_filter(m, "udp", &v);
	CHECK(v.ok && v.kind == FK_BPF);
	model_check_filter(m, "udp.dstport == 53 && ip.src == 198.18.0.1", &v);
	CHECK(v.ok && v.kind == FK_DISPLAY);
	model_check_filter(m, "ip.sorce == 1.2.3.4", &v);
	CHECK(!v.ok && v.column == 0 && strstr(v.msg, "ip.sorce") && strstr(v.msg, "ip.src"));
	model_check_filter(m, "udp prot 53", &v); /* reads as BPF: libpcap's reason */
	CHECK(!v.ok && strstr(v.msg, "syntax error") != NULL);

	CHECK(model_set_filter(m, "udp.dstport == 53", &v));
	CHECK_EQ_INT(m->filter_kind, FK_DISPLAY);
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, expect_dns(n));
	CHECK(model_set_filter(m, "frame.number <= 10 || tcp.dstport == 80", &v));
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, 10 + (n - 10) / 5 + 0); /* 10 first, then every 5th is TCP */
	CHECK(model_set_filter(m, "ip.src == 198.18.0.2 and not tcp", &v));
	refilter_all(m);
	unsigned want = 0;
	for (unsigned i = 0; i < n; i++)
		want += i % 4 == 1 && i % 5 != 4;
	CHECK_EQ_INT(m->rows.n, want);
	/* A filter that cannot be compiled leaves the applied one as it was. */
	CHECK(!model_set_filter(m, "tcp.port ==", &v));
	CHECK_EQ_STR(m->filter_text, "ip.src == 198.18.0.2 and not tcp");
	CHECK_EQ_INT(m->rows.n, want);
	model_destroy(m);
}

/* Esc on a refilter that has not finished: every packet shows again at once. */
static void test_refilter_cancel(void)
{
	char path[300];
	struct filter_verdict chk;
	unsigned n = 20000;

	snprintf(path, sizeof path, "%s/big.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_file(path);
	CHECK_EQ_INT(store_count(m->store), n);
	CHECK(model_set_filter(m, "tcp", &chk));
	model_refilter_step(m, 0); /* one slice: stops after the first 1024 packets */
	CHECK(m->refiltering);
	CHECK(model_refilter_progress(m) > 0 && model_refilter_progress(m) < 1);
	CHECK(m->rows.n < n / 5);
	model_refilter_cancel(m);
	CHECK(!m->refiltering);
	CHECK_EQ_INT(m->rows.n, n);
	CHECK_EQ_STR(m->filter_text, "");
	CHECK(m->filter == NULL);
	CHECK_EQ_INT(model_row_index(m, n - 1), n - 1);

	/* The same filter left to run ends with exactly the TCP packets. */
	CHECK(model_set_filter(m, "tcp", &chk));
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, n / 5);
	model_destroy(m);
}

/* Conversation tables, kept from the moment the view asks for them. */
static void test_conversations(void)
{
	char path[300];
	unsigned n = 1000;

	snprintf(path, sizeof path, "%s/conv.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_file(path);
	model_conv_enable(m);
	for (int i = 0; i < 1000 && model_conv_step(m, 50000000ull); i++)
		;
	CHECK_EQ_INT(conv_frames(m->conv), n);
	CHECK_EQ_INT(conv_count(m->conv, CONV_PAIR), 4); /* four sources, one destination */
	uint64_t packets = 0;
	for (size_t i = 0; i < conv_count(m->conv, CONV_PAIR); i++)
		packets += conv_get(m->conv, CONV_PAIR, i)->packets;
	CHECK_EQ_INT(packets, n);
	CHECK_EQ_INT(conv_protos(m->conv)[CP_IPV4_TCP].packets, n / 5);
	CHECK_EQ_INT(conv_protos(m->conv)[CP_IPV4_UDP].packets, n - n / 5);
	model_destroy(m);
}

/* Counts the records of a pcap file written by write_pcap (or the spill). */
static long pcap_records(const char *path)
{
	struct stat st;

	if (stat(path, &st) != 0 || st.st_size < 24)
		return -1;
	return (long)((st.st_size - 24) / (16 + PKT_LEN));
}

/* The stream source reads standard input: the file becomes it. */
static struct model *open_stream(const char *path, int *saved_stdin)
{
	struct model *m = model_create();
	struct source_opts o = {.name = "-", .kind = SOURCE_STREAM};
	int fd = open(path, O_RDONLY);

	*saved_stdin = dup(0);
	dup2(fd, 0);
	close(fd);
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	return m;
}

static void restore_stdin(int saved)
{
	dup2(saved, 0);
	close(saved);
}

/* A stream's packets live only in the spill file; a hang-up keeps them as a pcap file. */
static void test_stream_kept(void)
{
	char path[300], kept[600], notice[200], hint[600];
	unsigned n = 2500;
	int saved;

	snprintf(path, sizeof path, "%s/stream.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_stream(path, &saved);
	pump_all(m);
	restore_stdin(saved);
	CHECK_EQ_INT(store_count(m->store), n);
	CHECK(model_has_unkept(m));
	CHECK_EQ_INT(model_keep_packets(m, dir, kept, sizeof kept), 1);
	CHECK(strstr(kept, "capscope-kept-") != NULL);
	CHECK_EQ_INT(pcap_records(kept), n);
	model_destroy(m);

	/* kept.c: the next run names the kept file once and offers its path. */
	setenv("XDG_STATE_HOME", dir, 1);
	m = open_stream(path, &saved);
	pump_all(m);
	restore_stdin(saved);
	char msg[1400];
	CHECK(kept_after_hangup(m, msg, sizeof msg));
	CHECK(strstr(msg, "2500 captured packets were kept") != NULL);
	model_destroy(m);
	CHECK(kept_announce(notice, sizeof notice, hint, sizeof hint));
	CHECK(strstr(notice, "kept when a session hung up: capscope-kept-") != NULL);
	CHECK_EQ_INT(pcap_records(hint), n);
	CHECK(!kept_announce(notice, sizeof notice, hint, sizeof hint)); /* announced once */
}

/* The spill's disk fills: the capture stops with the reason, and every listed packet can
 * still be read. */
static void test_spill_full(void)
{
	char path[300], err[256];
	unsigned n = 40000; /* 3 MB: more than the spill writer's 1 MiB buffer */
	struct rlimit old, small = {.rlim_cur = 64 * 1024};
	uint8_t buf[65536];
	int saved;

	snprintf(path, sizeof path, "%s/fill.pcap", dir);
	write_pcap(path, n);
	getrlimit(RLIMIT_FSIZE, &old);
	small.rlim_max = old.rlim_max;
	signal(SIGXFSZ, SIG_IGN);
	setrlimit(RLIMIT_FSIZE, &small);
	struct model *m = open_stream(path, &saved);
	pump_all(m);
	restore_stdin(saved);
	setrlimit(RLIMIT_FSIZE, &old);
	CHECK_EQ_INT(m->state, CS_ERROR);
	CHECK(strstr(m->error, "capture stopped, the packets kept so far stay") != NULL);
	uint64_t kept = store_count(m->store);
	CHECK(kept > 0 && kept < n);
	CHECK(kept * (16 + PKT_LEN) + 24 <= small.rlim_cur);
	CHECK_EQ_INT(m->rows.n, kept);
	bool readable = true;
	for (uint64_t i = 0; i < kept; i++)
		readable &= store_read(m->store, i, buf, err) == 0;
	CHECK(readable);
	model_destroy(m);
}

/* A stream under --spill-max 1M (bound): packets of a 4.8 MB stream, the spill file a ring. */
static struct model *open_stream_bounded(const char *path, bool stop, int *saved)
{
	struct model *m = model_create();
	struct source_opts o = {.name = "-", .kind = SOURCE_STREAM};
	int fd = open(path, O_RDONLY);

	m->spill_max = 1u << 20;
	m->spill_stop = stop;
	*saved = dup(0);
	dup2(fd, 0);
	close(fd);
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	pump_all(m);
	restore_stdin(*saved);
	return m;
}

/* Every packet from `from` on reads back as make_packet built it. */
static bool reads_back(struct model *m, uint64_t from, uint64_t to)
{
	uint8_t buf[65536], want[PKT_LEN];
	char err[256];
	bool ok = true;

	for (uint64_t i = from; i < to; i++) {
		make_packet((unsigned)i, want);
		ok &= store_read(m->store, i, buf, err) == 0 && memcmp(buf, want, PKT_LEN) == 0;
	}
	return ok;
}

/* Every packet from store index `from` on reads back as make_packet built capture packet
 * index - from. */
static bool reads_back_from(struct model *m, uint64_t from)
{
	uint8_t buf[65536], want[PKT_LEN];
	char err[256];
	bool ok = true;

	for (uint64_t i = from; i < store_count(m->store); i++) {
		make_packet((unsigned)(i - from), want);
		ok &= store_read(m->store, i, buf, err) == 0 && memcmp(buf, want, PKT_LEN) == 0;
	}
	return ok;
}

/* The spill file as a ring: never over its bound, the oldest packets gone (their indexes
 * with them), every kept one readable, the rows and filters over the kept ones, a kept capture
 * in order; with spill_stop the capture stops at the bound instead. */
static void test_spill_ring(void)
{
	char path[300], err[256], kept[600];
	unsigned n = 64000;
	uint8_t buf[65536];
	struct filter_verdict chk;
	struct stat st;
	int saved;

	snprintf(path, sizeof path, "%s/ring.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_stream_bounded(path, false, &saved);
	uint64_t first = store_first(m->store);
	CHECK_EQ_INT(m->state, CS_DONE);
	CHECK_EQ_INT(store_count(m->store), n);
	CHECK(first > 0 && first < n);
	CHECK(stat(m->spill_path, &st) == 0 && st.st_size <= (1 << 20));
	CHECK((n - first) * (16 + PKT_LEN) + 24 <= (1u << 20)); /* what is kept fits */
	CHECK(reads_back(m, first, n));
	CHECK(store_read(m->store, first - 1, buf, err) < 0);
	CHECK(strstr(err, "left the temporary file (--spill-max)") != NULL);
	CHECK_EQ_INT(m->rows.n, n - first);
	CHECK_EQ_INT(model_row_index(m, 0), first);
	CHECK_EQ_INT(model_row_index(m, m->rows.n - 1), n - 1);
	/* the TCP streams (20, every one with packets throughout) start at their first packet
	 * held: their chains were moved up as the ring dropped the oldest */
	struct tcp_stream_sum sum;
	model_streams_finish(m);
	bool held = model_tcp_stream_count(m) == 20;
	for (uint64_t r = 0; r < model_tcp_stream_count(m); r++)
		held &= model_tcp_stream_at(m, r, &sum) && sum.first_index >= first &&
		        sum.first_index < first + 100 &&
		        model_stream_first(m, P_TCP, sum.number) == sum.first_index;
	CHECK(held);

	/* a filter over the kept packets: the TCP ones (every fifth) */
	uint64_t tcp = 0;
	for (uint64_t i = first; i < n; i++)
		tcp += i % 5 == 4;
	CHECK(model_set_filter(m, "tcp", &chk));
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, tcp);
	CHECK(model_row_index(m, 0) >= first);
	model_refilter_cancel(m);
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, n - first);

	/* kept after a hang-up: the ring's packets in order, a valid pcap */
	CHECK_EQ_INT(model_keep_packets(m, dir, kept, sizeof kept), 1);
	CHECK_EQ_INT(pcap_records(kept), n - first);
	struct model *k = open_file(kept);
	CHECK_EQ_INT(store_count(k->store), n - first);
	uint8_t want[PKT_LEN];
	make_packet((unsigned)first, want);
	CHECK(store_read(k->store, 0, buf, err) == 0 && memcmp(buf, want, PKT_LEN) == 0);
	make_packet(n - 1, want);
	CHECK(store_read(k->store, n - first - 1, buf, err) == 0 &&
	      memcmp(buf, want, PKT_LEN) == 0);
	model_destroy(k);
	remove(kept);
	model_destroy(m);

	/* spill_stop: the capture stops at the bound, every packet listed is kept */
	m = open_stream_bounded(path, true, &saved);
	CHECK_EQ_INT(m->state, CS_ERROR);
	CHECK(strstr(m->error, "reached --spill-max") != NULL);
	uint64_t got = store_count(m->store);
	CHECK(got > 0 && got < n);
	CHECK_EQ_INT(store_first(m->store), 0);
	CHECK(stat(m->spill_path, &st) == 0 && st.st_size <= (1 << 20));
	CHECK_EQ_INT(m->rows.n, got);
	CHECK(reads_back(m, 0, got));
	model_destroy(m);
}

/* Packet i of the second source: a flood packet to port 2000 (the first's go to 1000). */
static void make_second_packet(unsigned i, uint8_t *p)
{
	make_flood_packet(i, p);
	put16(p + 36, 2000);
}

/* The flood packet's number (its source address's last two bytes and source port). */
static unsigned flood_number(const uint8_t *p)
{
	return (unsigned)p[28] << 24 | (unsigned)p[29] << 16 | (unsigned)p[34] << 8 | p[35];
}

/* Store packet i's source: its index in the store, or with f (the file read back) the
 * interface its packet block names; UINT32_MAX when it cannot be read. */
static uint32_t source_of(struct model *m, uint64_t i, struct pktfile *f)
{
	const struct store_pkt *p = store_get(m->store, i);
	uint32_t ifid = UINT32_MAX;
	char err[256];

	if (!f)
		return store_ifidx(m->store, i);
	if (!p || pktfile_interface(f, p->pos, &ifid, err) < 0)
		return UINT32_MAX;
	return ifid;
}

/* The held packets of two sources: each one's in order, none missing or twice, up to its
 * last (n - 1), each with its own source's port; held[] counts each one's. */
static bool two_held_in_order(struct model *m, unsigned n, uint64_t held[2], struct pktfile *f)
{
	uint8_t buf[65536];
	char err[256];
	int64_t next[2] = {-1, -1};

	held[0] = held[1] = 0;
	for (uint64_t i = store_first(m->store); i < store_count(m->store); i++) {
		uint32_t s = source_of(m, i, f);
		if (s > 1 || store_read(m->store, i, buf, err) != 0 ||
		    (buf[36] << 8 | buf[37]) != (s ? 2000 : 1000))
			return false;
		unsigned k = flood_number(buf);
		if (next[s] >= 0 && (int64_t)k != next[s])
			return false;
		next[s] = (int64_t)k + 1;
		held[s]++;
	}
	return next[0] == n && next[1] == n;
}

/* Two sources opened as model_open_many opens several adapters (two files stand in for two
 * adapters: model_open_many takes only live ones together), so that the spill is pcapng, an
 * interface each, bounded by --spill-max 1M (or stopping there with spill_stop). */
static struct model *open_two_bounded(const char *a, const char *b, bool stop)
{
	struct model *m = model_create();
	struct source_opts o[2] = {{.name = a, .kind = SOURCE_FILE},
	                           {.name = b, .kind = SOURCE_FILE}};

	m->spill_max = 1u << 20;
	m->spill_stop = stop;
	CHECK_EQ_INT(model_open_sources(m, o, 2), 0);
	CHECK_EQ_INT(model_open_spill(m), 0);
	CHECK_EQ_INT(model_open_store(m, o), 0);
	CHECK_EQ_INT(model_start_capture(m, (size_t)m->prefs.ring_mib << 20), 0);
	/* as pump_all, with room for 200,000 packets under sanitizers (bounded: 60 s) */
	uint64_t deadline = os_monotonic_ns() + 60000000000ull;
	while ((m->cap || model_busy(m)) && os_monotonic_ns() < deadline) {
		model_pump(m, 50000000ull);
		if (!m->ring_behind)
			model_streams_step(m, 50000000ull);
		if (m->cap && !model_busy(m))
			usleep(1000);
	}
	return m;
}

/* Several sources' spill (pcapng) is a ring as one source's is: it wraps many times, never
 * passes its bound, keeps the interface blocks (every held packet reads back, of either
 * source, in order), the model's memory stays bounded, and the file kept after a hang-up is
 * pcapng with both interfaces; with spill_stop the capture stops at the bound. */
static void test_spill_ring_two(void)
{
	char a[300], b[300], kept[600], names[4][PKTFILE_IFNAME_MAX], err[256];
	unsigned n = 100000; /* 2 x 9.2 MB of packet blocks through a 1 MiB ring */
	uint64_t held[2];
	struct model_memory mm;
	struct stat st;

	snprintf(a, sizeof a, "%s/two-a.pcap", dir);
	snprintf(b, sizeof b, "%s/two-b.pcap", dir);
	write_pcap_of(a, n, make_flood_packet);
	write_pcap_of(b, n, make_second_packet);
	struct model *m = open_two_bounded(a, b, false);
	uint64_t first = store_first(m->store);
	CHECK_EQ_INT(m->state, CS_DONE);
	CHECK_EQ_INT(store_count(m->store), 2 * n);
	/* an EPB of 60 bytes takes 92: the ring holds at most the bound's, at least half */
	CHECK(first >= 2 * n - (1u << 20) / 92 && first < 2 * n - (1u << 19) / 92);
	CHECK(stat(m->spill_path, &st) == 0 && st.st_size <= (1 << 20));
	CHECK(two_held_in_order(m, n, held, NULL));
	CHECK(held[0] > 0 && held[1] > 0);
	CHECK_EQ_INT(held[0] + held[1], 2 * n - first);
	CHECK_EQ_INT(m->rows.n, 2 * n - first);
	CHECK_EQ_INT(model_row_index(m, 0), first);
	model_memory(m, &mm);
	printf("two sources, %u packets through a 1 MiB spill: %llu held, model %zu bytes\n", 2 * n,
	       (unsigned long long)(2 * n - first), mm.total);
	/* every packet's index alone would take 4.8 MB, with its stream record over 20 MB */
	CHECK(mm.total < (3u << 20));

	/* kept after a hang-up: pcapng, both interfaces, the held packets */
	CHECK_EQ_INT(model_keep_packets(m, dir, kept, sizeof kept), 1);
	CHECK(strstr(kept, ".pcapng") != NULL);
	struct pktfile *f = pktfile_open(kept, err);
	CHECK(f != NULL);
	CHECK(f && pktfile_interfaces(f, names, 4) == 2 && strcmp(names[0], a) == 0 &&
	      strcmp(names[1], b) == 0);
	struct model *k = open_file(kept);
	CHECK_EQ_INT(store_count(k->store), 2 * n - first);
	CHECK(f && two_held_in_order(k, n, held, f));
	if (f)
		pktfile_close(f);
	model_destroy(k);
	remove(kept);
	model_destroy(m);

	/* spill_stop: the capture stops at the bound, every packet listed kept */
	m = open_two_bounded(a, b, true);
	CHECK_EQ_INT(m->state, CS_ERROR);
	CHECK(strstr(m->error, "reached --spill-max") != NULL);
	CHECK_EQ_INT(store_first(m->store), 0);
	CHECK(store_count(m->store) > 0 && store_count(m->store) < 2 * n);
	CHECK(stat(m->spill_path, &st) == 0 && st.st_size <= (1 << 20));
	model_destroy(m);
	remove(a);
	remove(b);
}

/* The stream of packet i as make_packet builds it: "proto:src:sport:dport". */
static void tuple_of(unsigned i, char *out, size_t n)
{
	bool tcp = i % 5 == 4;

	snprintf(out, n, "%c:%u:%u:%u", tcp ? 'T' : 'U', 1 + i % 4, 40000 + i % 100,
	         tcp          ? 80
	         : i % 3 == 0 ? 53
	                      : 1000 + i % 7);
}

/* Every packet's mark numbers its stream in order of first packet, per protocol, as tshark
 * does; each stream's chain holds exactly its packets, in order; the bound is kept. */
static void test_stream_marks(void)
{
	char path[512];
	unsigned n = 3000, seen[2] = {0, 0};
	static char names[2][2000][32];
	static uint32_t last[2][2000];
	struct stream_mark mk;
	bool numbers_ok = true, chains_ok = true;

	snprintf(path, sizeof path, "%s/marks.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_file(path);
	CHECK_EQ_INT(store_count(m->store), n);
	CHECK_EQ_INT(model_streams_pending(m), 0);
	for (unsigned i = 0; i < n; i++) {
		char t[32];
		int p = i % 5 == 4 ? 0 : 1;
		unsigned k = 0;
		tuple_of(i, t, sizeof t);
		while (k < seen[p] && strcmp(names[p][k], t) != 0)
			k++;
		if (k == seen[p] && k < 2000)
			snprintf(names[p][seen[p]++], sizeof names[p][0], "%s", t);
		if (!model_stream_mark(m, i, &mk) || mk.number != k ||
		    mk.proto != (p ? P_UDP : P_TCP))
			numbers_ok = false;
		/* the chain: the previous packet of this stream links here */
		if (k < 2000) {
			if (mk.number == k && i != model_stream_first(m, mk.proto, k) &&
			    model_stream_next(m, last[p][k]) != i)
				chains_ok = false;
			last[p][k] = i;
		}
	}
	CHECK(numbers_ok);
	CHECK(chains_ok);
	CHECK(seen[0] > 1 && seen[1] > 1);
	for (int p = 0; p < 2; p++)
		for (unsigned k = 0; k < seen[p]; k++)
			if (model_stream_next(m, last[p][k]) != MS_NONE)
				chains_ok = false;
	CHECK(chains_ok);
	struct ms_counts c;
	model_stream_counts(m, &c);
	CHECK_EQ_INT(c.streams[0], seen[0]);
	CHECK_EQ_INT(c.streams[1], seen[1]);
	CHECK_EQ_INT(c.untracked, 0);
	CHECK_EQ_INT(model_stream_first(m, P_TCP, seen[0]), MS_NONE);
	model_destroy(m);

	/* a bound of 16 records: the streams beyond it are counted as untracked */
	m = model_create();
	CHECK(m != NULL);
	m->max_streams = 16;
	struct source_opts o = {.name = path, .kind = SOURCE_FILE};
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	pump_all(m);
	model_stream_counts(m, &c);
	CHECK(c.untracked > 0);
	model_destroy(m);
}

/* A flood of n packets, each a stream of its own, through a stream source under a 256 KiB
 * --spill-max (about 3,400 packets held): the model's memory afterwards (model_memory). */
static size_t flood_memory(unsigned n, struct model **out)
{
	char path[300];
	struct model_memory mm;
	int saved;

	snprintf(path, sizeof path, "%s/flood.pcap", dir);
	write_pcap_of(path, n, make_flood_packet);
	struct model *m = model_create();
	struct source_opts o = {.name = "-", .kind = SOURCE_STREAM};
	int fd = open(path, O_RDONLY);

	m->spill_max = 256u << 10;
	saved = dup(0);
	dup2(fd, 0);
	close(fd);
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	/* 256 packets a pump, each marked before the next (bounded: 20 s), so that the stream
	 * pass skips none and every packet makes a stream record */
	uint64_t deadline = os_monotonic_ns() + 20000000000ull;
	while ((m->cap || model_busy(m)) && os_monotonic_ns() < deadline) {
		model_pump(m, 0);
		model_streams_finish(m);
		if (m->cap && !model_busy(m))
			usleep(1000);
	}
	restore_stdin(saved);
	remove(path);
	model_memory(m, &mm);
	printf("after %u packets: store %zu, rows %zu, streams %zu, procs %zu bytes\n", n, mm.store,
	       mm.rows, mm.streams, mm.procs);
	*out = m;
	return mm.total;
}

/* Days-long runs in short: the per-packet arrays (index, marks, stream marks) and the stream
 * records follow the packets the spill file's ring holds, not the packets taken: after 250,000
 * packets (about 70 wraps of the ring) the model holds about what it held after 50,000, far
 * below what keeping every packet's entries would take (over 36 bytes a packet: 9 MB). */
static void test_memory_bounded(void)
{
	struct model *m;
	struct ms_counts c;
	size_t small = flood_memory(50000, &m);

	model_destroy(m);
	size_t big = flood_memory(250000, &m);
	uint64_t first = store_first(m->store), n = store_count(m->store);
	printf("model memory after 50000 packets: %zu bytes, after 250000: %zu (held %llu)\n",
	       small, big, (unsigned long long)(n - first));
	CHECK_EQ_INT(n, 250000);
	CHECK(first > 240000);
	CHECK(big <= small + (256u << 10));
	CHECK(big < (3u << 20));
	/* every packet a stream: numbers handed out for all, records only for those held */
	model_stream_counts(m, &c);
	CHECK_EQ_INT(c.streams[1], 250000);
	CHECK_EQ_INT(c.skipped, 0);
	CHECK_EQ_INT(c.unchained, 0);
	CHECK_EQ_INT(model_stream_first(m, P_UDP, 0), MS_NONE); /* its packet left */
	struct stream_mark mk;
	CHECK(model_stream_mark(m, n - 1, &mk));
	CHECK_EQ_INT(model_stream_first(m, P_UDP, mk.number), n - 1);
	CHECK(!model_stream_mark(m, first - 1, &mk)); /* its mark left with it */
	model_destroy(m);
}

/* Packet numbers past 2^32 (a day at 100k pps): the store numbers from just below it (the
 * test hook model_number_from, as if that many packets had come and left the ring); the rows,
 * frame numbers and times, goto, marks, saves and stream chains are right across it. */
static void test_numbers_past_2_32(void)
{
	const uint64_t base = (1ull << 32) - 1000, b32 = 1ull << 32;
	char path[300], out[300], err[256];
	unsigned n = 3000;
	uint8_t buf[65536], want[PKT_LEN];
	struct filter_verdict chk;
	struct frame_meta f;
	struct stream_mark mk;
	uint64_t packets, bytes;
	int saved;

	snprintf(path, sizeof path, "%s/b32.pcap", dir);
	write_pcap(path, n);
	struct model *m = open_stream(path, &saved);
	model_number_from(m, base); /* before the first pump: the store is still empty */
	pump_all(m);
	restore_stdin(saved);
	model_streams_finish(m);
	CHECK_EQ_INT(store_count(m->store), base + n);
	CHECK_EQ_INT(store_first(m->store), base);
	CHECK_EQ_INT(m->rows.n, n);
	CHECK_EQ_INT(model_row_index(m, 0), base);
	CHECK_EQ_INT(model_row_index(m, 1000), b32);
	CHECK_EQ_INT(model_row_index(m, n - 1), base + n - 1);
	CHECK(reads_back_from(m, base));
	CHECK(store_read(m->store, base - 1, buf, err) < 0);

	/* frame.number (the list's No. column) and times */
	model_frame_meta(m, b32 + 500, &f);
	CHECK_EQ_INT(f.number, b32 + 501);
	CHECK_EQ_INT(f.rel_nsec, 1500 * 1000000ll);
	CHECK_EQ_INT(f.delta_nsec, 1000000);

	/* goto packet 2^32 + 5 (the prompt's lookup), and selecting it */
	CHECK_EQ_INT(model_row_index(m, model_row_of_at_or_after(m, b32 + 4)), b32 + 4);
	CHECK(model_select_packet(m, b32 + 4));
	CHECK_EQ_INT(model_row_index(m, m->selected), b32 + 4);
	CHECK_EQ_INT(model_row_of_at_or_after(m, base + n), n);

	/* marks across the boundary, saved */
	for (uint64_t r = 998; r <= 1002; r++)
		model_toggle_mark(m, r);
	CHECK_EQ_INT(store_mark_count(m->store), 5);
	CHECK(store_marked(m->store, b32 - 1) && store_marked(m->store, b32 + 2));
	struct save_sel sel = {.first = base, .n = n, .marked_only = true};
	snprintf(out, sizeof out, "%s/marked.pcap", dir);
	CHECK_EQ_INT(save_run(m->store, &sel, out, 65535, &packets, &bytes, err), 0);
	CHECK_EQ_INT(packets, 5);
	struct model *k = open_file(out);
	bool same = store_count(k->store) == 5;
	for (unsigned i = 0; same && i < 5; i++) {
		make_packet(998 + i, want);
		same = store_read(k->store, i, buf, err) == 0 && memcmp(buf, want, PKT_LEN) == 0;
	}
	CHECK(same);
	model_destroy(k);

	/* a filter: the rows as offsets from a base, saved as displayed */
	CHECK(model_set_filter(m, "tcp", &chk));
	refilter_all(m);
	CHECK_EQ_INT(m->rows.n, n / 5);
	CHECK_EQ_INT(model_row_index(m, 199), base + 999);
	CHECK_EQ_INT(model_row_index(m, 200), base + 1004);
	sel = (struct save_sel){.idx = m->rows.idx, .idx_base = m->rows.base, .n = m->rows.n};
	CHECK(m->rows.idx != NULL);
	CHECK_EQ_INT(save_run(m->store, &sel, out, 65535, &packets, &bytes, err), 0);
	CHECK_EQ_INT(packets, n / 5);
	k = open_file(out);
	make_packet(1004, want);
	CHECK(store_read(k->store, 200, buf, err) == 0 && memcmp(buf, want, PKT_LEN) == 0);
	model_destroy(k);
	remove(out);

	/* a TCP stream's chain across 2^32: packets 99, 199, ... 2999 of the capture */
	CHECK(model_stream_mark(m, base + 999, &mk) && mk.proto == P_TCP);
	uint64_t i = model_stream_first(m, P_TCP, mk.number), walked = 0;
	bool chain = i == base + 99;
	for (; i != MS_NONE && walked < 100; i = model_stream_next(m, i))
		chain &= i == base + 99 + 100 * walked++;
	CHECK(chain);
	CHECK_EQ_INT(walked, 30);
	/* and in the TCP streams table: its record, found by number and listed */
	struct tcp_stream_sum sum;
	CHECK(model_tcp_stream_sum(m, mk.number, &sum));
	CHECK_EQ_INT(sum.first_index, base + 99);
	CHECK_EQ_INT(sum.packets[0] + sum.packets[1], 30);
	bool listed = false;
	for (uint64_t r = 0; r < model_tcp_stream_count(m); r++)
		listed |= model_tcp_stream_at(m, r, &sum) && sum.number == mk.number;
	CHECK(listed);
	model_destroy(m);
	remove(path);
}

/* The wrap test's streams: L sends every 4th packet throughout, O the first ones (then it
 * is quiet and evicted), N the first ones after the wrap; every other packet is a stream of
 * its own. */
static unsigned wrap_stream(unsigned i)
{
	if (i % 4 == 1)
		return 1; /* L */
	if (i < 10)
		return 0; /* O */
	if (i >= 256 && i < 266)
		return 256; /* N */
	return i;
}

static void make_wrap_packet(unsigned i, uint8_t *p)
{
	make_flood_packet(wrap_stream(i), p);
}

/* Stream numbers past 2^32 in the monitor: 256 packets are marked, then the stream pass
 * numbers from 2^32 (the hook model_streams_number_from: as if 2^32 streams had come), so
 * the next new stream, N, is given 0 again, the number of O, evicted from the stream table
 * but with its packets still held; L, held, keeps 1 to itself. Follow of 0 shows N's packets
 * only, L's chain is L's packets only. */
static void test_stream_numbers_wrap(void)
{
	char path[300], err[FOLLOW_DATA_ERRLEN];
	unsigned n = 512, got_l = 0, n_pkts = 0;
	struct stream_mark mk;
	struct follow_data fd = {0};
	bool only_n = true, l_ok = true, frames_n = true;

	snprintf(path, sizeof path, "%s/wrap.pcap", dir);
	write_pcap_of(path, n, make_wrap_packet);
	struct model *m = model_create();
	struct source_opts o = {.name = path, .kind = SOURCE_FILE};
	CHECK(m != NULL);
	m->max_streams = 16;
	CHECK_EQ_INT(model_open(m, &o, NULL), 0);
	uint64_t deadline = os_monotonic_ns() + 10000000000ull;
	while ((m->cap || store_count(m->store) < n) && os_monotonic_ns() < deadline) {
		model_pump(m, 50000000ull); /* taken in, not marked yet */
		if (m->cap)
			usleep(1000);
	}
	CHECK_EQ_INT(store_count(m->store), n);
	model_streams_step(m, 0); /* a budget of 0: one slice, 256 packets */
	CHECK_EQ_INT(model_streams_pending(m), n - 256);
	model_streams_number_from(m, 1ull << 32);
	model_streams_finish(m);
	CHECK(model_stream_mark(m, 0, &mk) && mk.number == 0 && mk.proto == P_UDP);
	CHECK(model_stream_mark(m, 256, &mk) && mk.number == 0 && mk.proto == P_UDP);
	for (unsigned i = 0; i < n; i++)
		l_ok &= model_stream_mark(m, i, &mk) && (mk.number == 1) == (wrap_stream(i) == 1);
	CHECK(l_ok);
	for (uint64_t i = model_stream_first(m, P_UDP, 1); i != MS_NONE && got_l <= n;
	     i = model_stream_next(m, i), got_l++)
		l_ok &= wrap_stream((unsigned)i) == 1;
	CHECK(l_ok);
	CHECK_EQ_INT(got_l, n / 4);
	CHECK_EQ_INT(model_stream_first(m, P_UDP, 0), 256);
	for (uint64_t i = model_stream_first(m, P_UDP, 0); i != MS_NONE && n_pkts <= n;
	     i = model_stream_next(m, i), n_pkts++)
		only_n &= wrap_stream((unsigned)i) == 256;
	CHECK(only_n);
	CHECK_EQ_INT(n_pkts, 7); /* 256 .. 265 but L's 257, 261, 265 */
	CHECK_EQ_INT(follow_data_load(m, P_UDP, 0, &fd, err), 0);
	CHECK_EQ_INT(fd.packets, 7);
	for (size_t c = 0; c < fd.n; c++)
		frames_n &= fd.c[c].frame >= 1 && wrap_stream((unsigned)(fd.c[c].frame - 1)) == 256;
	CHECK(frames_n && fd.n > 0);
	follow_data_free(&fd);
	model_destroy(m);
	remove(path);
}

int main(void)
{
	snprintf(dir, sizeof dir, "%s/capscope-test-model-XXXXXX",
	         getenv("TMPDIR") ? getenv("TMPDIR") : "/tmp");
	if (!mkdtemp(dir)) {
		perror("mkdtemp");
		return 1;
	}
	setenv("TMPDIR", dir, 1); /* the spill files go there too */
	test_file_and_filter();
	test_filter_kinds();
	test_refilter_cancel();
	test_conversations();
	test_stream_kept();
	test_spill_full();
	test_spill_ring();
	test_spill_ring_two();
	test_stream_marks();
	test_memory_bounded();
	test_numbers_past_2_32();
	test_stream_numbers_wrap();
	char cmd[300];
	snprintf(cmd, sizeof cmd, "rm -rf '%s'", dir);
	if (system(cmd) != 0)
		fprintf(stderr, "could not remove %s\n", dir);
	return check_done();
}
