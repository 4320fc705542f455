/*
 * dump_rotate.c - tcpdump's -C/-G/-W rotation over struct dump (see dump_rotate.h).
 * The rules and names follow tcpdump 4.99's dump_packet_and_trunc() and MakeFilename(), except
 * that -C rotates before a packet would pass the limit (tcpdump: after it has passed it), so a
 * file never exceeds -C unless one packet alone does.
 */
#include "capture/dump_rotate.h"

#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define NAME_MAX_BYTES 4096

struct dump_rotate {
	struct dump_rotate_opts o;
	char *pattern; /* our copy of o.path */
	struct dump *d;
	int linktype, snaplen, tsprec;
	unsigned c_count; /* -C counter: the suffix of the current name */
	unsigned g_files; /* files opened by -G rotation, including the first */
	unsigned files;   /* every file opened */
	time_t opened_at; /* wall-clock time the current -G period started */
	uint64_t packets; /* in closed files */
	bool failed;
	char msg[DUMP_ERRLEN];
	char name[NAME_MAX_BYTES];
};

static time_t now_of(const struct dump_rotate_opts *o)
{
	return o->now ? o->now() : time(NULL);
}

/* tcpdump's getWflagChars(): the digits of files-1. */
static int counter_width(unsigned files)
{
	int c = 0;

	for (unsigned x = files ? files - 1 : 0; x > 0; x /= 10)
		c++;
	return c;
}

int dump_rotate_name(const struct dump_rotate_opts *o, unsigned cnt, time_t t, char *out, size_t n)
{
	char base[NAME_MAX_BYTES];
	size_t len;
	int width = o->files ? counter_width(o->files) : 0;
	struct tm *tm;

	if (o->seconds) {
		tm = localtime(&t); /* the owning thread only; nothing else here uses it */
		len = tm ? strftime(base, sizeof base, o->path, tm) : 0;
	} else {
		len = (size_t)snprintf(base, sizeof base, "%s", o->path);
	}
	if (len == 0 || len >= sizeof base)
		return -1;
	if (!o->max_bytes || (cnt == 0 && width == 0))
		return (size_t)snprintf(out, n, "%s", base) < n ? 0 : -1;
	return (size_t)snprintf(out, n, "%s%0*u", base, width, cnt) < n ? 0 : -1;
}

/* Records the first failure (msg may be NULL once one is recorded) and repeats it. */
static int fail(struct dump_rotate *r, const char *msg, char *err)
{
	if (!r->failed) {
		r->failed = true;
		snprintf(r->msg, sizeof r->msg, "%s", msg);
	}
	snprintf(err, DUMP_ERRLEN, "%s", r->msg);
	return -1;
}

/* Closes the current file (if any) and opens the one named by the counters. */
static int open_next(struct dump_rotate *r, char *err)
{
	char derr[DUMP_ERRLEN];

	if (r->d) {
		r->packets += dump_packets(r->d);
		if (dump_close(r->d, derr) < 0) {
			r->d = NULL;
			return fail(r, derr, err);
		}
		r->d = NULL;
	}
	if (dump_rotate_name(&r->o, r->c_count, r->opened_at, r->name, sizeof r->name) < 0) {
		snprintf(derr, sizeof derr,
		         "capscope: the output file name pattern expands to "
		         "nothing or to a name that is too long");
		return fail(r, derr, err);
	}
	struct dump_section sec = {.if_name = r->o.if_name,
	                           .comment = r->o.comment,
	                           .more = r->o.more,
	                           .n_more = r->o.n_more};

	r->d = dump_open_fmt(r->name, r->o.format, &sec, r->linktype, r->snaplen, r->tsprec, derr);
	if (!r->d)
		return fail(r, derr, err);
	r->files++;
	return 0;
}

static const char *check_opts(const struct dump_rotate_opts *o)
{
	if ((o->max_bytes || o->seconds) && strcmp(o->path, "-") == 0)
		return "capscope: -C and -G need a file name, not standard output";
	if (o->files && !o->max_bytes && !o->seconds)
		return "capscope: -W needs -C or -G";
	return NULL;
}

struct dump_rotate *dump_rotate_open(const struct dump_rotate_opts *o, int linktype, int snaplen,
                                     int tsprec, char *err)
{
	const char *bad = check_opts(o);
	struct dump_rotate *r;

	if (bad) {
		snprintf(err, DUMP_ERRLEN, "%s", bad);
		return NULL;
	}
	r = calloc(1, sizeof *r);
	if (!r || !(r->pattern = strdup(o->path))) {
		free(r);
		snprintf(err, DUMP_ERRLEN, "capscope: out of memory opening a capture file");
		return NULL;
	}
	r->o = *o;
	r->o.path = r->pattern;
	r->linktype = linktype;
	r->snaplen = snaplen;
	r->tsprec = tsprec;
	r->opened_at = now_of(o);
	r->g_files = 1;
	if (open_next(r, err) < 0) {
		free(r->pattern);
		free(r);
		return NULL;
	}
	return r;
}

/* -G: the period is over. Returns 0 (rotated or not due), DUMP_ROTATE_DONE or -1. */
static int rotate_by_time(struct dump_rotate *r, char *err)
{
	time_t t = now_of(&r->o);

	if (!r->o.seconds || t - r->opened_at < (time_t)r->o.seconds)
		return 0;
	if (r->o.files && r->g_files >= r->o.files)
		return DUMP_ROTATE_DONE;
	r->g_files++;
	r->opened_at = t;
	r->c_count = 0;
	return open_next(r, err);
}

/* -C: the packet would take the file past the limit. */
static int rotate_by_size(struct dump_rotate *r, uint32_t caplen, size_t clen, char *err)
{
	if (!r->o.max_bytes || dump_packets(r->d) == 0 ||
	    dump_bytes(r->d) + dump_record_bytes(r->d, caplen, clen) <= r->o.max_bytes)
		return 0;
	r->c_count++;
	if (r->o.files && r->c_count >= r->o.files)
		r->c_count = 0;
	return open_next(r, err);
}

int dump_rotate_write(struct dump_rotate *r, const struct pkt_hdr *h, const uint8_t *data,
                      char *err)
{
	return dump_rotate_write_comment(r, h, data, NULL, 0, err);
}

int dump_rotate_write_comment(struct dump_rotate *r, const struct pkt_hdr *h, const uint8_t *data,
                              const char *comment, size_t clen, char *err)
{
	int rc;

	if (r->failed)
		return fail(r, NULL, err);
	clen = comment ? clen : 0;
	if ((rc = rotate_by_time(r, err)) != 0 ||
	    (rc = rotate_by_size(r, h->caplen, clen, err)) != 0)
		return rc;
	if (dump_write_comment(r->d, h, data, comment, clen, r->msg) < 0) {
		r->failed = true;
		return fail(r, NULL, err);
	}
	return 0;
}

void dump_rotate_set_stats(struct dump_rotate *r, uint64_t received, uint64_t dropped)
{
	dump_rotate_set_stats_if(r, 0, received, dropped);
}

void dump_rotate_set_stats_if(struct dump_rotate *r, uint32_t ifid, uint64_t received,
                              uint64_t dropped)
{
	if (r->d)
		dump_set_stats_if(r->d, ifid, received, dropped);
}

int dump_rotate_flush(struct dump_rotate *r, char *err)
{
	if (r->failed)
		return fail(r, NULL, err);
	if (dump_flush(r->d, r->msg) < 0) {
		r->failed = true;
		return fail(r, NULL, err);
	}
	return 0;
}

int dump_rotate_close(struct dump_rotate *r, char *err)
{
	char derr[DUMP_ERRLEN];
	int rc = 0;

	if (r->d) {
		r->packets += dump_packets(r->d);
		if (dump_close(r->d, derr) < 0 && !r->failed)
			fail(r, derr, err);
	}
	if (r->failed)
		rc = fail(r, NULL, err);
	free(r->pattern);
	free(r);
	return rc;
}

uint64_t dump_rotate_packets(const struct dump_rotate *r)
{
	return r->packets + (r->d ? dump_packets(r->d) : 0);
}

unsigned dump_rotate_files(const struct dump_rotate *r)
{
	return r->files;
}

const char *dump_rotate_path(const struct dump_rotate *r)
{
	return r->name;
}
