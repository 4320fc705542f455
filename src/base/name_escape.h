/*
 * name_escape.h - makes file and adapter names safe to put in a message line.
 * Names come from the user or the system and may hold control bytes; messages end up on a
 * terminal. Any thread.
 */
#ifndef CAPSCOPE_NAME_ESCAPE_H
#define CAPSCOPE_NAME_ESCAPE_H

#include <stddef.h>

/* Copies `in` to `out` (n bytes, always terminated) with control bytes and backslashes as
 * \xNN. A name too long for `out` ends in "...". Returns out. */
const char *name_escape(const char *in, char *out, size_t n);

#endif
