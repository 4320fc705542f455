/*
 * test_save.c - saving a selection of the store (save.h): all, a list of indices, marked
 * only, newer than a time; in slices with a tiny budget; nanosecond precision kept; an
 * existing target replaced only on success; a failed save (no such folder, /dev/full-like
 * error) leaves no temporary file; cancel leaves the target untouched.
 */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "capture/dump.h"
#include "capture/save.h"
#include "capture/source.h"
#include "capture/store.h"
#include "check.h"

#define NPKT 40

static char dir[256], src[300];

static void write_source(int tsprec)
{
	char err[DUMP_ERRLEN];
	uint8_t buf[300];
	struct dump *d = dump_open(src, 1, 65535, tsprec, err);

	CHECK(d != NULL);
	for (int i = 0; i < NPKT && d; i++) {
		struct pkt_hdr h = {.ts_sec = 1700000000 + i,
		                    .ts_nsec = (uint32_t)i * 1001u,
		                    .caplen = 60u + (uint32_t)i,
		                    .len = 60u + (uint32_t)i + 3};
		for (uint32_t k = 0; k < h.caplen; k++)
			buf[k] = (uint8_t)(i + k);
		dump_write(d, &h, buf, err);
	}
	if (d)
		CHECK_EQ_INT(dump_close(d, err), 0);
}

/* The store over `p`, indexed through the file source. */
static struct store *load(const char *p, struct source **s)
{
	struct source_opts o = {.name = p, .kind = SOURCE_FILE};
	enum source_err why;
	char err[SOURCE_ERRLEN];
	struct pkt_hdr h;
	const uint8_t *d;
	struct store *st;

	*s = source_open(&o, &why, err);
	CHECK(*s != NULL);
	if (!*s)
		return NULL;
	st = store_create(p, source_linktype(*s), source_tsprec(*s));
	while (source_next(*s, &h, &d, err) == 1)
		store_append(st, &h, h.pos);
	return st;
}

/* Checks that `out` holds exactly packets want[0..n) of the source store, as written. */
static void same_packets(struct store *in, const char *out, const uint32_t *want, int n)
{
	struct source *s;
	struct store *o = load(out, &s);
	uint8_t a[400], b[400];
	char err[STORE_ERRLEN];

	if (!o)
		return;
	CHECK_EQ_INT(store_count(o), n);
	CHECK_EQ_INT(store_tsprec(o), store_tsprec(in));
	for (int i = 0; i < n && (uint64_t)i < store_count(o); i++) {
		const struct store_pkt *p = store_get(in, want[i]), *q = store_get(o, (uint64_t)i);
		CHECK(p->ts_ns == q->ts_ns && p->caplen == q->caplen && p->len == q->len);
		CHECK_EQ_INT(store_read(in, want[i], a, err), 0);
		CHECK_EQ_INT(store_read(o, (uint64_t)i, b, err), 0);
		CHECK(memcmp(a, b, p->caplen) == 0);
	}
	store_destroy(o);
	source_close(s);
}

static int temp_files_left(void)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	int n = 0;

	while (d && (e = readdir(d)))
		n += strstr(e->d_name, ".tmp") != NULL;
	if (d)
		closedir(d);
	return n;
}

static void run(int tsprec)
{
	struct source *s;
	struct store *st;
	char out[320], err[SAVE_ERRLEN];
	uint64_t pk, by;
	uint32_t all[NPKT], list[] = {7, 3, 30}, marked[] = {1, 2, 39};

	write_source(tsprec);
	st = load(src, &s);
	if (!st)
		return;
	for (uint32_t i = 0; i < NPKT; i++)
		all[i] = i;
	snprintf(out, sizeof out, "%s/out.pcap", dir);

	struct save_sel sel_all = {.n = NPKT};
	CHECK_EQ_INT(save_run(st, &sel_all, out, 65535, &pk, &by, err), 0);
	CHECK_EQ_INT(pk, NPKT);
	same_packets(st, out, all, NPKT);

	struct save_sel sel_list = {.idx = list, .n = 3};
	CHECK_EQ_INT(save_run(st, &sel_list, out, 65535, &pk, &by, err), 0);
	same_packets(st, out, list, 3);

	for (int i = 0; i < 3; i++)
		store_set_mark(st, marked[i], true);
	struct save_sel sel_marked = {.n = NPKT, .marked_only = true};
	CHECK_EQ_INT(save_run(st, &sel_marked, out, 65535, &pk, &by, err), 0);
	CHECK_EQ_INT(pk, 3);
	same_packets(st, out, marked, 3);
	struct stat sb;
	CHECK(stat(out, &sb) == 0 && (uint64_t)sb.st_size == by);

	/* newer than packet 35's time: 35..39; in slices of a 1 ns budget */
	struct save_sel sel_new = {.n = NPKT, .min_ts_ns = store_get(st, 35)->ts_ns};
	struct save *sv = save_begin(st, &sel_new, out, 65535, err);
	int steps = 0;
	while (sv && save_step(sv, 1, err) == SAVE_MORE)
		steps++;
	save_free(sv);
	same_packets(st, out, all + 35, 5);

	/* cancel: the target keeps the last save */
	sv = save_begin(st, &sel_all, out, 65535, err);
	save_cancel(sv);
	save_free(sv);
	same_packets(st, out, all + 35, 5);

	/* no such folder */
	char bad[340];
	snprintf(bad, sizeof bad, "%s/nowhere/x.pcap", dir);
	CHECK_EQ_INT(save_run(st, &sel_all, bad, 65535, &pk, &by, err), -1);
	CHECK(strstr(err, "cannot save to") != NULL);
	CHECK_EQ_INT(temp_files_left(), 0);
	store_destroy(st);
	source_close(s);
}

int main(void)
{
	const char *t = getenv("TMPDIR");

	snprintf(dir, sizeof dir, "%s/capscope-test-save-XXXXXX", t && t[0] ? t : "/tmp");
	if (!mkdtemp(dir))
		return 1;
	snprintf(src, sizeof src, "%s/src.pcap", dir);
	run(6);
	run(9);
	char out[320];
	snprintf(out, sizeof out, "%s/out.pcap", dir);
	remove(out);
	remove(src);
	rmdir(dir);
	return check_done();
}
