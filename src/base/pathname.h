/*
 * pathname.h - the folder part of a path, for the places that put a file beside another
 * (saving through a temporary file, keeping a capture, checking a typed path), and the file
 * of each source when several are saved as pcap.
 */
#ifndef CAPSCOPE_PATHNAME_H
#define CAPSCOPE_PATHNAME_H

#include <stddef.h>

/* The folder of path: "." for a bare name, "/" for a name in the root. Returns dir. */
char *path_dir(const char *path, char *dir, size_t n);
/* The part after the last '/' (path itself for a bare name). */
const char *path_base(const char *path);
/* Several sources saved as pcap, a file each (headless -w and the monitor's saves): PATH
 * with "-NAME" before its extension ("x.pcap" -> "x-eth0.pcap", "x" -> "x-eth0"), the
 * adapter's name with every byte but [A-Za-z0-9._-] as '_'. Returns 0, or -1 when it does
 * not fit in n bytes. */
int path_per_source(const char *path, const char *name, char *out, size_t n);

#endif
