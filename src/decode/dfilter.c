/*
 * dfilter.c - compiling, matching and freeing display filters (see dfilter.h): the stages
 * in order (parse, check) and the one-line error with its column.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dfilter_int.h"

int df_fail(struct dfilter *df, uint32_t pos, const char *fmt, ...)
{
	va_list ap;

	if (df->failed)
		return -1;
	df->failed = true;
	df->err_pos = pos;
	va_start(ap, fmt);
	vsnprintf(df->err, sizeof df->err, fmt, ap);
	va_end(ap);
	return -1;
}

void dfilter_free(struct dfilter *df)
{
	if (!df)
		return;
	for (int i = 0; i < df->nregex; i++)
		df_regex_free(df->regex[i]);
	free(df->nodes);
	free(df->pool);
	free(df->text);
	free(df);
}

static struct dfilter *alloc_filter(const char *text, size_t n)
{
	struct dfilter *df = calloc(1, sizeof *df);

	if (!df)
		return NULL;
	df->text = malloc(n + 1);
	df->nodes = malloc(DF_MAX_NODES * sizeof df->nodes[0]);
	df->pool = malloc(DF_MAX_POOL);
	if (!df->text || !df->nodes || !df->pool) {
		dfilter_free(df);
		return NULL;
	}
	memcpy(df->text, text, n);
	df->text[n] = '\0';
	df->ntext = (uint32_t)n;
	return df;
}

static void report(const char *msg, uint32_t col, char *err, size_t errlen, int *err_column)
{
	if (err_column)
		*err_column = (int)col;
	if (err && errlen) {
		if (col)
			snprintf(err, errlen, "display filter column %u: %s", (unsigned)col, msg);
		else
			snprintf(err, errlen, "display filter: %s", msg);
	}
}

struct dfilter *dfilter_compile(const char *text, char *err, size_t errlen, int *err_column)
{
	size_t n = strlen(text);
	struct dfilter *df;

	if (n > DFILTER_MAX_TEXT) {
		report("the filter is longer than 65536 bytes", 1, err, errlen, err_column);
		return NULL;
	}
	df = alloc_filter(text, n);
	if (!df) {
		report("out of memory", 0, err, errlen, err_column);
		return NULL;
	}
	df->root = df_parse(df);
	if (df->root >= 0 && df_check(df, df->root) == 0 && !df->failed)
		return df;
	if (!df->failed)
		df_fail(df, 0, "internal error");
	report(df->err, df->err_pos + 1, err, errlen, err_column);
	dfilter_free(df);
	return NULL;
}

bool dfilter_match(const struct dfilter *df, const struct dissection *d, const struct frame_meta *m)
{
	return df_eval(df, df->root, d, m);
}
