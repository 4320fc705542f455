/*
 * curses_compat.h - the only curses include. ncurses (wide-character build) on POSIX,
 * PDCurses on Windows; only src/term.c and src/theme.c include this, so views never see
 * curses and stay portable.
 */
#ifndef CAPSCOPE_CURSES_COMPAT_H
#define CAPSCOPE_CURSES_COMPAT_H

#if defined(_WIN32)
#define PDC_WIDE 1
#include <curses.h>
#else
#ifndef NCURSES_WIDECHAR
#define NCURSES_WIDECHAR 1
#endif
#include <curses.h>
#endif

#endif
