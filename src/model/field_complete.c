/* field_complete.c - completing display filter names (see field_complete.h). */
#include "model/field_complete.h"

#include <ctype.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dissect.h"
#include "decode/field.h"

#define NAMES_MAX (K_COUNT + P_COUNT)

size_t field_word_start(const char *text, size_t cursor)
{
	size_t i = cursor;

	while (i > 0 &&
	       (isalnum((unsigned char)text[i - 1]) || text[i - 1] == '_' || text[i - 1] == '.'))
		i--;
	return i;
}

static int by_name(const void *x, const void *y)
{
	return strcmp(*(const char *const *)x, *(const char *const *)y);
}

/* The catalogue's field names and the protocol names that start with prefix[0..n). */
static size_t matches(const char *prefix, size_t n, const char **v)
{
	size_t k = 0;

	for (unsigned key = K_NONE + 1; key < K_COUNT; key++) {
		const struct field_info *fi = field_key_info((enum field_key)key);
		if (fi && strncmp(fi->name, prefix, n) == 0)
			v[k++] = fi->name;
	}
	for (unsigned p = P_NONE + 1; p < P_COUNT; p++) {
		const char *name = proto_filter_name((enum proto)p);
		bool dup = false; /* SLL and SLL2 are both "sll" */
		for (size_t i = 0; i < k; i++)
			dup |= strcmp(v[i], name) == 0;
		if (name[0] && !dup && strncmp(name, prefix, n) == 0)
			v[k++] = name;
	}
	qsort(v, k, sizeof *v, by_name);
	return k;
}

/* The key or protocol a name stands for, as "name  type  description". */
static void describe(const char *name, char *about, size_t n)
{
	enum field_key k = field_key_lookup(name, strlen(name));
	const struct field_info *fi = field_key_info(k);

	if (fi)
		snprintf(about, n, "%s  %s  %s", name, field_vtype_name(fi->vtype), fi->desc);
	else
		snprintf(about, n, "%s  a protocol  %s", name,
		         proto_name(proto_lookup(name, strlen(name))));
}

static void join(const char **v, size_t k, char *list, size_t n)
{
	size_t o = 0;

	list[0] = '\0';
	for (size_t i = 0; i < k && n > 4; i++) {
		int w = snprintf(list + o, n - o, "%s%s", i ? "  " : "", v[i]);
		if (w < 0 || (size_t)w >= n - o - 4) {
			snprintf(list + o, n - o, "%s", "  ...");
			return;
		}
		o += (size_t)w;
	}
}

size_t field_complete(const char *prefix, size_t n, char *out, size_t outn, char *list,
                      size_t listn, char *about, size_t aboutn)
{
	const char *v[NAMES_MAX];
	size_t k = matches(prefix, n, v), common;

	about[0] = '\0';
	snprintf(out, outn, "%.*s", (int)n, prefix);
	join(v, k, list, listn);
	if (k == 0)
		return 0;
	common = strlen(v[0]);
	for (size_t i = 1; i < k; i++) {
		size_t c = 0;
		while (c < common && v[i][c] == v[0][c])
			c++;
		common = c;
	}
	snprintf(out, outn, "%.*s", (int)common, v[0]);
	if (k == 1)
		describe(v[0], about, aboutn);
	return k;
}
