/*
 * state_dir.h - where capscope keeps what outlives a run (filter history, captures kept when
 * a session hung up): $XDG_STATE_HOME/capscope, else ~/.local/state/capscope, else (Windows)
 * %LOCALAPPDATA%/capscope.
 */
#ifndef CAPSCOPE_STATE_DIR_H
#define CAPSCOPE_STATE_DIR_H

#include <stdbool.h>
#include <stddef.h>

/* The folder's path (it may not exist yet); false when no base is set or it does not fit. */
bool state_dir(char *buf, size_t n);
/* The folder's path, created (private to the user) with any missing parents. */
bool state_dir_make(char *buf, size_t n);

#endif
