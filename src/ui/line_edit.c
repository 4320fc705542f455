/* line_edit.c - single-line editing state and its one draw helper (see line_edit.h). */
#include "ui/line_edit.h"

#include <string.h>

#include "ui/term.h"

#define CTRL(c) ((c)&0x1f)

static bool printable(int c)
{
	return c >= 0x20 && c <= 0x7e;
}

void line_edit_clear(struct line_edit *e)
{
	memset(e, 0, sizeof *e);
}

void line_edit_set(struct line_edit *e, const char *s)
{
	line_edit_clear(e);
	line_edit_insert(e, s);
}

bool line_edit_insert(struct line_edit *e, const char *s)
{
	bool any = false;

	for (; *s && e->len + 1 < LINE_EDIT_MAX; s++) {
		if (!printable((unsigned char)*s))
			continue;
		memmove(e->buf + e->cursor + 1, e->buf + e->cursor, e->len - e->cursor + 1);
		e->buf[e->cursor++] = *s;
		e->len++;
		any = true;
	}
	return any;
}

/* Removes [from, to) and leaves the cursor at `from`. */
static void cut(struct line_edit *e, size_t from, size_t to)
{
	if (to <= from)
		return;
	memmove(e->buf + from, e->buf + to, e->len - to + 1);
	e->len -= to - from;
	e->cursor = from;
}

static size_t word_start(const struct line_edit *e)
{
	size_t i = e->cursor;

	while (i > 0 && e->buf[i - 1] == ' ')
		i--;
	while (i > 0 && e->buf[i - 1] != ' ')
		i--;
	return i;
}

static enum line_edit_result move_to(struct line_edit *e, size_t pos)
{
	e->cursor = pos;
	return LE_MOVED;
}

static enum line_edit_result edit(struct line_edit *e, size_t from, size_t to)
{
	size_t before = e->len;

	cut(e, from, to);
	return e->len != before ? LE_CHANGED : LE_MOVED;
}

enum line_edit_result line_edit_key(struct line_edit *e, int key)
{
	switch (key) {
	case TK_LEFT:
	case CTRL('B'):
		return move_to(e, e->cursor ? e->cursor - 1 : 0);
	case TK_RIGHT:
	case CTRL('F'):
		return move_to(e, e->cursor < e->len ? e->cursor + 1 : e->len);
	case TK_HOME:
	case CTRL('A'):
		return move_to(e, 0);
	case TK_END:
	case CTRL('E'):
		return move_to(e, e->len);
	case TK_BACKSPACE:
		return edit(e, e->cursor ? e->cursor - 1 : 0, e->cursor);
	case TK_DELETE:
	case CTRL('D'):
		return edit(e, e->cursor, e->cursor < e->len ? e->cursor + 1 : e->len);
	case CTRL('U'):
		return edit(e, 0, e->cursor);
	case CTRL('K'):
		return edit(e, e->cursor, e->len);
	case CTRL('W'):
		return edit(e, word_start(e), e->cursor);
	default:
		if (!printable(key))
			return LE_IGNORED;
		char s[2] = {(char)key, '\0'};
		return line_edit_insert(e, s) ? LE_CHANGED : LE_MOVED;
	}
}

/* Keeps the cursor inside the w visible columns (one spare column for it at the end). */
static void keep_visible(struct line_edit *e, size_t w)
{
	if (e->cursor < e->scroll)
		e->scroll = e->cursor;
	else if (e->cursor >= e->scroll + w)
		e->scroll = e->cursor - w + 1;
	if (e->len < w)
		e->scroll = 0;
}

void line_edit_draw(struct line_edit *e, int y, int x, int w, enum elem el, int mark)
{
	if (w <= 0)
		return;
	keep_visible(e, (size_t)w);
	term_put_fill(y, x, w, el, e->buf + e->scroll);
	if (mark >= (int)e->scroll && mark - (int)e->scroll < w)
		term_recolor(y, x + mark - (int)e->scroll, 1, E_FIELD_HILITE);
	term_cursor(y, x + (int)(e->cursor - e->scroll), true);
}
