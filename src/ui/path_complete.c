/* path_complete.c - file name completion for the open prompt (see path_complete.h). */
#include "ui/path_complete.h"

#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/escape.h"

#define MAX_LISTED 64

struct entry {
	char *name;
	bool dir;
};

struct matches {
	struct entry e[MAX_LISTED]; /* the first MAX_LISTED, for the list */
	size_t n;                   /* all of them */
	char common[1024];          /* their common prefix */
	bool lone_dir;              /* n == 1 and it is a directory */
};

const char *path_expand(const char *in, char *out, size_t n)
{
	const char *home = getenv("HOME");

	if (in[0] == '~' && (in[1] == '/' || in[1] == '\0') && home)
		snprintf(out, n, "%s%s", home, in + 1);
	else
		snprintf(out, n, "%s", in);
	return out;
}

static bool is_dir(const char *dir, const char *name)
{
	char path[2048];
	struct stat st;

	snprintf(path, sizeof path, "%s/%s", dir, name);
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_match(struct matches *m, const char *dir, const char *name)
{
	bool d = is_dir(dir, name);

	if (m->n == 0) {
		snprintf(m->common, sizeof m->common, "%s", name);
	} else {
		size_t i = 0;
		while (m->common[i] && m->common[i] == name[i])
			i++;
		m->common[i] = '\0';
	}
	if (m->n < MAX_LISTED)
		m->e[m->n] = (struct entry){strdup(name), d};
	m->lone_dir = m->n == 0 && d; /* any second match clears it */
	m->n++;
}

/* Reads dir for entries starting with base (dot files only when base starts with '.'). */
static void scan(struct matches *m, const char *dir, const char *base)
{
	DIR *d = opendir(dir);
	struct dirent *de;
	size_t blen = strlen(base);

	if (!d)
		return;
	while ((de = readdir(d)) != NULL) {
		const char *nm = de->d_name;
		if (!strcmp(nm, ".") || !strcmp(nm, "..") || (nm[0] == '.' && base[0] != '.'))
			continue;
		if (strncmp(nm, base, blen) == 0)
			add_match(m, dir, nm);
	}
	closedir(d);
}

static int by_name(const void *a, const void *b)
{
	const struct entry *x = a, *y = b;

	return strcmp(x->name ? x->name : "", y->name ? y->name : "");
}

/* "a.pcap  b/  c\x01.pcap" (escaped), cut where listn ends. */
static void list_text(struct matches *m, char *list, size_t listn)
{
	size_t o = 0, shown = m->n < MAX_LISTED ? m->n : MAX_LISTED;
	char esc[256];

	qsort(m->e, shown, sizeof m->e[0], by_name);
	list[0] = '\0';
	for (size_t i = 0; i < shown && o + 1 < listn; i++) {
		if (!m->e[i].name)
			continue;
		int k = snprintf(list + o, listn - o, "%s%s%s", o ? "  " : "",
		                 esc_cstr(esc, sizeof esc, m->e[i].name), m->e[i].dir ? "/" : "");
		o += k > 0 ? (size_t)k : 0;
	}
}

/* Cuts s before the first byte the line editor cannot hold; true if it cut. */
static bool cut_unprintable(char *s)
{
	while (*s >= 0x20 && *s <= 0x7e)
		s++;
	bool cut = *s != '\0';
	*s = '\0';
	return cut;
}

size_t path_complete(const char *in, char *out, size_t n, char *list, size_t listn)
{
	struct matches m = {0};
	char dir[1024], expanded[1024];
	const char *slash = strrchr(in, '/');
	size_t dlen = slash ? (size_t)(slash - in) + 1 : 0;

	snprintf(out, n, "%s", in);
	list[0] = '\0';
	snprintf(dir, sizeof dir, "%.*s", (int)dlen, in);
	path_expand(dlen ? dir : ".", expanded, sizeof expanded);
	scan(&m, expanded, in + dlen);
	if (m.n) {
		bool cut = cut_unprintable(m.common);
		snprintf(out, n, "%s%s%s", dir, m.common, m.lone_dir && !cut ? "/" : "");
		list_text(&m, list, listn);
	}
	for (size_t i = 0; i < m.n && i < MAX_LISTED; i++)
		free(m.e[i].name);
	return m.n;
}
