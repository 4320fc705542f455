/*
 * field_expr.h - a display filter for one field of a decoded packet, as Wireshark's "Apply
 * as Filter" writes it: "ip.src == 10.0.0.1", "dns.qry.name == \"example.com\"", or the
 * protocol's name for a layer ("dns"). The value is written as the filter language reads
 * it back (hex as 0x..., strings quoted with every byte outside printable ASCII, quote and
 * backslash escaped), so the filter selects exactly the packets whose field has that value.
 */
#ifndef CAPSCOPE_FIELD_EXPR_H
#define CAPSCOPE_FIELD_EXPR_H

#include <stdbool.h>
#include <stddef.h>

#include "decode/dissect.h"

/* Writes the filter for field i of d into out (n bytes). Returns false (out: the reason)
 * when the field has no display filter name or does not fit. */
bool field_expr(const struct dissection *d, int i, char *out, size_t n);

#endif
