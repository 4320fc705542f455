/*
 * follow.c - the follow engine's front (follow.h): which node sent a packet, UDP datagrams,
 * counting, the node text. TCP reassembly is follow_tcp.c.
 */
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "decode/follow_int.h"

struct follow {
	int proto;
	struct follow_node node[2];
	struct follow_stats st;
	struct follow_tcp *tcp; /* NULL for UDP */
};

struct follow *follow_create(int proto)
{
	struct follow *f;

	if (proto != P_TCP && proto != P_UDP)
		return NULL;
	f = calloc(1, sizeof *f);
	if (!f)
		return NULL;
	f->proto = proto;
	if (proto == P_TCP && !(f->tcp = follow_tcp_create())) {
		free(f);
		return NULL;
	}
	return f;
}

void follow_free(struct follow *f)
{
	if (!f)
		return;
	follow_tcp_free(f->tcp);
	free(f);
}

static size_t addr_len(uint16_t net)
{
	return net == P_IPV6 ? 16 : 4;
}

static bool node_is(const struct follow_node *n, const struct summary *s)
{
	return n->net == s->net && n->port == s->sport &&
	       memcmp(n->addr, s->src, addr_len(n->net)) == 0;
}

/* tshark: node 0 is the sender of the first packet followed, node 1 its receiver; a packet
 * is node 0's only if it comes from exactly that address and port. */
static int sender_node(struct follow *f, const struct summary *s)
{
	if (f->node[0].net == P_NONE) {
		f->node[0].net = f->node[1].net = s->net;
		memcpy(f->node[0].addr, s->src, sizeof f->node[0].addr);
		memcpy(f->node[1].addr, s->dst, sizeof f->node[1].addr);
		f->node[0].port = s->sport;
		f->node[1].port = s->dport;
	}
	return node_is(&f->node[0], s) ? 0 : 1;
}

void follow_emit_chunk(struct follow *f, const struct follow_chunk *c, follow_emit_fn emit,
                       void *ctx)
{
	if (!c->unplaced) {
		f->st.bytes[c->node] += c->len;
		f->st.chunks[c->node]++;
	}
	emit(ctx, c);
}

void follow_packet(struct follow *f, const struct dissection *d, uint64_t frame,
                   follow_emit_fn emit, void *ctx)
{
	const struct summary *s = &d->sum;
	const uint8_t *pay = NULL;
	uint32_t plen = 0;
	int node;

	/* A TCP segment without a length (a first IP fragment, a header longer than the segment)
	 * never reaches tshark's follow: its bytes show as missing (tests/gen tcpa-noseglen). */
	if (s->transport != f->proto || !s->has_payload || !s->has_ports ||
	    (s->net != P_IPV4 && s->net != P_IPV6) ||
	    (f->proto == P_TCP && (!s->tcp.ok || !s->tcp.has_seglen)))
		return;
	/* the dissector's window is within caplen already; checked again, cheaply */
	if (s->payload_off <= d->caplen && s->payload_len <= d->caplen - s->payload_off) {
		pay = d->data + s->payload_off;
		plen = s->payload_len;
	}
	if (f->proto == P_UDP) {
		if (plen == 0) /* tshark: an empty datagram is not followed at all */
			return;
		node = sender_node(f, s);
		follow_emit_chunk(f,
		                  &(struct follow_chunk){(uint8_t)node, false, frame, pay, plen, 0},
		                  emit, ctx);
		return;
	}
	node = sender_node(f, s);
	follow_tcp_segment(f, f->tcp, node,
	                   &(struct follow_seg){s->tcp.seq, s->tcp.ack, s->tcp.seglen, s->tcp.flags,
	                                        pay, plen, frame},
	                   emit, ctx);
}

void follow_finish(struct follow *f, follow_emit_fn emit, void *ctx)
{
	if (f->tcp)
		follow_tcp_finish(f, f->tcp, emit, ctx);
}

int follow_proto(const struct follow *f)
{
	return f->proto;
}

const struct follow_node *follow_node(const struct follow *f, int node)
{
	return &f->node[node ? 1 : 0];
}

size_t follow_node_text(const struct follow *f, int node, char *out)
{
	const struct follow_node *n = follow_node(f, node);
	size_t k = 0;

	if (n->net == P_IPV6) {
		out[k++] = '[';
		k += addr_ipv6_text(out + k, n->addr);
		out[k++] = ']';
	} else if (n->net == P_IPV4) {
		k += addr_ipv4_text(out + k, n->addr);
	}
	out[k++] = ':';
	k += addr_u64_text(out + k, n->port);
	out[k] = '\0';
	return k;
}

void follow_stats(const struct follow *f, struct follow_stats *out)
{
	*out = f->st;
	if (f->tcp)
		follow_tcp_held(f->tcp, out->held_segs, out->held_bytes, &out->dropped);
}
