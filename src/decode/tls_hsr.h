/*
 * tls_hsr.h - TLS handshake messages reassembled across records (tls_hsr.c), as tshark 4.0
 * does: a message that runs past its record waits for the next handshake records of the
 * same direction of the same TCP connection, and is decoded whole in the frame whose record
 * brings its last byte, under tls.handshake.fragments (one tls.handshake.fragment frame
 * number per record, tls.handshake.fragment.count).
 *
 * Who owns what: one table per pass over a capture in order (reasm.h creates it beside its
 * PDUs: reasm_tls_hsr()); the caller puts it in d->tls_hsr before dissecting, and a
 * dissection without one decodes each record alone ("[Certificate Fragment]"). One thread.
 *
 * Bounds: at most TLS_HSR_DIRS directions are remembered, in sets of TLS_HSR_WAYS chosen by a
 * hash of their addresses and ports (a new one forgets its set's least recently used, its
 * pending message with it); a
 * pending message is at most TLS_HSR_MSG_MAX bytes (tshark takes a longer one for encrypted bytes,
 * tls.c) in at most TLS_HSR_FRAGS records. Bytes the direction sent before (a retransmission) are
 * not appended twice: the table keeps each direction's next TCP sequence number.
 */
#ifndef CAPSCOPE_TLS_HSR_H
#define CAPSCOPE_TLS_HSR_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

#define TLS_HSR_DIRS    256
#define TLS_HSR_WAYS    8
#define TLS_HSR_MSG_MAX (4u + 0xffffu)
#define TLS_HSR_FRAGS   256u

struct tls_hsr;

struct tls_hsr *tls_hsr_create(void);
void tls_hsr_free(struct tls_hsr *t);

/* The frame the last dissection was of is frame.number `frame` (reasm_packet() says so,
 * after dissect): the fragments it added, and its tls.handshake.fragment fields, get it. */
void tls_hsr_frame(struct tls_hsr *t, struct dissection *d, uint64_t frame);
/* d's tls.handshake.fragment fields of the frame being dissected (value 0) get `frame` (QUIC's
 * fragments too: quic_conns_frame()). */
void tls_hsr_number_fields(struct dissection *d, uint64_t frame);

/* For tls.c, before each handshake record's body c (over the frame's segment or a PDU of
 * reasm.c's): finds the record's direction and whether its bytes are new. */
void tls_hsr_record(struct dissection *d, const struct cursor *c);
/*
 * Then, one handshake record's body c (len bytes, all captured) of a TCP record (not
 * QUIC): when the direction has a message pending, takes the record's part of it (the whole
 * record, or up to the message's end), adds the fragment's fields and, when the message is
 * complete, its fields decoded over the reassembled bytes (through `whole`); c is moved past
 * the part taken. Returns false when nothing was pending (c untouched).
 */
bool tls_hsr_continue(struct dissection *d, struct cursor *c, unsigned depth,
                      void (*whole)(struct dissection *d, struct cursor *msg, unsigned depth));
/* A message that starts at c and runs past the record's end (or whose header does): its
 * first part is kept, pending. False when there is no table (nothing kept). */
bool tls_hsr_start(struct dissection *d, struct cursor *c, unsigned depth);

#endif
