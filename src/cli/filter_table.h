/*
 * filter_table.h - --filter-table FILE: many display filters over one read of the packets.
 *
 * Each non-blank line of FILE that does not start with '#' is a display filter (dfilter.h),
 * named by its line number. Reading the packets once, the pipeline decodes each as it does
 * for -Y (same decode, stream numbers, analysis and processes) and asks every filter of the
 * table; the output is a line "LINE FRAME" per filter that keeps a frame, in frame order, and
 * before them a line "LINE error: MESSAGE" for each filter that does not compile (MESSAGE as
 * -Y would print it). One read instead of one per filter: a table of hundreds of filters
 * checked against another tool's (the tests compare tshark's -Y with it).
 */
#ifndef CAPSCOPE_FILTER_TABLE_H
#define CAPSCOPE_FILTER_TABLE_H

#include <stddef.h>

#include "decode/dissect.h"
#include "decode/outbuf.h"

#define FILTER_TABLE_MAX_ROWS  4096        /* filters in one table */
#define FILTER_TABLE_MAX_BYTES (16u << 20) /* the file */

struct filter_table;

/* Reads and compiles the table at path, writing the error lines into ob. NULL with one line
 * in err when the file cannot be read, is over FILTER_TABLE_MAX_BYTES, has a line that is
 * not text, or holds too many filters. */
struct filter_table *filter_table_load(const char *path, struct outbuf *ob, char *err,
                                       size_t errlen);
/* "LINE FRAME" into ob for each filter that keeps the packet (d, m as for dfilter_match). */
void filter_table_packet(const struct filter_table *t, const struct dissection *d,
                         const struct frame_meta *m, struct outbuf *ob);
/* Whether a filter of the table names text (a field name part, as "ja" or "process"). */
int filter_table_names(const struct filter_table *t, const char *text);
void filter_table_free(struct filter_table *t);

#endif
