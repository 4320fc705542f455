/*
 * pathname.h - the folder part of a path, for the places that put a file beside another
 * (saving through a temporary file, keeping a capture, checking a typed path).
 */
#ifndef CAPSCOPE_PATHNAME_H
#define CAPSCOPE_PATHNAME_H

#include <stddef.h>

/* The folder of path: "." for a bare name, "/" for a name in the root. Returns dir. */
char *path_dir(const char *path, char *dir, size_t n);
/* The part after the last '/' (path itself for a bare name). */
const char *path_base(const char *path);

#endif
