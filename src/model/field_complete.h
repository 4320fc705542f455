/*
 * field_complete.h - Tab completion of display filter names in the filter bar: the field
 * and protocol names of the catalogue (decode/field.h) that start with the word before the
 * cursor, their common prefix, and what a lone match is (type and description). No drawing,
 * no state between calls; UI thread.
 */
#ifndef CAPSCOPE_FIELD_COMPLETE_H
#define CAPSCOPE_FIELD_COMPLETE_H

#include <stddef.h>

/* Where the name being typed starts: the run of letters, digits, '_' and '.' that ends at
 * cursor in text. */
size_t field_word_start(const char *text, size_t cursor);
/*
 * Completes the name prefix[0..n): writes the longest common prefix of the matching names
 * into out (outn bytes), the matches into list (listn bytes, separated by two spaces, sorted,
 * cut with "..." when they do not fit) and, for one match, "ip.src  an IPv4 address  Source
 * Address" into about (else ""). Returns the number of matches.
 */
size_t field_complete(const char *prefix, size_t n, char *out, size_t outn, char *list,
                      size_t listn, char *about, size_t aboutn);

#endif
