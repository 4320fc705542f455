/* store.c - the packet index in fixed-size chunks (see store.h). Chunks never move, so a
 * pointer from store_get() stays valid while the store lives, and growth never copies
 * millions of entries. */
#include "capture/store.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/dump.h"
#include "capture/pktfile.h"

#define CHUNK_SHIFT 16
#define CHUNK_PKTS  (1u << CHUNK_SHIFT)

struct chunk {
	struct store_pkt p[CHUNK_PKTS];
	uint64_t marks[CHUNK_PKTS / 64];
};

struct store {
	struct chunk **chunks;
	size_t nchunks, cap_chunks;
	uint64_t n;
	uint64_t nmarks;
	char *path;
	struct pktfile *file;
	struct dump *writer; /* still appending to the file, or NULL */
	uint64_t first;      /* store_drop_head(): packets before it are gone */
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
	s->linktype = linktype;
	s->tsprec = tsprec;
	return s;
}

void store_destroy(struct store *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->nchunks; i++)
		free(s->chunks[i]);
	free(s->chunks);
	pktfile_close(s->file);
	free(s->path);
	free(s);
}

static int add_chunk(struct store *s)
{
	if (s->nchunks == s->cap_chunks) {
		size_t cap = s->cap_chunks ? s->cap_chunks * 2 : 16;
		struct chunk **v = realloc(s->chunks, cap * sizeof *v);
		if (!v)
			return -1;
		s->chunks = v;
		s->cap_chunks = cap;
	}
	/* calloc: untouched pages of a fresh chunk cost no resident memory until used */
	s->chunks[s->nchunks] = calloc(1, sizeof(struct chunk));
	if (!s->chunks[s->nchunks])
		return -1;
	s->nchunks++;
	return 0;
}

int store_append(struct store *s, const struct pkt_hdr *h, uint64_t pos)
{
	if ((s->n >> CHUNK_SHIFT) >= s->nchunks && add_chunk(s) < 0)
		return -1;
	struct store_pkt *p = &s->chunks[s->n >> CHUNK_SHIFT]->p[s->n & (CHUNK_PKTS - 1)];
	p->pos = pos;
	p->ts_ns = h->ts_sec * 1000000000 + h->ts_nsec;
	p->caplen = h->caplen;
	p->len = h->len;
	s->n++;
	return 0;
}

void store_truncate(struct store *s, uint64_t n)
{
	for (uint64_t i = n; i < s->n; i++)
		store_set_mark(s, i, false);
	if (n < s->n)
		s->n = n;
}

uint64_t store_count(const struct store *s)
{
	return s->n;
}

void store_drop_head(struct store *s, uint64_t first)
{
	if (first > s->n)
		first = s->n;
	for (uint64_t i = s->first; i < first; i++)
		store_set_mark(s, i, false);
	if (first > s->first)
		s->first = first;
}

uint64_t store_first(const struct store *s)
{
	return s->first;
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
	if (i >= s->n)
		return NULL;
	return &s->chunks[i >> CHUNK_SHIFT]->p[i & (CHUNK_PKTS - 1)];
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

	if (!p) {
		snprintf(err, STORE_ERRLEN, "no packet %llu", (unsigned long long)i + 1);
		return -1;
	}
	if (i < s->first) {
		snprintf(err, STORE_ERRLEN,
		         "packet %llu left the temporary file (--spill-max): packets from %llu on "
		         "are kept",
		         (unsigned long long)i + 1, (unsigned long long)s->first + 1);
		return -1;
	}
	if (s->writer &&
	    p->pos + PKTFILE_REC_HDR_BYTES + p->caplen > dump_flushed_bytes(s->writer) &&
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

static uint64_t *mark_word(const struct store *s, uint64_t i, uint64_t *bit)
{
	struct chunk *c = s->chunks[i >> CHUNK_SHIFT];
	uint64_t k = i & (CHUNK_PKTS - 1);

	*bit = 1ull << (k & 63);
	return &c->marks[k >> 6];
}

void store_set_mark(struct store *s, uint64_t i, bool on)
{
	uint64_t bit, *w;

	if (i >= s->n)
		return;
	w = mark_word(s, i, &bit);
	if (on && !(*w & bit))
		s->nmarks++;
	else if (!on && (*w & bit))
		s->nmarks--;
	*w = on ? (*w | bit) : (*w & ~bit);
}

bool store_marked(const struct store *s, uint64_t i)
{
	uint64_t bit;

	return i < s->n && (*mark_word(s, i, &bit) & bit);
}

uint64_t store_mark_count(const struct store *s)
{
	return s->nmarks;
}

int store_linktype(const struct store *s)
{
	return s->linktype;
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
	return s->nchunks * sizeof(struct chunk) + s->cap_chunks * sizeof(struct chunk *);
}
