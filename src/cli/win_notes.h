/* win_notes.h - Windows only (cli/win32/win_notes.c): the "Note:" lines of --version and
 * --help saying what this build or this system lacks (npcap_notes()). */
#ifndef CAPSCOPE_WIN_NOTES_H
#define CAPSCOPE_WIN_NOTES_H

#include <stdio.h>

void win_notes(FILE *fp);

#endif
