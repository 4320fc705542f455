/* store.c - the packet index (see store.h) in a chunked array that forgets its head
 * (base/chunkarr.h): chunks never move, so a pointer from store_get() stays valid until the
 * spill file's ring drops its packet, and growth never copies millions of entries; the
 * packets the ring dropped leave memory with their chunks. The marks are a bitmap beside it,
 * one 64-bit word per 64 packets in a chunked array of their own; with several sources, each
 * packet's source index is a byte in a third (none with one source: no cost). */
#include "capture/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/chunkarr.h"
#include "capture/dump.h"
#include "capture/pktfile.h"

struct store {
	struct chunkarr pkts;  /* struct store_pkt, packets [first, n) */
	struct chunkarr marks; /* uint64_t, bit i % 64 of word i / 64 */
	struct chunkarr ifs;   /* uint8_t source index, packets [first, n); with nifs > 1 */
	uint64_t nmarks;
	unsigned nifs;
	int linktypes[STORE_MAX_IFACES];
	int64_t first_ts;  /* the first packet's timestamp (relative times), once appended */
	int64_t before_ts; /* the timestamp of packet first - 1, once the ring dropped it */
	bool has_before;
	char *path;
	struct pktfile *file;
	struct dump *writer; /* still appending to the file, or NULL */
	/* the spill file's ring: the writer rewrites the file; bytes up to seen_disk were
	 * written before the last read (a cached copy of later ones may be stale) */
	bool rewriting;
	uint64_t seen_disk;
	int linktype, tsprec;
};

struct store *store_create(const char *path, int linktype, int tsprec)
{
	struct store *s = calloc(1, sizeof *s);

	if (!s)
		return NULL;
	s->path = strdup(path);
	if (!s->path) {
		free(s);
		return NULL;
	}
	chunkarr_init(&s->pkts, sizeof(struct store_pkt));
	chunkarr_init(&s->marks, sizeof(uint64_t));
	chunkarr_init(&s->ifs, sizeof(uint8_t));
	s->linktype = linktype;
	s->nifs = 1;
	s->linktypes[0] = linktype;
	s->tsprec = tsprec;
	return s;
}

void store_destroy(struct store *s)
{
	if (!s)
		return;
	chunkarr_free(&s->pkts);
	chunkarr_free(&s->marks);
	chunkarr_free(&s->ifs);
	pktfile_close(s->file);
	free(s->path);
	free(s);
}

int store_append(struct store *s, const struct pkt_hdr *h, uint64_t pos)
{
	uint64_t i = s->pkts.n;
	bool word = s->marks.n <= i >> 6; /* a new word of marks every 64 packets */
	struct store_pkt *p;
	uint8_t *ifidx = NULL;

	if (s->nifs > 1 && !(ifidx = chunkarr_push(&s->ifs)))
		return -1;
	if ((word && !chunkarr_push(&s->marks)) || !(p = chunkarr_push(&s->pkts))) {
		if (word)
			chunkarr_truncate(&s->marks, i >> 6);
		if (ifidx)
			chunkarr_truncate(&s->ifs, i);
		return -1;
	}
	if (ifidx) /* an index past the sources reads as the first's */
		*ifidx = h->ifidx < s->nifs ? (uint8_t)h->ifidx : 0;
	p->pos = pos;
	p->ts_ns = h->ts_sec * 1000000000 + h->ts_nsec;
	p->caplen = h->caplen;
	p->len = h->len;
	if (i == s->pkts.first && !s->has_before)
		s->first_ts = p->ts_ns;
	return 0;
}

void store_truncate(struct store *s, uint64_t n)
{
	for (uint64_t i = n; i < s->pkts.n; i++)
		store_set_mark(s, i, false);
	chunkarr_truncate(&s->pkts, n);
	chunkarr_truncate(&s->marks, (s->pkts.n + 63) >> 6);
	if (s->nifs > 1)
		chunkarr_truncate(&s->ifs, s->pkts.n);
}

uint64_t store_count(const struct store *s)
{
	return s->pkts.n;
}

void store_drop_head(struct store *s, uint64_t first)
{
	const struct store_pkt *last;

	if (first > s->pkts.n)
		first = s->pkts.n;
	if (first <= s->pkts.first)
		return;
	for (uint64_t i = s->pkts.first; s->nmarks && i < first; i++)
		store_set_mark(s, i, false);
	last = chunkarr_at(&s->pkts, first - 1);
	s->before_ts = last->ts_ns;
	s->has_before = true;
	chunkarr_drop_head(&s->pkts, first);
	chunkarr_drop_head(&s->marks, first >> 6);
	if (s->nifs > 1)
		chunkarr_drop_head(&s->ifs, first);
}

uint64_t store_first(const struct store *s)
{
	return s->pkts.first;
}

void store_number_from(struct store *s, uint64_t n)
{
	if (s->pkts.n != 0)
		return;
	chunkarr_drop_head(&s->pkts, n);
	chunkarr_drop_head(&s->marks, n >> 6);
	chunkarr_drop_head(&s->ifs, n);
}

int64_t store_first_ts(const struct store *s)
{
	return s->first_ts;
}

int64_t store_ts_before(const struct store *s, uint64_t i)
{
	const struct store_pkt *p = store_get(s, i > 0 ? i - 1 : i);

	if (p)
		return p->ts_ns;
	if (i > 0 && i == s->pkts.first && s->has_before)
		return s->before_ts;
	p = store_get(s, i);
	return p ? p->ts_ns : 0;
}

void store_writer_rewound(struct store *s)
{
	/* what was written since the last read, up to the file's end, is new */
	pktfile_forget(s->file, s->seen_disk, UINT64_MAX);
	s->rewriting = true;
	s->seen_disk = 0;
}

/* In the ring, the writer's bytes since the last read may overwrite a cached window; and a
 * read of this round's records caches nothing past what the writer flushed (the older
 * records there are next to be written over), so reading in step with the writer keeps its
 * window. */
static void forget_rewritten(struct store *s, uint64_t pos)
{
	uint64_t disk, flushed;

	if (!s->rewriting || !s->writer)
		return;
	disk = dump_disk_bytes(s->writer);
	flushed = dump_flushed_bytes(s->writer);
	pktfile_forget(s->file, s->seen_disk, disk);
	s->seen_disk = disk;
	pktfile_limit(s->file, pos < flushed ? flushed : UINT64_MAX);
}

const struct store_pkt *store_get(const struct store *s, uint64_t i)
{
	return chunkarr_at(&s->pkts, i);
}

void store_follow_writer(struct store *s, struct dump *writer)
{
	/* the ring's writer stops: what it wrote over since the last read is not tracked now */
	if (s->rewriting && !writer) {
		pktfile_forget(s->file, 0, UINT64_MAX);
		if (s->file)
			pktfile_limit(s->file, UINT64_MAX);
	}
	s->writer = writer;
}

/* The writer batches records in memory; a read of one it has not pushed out yet flushes
 * it, so writing costs a flush per redraw instead of one per batch of packets taken. */
static int flush_writer(struct store *s, char *err)
{
	char msg[DUMP_ERRLEN];

	if (dump_flush(s->writer, msg) == 0)
		return 0;
	snprintf(err, STORE_ERRLEN, "%.250s", msg); /* a path may make it long */
	return -1;
}

int store_read(struct store *s, uint64_t i, uint8_t *buf, char *err)
{
	const struct store_pkt *p = store_get(s, i);

	if (!p && i < s->pkts.first && i < s->pkts.n) {
		snprintf(err, STORE_ERRLEN,
		         "packet %llu left the temporary file (--spill-max): packets from %llu on "
		         "are kept",
		         (unsigned long long)i + 1, (unsigned long long)s->pkts.first + 1);
		return -1;
	}
	if (!p) {
		snprintf(err, STORE_ERRLEN, "no packet %llu", (unsigned long long)i + 1);
		return -1;
	}
	if (s->writer &&
	    p->pos + dump_record_bytes(s->writer, p->caplen, 0) > dump_flushed_bytes(s->writer) &&
	    flush_writer(s, err) < 0)
		return -1;
	if (!s->file && !(s->file = pktfile_open(s->path, err)))
		return -1;
	forget_rewritten(s, p->pos);
	return pktfile_read(s->file, p->pos, p->caplen, buf, err);
}

int store_comment(struct store *s, uint64_t i, unsigned idx, char *buf, size_t n, size_t *len,
                  char *err)
{
	const struct store_pkt *p = store_get(s, i);

	*len = 0;
	if (!p || s->writer) /* a spill file being written is pcap: no comments */
		return 0;
	if (!s->file && !(s->file = pktfile_open(s->path, err)))
		return -1;
	return pktfile_comment(s->file, p->pos, idx, buf, n, len, err);
}

int store_section_comment(struct store *s, unsigned idx, char *buf, size_t n, size_t *len,
                          char *err)
{
	*len = 0;
	if (s->writer) /* a spill file being written is pcap: no comments */
		return 0;
	if (!s->file && !(s->file = pktfile_open(s->path, err)))
		return -1;
	return pktfile_section_comment(s->file, idx, buf, n, len, err);
}

void store_set_mark(struct store *s, uint64_t i, bool on)
{
	uint64_t bit = 1ull << (i & 63), *w;

	if (i < s->pkts.first || !(w = chunkarr_at(&s->marks, i >> 6)) || i >= s->pkts.n)
		return;
	if (on && !(*w & bit))
		s->nmarks++;
	else if (!on && (*w & bit))
		s->nmarks--;
	*w = on ? (*w | bit) : (*w & ~bit);
}

bool store_marked(const struct store *s, uint64_t i)
{
	const uint64_t *w;

	return i >= s->pkts.first && i < s->pkts.n && (w = chunkarr_at(&s->marks, i >> 6)) &&
	       (*w & (1ull << (i & 63)));
}

uint64_t store_mark_count(const struct store *s)
{
	return s->nmarks;
}

int store_linktype(const struct store *s)
{
	return s->linktype;
}

int store_set_interfaces(struct store *s, unsigned n, const int *linktypes)
{
	if (n == 0 || n > STORE_MAX_IFACES || s->pkts.n != s->pkts.first)
		return -1;
	s->nifs = n;
	memcpy(s->linktypes, linktypes, n * sizeof *linktypes);
	chunkarr_drop_head(&s->ifs, s->pkts.first); /* numbered as the packets are */
	return 0;
}

unsigned store_interfaces(const struct store *s)
{
	return s->nifs;
}

unsigned store_ifidx(const struct store *s, uint64_t i)
{
	const uint8_t *b = s->nifs > 1 ? chunkarr_at(&s->ifs, i) : NULL;

	return b ? *b : 0;
}

int store_linktype_of(const struct store *s, uint64_t i)
{
	return s->linktypes[store_ifidx(s, i)];
}

int store_interface_linktype(const struct store *s, unsigned ifidx)
{
	return s->linktypes[ifidx < s->nifs ? ifidx : 0];
}

int store_tsprec(const struct store *s)
{
	return s->tsprec;
}

const char *store_path(const struct store *s)
{
	return s->path;
}

size_t store_memory(const struct store *s)
{
	return chunkarr_bytes(&s->pkts) + chunkarr_bytes(&s->marks) + chunkarr_bytes(&s->ifs);
}
