/*
 * tls_conv.h - what a TCP stream already known to carry TLS makes of a segment, as tshark 4.0
 * does once a conversation is TLS's: its session version (the first record of an authoritative
 * type, then a ServerHello's choice) and the decode of bytes that start no record (the rest of
 * a record begun in an earlier segment, a record type it does not know, SSLv2-looking bytes).
 *
 * Call order, per packet in capture order, from reasm_packet() (reasm.h) with the packet's
 * stream: tls_conv_segment() before reassembly takes the segment, tls_conv_column() after.
 * State is bounded: one slot per stream number modulo TLS_CONV_SLOTS (a collision forgets the
 * older stream, which then decodes as an unknown one). One struct per pass, one thread.
 */
#ifndef CAPSCOPE_TLS_CONV_H
#define CAPSCOPE_TLS_CONV_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

#define TLS_CONV_SLOTS 4096u

struct tls_conv;

/* NULL when out of memory. */
struct tls_conv *tls_conv_create(void);
void tls_conv_free(struct tls_conv *t);

/* True once a segment of the stream was TLS (tshark sets the conversation's dissector). */
bool tls_conv_is_tls(struct tls_conv *t, uint32_t stream);

/* The stream's session version: a ServerHello's choice or the first authoritative record's
 * version (0x0300..0x0304), 0 while unknown. */
uint16_t tls_conv_version(struct tls_conv *t, uint32_t stream);

/* True if tshark's TLS takes a segment starting with p[0..n) at all: not four printable
 * bytes first (packet-tls.c: "unencrypted text, so assume it's not ours"). */
bool tls_conv_takes(const uint8_t *p, uint32_t n);

/* Decodes c (a segment's bytes from a point where no record was decoded yet; plen bytes
 * declared from there) as tshark decodes a conversation of session version `ver` (0 unknown):
 * records, "Continuation Data", "Ignored Unknown Record", a record left to reassembly with
 * d->desegment. Adds a TLS layer; the Protocol column is the version's. */
void tls_conv_dissect(struct dissection *d, struct cursor *c, uint32_t plen, uint16_t ver);
/* The same inside the TLS layer tls_dissect() made, from where it met bytes that start no
 * record (d->tls_stop): its records are decoded and its Info goes on. */
void tls_conv_rest(struct dissection *d, struct cursor *c, uint32_t plen, uint16_t ver);

/* After the packet's decode: learns the stream's TLS facts from it and names the Protocol
 * column by the session version (tshark: the version once known, else the record's). */
void tls_conv_column(struct tls_conv *t, struct dissection *d, uint32_t stream);

#endif
