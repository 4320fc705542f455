/*
 * line_edit.h - a single-line text editor for prompts and the filter bar.
 *
 * The editing state (buffer, cursor, horizontal scroll) is separate from drawing:
 * line_edit_key() edits and never draws; line_edit_draw() renders the state into one row
 * and places the terminal cursor. Only printable ASCII (0x20..0x7e) is ever stored, so the
 * buffer can go to the terminal as it is. UI thread only; the caller owns the struct.
 */
#ifndef CAPSCOPE_LINE_EDIT_H
#define CAPSCOPE_LINE_EDIT_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/theme.h"

#define LINE_EDIT_MAX 512

struct line_edit {
	char buf[LINE_EDIT_MAX]; /* always NUL-terminated, printable ASCII only */
	size_t len;
	size_t cursor; /* 0..len */
	size_t scroll; /* first column shown; kept in range by line_edit_draw() */
};

/* What a key did to the editor. */
enum line_edit_result {
	LE_IGNORED, /* not an editing key: the caller may use it (Enter, Esc, Up, Tab...) */
	LE_MOVED,   /* the cursor moved; the text is the same */
	LE_CHANGED, /* the text changed */
};

/* Replaces the text (bytes outside printable ASCII are dropped); the cursor goes to the end. */
void line_edit_set(struct line_edit *e, const char *s);
void line_edit_clear(struct line_edit *e);
/* Inserts printable ASCII at the cursor (other bytes are dropped). Returns false if nothing fit. */
bool line_edit_insert(struct line_edit *e, const char *s);
/* Applies one key: printable characters, Backspace, Delete, Left/Right, Home/End, Ctrl-A/E
 * (start/end), Ctrl-B/F (left/right), Ctrl-D (delete), Ctrl-U/K (kill before/after the
 * cursor), Ctrl-W (kill the word before the cursor). */
enum line_edit_result line_edit_key(struct line_edit *e, int key);

/* Draws the text in w columns at y,x (scrolling so the cursor stays visible), highlights the
 * character at column `mark` (E_FIELD_HILITE; -1: none) and places the visible terminal
 * cursor on the text. */
void line_edit_draw(struct line_edit *e, int y, int x, int w, enum elem el, int mark);

#endif
