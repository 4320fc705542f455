/*
 * filter_table.c - --filter-table FILE: a table of display filters asked of every packet of
 * one read (filter_table.h).
 */
#include "cli/filter_table.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dfilter.h"

struct row {
	unsigned line; /* the filter's line in the file, from 1 */
	struct dfilter *df;
	char *text;
};

struct filter_table {
	struct row *rows; /* the filters that compiled, in file order */
	size_t n;
};

static void say(char *err, size_t errlen, const char *path, const char *what)
{
	snprintf(err, errlen, "--filter-table %s: %s", path, what);
}

/* One line of the file: blank and '#' lines are skipped; others are compiled, and a filter
 * that does not compile is told in ob as "LINE error: MESSAGE". -1: out of memory. */
static int add_line(struct filter_table *t, unsigned line, char *text, struct outbuf *ob)
{
	char derr[DFILTER_ERRLEN];
	const char *p = text + strspn(text, " \t");
	struct row *r;

	if (!*p || *p == '#')
		return 0;
	r = &t->rows[t->n];
	r->df = dfilter_compile(text, derr, sizeof derr, NULL);
	if (!r->df) {
		ob_u64(ob, line);
		ob_mem(ob, " error: ", 8);
		ob_mem(ob, derr, strlen(derr));
		ob_mem(ob, "\n", 1);
		return 0;
	}
	if (!(r->text = strdup(text))) {
		dfilter_free(r->df);
		return -1;
	}
	r->line = line;
	t->n++;
	return 0;
}

/* The whole file, NUL-terminated, in *out (*len bytes before the NUL); NULL with err. A
 * table is text of at most FILTER_TABLE_MAX_BYTES. (Read whole: getline() is POSIX only,
 * and a NUL byte inside a line must be seen, not taken for the line's end.) */
static char *read_all(const char *path, size_t *len, char *err, size_t errlen)
{
	FILE *fp = fopen(path, "rb");
	char *buf;
	size_t n;

	if (!fp) {
		say(err, errlen, path, errno == ENOENT ? "no such file" : strerror(errno));
		return NULL;
	}
	if (!(buf = malloc(FILTER_TABLE_MAX_BYTES + 1))) {
		say(err, errlen, path, "out of memory");
		fclose(fp);
		return NULL;
	}
	n = fread(buf, 1, FILTER_TABLE_MAX_BYTES + 1, fp);
	if (ferror(fp) || n > FILTER_TABLE_MAX_BYTES) {
		say(err, errlen, path, ferror(fp) ? strerror(errno) : "larger than 16 MiB");
		free(buf);
		fclose(fp);
		return NULL;
	}
	fclose(fp);
	buf[n] = '\0';
	*len = n;
	return buf;
}

struct filter_table *filter_table_load(const char *path, struct outbuf *ob, char *err,
                                       size_t errlen)
{
	struct filter_table *t = calloc(1, sizeof *t);
	size_t len = 0;
	char *buf = read_all(path, &len, err, errlen), *at, *end;
	unsigned line = 0;
	size_t n;

	if (!buf)
		goto fail;
	if (!t || !(t->rows = calloc(FILTER_TABLE_MAX_ROWS, sizeof *t->rows))) {
		say(err, errlen, path, "out of memory");
		goto fail;
	}
	for (at = buf; at < buf + len; at = end + 1) {
		line++;
		if (!(end = memchr(at, '\n', (size_t)(buf + len - at))))
			end = buf + len;
		*end = '\0';
		n = (size_t)(end - at);
		if (n && at[n - 1] == '\r') /* a file written on Windows */
			at[--n] = '\0';
		if (memchr(at, '\0', n) || n > DFILTER_MAX_TEXT) {
			snprintf(
			    err, errlen,
			    "--filter-table %s: line %u is not a filter's text (a NUL byte or over "
			    "%d bytes)",
			    path, line, DFILTER_MAX_TEXT);
			goto fail;
		}
		if (t->n == FILTER_TABLE_MAX_ROWS) {
			snprintf(err, errlen,
			         "--filter-table %s: more than %d filters; split the file", path,
			         FILTER_TABLE_MAX_ROWS);
			goto fail;
		}
		if (add_line(t, line, at, ob) < 0) {
			say(err, errlen, path, "out of memory");
			goto fail;
		}
	}
	free(buf);
	return t;
fail:
	free(buf);
	filter_table_free(t);
	return NULL;
}

void filter_table_packet(const struct filter_table *t, const struct dissection *d,
                         const struct frame_meta *m, struct outbuf *ob)
{
	for (size_t i = 0; i < t->n; i++) {
		if (!dfilter_match(t->rows[i].df, d, m))
			continue;
		ob_u64(ob, t->rows[i].line);
		ob_mem(ob, " ", 1);
		ob_u64(ob, m->number);
		ob_mem(ob, "\n", 1);
	}
}

int filter_table_names(const struct filter_table *t, const char *text)
{
	for (size_t i = 0; t && i < t->n; i++)
		if (strstr(t->rows[i].text, text))
			return 1;
	return 0;
}

void filter_table_free(struct filter_table *t)
{
	if (!t)
		return;
	for (size_t i = 0; t->rows && i < t->n; i++) {
		dfilter_free(t->rows[i].df);
		free(t->rows[i].text);
	}
	free(t->rows);
	free(t);
}
