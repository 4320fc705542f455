/*
 * follow_int.h - what follow.c (endpoints, UDP, counting) and follow_tcp.c (TCP reassembly)
 * share; not a public API (follow.h is).
 */
#ifndef CAPSCOPE_FOLLOW_INT_H
#define CAPSCOPE_FOLLOW_INT_H

#include "decode/follow.h"

/* One TCP segment's fields, relative numbering not applied yet. */
struct follow_seg {
	uint32_t seq, ack, seglen;
	uint16_t flags;
	const uint8_t *data; /* captured payload */
	uint32_t caplen;
	uint64_t frame;
};

struct follow_tcp;
struct follow_tcp *follow_tcp_create(void);
void follow_tcp_free(struct follow_tcp *t);
/* node: the sender's node. Emits through follow_emit_chunk(). */
void follow_tcp_segment(struct follow *f, struct follow_tcp *t, int node,
                        const struct follow_seg *s, follow_emit_fn emit, void *ctx);
void follow_tcp_finish(struct follow *f, struct follow_tcp *t, follow_emit_fn emit, void *ctx);
void follow_tcp_held(const struct follow_tcp *t, uint32_t segs[2], uint32_t bytes[2],
                     uint64_t *dropped);
/* Counts a chunk and hands it to emit. */
void follow_emit_chunk(struct follow *f, const struct follow_chunk *c, follow_emit_fn emit,
                       void *ctx);

#endif
