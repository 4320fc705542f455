/*
 * model_quic.h - QUIC connections in the monitor's list, as headless --print follows them:
 * the stream pass (model_streams.c) hands every packet over in store order; a UDP datagram
 * that may be QUIC (a long header, or a conversation already taken as QUIC) is decoded
 * again with the pass's connection table (decode/quic_conn.h), so a server's Initial and
 * short headers after the client's Initial are QUIC. Its Protocol column and Info are kept
 * for the list, which decodes each row alone (model_quic_summary()).
 *
 * Bounds: the connection table is headless's (QUIC_MAX_CONNS, the oldest reused); the kept
 * summaries take at most MODEL_QUIC_MAX_BYTES (about 80 bytes a QUIC packet), after which later
 * packets' rows are decoded alone, as before. Reset with the store. UI thread only.
 */
#ifndef CAPSCOPE_MODEL_QUIC_H
#define CAPSCOPE_MODEL_QUIC_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

#define MODEL_QUIC_MAX_BYTES (64u << 20)

struct model_quic;

/* NULL when out of memory. */
struct model_quic *model_quic_create(void);
void model_quic_free(struct model_quic *q);
/* Forgets every connection and summary (the store was cleared). */
void model_quic_reset(struct model_quic *q);
/* Store packet `index` (indexes come in increasing order), whose transport td decoded. */
void model_quic_packet(struct model_quic *q, uint64_t index, const struct dissection *td,
                       int linktype, const uint8_t *data, uint32_t caplen, uint32_t len);
/* The pass's Protocol column and Info for packet index into sum; false if it kept none. */
bool model_quic_summary(const struct model_quic *q, uint64_t index, struct summary *sum);

#endif
