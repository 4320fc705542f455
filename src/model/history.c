/* history.c - persistent filter history (see history.h). */
#include "model/history.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "platform/os.h"
#include "platform/state_dir.h"

bool history_path(const struct history *h, char *buf, size_t n)
{
	char dir[1024];
	int k;

	if (!state_dir(dir, sizeof dir))
		return false;
	k = snprintf(buf, n, "%s/%s", dir, h->file);
	return k > 0 && (size_t)k < n;
}

/* Keeps printable ASCII only, so a hand-edited file cannot put control bytes on screen. */
static bool clean_entry(char *s)
{
	size_t o = 0;

	for (size_t i = 0; s[i]; i++)
		if (s[i] >= 0x20 && s[i] <= 0x7e)
			s[o++] = s[i];
	s[o] = '\0';
	return o > 0;
}

static void remove_at(struct history *h, size_t i)
{
	free(h->v[i]);
	memmove(h->v + i, h->v + i + 1, (h->n - i - 1) * sizeof h->v[0]);
	h->n--;
}

/* Appends s as the newest entry without saving. */
static void push(struct history *h, const char *s)
{
	char *copy;

	for (size_t i = 0; i < h->n; i++)
		if (strcmp(h->v[i], s) == 0) {
			remove_at(h, i);
			break;
		}
	copy = strdup(s);
	if (!copy)
		return;
	if (h->n == HISTORY_MAX)
		remove_at(h, 0);
	h->v[h->n++] = copy;
}

static void load(struct history *h)
{
	char path[1100], line[HISTORY_ENTRY_MAX + 2];
	FILE *f;

	h->loaded = true;
	h->pos = 0;
	if (!history_path(h, path, sizeof path) || !(f = fopen(path, "r")))
		return;
	while (fgets(line, sizeof line, f)) {
		size_t len = strlen(line);
		bool whole = len && line[len - 1] == '\n';
		if (!whole && !feof(f)) { /* an overlong line: skip the rest of it */
			int c;
			while ((c = fgetc(f)) != EOF && c != '\n')
				;
			continue;
		}
		line[strcspn(line, "\r\n")] = '\0';
		if (clean_entry(line))
			push(h, line);
	}
	fclose(f);
	h->pos = h->n;
}

static void ensure_loaded(struct history *h)
{
	if (!h->loaded)
		load(h);
}

static bool write_entries(const struct history *h, FILE *f)
{
	for (size_t i = 0; i < h->n; i++)
		if (fprintf(f, "%s\n", h->v[i]) < 0)
			return false;
	return fflush(f) == 0 && os_sync_file(f) == 0;
}

/* Writes a temporary file beside the history and renames it over the old one, so a crash
 * or a full disk never leaves half a history. Failures are silent: history is a comfort. */
static void save(const struct history *h)
{
	char path[1100], tmp[1120], dir[1024];
	int fd;
	FILE *f;

	if (!state_dir_make(dir, sizeof dir) || !history_path(h, path, sizeof path))
		return;
	snprintf(tmp, sizeof tmp, "%s.XXXXXX", path);
	if ((fd = mkstemp(tmp)) < 0)
		return;
	if (!(f = fdopen(fd, "w"))) {
		close(fd);
		unlink(tmp);
		return;
	}
	bool ok = write_entries(h, f);
	if (fclose(f) != 0 || !ok || rename(tmp, path) != 0)
		unlink(tmp);
}

void history_add(struct history *h, const char *s)
{
	char entry[HISTORY_ENTRY_MAX];

	ensure_loaded(h);
	snprintf(entry, sizeof entry, "%s", s);
	if (clean_entry(entry)) {
		push(h, entry);
		save(h);
	}
	h->pos = h->n;
}

const char *history_prev(struct history *h, const char *current)
{
	ensure_loaded(h);
	if (h->pos > h->n)
		h->pos = h->n;
	if (h->pos == 0)
		return NULL;
	if (h->pos == h->n)
		snprintf(h->draft, sizeof h->draft, "%s", current);
	return h->v[--h->pos];
}

const char *history_next(struct history *h)
{
	ensure_loaded(h);
	if (h->pos >= h->n)
		return NULL;
	return ++h->pos == h->n ? h->draft : h->v[h->pos];
}

void history_reset(struct history *h)
{
	ensure_loaded(h);
	h->pos = h->n;
}

void history_free(struct history *h)
{
	while (h->n)
		free(h->v[--h->n]);
	h->loaded = false;
	h->pos = 0;
}
