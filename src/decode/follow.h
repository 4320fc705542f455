/*
 * follow.h - one TCP or UDP stream's payload as tshark 4.0's "Follow Stream" shows it
 * (tshark -z follow): chunks in the order they become part of the stream, each from node 0
 * (the endpoint that sent the stream's first packet) or node 1.
 *
 * The engine knows nothing about files or stream numbers: the caller picks the packets of one
 * stream (tcp.stream, udp.stream or an address pair) and feeds them in capture order with
 * follow_packet(); each call may emit chunks through the callback, whose data is valid only
 * during the call. follow_finish() hands out what is still held at the end. One thread owns
 * a struct follow; no locking.
 *
 * TCP, as tshark's follow does it:
 *  - sequence numbers are relative (tshark's analysis: a direction's base is its SYN's
 *    sequence number, or the first one seen less one, or the peer's first ACK less one);
 *    a SYN counts one, a FIN nothing; comparisons wrap around 2^32;
 *  - a segment at the next expected number is emitted at once with the bytes captured of it,
 *    and the expected number moves by its whole length (tcp.len: a segment cut by the
 *    snapshot length leaves no gap note);
 *  - bytes already emitted are dropped (a retransmission is taken once; an overlap with
 *    different bytes keeps the first);
 *  - a segment beyond the next expected number is held (its captured bytes) until the hole
 *    before it is filled; held segments are tried in arrival order after every emission;
 *  - a packet from the other node whose ACK passes the lowest held segment ends the wait:
 *    a gap chunk (missing = bytes never captured) is emitted and the stream moves on;
 *  - held data never placed is not in tshark's output: follow_finish() emits it marked
 *    `unplaced` (a viewer may show it; headless output skips it).
 * UDP: every datagram with captured payload is one chunk; empty ones are ignored (they do not
 * even pick node 0).
 *
 * Bounded state: at most FOLLOW_MAX_HELD_SEGS segments and FOLLOW_MAX_HELD_BYTES bytes are held
 * per direction. A segment that would pass either bound is dropped (counted in
 * struct follow_stats.dropped); its bytes then come out as a gap note if the peer ACKs past
 * them, as if they had not been captured. Only hostile or very lossy input gets there.
 * Each packet costs at most one pass over the held segments per chunk it emits.
 */
#ifndef CAPSCOPE_FOLLOW_H
#define CAPSCOPE_FOLLOW_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"

#define FOLLOW_MAX_HELD_SEGS  1024u
#define FOLLOW_MAX_HELD_BYTES (4u << 20)

struct follow;

struct follow_chunk {
	uint8_t node;        /* 0: sent by node 0, 1: by node 1 */
	bool unplaced;       /* from follow_finish(): held data the stream never reached */
	uint64_t frame;      /* the frame that carried the bytes (a gap: the frame whose ACK
	                      * passed the hole) */
	const uint8_t *data; /* len bytes, valid during the callback only; NULL for a gap */
	size_t len;
	uint32_t missing; /* > 0: a gap of this many bytes, no data (tshark prints it as
	                   * "[%d bytes missing in capture file]", a signed number) */
};

typedef void (*follow_emit_fn)(void *ctx, const struct follow_chunk *c);

/* One endpoint as tshark's follow header shows it. */
struct follow_node {
	uint16_t net; /* P_IPV4 or P_IPV6; P_NONE while no packet was followed */
	uint8_t addr[16];
	uint16_t port;
};

struct follow_stats {
	uint64_t bytes[2];  /* payload bytes emitted per node (gap notes not counted) */
	uint64_t chunks[2]; /* chunks emitted per node, gap notes included */
	uint64_t dropped;   /* segments not held because a bound was reached */
	uint32_t held_segs[2];
	uint32_t held_bytes[2];
};

/* proto: P_TCP or P_UDP. NULL when out of memory. */
struct follow *follow_create(int proto);
void follow_free(struct follow *f);
/*
 * Feeds one packet of the stream (dissect() or dissect_summary() output, frame = its
 * frame.number). A packet whose transport is not f's proto, or whose header was not read
 * whole (d->sum.has_payload false), is ignored. Payload bytes are read only within
 * d->data[0 .. d->caplen).
 */
void follow_packet(struct follow *f, const struct dissection *d, uint64_t frame,
                   follow_emit_fn emit, void *ctx);
/* Emits the held segments never placed (unplaced = true), lowest sequence number first,
 * and forgets them. */
void follow_finish(struct follow *f, follow_emit_fn emit, void *ctx);

int follow_proto(const struct follow *f);
/* Node 0 or 1; net is P_NONE before the first followed packet. */
const struct follow_node *follow_node(const struct follow *f, int node);
/* "10.0.0.1:80", "[2001:db8::1]:443" as tshark's header prints a node, ":0" for none;
 * out needs FOLLOW_NODE_TEXT_MAX bytes. Returns the length. */
#define FOLLOW_NODE_TEXT_MAX 56
size_t follow_node_text(const struct follow *f, int node, char *out);
void follow_stats(const struct follow *f, struct follow_stats *out);

#endif
