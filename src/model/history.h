/*
 * history.h - a bounded, deduplicated list of past entries (filters) with Up/Down recall,
 * kept across runs in $XDG_STATE_HOME/capscope/<file> (else ~/.local/state/capscope/<file>).
 *
 * The file is read at the first use and rewritten atomically (temporary file + rename) after
 * each history_add(). A missing, unreadable or unwritable file only means no history: no
 * call here fails the program. Entries hold printable ASCII only. UI thread only.
 *
 * Browsing: history_prev()/history_next() walk from the newest entry back and forth; the
 * text being edited when browsing began is given back after the newest entry, and
 * history_reset() (or history_add) ends browsing.
 */
#ifndef CAPSCOPE_HISTORY_H
#define CAPSCOPE_HISTORY_H

#include <stdbool.h>
#include <stddef.h>

#define HISTORY_MAX       100
#define HISTORY_ENTRY_MAX 512

struct history {
	const char *file; /* base name under the state directory */
	bool loaded;
	char *v[HISTORY_MAX]; /* oldest first */
	size_t n;
	size_t pos; /* browsing position: n = not browsing (the draft) */
	char draft[HISTORY_ENTRY_MAX];
};

#define HISTORY_INIT(name)                                                                         \
	{                                                                                          \
		.file = (name)                                                                     \
	}

/* Adds s as the newest entry (an older copy is removed; empty strings are ignored) and saves. */
void history_add(struct history *h, const char *s);
/* The entry before the current one (current: the text being edited), or NULL at the oldest. */
const char *history_prev(struct history *h, const char *current);
/* The entry after the current one, the draft after the newest, or NULL when not browsing. */
const char *history_next(struct history *h);
void history_reset(struct history *h);
/* Frees the entries (the next use loads the file again). */
void history_free(struct history *h);
/* The file's path; returns false when neither XDG_STATE_HOME nor HOME is usable. */
bool history_path(const struct history *h, char *buf, size_t n);

#endif
