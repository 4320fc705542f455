/*
 * reasm.h - TCP PDU reassembly: an application PDU (a TLS record, an HTTP message) that runs
 * past its segment is collected from the stream's next segments and decoded whole in the frame
 * that brings its last byte, as tshark does with tcp.desegment_tcp_streams (its default).
 *
 * Call order, per packet in capture order: dissect_pdus() (dissect.h), frame_meta_next(),
 * stream_annotate_mark() (stream.h), then reasm_packet() with the mark. A dissector asks for
 * reassembly by setting d->pdu_off / d->pdu_need (dissect.h) when d->desegment is set; a
 * protocol that does plugs in with one row of reasm.c's table: its "PDU length" callback
 * (struct reasm_proto) and its dissect function.
 *
 * What a reassembled frame gets: tcp.segment_data (its bytes of the PDU), and in the frame
 * with the last byte tcp.segment (each frame), tcp.segment.count, tcp.reassembled.length,
 * tcp.reassembled.data, then the protocol decoded over the PDU (d->alt: fields flagged
 * FF_ALT). A segment that starts or continues a PDU and decodes nothing whole shows tshark's
 * Info "[TCP segment of a reassembled PDU]" with the TCP protocol column. tcp.reassembled_in
 * is not given: tshark's one pass (-r without -2) does not give it either.
 *
 * A PDU whose length is REASM_UNTIL_FIN takes every later segment of its direction and ends
 * with the segment that carries the FIN (with data or without: the FIN's frame decodes it and
 * is one of its tcp.segment frames); over REASM_PDU_MAX it is dropped like any other.
 *
 * Limits (bounded state, hostile lengths): in-order data. A retransmission (tshark's
 * analysis flags, or a sequence number before the expected one) is not appended twice. After
 * a gap (a lost segment) inside a PDU of known length, as tshark 4.0: the next segments up to
 * its end are its segments ("[TCP segment of a reassembled PDU]"), and the lost bytes coming
 * late (from the hole's start) complete it in their frame with the reassembled fields but no
 * decode (tshark decodes nothing in a retransmitted or out-of-order segment); one hole a PDU,
 * a second gap or a PDU of unknown length abandons it. At most REASM_SLOTS PDUs are pending at once
 * (the least recently used is dropped for a new one), each at most REASM_PDU_MAX bytes and
 * REASM_MAX_SEGS segments: a longer PDU is not reassembled and the segment says so ("[PDU of N
 * bytes not reassembled: over capscope's bound]"), the frames decode as they would with reassembly
 * off. Memory is at most REASM_SLOTS * REASM_PDU_MAX.
 *
 * Ownership: one struct reasm per pass over a capture, used by one thread. d->alt points into
 * it and stays valid until the next reasm_packet() or reasm_free().
 */
#ifndef CAPSCOPE_REASM_H
#define CAPSCOPE_REASM_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

#define REASM_SLOTS    64
#define REASM_PDU_MAX  65536u
#define REASM_MAX_SEGS 128u

/* A PDU length callback's answers besides a length. */
#define REASM_NEED_MORE 0u         /* the bytes so far do not tell the length yet */
#define REASM_NOT_MINE  UINT32_MAX /* these bytes do not start a PDU of the protocol */
/* the PDU runs until the sender's FIN (tshark's DESEGMENT_UNTIL_FIN: an HTTP response with
 * neither Content-Length nor a chunked body); a length callback's other answers are below */
#define REASM_UNTIL_FIN (UINT32_MAX - 1)

struct sbuf;

struct reasm_proto {
	uint16_t proto; /* enum proto, as the dissector sets d->pdu_proto */
	/* The whole length of the PDU that starts at p[0..n): a length, REASM_NEED_MORE or
	 * REASM_NOT_MINE. Called on the first bytes and again as more arrive. */
	uint32_t (*pdu_len)(const uint8_t *p, uint32_t n);
	/* Decodes c (the PDU, or the rest of a segment after one) as the protocol. */
	void (*dissect)(struct dissection *d, struct cursor *c, uint32_t plen);
	/* Optional: the Info of a segment whose PDU is not whole yet, from the PDU's bytes so
	 * far, before tshark's " [TCP segment of a reassembled PDU]"; false leaves TCP's Info.
	 * NULL: the note alone (TLS). */
	bool (*pending_info)(struct sbuf *b, const uint8_t *p, uint32_t n);
	/* Optional: the PDU's length when a FIN ends the stream after p[0..n) while it asked for
	 * more (tshark hands it the bytes with end_of_stream: HTTP then takes no body past them),
	 * at most n; REASM_NEED_MORE if it still cannot be decoded. */
	uint32_t (*eos_len)(const uint8_t *p, uint32_t n);
};

struct reasm;
struct stream_mark;

/* NULL when out of memory. Buffers grow as PDUs need them, up to the bound above.
 * `desegment` false (--no-reassembly): no PDU is collected, only per-stream protocol state
 * that tshark keeps either way (TLS's session version for the Protocol column). */
struct reasm *reasm_create(bool desegment);
void reasm_free(struct reasm *r);

/* The TLS handshake reassembly table kept beside the PDUs (tls_hsr.h), for d->tls_hsr of the
 * dissections this pass makes; reasm_packet() tells it each frame's number. */
struct tls_hsr *reasm_tls_hsr(struct reasm *r);

/* Takes the packet's part in a pending PDU (see above) and rewrites d accordingly; a packet
 * that is no TCP segment of a stream, or has no payload, is left alone. `frame` is
 * frame.number. */
void reasm_packet(struct reasm *r, struct dissection *d, const struct stream_mark *mk,
                  uint64_t frame);

#endif
