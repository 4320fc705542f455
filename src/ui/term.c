/* term.c - curses behind a small themed API (see term.h). */
#include "ui/term.h"

#include <locale.h>
#include <signal.h>
#include <wchar.h>
#include <wctype.h>
#include <stdlib.h>
#include <stdio.h>
#include <string.h>

#include "ui/curses_compat.h"
#include "platform/os.h"

static bool active;
static SCREEN *screen;
/* Box lines are drawn as Unicode characters in a UTF-8 locale and as ASCII otherwise,
 * never through the terminal's alternate character set: its ESC ( 0 switching is what
 * breaks first on odd terminals, multiplexers and serial consoles. */
static bool utf8;
static FILE *in; /* where keys come from (os_terminal_input) */

int term_init(const char *theme, char *err, size_t errlen)
{
	setlocale(LC_ALL, "");
	utf8 = os_locale_utf8();
	in = os_terminal_input();
	if (!in) {
		snprintf(err, errlen,
		         "no terminal to read keys from (standard input carries the "
		         "capture and /dev/tty cannot be opened)");
		return -1;
	}
#ifdef _WIN32
	/* ncurses' console driver whatever TERM says (wine passes the Unix one on): the
	 * Windows build has no terminfo database (tests/win/build_curses.sh). */
	screen = newterm("#win32con", stdout, in);
#else
	screen = newterm(NULL, stdout, in);
#endif
	if (!screen) {
		snprintf(err, errlen,
		         "cannot use this terminal (TERM=%s): check TERM or use the "
		         "headless options (--print, --json)",
		         getenv("TERM") ? getenv("TERM") : "unset");
		return -1;
	}
	active = true;
	raw(); /* Ctrl-C arrives as a key: the quit action decides what to keep */
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	nodelay(stdscr, TRUE);
	set_escdelay(25);
	curs_set(0);
	mousemask(BUTTON1_PRESSED | BUTTON1_CLICKED | BUTTON4_PRESSED | BUTTON5_PRESSED, NULL);
	mouseinterval(0);
	theme_init(theme);
	return 0;
}

void term_restore(void)
{
	if (!active)
		return;
	active = false;
	curs_set(1);
	endwin();
	fflush(stdout);
}

int term_input_fd(void)
{
	return in ? fileno(in) : 0;
}

bool term_active(void)
{
	return active;
}

void term_size(int *rows, int *cols)
{
	getmaxyx(stdscr, *rows, *cols);
}

void term_put(int y, int x, int maxw, enum elem e, const char *s)
{
	if (maxw <= 0)
		return;
	attrset((attr_t)theme_attr(e));
	mvaddnstr(y, x, s, maxw);
}

bool term_unicode(void)
{
	return utf8;
}

void term_put_glyphs(int y, int x, enum elem e, const wchar_t *s, int n)
{
	if (n <= 0)
		return;
	attrset((attr_t)theme_attr(e));
	mvaddnwstr(y, x, s, n);
}

void term_put_fill(int y, int x, int w, enum elem e, const char *s)
{
	int n = (int)strnlen(s, (size_t)(w > 0 ? w : 0));

	term_put(y, x, w, e, s);
	if (w - n > 0)
		term_fill(y, x + n, w - n, e);
}

void term_fill(int y, int x, int w, enum elem e)
{
	if (w <= 0)
		return;
	attrset((attr_t)theme_attr(e));
	mvhline(y, x, ' ', w);
}

/* The glyph of a line piece: Unicode box drawing, or its ASCII stand-in. */
static void line_glyph(enum term_line kind, cchar_t *out)
{
	static const wchar_t uni[] = {L'\u2500', L'\u2502', L'\u251c', L'\u2524',
	                              L'\u250c', L'\u2510', L'\u2514', L'\u2518'};
	static const wchar_t ascii[] = {L'-', L'|', L'+', L'+', L'+', L'+', L'+', L'+'};
	wchar_t w[2] = {utf8 ? uni[kind] : ascii[kind], L'\0'};

	setcchar(out, w, 0, 0, NULL);
}

void term_line(int y, int x, int n, enum term_line kind, enum elem e)
{
	cchar_t c;

	if (n <= 0)
		return;
	attrset((attr_t)theme_attr(e));
	line_glyph(kind, &c);
	if (kind == TL_V)
		mvvline_set(y, x, &c, n);
	else
		mvhline_set(y, x, &c, kind == TL_H ? n : 1);
}

void term_recolor(int y, int x, int w, enum elem e)
{
	if (w > 0)
		mvchgat(y, x, w, (attr_t)theme_attr(e) & ~A_COLOR,
		        (short)PAIR_NUMBER((int)theme_attr(e)), NULL);
}

void term_cursor(int y, int x, bool visible)
{
	curs_set(visible ? 1 : 0);
	if (visible)
		move(y, x);
}

static int map_curses_key(int c)
{
	switch (c) {
	case KEY_UP:
		return TK_UP;
	case KEY_DOWN:
		return TK_DOWN;
	case KEY_LEFT:
		return TK_LEFT;
	case KEY_RIGHT:
		return TK_RIGHT;
	case KEY_PPAGE:
		return TK_PGUP;
	case KEY_NPAGE:
		return TK_PGDN;
	case KEY_HOME:
		return TK_HOME;
	case KEY_END:
		return TK_END;
	case KEY_BTAB:
		return TK_BTAB;
	case KEY_BACKSPACE:
	case 127:
	case 8:
		return TK_BACKSPACE;
	case KEY_DC:
		return TK_DELETE;
	case KEY_ENTER:
	case '\r':
	case '\n':
		return TK_ENTER;
	case KEY_RESIZE:
		return TK_RESIZE;
	default:
		if (c >= KEY_F(1) && c <= KEY_F(12))
			return TK_F1 + (c - KEY_F(1));
		return c < 256 ? c : TK_NONE;
	}
}

static bool read_mouse(struct key_event *ev)
{
	MEVENT me;

	if (getmouse(&me) != OK)
		return false;
	ev->y = me.y;
	ev->x = me.x;
	if (me.bstate & BUTTON4_PRESSED)
		ev->key = TK_WHEEL_UP;
	else if (me.bstate & BUTTON5_PRESSED)
		ev->key = TK_WHEEL_DOWN;
	else if (me.bstate & (BUTTON1_PRESSED | BUTTON1_CLICKED))
		ev->key = TK_CLICK;
	else
		return false;
	return true;
}

bool term_read_key(struct key_event *ev)
{
	for (;;) {
		int c = getch();
		if (c == ERR)
			return false;
		ev->y = ev->x = -1;
		if (c == KEY_MOUSE) {
			if (read_mouse(ev))
				return true;
			continue;
		}
		ev->key = map_curses_key(c);
		if (ev->key != TK_NONE)
			return true;
	}
}

void term_erase(void)
{
	erase();
}

void term_update(void)
{
	refresh();
}

void term_resize(void)
{
	int rows, cols;

	/* ncurses has already resized when getch() returns KEY_RESIZE; and resizeterm() pushes
	 * another KEY_RESIZE every time it is called (ncurses 6), so calling it for an unchanged
	 * size would make the key loop spin forever. */
	getmaxyx(stdscr, rows, cols);
	if (is_term_resized(rows, cols))
		resizeterm(rows, cols);
}

bool term_suspend(void)
{
#ifdef SIGTSTP /* job control: POSIX; a Windows console has none */
	if (!active)
		return false;
	endwin();
	fflush(stdout);
	raise(SIGTSTP); /* returns when continued */
	refresh();      /* back to the program's terminal modes */
	clearok(curscr, TRUE);
	return true;
#else
	return false;
#endif
}

void term_clear(void)
{
	clearok(curscr, TRUE);
}

const char *term_key_name(int key, char *buf, size_t n)
{
	static const struct {
		int key;
		const char *name;
	} names[] = {
	    {TK_ENTER, "Enter"},    {TK_TAB, "Tab"},    {TK_ESC, "Esc"},     {TK_UP, "Up"},
	    {TK_DOWN, "Down"},      {TK_LEFT, "Left"},  {TK_RIGHT, "Right"}, {TK_PGUP, "PgUp"},
	    {TK_PGDN, "PgDn"},      {TK_HOME, "Home"},  {TK_END, "End"},     {TK_BTAB, "S-Tab"},
	    {TK_BACKSPACE, "Bksp"}, {TK_DELETE, "Del"}, {' ', "Space"},
	};

	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		if (names[i].key == key)
			return names[i].name;
	if (key >= TK_F1 && key <= TK_F12)
		snprintf(buf, n, "F%d", key - TK_F1 + 1);
	else if (key > 0 && key < 32)
		snprintf(buf, n, "^%c", key + '@');
	else if (key > 32 && key < 127)
		snprintf(buf, n, "%c", key);
	else
		snprintf(buf, n, "?");
	return buf;
}

bool term_glyph_narrow(wchar_t c)
{
	if (!iswprint((wint_t)c))
		return false;
#ifdef _WIN32
	/* no wcwidth: below U+1100 (the first wide block), less the combining marks */
	return c < 0x1100 && !(c >= 0x300 && c < 0x370);
#else
	return wcwidth(c) == 1;
#endif
}
