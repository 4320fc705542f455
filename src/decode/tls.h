/*
 * tls.h - Transport Layer Security (RFC 8446, RFC 5246): records over TCP, handshake messages
 * (ClientHello, ServerHello with their extensions, JA3/JA3S/JA4), alerts, change cipher spec,
 * application data. Field names are tshark 4.0's (tls.*); tls.handshake.ja4 is Wireshark
 * 4.4's name for the JA4 fingerprint (FoxIO's JA4 spec), which 4.0 lacks.
 *
 * Entry points: tls_looks() (the heuristic: any TCP port), tls_dissect() (a segment's records,
 * or a reassembled record: reasm.h), tls_pdu_len() (reassembly's length callback) and
 * tls_handshake_dissect() for QUIC, whose CRYPTO frames carry handshake messages without
 * records.
 */
#ifndef CAPSCOPE_TLS_H
#define CAPSCOPE_TLS_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

/* True if the bytes at c start like a TLS record: content type 20..23, version 3.0..3.4,
 * a length of 1..2^14+2048. */
bool tls_looks(const struct cursor *c);
/* Records from c until its end. With d->desegment, a record past the end is left to
 * reassembly (d->pdu_off); without, it is not decoded (as tshark without desegmentation). */
void tls_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
/* reasm.h's PDU length: 5 + the record length; REASM_NEED_MORE under 5 bytes. */
uint32_t tls_pdu_len(const uint8_t *p, uint32_t n);
/* Handshake messages from c until its end, at `depth` (their fields one deeper). `quic`:
 * JA4's first letter is 'q', not 't'. A lying length is flagged on the layer d->tls_layer
 * (the caller's layer node: QUIC sets it to its own). Over bytes that are not the frame's
 * (QUIC's decrypted CRYPTO data), set d->alt, alt_len and in_alt around the call. */
void tls_handshake_dissect(struct dissection *d, struct cursor *c, unsigned depth, bool quic);

/* The Protocol column for a version (0x0303 "TLSv1.2"; "SSL" for others), and whether an
 * enum proto is one of those columns. */
uint16_t tls_column_proto(uint16_t version);
bool tls_is_column(uint16_t proto);

#endif
