/*
 * model_ctxrows.h - list rows decoded in context, as headless --print decodes them: the list
 * decodes each row alone, but some rows need what came before them in the capture. The
 * stream pass (model_streams.c) hands every packet over in store order:
 *   - a UDP datagram that may be QUIC (a long header, or a conversation already taken as
 *     QUIC) is decoded again with the pass's connection table (decode/quic_conn.h), so a
 *     server's Initial and short headers after the client's Initial are QUIC;
 *   - a TCP segment with data (or a FIN) is decoded again with the pass's PDU reassembly
 *     (decode/reasm.h, the TLS handshake messages across records with it), so a ClientHello
 *     over two segments is "[TCP segment of a reassembled PDU]" then "Client Hello (SNI=...)".
 * The Protocol column and Info of the rows this changes are kept for the list
 * (model_ctxrows_summary()), notes and all: the list shows a kept row as it is.
 *
 * Bounds: the connection table and the reassembly are headless's (QUIC_MAX_CONNS, REASM_*);
 * the kept summaries take at most MODEL_CTXROWS_MAX_BYTES (about 80 bytes a row), after which
 * later rows are decoded alone, as before, until the spill file's ring drops enough of the
 * rows kept. Reset with the store. UI thread only.
 */
#ifndef CAPSCOPE_MODEL_CTXROWS_H
#define CAPSCOPE_MODEL_CTXROWS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"
#include "decode/stream.h"

#define MODEL_CTXROWS_MAX_BYTES (64u << 20)

struct model_ctxrows;

/* NULL when out of memory. */
struct model_ctxrows *model_ctxrows_create(void);
void model_ctxrows_free(struct model_ctxrows *q);
/* Forgets every connection and summary (the store was cleared). */
void model_ctxrows_reset(struct model_ctxrows *q);
/* Store packet `index` (indexes come in increasing order), whose transport td decoded. */
void model_ctxrows_quic(struct model_ctxrows *q, uint64_t index, const struct dissection *td,
                        int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);
/* Store packet `index` (increasing order), whose transport td decoded and the pass's stream
 * table marked mk (a TCP segment's), read again with the pass's reassembly. */
void model_ctxrows_tcp(struct model_ctxrows *q, uint64_t index, const struct dissection *td,
                       const struct stream_mark *mk, int linktype, const uint8_t *data,
                       uint32_t caplen, uint32_t len);
/* Store packets before `first` left: their summaries go (the space is taken back once they
 * are half of what is kept, so the bound holds rows that are still listed). */
void model_ctxrows_drop_head(struct model_ctxrows *q, uint64_t first);
/* Bytes of memory the kept summaries hold. */
size_t model_ctxrows_memory(const struct model_ctxrows *q);
/* The pass's Protocol column and Info for packet index into sum; false if it kept none. */
bool model_ctxrows_summary(const struct model_ctxrows *q, uint64_t index, struct summary *sum);

#endif
