/*
 * capture_comments.c - process comments of a pcapng file, read back (see capture_comments.h).
 * The comment bytes come from the file: pktfile_comment bounds them, proc_comment_parse
 * treats them as hostile.
 */
#include "cli/capture_comments.h"

#include <stdlib.h>
#include <string.h>

#include "base/packet.h"
#include "capture/pktfile.h"
#include "procs/proc_comment.h"

#define COMMENT_BYTES 16384 /* longer comments are cut: ours are under 5 KiB */

/* The packets of one process carry the same comment: comments parsed lately are kept in a
 * small table (by a hash of their text) and one equal to a kept one is not parsed again. */
#define CACHE_SLOTS      64
#define CACHE_TEXT_BYTES 512 /* longer comments are parsed every time */

struct cached {
	size_t len; /* 0: empty */
	char text[CACHE_TEXT_BYTES];
	struct proc_info p;
	bool out;
};

struct capture_comments {
	struct pktfile *f;
	char text[COMMENT_BYTES];
	struct cached cache[CACHE_SLOTS];
	struct cached big; /* the last comment too long for the table */
	bool attributed;   /* the section comment says so */
};

static bool section_attributed(struct capture_comments *c)
{
	char err[PKTFILE_ERRLEN];
	size_t len;

	for (unsigned i = 0; i < CAPTURE_COMMENTS_MAX; i++) {
		if (pktfile_section_comment(c->f, i, c->text, sizeof c->text, &len, err) != 1)
			return false;
		if (proc_comment_is_section(c->text, len))
			return true;
	}
	return false;
}

struct capture_comments *capture_comments_open(const char *path)
{
	char err[PKTFILE_ERRLEN];
	struct capture_comments *c;
	struct pktfile *f = pktfile_open(path, err);

	if (!f || !pktfile_is_pcapng(f) || !(c = malloc(sizeof *c))) {
		pktfile_close(f);
		return NULL;
	}
	memset(c, 0, sizeof *c);
	c->f = f;
	c->attributed = section_attributed(c);
	return c;
}

bool capture_comments_attributed(const struct capture_comments *c)
{
	return c->attributed;
}

void capture_comments_close(struct capture_comments *c)
{
	if (!c)
		return;
	pktfile_close(c->f);
	free(c);
}

/* Which slot a comment may be kept in: a multiplicative hash of its 8-byte words (a byte
 * loop cost more than the parse it saves). */
static unsigned slot_of(const char *t, size_t len)
{
	uint64_t h = len, w;
	size_t i = 0;

	for (; i + 8 <= len; i += 8) {
		memcpy(&w, t + i, 8);
		h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	}
	w = 0;
	memcpy(&w, t + i, len - i);
	h = (h ^ w) * 0x9E3779B97F4A7C15ull;
	return (unsigned)(h >> 58) % CACHE_SLOTS;
}

/* The parse of c->text (len bytes), from the table when it was parsed lately; NULL when it
 * is not ours. */
static const struct cached *parse_cached(struct capture_comments *c, size_t len)
{
	struct cached *e = len <= CACHE_TEXT_BYTES ? &c->cache[slot_of(c->text, len)] : &c->big;

	if (e->len == len && e != &c->big && memcmp(e->text, c->text, len) == 0)
		return e;
	e->len = 0;
	if (!proc_comment_parse(c->text, len, &e->p, &e->out))
		return NULL;
	if (e != &c->big) {
		memcpy(e->text, c->text, len);
		e->len = len;
	}
	return e;
}

const struct proc_info *capture_comments_read(struct capture_comments *c, uint64_t pos, bool *out)
{
	char err[PKTFILE_ERRLEN];
	size_t len;

	if (pos == PKT_POS_NONE)
		return NULL;
	for (unsigned i = 0; i < CAPTURE_COMMENTS_MAX; i++) {
		if (pktfile_comment(c->f, pos, i, c->text, sizeof c->text, &len, err) != 1)
			return NULL;
		const struct cached *e = parse_cached(c, len);
		if (e) {
			*out = e->out;
			return &e->p;
		}
	}
	return NULL;
}
