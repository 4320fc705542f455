/*
 * curses_compat.h - the only curses include. ncurses (wide-character build) on POSIX and on
 * Windows (ncurses' console driver, built by tests/win/build_curses.sh), or PDCurses on
 * Windows; only src/term.c and src/theme.c include this, so views never see curses and
 * stay portable.
 */
#ifndef CAPSCOPE_CURSES_COMPAT_H
#define CAPSCOPE_CURSES_COMPAT_H

#if defined(_WIN32)
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1 /* ncurses: the wide-character calls (PDCurses ignores it) */
#endif
#define PDC_WIDE    1
#define PDC_NCMOUSE 1 /* ncurses' getmouse(MEVENT *), not PDCurses' own */
#include <curses.h>
#ifdef __PDCURSES__
/* PDCurses 3.9 names these two differently, and after KEY_RESIZE wants resize_term(0, 0),
 * which reads the console's new size. Console input has no escape-sequence delay to set. */
#define is_term_resized(rows, cols) is_termresized()
#define resizeterm(rows, cols)      resize_term(0, 0)
#define set_escdelay(ms)            ((void)(ms))
#endif
#else
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#endif

#endif
