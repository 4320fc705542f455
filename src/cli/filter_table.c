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

struct filter_table *filter_table_load(const char *path, struct outbuf *ob, char *err,
                                       size_t errlen)
{
	struct filter_table *t = calloc(1, sizeof *t);
	FILE *fp = fopen(path, "r");
	char *buf = NULL;
	size_t cap = 0;
	ssize_t len;
	unsigned line = 0;

	if (!fp) {
		say(err, errlen, path, errno == ENOENT ? "no such file" : strerror(errno));
		free(t);
		return NULL;
	}
	if (!t || !(t->rows = calloc(FILTER_TABLE_MAX_ROWS, sizeof *t->rows))) {
		say(err, errlen, path, "out of memory");
		goto fail;
	}
	while ((len = getline(&buf, &cap, fp)) >= 0) {
		line++;
		if (len > 0 && buf[len - 1] == '\n')
			buf[--len] = '\0';
		if ((size_t)len != strlen(buf) || len > DFILTER_MAX_TEXT) {
			snprintf(err, errlen,
			         "--filter-table %s: line %u is not a filter's text (a NUL "
			         "byte or over %d bytes)",
			         path, line, DFILTER_MAX_TEXT);
			goto fail;
		}
		if (t->n == FILTER_TABLE_MAX_ROWS) {
			snprintf(err, errlen,
			         "--filter-table %s: more than %d filters; split the file", path,
			         FILTER_TABLE_MAX_ROWS);
			goto fail;
		}
		if (add_line(t, line, buf, ob) < 0) {
			say(err, errlen, path, "out of memory");
			goto fail;
		}
	}
	if (ferror(fp)) {
		say(err, errlen, path, strerror(errno));
		goto fail;
	}
	free(buf);
	fclose(fp);
	return t;
fail:
	free(buf);
	fclose(fp);
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
