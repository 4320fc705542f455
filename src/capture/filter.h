/*
 * filter.h - BPF expressions for the filter bar and for refiltering what was captured:
 * validation as the user types (libpcap's own message, plus the column where the expression
 * stops making sense), and matching stored packets in user space.
 * Any thread may use its own struct filter; compilation is serialised inside libpcap.
 */
#ifndef CAPSCOPE_FILTER_H
#define CAPSCOPE_FILTER_H

#include <stdbool.h>
#include <stdint.h>

#include "base/packet.h"

#define FILTER_MSG_MAX 256

struct filter_check {
	bool ok;
	char msg[FILTER_MSG_MAX]; /* libpcap's message when !ok (terminal-safe) */
	int column;               /* 0-based column of the offending word, or -1 */
};

struct filter;

/* Checks expr for this link type and snap length; "" is valid (matches everything). */
void filter_check(const char *expr, int linktype, int snaplen, struct filter_check *out);
/* Compiles expr; NULL with out->msg on error. */
struct filter *filter_compile(const char *expr, int linktype, int snaplen,
                              struct filter_check *out);
bool filter_match(const struct filter *f, const struct pkt_hdr *h, const uint8_t *data);
void filter_free(struct filter *f);

#endif
