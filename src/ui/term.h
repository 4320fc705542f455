/*
 * term.h - the terminal: drawing, keys and the mouse. term.c and theme.c are the only files
 * that call curses (through ui/curses_compat.h, the only file that includes it; the build
 * checks this). Views draw through these calls with semantic elements and terminal-safe
 * ASCII text (escape untrusted bytes first, see base/escape.h); keys and mouse events arrive as
 * struct key_event with TK_ codes. Everything here runs on the UI thread. term_restore() is safe to
 * call more than once and from fatal paths, so the terminal is always given back.
 */
#ifndef CAPSCOPE_TERM_H
#define CAPSCOPE_TERM_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/theme.h"

enum term_key {
	TK_NONE = -1,
	TK_ENTER = '\n',
	TK_TAB = '\t',
	TK_ESC = 27,
	TK_UP = 0x1000,
	TK_DOWN,
	TK_LEFT,
	TK_RIGHT,
	TK_PGUP,
	TK_PGDN,
	TK_HOME,
	TK_END,
	TK_BTAB,
	TK_BACKSPACE,
	TK_DELETE,
	TK_RESIZE,
	TK_CLICK,      /* left button; y, x set */
	TK_WHEEL_UP,   /* y, x set */
	TK_WHEEL_DOWN, /* y, x set */
	TK_F1,
	TK_F2 = TK_F1 + 1,
	TK_F12 = TK_F1 + 11,
	TK_CTRL_C = 3,
	TK_CTRL_L = 12,
	TK_CTRL_Z = 26,
};

struct key_event {
	int key;  /* a character (32..126 or a control code) or a TK_ code */
	int y, x; /* mouse position for TK_CLICK and the wheel */
};

/* Line drawing: Unicode box characters where the terminal takes them, ASCII otherwise. */
enum term_line { TL_H, TL_V, TL_TEE_L, TL_TEE_R, TL_TOP_L, TL_TOP_R, TL_BOT_L, TL_BOT_R };

/* Takes over the terminal. Returns 0, or -1 with err (not a terminal, no terminfo). */
int term_init(const char *theme, char *err, size_t errlen);
void term_restore(void);
bool term_active(void);
/* The descriptor keys arrive on (stdin, or the controlling terminal with -r -). */
int term_input_fd(void);
void term_size(int *rows, int *cols);
/* Writes s (ASCII, no control bytes) at y,x, cut to maxw columns. */
void term_put(int y, int x, int maxw, enum elem e, const char *s);
/* True in a UTF-8 locale: term_put_glyphs() may then draw any one-column character. */
bool term_unicode(void);
/* Writes n one-column characters at y,x: block and braille characters when term_unicode(),
 * printable ASCII only otherwise (the caller picks its fallback). */
void term_put_glyphs(int y, int x, enum elem e, const wchar_t *s, int n);
/* True for a printable character that takes one column (what term_put_glyphs may draw from
 * text that came from outside, such as a stream's payload). */
bool term_glyph_narrow(wchar_t c);
/* Writes s, then spaces to fill exactly w columns. */
void term_put_fill(int y, int x, int w, enum elem e, const char *s);
void term_fill(int y, int x, int w, enum elem e);
void term_line(int y, int x, int n, enum term_line kind, enum elem e);
/* Changes the attributes of w cells already drawn (highlighting without redrawing text). */
void term_recolor(int y, int x, int w, enum elem e);
void term_cursor(int y, int x, bool visible);
/* Next input event without waiting, or false when none is pending. */
bool term_read_key(struct key_event *ev);
/* Clears the whole screen buffer (the next update sends only what changed). */
void term_erase(void);
/* Makes the frame visible (one doupdate per frame). */
void term_update(void);
/* After SIGWINCH or TK_RESIZE: re-reads the size. */
void term_resize(void);
/* Forces a full repaint on the next update (Ctrl-L). */
void term_clear(void);
/* Ctrl-Z (raw mode delivers it as a key): gives the terminal back as the shell had it and
 * stops the process as job control does; when continued (fg), takes the terminal again and
 * clears it so that the next draw repaints it whole. False where there is no job control. */
bool term_suspend(void);
/* The key's name for help and the function bar: "Enter", "F1", "q", "^L". */
const char *term_key_name(int key, char *buf, size_t n);

#endif
