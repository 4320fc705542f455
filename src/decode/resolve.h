/*
 * resolve.h - active reverse lookups (--resolve): PTR names for the addresses a capture
 * shows, asked of the system's resolver (or given servers) without ever blocking the caller.
 *
 * The owner thread (the headless loop, or the monitor's UI thread, the one that owns the
 * struct names) calls resolver_want() for addresses it shows: an address that has a name,
 * was asked recently (answered: RESOLVE_OK_S, failed: RESOLVE_FAIL_S), or is unspecified,
 * link-local, multicast or broadcast is not asked. A resolver thread runs c-ares (libc-ares)
 * and starts at most RESOLVE_QPS queries a second (bursts of RESOLVE_QPS) with at most
 * RESOLVE_OUTSTANDING unanswered; waiting asks are queued (RESOLVE_QUEUE, more are dropped
 * and asked again when the address is next seen). resolver_collect() moves the answers into
 * the names table: a name the capture taught (DNS answers, SNI ...) is kept, a PTR name only
 * fills an address that has none (Wireshark's order: captured DNS data, then the resolver),
 * because the name a host used to reach an address says more than the address's PTR.
 *
 * Its own queries: c-ares reports each socket it opens (ares_set_socket_callback, after the
 * socket is connected, before its first packet): the socket's local and remote address and
 * port are kept (the last RESOLVE_OWN of them: at RESOLVE_QPS, the owner may lag that many
 * tenths of a second behind the capture) and resolver_own() tells the owner that a
 * packet belongs to one, so that it can be hidden from the display and counted.
 *
 * Threads: every function on the owner thread; the resolver thread is private.
 */
#ifndef CAPSCOPE_RESOLVE_H
#define CAPSCOPE_RESOLVE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"
#include "decode/names.h"

#define RESOLVE_QPS         10   /* queries started a second, at most */
#define RESOLVE_OUTSTANDING 8    /* queries unanswered at once, at most */
#define RESOLVE_QUEUE       256  /* asks waiting for the rate limit */
#define RESOLVE_CACHE       4096 /* addresses remembered as asked (direct-mapped) */
#define RESOLVE_OK_S        3600 /* an answered address is not asked again for an hour */
#define RESOLVE_FAIL_S      300  /* a failed one for five minutes */
#define RESOLVE_TIMEOUT_MS  2000 /* c-ares: per try; two tries */
#define RESOLVE_OWN         128  /* own sockets remembered (c-ares opens one a query) */

struct resolver;

struct resolver_stats {
	uint64_t sent;    /* queries started */
	uint64_t names;   /* answers with a name */
	uint64_t failed;  /* no name (NXDOMAIN, timeout, refused ...) */
	uint64_t dropped; /* asks dropped: the queue was full */
};

/* "c-ares 1.18.1", or why --resolve is unavailable in this build. */
const char *resolver_version(void);
/* Starts the resolver thread; servers: NULL for the system's resolver (resolv.conf), or
 * "addr[:port],..." (c-ares' servers CSV, IPv6 as [addr]:port). NULL with err filled when
 * c-ares is missing or fails to start. */
struct resolver *resolver_new(const char *servers, char *err, size_t errlen);
/* Stops the thread (queries in flight are abandoned) and frees r. NULL is allowed. */
void resolver_free(struct resolver *r);
/* Asks for the PTR name of each of d's IP addresses that t does not name (never blocks). A
 * destination the link layer broadcasts to (Ethernet ff:ff:ff:ff:ff:ff, a Linux cooked
 * capture's "to everyone") is a subnet broadcast address: it is not asked. */
void resolver_want(struct resolver *r, struct names *t, const struct dissection *d);
/* Forgets which addresses were asked (a new capture with a new names table asks again). */
void resolver_forget(struct resolver *r);
/* How many more asks the queue takes now (a caller walking many addresses paces on it). */
size_t resolver_room(struct resolver *r);
/* Moves the answers that arrived into t; returns how many names were new. */
size_t resolver_collect(struct resolver *r, struct names *t);
/* True if s is a packet of one of the resolver's own sockets (its UDP or TCP 5-tuple). */
bool resolver_own(struct resolver *r, const struct summary *s);
void resolver_get_stats(struct resolver *r, struct resolver_stats *st);

#endif
