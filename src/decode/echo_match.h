/*
 * echo_match.h - ICMP and ICMPv6 echo request/reply matching across the packets of one
 * capture, as tshark 4.0 does it in one pass (tshark -r without -2): a reply that answers an
 * earlier request gets "(request in N)", icmp.resp_to and icmp.resptime (icmpv6.* for
 * ICMPv6); a request gets nothing, since it cannot know its later reply (tshark -2 and the
 * GUI add "(reply in N)" or "(no response found!)" in a second pass).
 *
 * tshark's key: the conversation (the two addresses, either order), the identifier and
 * sequence number, and the checksum adjusted for the type's difference, so a reply matches
 * only a request that carried the same data. A later request with the same key replaces the
 * earlier one; a second reply to a request gets nothing.
 *
 * Call order: the table is owned by the stream table (stream.h), which creates it, feeds it
 * every packet whose d->sum.echo is set, in capture order, and frees it. One thread.
 *
 * Bounded: ECHO_TABLE_MAX requests are remembered (4-way sets, the oldest of a full set
 * forgotten first: its reply then gets nothing, where tshark, which never forgets, matches
 * it; such replies are counted).
 */
#ifndef CAPSCOPE_ECHO_MATCH_H
#define CAPSCOPE_ECHO_MATCH_H

#include <stdint.h>

#include "decode/dissect.h"

#define ECHO_TABLE_MAX 8192u /* 512 KiB of 64-byte entries */

struct echo_table;

struct echo_stats {
	uint64_t requests, matched;
	uint64_t forgotten; /* requests dropped from a full set before any reply came */
};

/* NULL when out of memory. */
struct echo_table *echo_table_create(void);
void echo_table_free(struct echo_table *t);
void echo_table_stats(const struct echo_table *t, struct echo_stats *out);

/* What echo_annotate() found: the request a reply answers (0: none) and the time between. */
struct echo_mark {
	uint64_t request_frame;
	int64_t resp_ns;
};

/* Matches the echo message d->sum.echo describes (nothing when its proto is 0), sent in
 * frame `frame` at `ns` nanoseconds: adds tshark's fields (when d has a tree) and Info note. */
void echo_annotate(struct echo_table *t, struct dissection *d, uint64_t frame, int64_t ns,
                   struct echo_mark *out);

/*
 * What a second pass knows of an echo (tshark -2, Wireshark's GUI; the monitor): a request's
 * reply frame (0: none, "(no response found!)", icmp.no_resp) or a reply's request frame and
 * response time. echo_show() adds its fields (when d has a tree) and Info note to d, whose
 * d->sum.echo must describe the packet (a fresh dissect()).
 */
struct echo_view {
	bool reply;
	uint64_t frame; /* the other message's frame, 0 if none */
	int64_t resp_ns;
};
void echo_show(struct dissection *d, const struct echo_view *v);

#endif
