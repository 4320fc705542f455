/*
 * http_chunked.h - HTTP/1.1 chunked transfer coding (RFC 9112 7.1) read as tshark 4.0 reads
 * it (not a public API: http.c's helper).
 *
 *   chunked-body = *( chunk-size [ ";" ext ] CRLF chunk-data CRLF ) "0" [ ";" ext ] CRLF
 *                  *( trailer-line CRLF ) CRLF
 *
 * tshark reads sizes twice, differently, and capscope follows both: reassembly (its
 * req_resp_hdrs.c) with sscanf("%x"), giving up on a size it cannot read or over 2^31 (the
 * message is then decoded with the bytes there are), and ending the message one line after
 * the zero chunk; the dissector with (guint32)strtol(..., 16), a size over the bytes left cut
 * to them, the 2 bytes after a chunk taken as its boundary whatever they are, trailer lines
 * up to an empty one. A chunk that runs past the message is tshark's exception: the fields
 * so far stay, the message stops there ("[Malformed Packet]").
 *
 * Bounded: every loop moves forward through the bytes it was given and reads nothing past
 * them; the dechunked body goes into d->body_buf (DISS_BODY_BUF), after a copy of the bytes
 * d->alt showed, so the fields already on them keep their offsets.
 */
#ifndef CAPSCOPE_HTTP_CHUNKED_H
#define CAPSCOPE_HTTP_CHUNKED_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

/* The chunked body at p[0..n) as a message's reassembly sees it: -1 while more bytes are
 * needed, else the bytes of the message the dissector then takes (all n when a chunk runs
 * past them: nothing after it is decoded). */
int64_t http_chunked_len(const uint8_t *p, uint32_t n);
/* The bytes the dissector takes of the chunked body at p[0..n) (all n when a chunk runs past
 * them), reassembled or not: for a message whose stream ends there (tshark's end_of_stream). */
int64_t http_chunked_used(const uint8_t *p, uint32_t n);

/* What http_chunked_dissect() read. */
struct http_chunked {
	uint32_t used;     /* bytes of the chunked body consumed (0: none; no body follows) */
	uint32_t body_off; /* the dechunked body at d->alt + body_off (when stored) */
	uint32_t body_len; /* its length */
	bool stored;       /* it fits DISS_BODY_BUF and d->alt shows it */
	bool fault;        /* a chunk ran past the bytes (tshark's exception) */
	uint32_t fault_off, fault_size; /* where, and the size its line claimed */
};

/* Adds the chunk fields (http.chunk_size, chunk_data, chunk_boundary, chunked_trailer_part)
 * for the body in c's window at `depth`, and stores the dechunked body. */
void http_chunked_dissect(struct dissection *d, const struct cursor *c, unsigned depth,
                          struct http_chunked *out);

#endif
