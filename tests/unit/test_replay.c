/*
 * test_replay.c - the replay scheduler and -w rotation without a network: deadlines for each
 * timing mode and across loops, a run against a fake adapter (order, counts, failures,
 * lateness, stop), send_repeat, and dump_rotate's tcpdump names and rotation with a fake clock.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/dump_rotate.h"
#include "capture/replay.h"
#include "check.h"
#include "platform/os.h"

static char dir[] = "/tmp/capscope-test-replay-XXXXXX";

/* Four packets at 0, 1, 3 and 3 (a repeated stamp) ms; lengths 60, 70, 80, 90. */
static void write_capture(const char *path)
{
	pcap_t *dead = pcap_open_dead(DLT_EN10MB, 65535);
	pcap_dumper_t *pd = pcap_dump_open(dead, path);
	const int ms[] = {0, 1, 3, 3};
	uint8_t buf[128];

	for (int i = 0; i < 4; i++) {
		struct pcap_pkthdr h = {.ts = {.tv_sec = 1700000000, .tv_usec = ms[i] * 1000},
		                        .caplen = 60 + 10 * (unsigned)i,
		                        .len = 60 + 10 * (unsigned)i};
		memset(buf, i + 1, sizeof buf);
		pcap_dump((u_char *)pd, &h, buf);
	}
	pcap_dump_close(pd);
	pcap_close(dead);
}

/* A fake adapter: records the first byte of each frame and when it came; refuses frames whose
 * first byte is `refuse` (one at a time, as send_linux.c does). */
struct fake {
	uint8_t seen[64];
	uint64_t at[64];
	unsigned n;
	uint8_t refuse;
};

static int fake_send(void *ctx, const struct send_frame *f, unsigned n, uint64_t *failed, char *err)
{
	struct fake *k = ctx;
	unsigned i;

	(void)err;
	for (i = 0; i < n && k->n < 64; i++) {
		if (f[i].data[0] == k->refuse) {
			if (i == 0) {
				(*failed)++;
				return 1;
			}
			break;
		}
		k->seen[k->n] = f[i].data[0];
		k->at[k->n++] = os_monotonic_ns();
	}
	return (int)i;
}

static void test_deadlines(const struct replay_file *f)
{
	struct replay_opts rec = {.timing = REPLAY_RECORDED, .multiplier = 1, .loops = 2};
	struct replay_opts fast = {.timing = REPLAY_RECORDED, .multiplier = 2, .loops = 1};
	struct replay_opts pps = {.timing = REPLAY_PPS, .pps = 1000, .loops = 1};
	struct replay_opts mbps = {.timing = REPLAY_MBPS, .mbps = 1, .loops = 2};

	CHECK_EQ_INT(replay_count(f), 4);
	CHECK_EQ_INT(replay_bytes(f), 60 + 70 + 80 + 90);
	CHECK_EQ_INT(replay_span_ns(f), 3000000);
	CHECK_EQ_INT(replay_deadline_ns(f, &rec, 1), 1000000);
	CHECK_EQ_INT(replay_deadline_ns(f, &rec, 3), 3000000);
	/* the second pass starts one mean gap (1 ms) after the first one's last packet */
	CHECK_EQ_INT(replay_deadline_ns(f, &rec, 4), 4000000);
	CHECK_EQ_INT(replay_deadline_ns(f, &rec, 5), 5000000);
	CHECK_EQ_INT(replay_deadline_ns(f, &fast, 2), 1500000);
	CHECK_EQ_INT(replay_deadline_ns(f, &pps, 7), 7000000);
	/* 1 Mbit/s: a byte is 8 us; packet 2 follows 130 bytes, packet 5 (pass 2) 300 + 60 */
	CHECK_EQ_INT(replay_deadline_ns(f, &mbps, 2), 130 * 8000);
	CHECK_EQ_INT(replay_deadline_ns(f, &mbps, 5), 360 * 8000);
}

static void test_run(const struct replay_file *f)
{
	struct replay_opts rec = {.timing = REPLAY_RECORDED, .multiplier = 1, .loops = 2};
	struct fake k = {.refuse = 0};
	struct replay_progress p;
	char err[REPLAY_ERRLEN];
	uint64_t t0 = os_monotonic_ns();
	int rc = replay_run(f, &rec, (struct send_target){fake_send, &k}, NULL, &p, err);

	CHECK_EQ_INT(rc, 0);
	CHECK_EQ_INT(k.n, 8);
	CHECK_EQ_INT(p.sent, 8);
	CHECK_EQ_INT(p.failed, 0);
	CHECK_EQ_INT(p.bytes, 600);
	CHECK(p.done && !p.stopped);
	CHECK_EQ_INT(memcmp(k.seen, "\1\2\3\4\1\2\3\4", 8), 0);
	/* absolute deadlines: packet 6 is due 5 ms after the start; never early */
	CHECK(k.at[5] - t0 >= 5000000);
	CHECK(k.at[7] - t0 >= 7000000 && k.at[7] - t0 < 7000000 + 500000000);
}

static void test_failures_and_stop(const struct replay_file *f)
{
	struct replay_opts top = {.timing = REPLAY_TOPSPEED, .loops = 3};
	struct fake k = {.refuse = 2};
	struct replay_progress p;
	char err[REPLAY_ERRLEN];
	struct send_frame fr[2] = {replay_frame(f, 0), replay_frame(f, 2)};
	uint64_t sent, failed;

	CHECK_EQ_INT(replay_run(f, &top, (struct send_target){fake_send, &k}, NULL, &p, err), 0);
	CHECK_EQ_INT(p.sent, 9);
	CHECK_EQ_INT(p.failed, 3);
	CHECK_EQ_INT(p.bytes, 3 * (60 + 80 + 90));
	CHECK_EQ_INT(memcmp(k.seen, "\1\3\4\1\3\4\1\3\4", 9), 0);

	k = (struct fake){.refuse = 0};
	CHECK_EQ_INT(send_repeat((struct send_target){fake_send, &k}, fr, 2, 3, NULL, NULL, &sent,
	                         &failed, err),
	             0);
	CHECK_EQ_INT(sent, 6);
	CHECK_EQ_INT(memcmp(k.seen, "\1\3\1\3\1\3", 6), 0);
}

static bool stop_now(void *arg)
{
	(void)arg;
	return true;
}

static void test_stop(const struct replay_file *f)
{
	struct replay_opts rec = {.timing = REPLAY_RECORDED, .multiplier = 0.001, .loops = 1};
	struct replay_hooks h = {.stop = stop_now};
	struct fake k = {.refuse = 0};
	struct replay_progress p;
	char err[REPLAY_ERRLEN];
	uint64_t t0 = os_monotonic_ns();

	/* 1000 times slower: 3 s of plan, stopped at once */
	CHECK_EQ_INT(replay_run(f, &rec, (struct send_target){fake_send, &k}, &h, &p, err), 1);
	CHECK(p.stopped && p.done);
	CHECK(os_monotonic_ns() - t0 < 500000000u);
}

static time_t fake_now;
static time_t fake_clock(void)
{
	return fake_now;
}

static void test_rotate_names(void)
{
	struct dump_rotate_opts c = {.path = "cap", .max_bytes = 1000000};
	struct dump_rotate_opts cw = {.path = "cap", .max_bytes = 1000000, .files = 11};
	struct dump_rotate_opts g = {.path = "x-%Y%m%d-%H%M%S", .seconds = 60};
	char name[256];
	time_t t = 1700000000; /* 2023-11-14 22:13:20 UTC */

	setenv("TZ", "UTC", 1);
	dump_rotate_name(&c, 0, t, name, sizeof name);
	CHECK_EQ_STR(name, "cap");
	dump_rotate_name(&c, 2, t, name, sizeof name);
	CHECK_EQ_STR(name, "cap2");
	dump_rotate_name(&cw, 0, t, name, sizeof name);
	CHECK_EQ_STR(name, "cap00");
	dump_rotate_name(&cw, 10, t, name, sizeof name);
	CHECK_EQ_STR(name, "cap10");
	dump_rotate_name(&g, 3, t, name, sizeof name);
	CHECK_EQ_STR(name, "x-20231114-221320");
	g.max_bytes = 1;
	dump_rotate_name(&g, 3, t, name, sizeof name);
	CHECK_EQ_STR(name, "x-20231114-2213203");
	CHECK_EQ_INT(dump_rotate_name(&(struct dump_rotate_opts){.path = "", .seconds = 1}, 0, t,
	                              name, sizeof name),
	             -1);
}

static void test_rotate_time(void)
{
	char pattern[300], err[DUMP_ERRLEN], want[300];
	struct dump_rotate_opts o = {.path = pattern, .seconds = 10, .files = 2, .now = fake_clock};
	struct pkt_hdr h = {.caplen = 60, .len = 60};
	uint8_t buf[60] = {0};
	struct dump_rotate *r;

	snprintf(pattern, sizeof pattern, "%s/t-%%s.pcap", dir);
	fake_now = 1700000000;
	r = dump_rotate_open(&o, DLT_EN10MB, 65535, 6, err);
	CHECK(r != NULL);
	if (!r)
		return;
	CHECK_EQ_INT(dump_rotate_write(r, &h, buf, err), 0);
	fake_now += 9;
	CHECK_EQ_INT(dump_rotate_write(r, &h, buf, err), 0);
	CHECK_EQ_INT(dump_rotate_files(r), 1);
	fake_now += 1;
	CHECK_EQ_INT(dump_rotate_write(r, &h, buf, err), 0);
	CHECK_EQ_INT(dump_rotate_files(r), 2);
	snprintf(want, sizeof want, "%s/t-1700000010.pcap", dir);
	CHECK_EQ_STR(dump_rotate_path(r), want);
	fake_now += 10; /* -W 2 with -G: done after two files */
	CHECK_EQ_INT(dump_rotate_write(r, &h, buf, err), DUMP_ROTATE_DONE);
	CHECK_EQ_INT(dump_rotate_packets(r), 3);
	CHECK_EQ_INT(dump_rotate_close(r, err), 0);
	snprintf(want, sizeof want, "%s/t-1700000000.pcap", dir);
	CHECK(access(want, R_OK) == 0);
}

int main(void)
{
	char path[300], err[REPLAY_ERRLEN];
	struct replay_file *f;

	if (!mkdtemp(dir))
		return 1;
	snprintf(path, sizeof path, "%s/four.pcap", dir);
	write_capture(path);
	f = replay_load(path, REPLAY_MAX_BYTES, err);
	CHECK(f != NULL);
	if (f) {
		test_deadlines(f);
		test_run(f);
		test_failures_and_stop(f);
		test_stop(f);
		CHECK(replay_load(path, 100, err) == NULL && strstr(err, "split") != NULL);
		replay_free(f);
	}
	test_rotate_names();
	test_rotate_time();
	snprintf(path, sizeof path, "rm -rf '%s'", dir);
	if (system(path) != 0)
		return 1;
	return check_done();
}
