/*
 * conv.h - live conversation and protocol tables, fed one frame at a time: per address pair
 * and per 5-tuple (TCP/UDP ports), packets, bytes, first/last seen and a recent rate, plus a
 * protocol breakdown (IPv4/IPv6 by transport, ARP, other).
 *
 * conv_add() is on the model's per-packet path, so it reads only the few header bytes it
 * needs (through struct cursor, never past caplen) and does two hash look-ups. Endpoints are
 * kept in the order of the conversation's first packet (A sent it).
 *
 * Bounded for days-long captures: each table holds at most CONV_MAX entries (262,144 pairs
 * and as many 5-tuples, ~128 bytes each with its index: ~34 MB a table at the bound; conv_set_max
 * lowers it). A new conversation past the bound takes the place of the least recently seen one (an
 * idle flow; a flow with a packet since is never chosen before it); conv_evicted() counts
 * the conversations taken out and their packets, which no entry counts any more. Packets are
 * counted as untracked only when memory ran out before a table had any room.
 *
 * Threads: one owner thread (the UI's); no locking.
 */
#ifndef CAPSCOPE_CONV_H
#define CAPSCOPE_CONV_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"

#define CONV_MAX (1u << 18)

enum conv_kind { CONV_PAIR, CONV_FLOW, CONV_KINDS };

struct conv_key {
	uint8_t family; /* 4 or 6 */
	uint8_t proto;  /* IP protocol (CONV_FLOW only; 0 in pairs) */
	uint16_t pa, pb;
	uint8_t a[16], b[16]; /* IPv4 in the first 4 bytes */
};

struct conv {
	struct conv_key key; /* normalised: (a, pa) <= (b, pb) */
	bool b_first;        /* the first packet came from b: show b as A */
	uint64_t packets, bytes;
	int64_t first_ns, last_ns; /* capture timestamps */
	int64_t rate_sec;          /* the second rate_cur belongs to */
	uint64_t serial;           /* order of first appearance among all ever added */
	uint64_t rate_cur, rate_prev;
};

enum conv_proto {
	CP_ALL,
	CP_IPV4,
	CP_IPV4_TCP,
	CP_IPV4_UDP,
	CP_IPV4_ICMP,
	CP_IPV4_OTHER,
	CP_IPV6,
	CP_IPV6_TCP,
	CP_IPV6_UDP,
	CP_IPV6_ICMP6,
	CP_IPV6_OTHER,
	CP_ARP,
	CP_OTHER,
	CP_COUNT
};

struct conv_count {
	uint64_t packets, bytes;
};

struct conv_table;

struct conv_table *conv_create(void);
void conv_destroy(struct conv_table *t);
/* Forgets everything (a new source was opened). */
void conv_reset(struct conv_table *t);
/* Counts one frame: h->len bytes on the wire, data holds h->caplen of them. */
void conv_add(struct conv_table *t, int linktype, const struct pkt_hdr *h, const uint8_t *data);

size_t conv_count(const struct conv_table *t, enum conv_kind k);
/* Entry i (0 .. conv_count-1). Its address is stable until conv_reset, but once a table is at
 * its bound an index is reused for a new conversation when its own is evicted: a caller that
 * keeps an index checks the entry's serial. */
const struct conv *conv_get(const struct conv_table *t, enum conv_kind k, size_t i);
/* The bound of each table (clamped to 2 .. CONV_MAX); kept by conv_reset. Call before
 * conv_add (a lower bound does not shrink a table already larger). */
void conv_set_max(struct conv_table *t, size_t max);
/* Conversations of kind k evicted so far; *packets (when not NULL): the packets they had. */
uint64_t conv_evicted(const struct conv_table *t, enum conv_kind k, uint64_t *packets);
/* Packets that were not tracked because memory ran out. */
uint64_t conv_untracked(const struct conv_table *t);
/* Frames counted so far (changes whenever anything does). */
uint64_t conv_frames(const struct conv_table *t);
const struct conv_count *conv_protos(const struct conv_table *t);
const char *conv_proto_name(enum conv_proto p);
int conv_proto_depth(enum conv_proto p);

/* The addresses and ports of a TCP or UDP frame as sent (a, pa: the source), read as
 * conv_add reads them (a few header bytes through the cursor); *tcp_flags: TCP's flags byte
 * (0 for UDP, or when not captured). False for anything else (and fragments past the first).
 * Cheap enough for every packet the monitor takes in (process attribution's 5-tuple). */
bool conv_flow_key(int linktype, const uint8_t *data, uint32_t caplen, struct conv_key *k,
                   uint8_t *tcp_flags);

/* Bits per second over the last whole second before now_sec (capture-clock seconds). */
double conv_rate_bps(const struct conv *c, int64_t now_sec);
/* Endpoint text ("10.0.0.1", "10.0.0.1:53", "[2001:db8::1]:53") of side A (a_side) or B as
 * shown. out: at least CONV_ENDPOINT_MAX bytes. */
#define CONV_ENDPOINT_MAX 56
void conv_endpoint(const struct conv *c, enum conv_kind k, bool a_side, char *out);
/* A display filter selecting the conversation, as Wireshark's conversation filters are:
 * "ip.addr == A && ip.addr == B" (ipv6.addr for IPv6), for a 5-tuple with both ports
 * ("tcp.port == P") or the protocol ("ip.proto == N"). */
void conv_filter(const struct conv *c, enum conv_kind k, char *out, size_t n);

#endif
