/*
 * path_complete.h - file name completion for the "open file" prompt, shell style.
 *
 * Given the text typed so far, path_complete() lists the directory entries that start with
 * its last component and extends the text by their common prefix (a lone directory also
 * gets its trailing '/'). A leading "~/" means $HOME. Names are system data: the candidate
 * list comes back escaped, and completion stops before a byte the line editor cannot hold.
 * No drawing, no state between calls; UI thread.
 */
#ifndef CAPSCOPE_PATH_COMPLETE_H
#define CAPSCOPE_PATH_COMPLETE_H

#include <stddef.h>

/* Completes in[] into out[] (n bytes). Fills list (listn bytes) with the matching names,
 * escaped, sorted and separated by two spaces, directories with a trailing '/'. Returns the
 * number of matches (0: none, or the directory cannot be read). */
size_t path_complete(const char *in, char *out, size_t n, char *list, size_t listn);
/* Expands a leading "~/" to $HOME into out (n bytes); returns out. */
const char *path_expand(const char *in, char *out, size_t n);

#endif
