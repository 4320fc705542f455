/*
 * dfilter.h - display filters: tshark 4.0's filter language over the decoded field tree.
 *
 * Call order: dfilter_compile() once (lexing, parsing, checking every name against the field
 * catalogue and the protocol names, converting literals to the compared field's type,
 * compiling regular expressions); then dfilter_match() per packet, after dissect() and
 * frame_meta_next(); dfilter_free() at the end. A compiled filter is owned by one thread at
 * a time: matching reuses buffers inside it (a regex's match data), so it is not re-entrant.
 *
 * Matching reads packet bytes only through the field tree (each field's [off, off+len) lies
 * inside caplen), allocates nothing and does bounded work: the tree has at most
 * DISS_MAX_FIELDS fields, recursion is bounded by DFILTER_MAX_DEPTH and regular expressions
 * by PCRE2's match and depth limits.
 */
#ifndef CAPSCOPE_DFILTER_H
#define CAPSCOPE_DFILTER_H

#include <stdbool.h>
#include <stddef.h>

#include "decode/dissect.h"

#define DFILTER_MAX_TEXT  65536 /* longest filter text, in bytes */
#define DFILTER_MAX_DEPTH 64    /* nesting of parentheses, negations and functions */
#define DFILTER_ERRLEN    256   /* enough for every message dfilter_compile() writes */

struct dfilter;

/*
 * Compiles text (NUL-terminated). On success returns the filter (an empty or all-blank text
 * gives a filter that matches everything). On failure returns NULL and writes one line into
 * err: "display filter column C: reason", C counting from 1 at the first byte of text.
 * The column alone is also given through *err_column when it is not NULL (0 when the error
 * has no place, such as running out of memory).
 */
struct dfilter *dfilter_compile(const char *text, char *err, size_t errlen, int *err_column);

/* True if the packet (its dissection d and its frame facts m) passes the filter. */
bool dfilter_match(const struct dfilter *df, const struct dissection *d,
                   const struct frame_meta *m);

void dfilter_free(struct dfilter *df);

/*
 * A BPF prefilter for the filter on link type linktype (a DLT_ value): a BPF expression that
 * keeps every packet of that link type the display filter keeps, and drops what it safely
 * can, for a live capture's kernel. Writes it into out (NUL-terminated) and returns true.
 * Returns false, with why in out (one phrase, such as "\"dns.qry.name matches ...\" has no
 * BPF form"), when the prefilter would keep every packet or would not fit in outlen.
 * The caller still applies the display filter to what the prefilter keeps: it is a superset,
 * exact only when the filter reads nothing deeper than BPF does. "Every packet" means as
 * the kernel sees it on Linux: the whole frame, perhaps with its first VLAN tag taken out (or
 * without a cooked header); frame.len comparisons allow for that.
 */
bool dfilter_to_bpf(const struct dfilter *df, int linktype, char *out, size_t outlen);

#endif
