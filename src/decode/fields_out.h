/*
 * fields_out.h - tshark's `-T fields` output: one line per packet with the values of the
 * fields named by -e, formatted as `tshark -T fields -E ...` does (tshark 4.0), and
 * --list-fields, the catalogue as `tshark -G fields` lists it.
 *
 * Call order: fields_spec_init(), then fields_spec_add() per -e and fields_format_set() per -E
 * (both check their argument and return -1 with a one-line message); fields_header() once if
 * fmt.header; fields_line() per packet. A spec is plain memory owned by one thread.
 */
#ifndef CAPSCOPE_FIELDS_OUT_H
#define CAPSCOPE_FIELDS_OUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"
#include "decode/outbuf.h"

#define FIELDS_MAX 512 /* -e options in one run */

enum fields_occurrence { FIELDS_ALL, FIELDS_FIRST, FIELDS_LAST };

/* -E options; the defaults are tshark's: no header, tab, all occurrences joined by ',',
 * no quotes. A quote is put around non-empty values only, as tshark does. */
struct fields_format {
	bool header;
	char separator;
	char aggregator;
	char quote; /* '\0', '"' or '\'' */
	uint8_t occurrence;
};

struct fields_spec {
	struct fields_format fmt;
	size_t n;
	uint16_t keys[FIELDS_MAX]; /* enum field_key of each -e, in order */
};

void fields_spec_init(struct fields_spec *s);
/* Adds -e NAME. Unknown names fail with `unknown field "ip.sorce" (did you mean ip.src?)`. */
int fields_spec_add(struct fields_spec *s, const char *name, char *err, size_t errlen);
/* Applies -E KEY=VALUE: header=y|n, separator=/t|/s|C, aggregator=,|/s|C, occurrence=f|l|a,
 * quote=d|s|n (a value of several characters counts by its first, as in tshark). */
int fields_format_set(struct fields_format *f, const char *opt, char *err, size_t errlen);

/* The header line: the field names joined by the separator. */
void fields_header(const struct fields_spec *s, struct outbuf *ob);
/* One packet's line; frame.* values come from m. */
void fields_line(const struct fields_spec *s, struct outbuf *ob, const struct frame_meta *m,
                 const struct dissection *d);

/*
 * A field's value as tshark's -T fields prints it: field_value_text() (field.h), except bytes
 * as plain hex pairs ("0a1b", however long). Also used by --json.
 */
void fields_put_value(struct outbuf *ob, const struct dissection *d, const struct field *f);

/* --list-fields: "P\tdescription\tname" per protocol, then
 * "F\tdescription\tname\tFT_TYPE\tprotocol" per field, the first five columns of
 * `tshark -G fields`. */
void fields_list(struct outbuf *ob);

#endif
