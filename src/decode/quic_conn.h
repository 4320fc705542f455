/*
 * quic_conn.h - QUIC connection memory across datagrams (quic_conn.c), for quic.c. The
 * table is owned by whoever dissects packets in capture order (d->quic_conns); a
 * dissection without one decodes each datagram alone.
 */
#ifndef CAPSCOPE_QUIC_CONN_H
#define CAPSCOPE_QUIC_CONN_H

#include <stdbool.h>
#include <stdint.h>

#include "decode/dissect.h"

#define QUIC_CID_MAX   20
#define QUIC_MAX_CONNS 256
/* The start of a handshake message split across Initials kept per side (a ClientHello
 * with a post-quantum key share is 1.5 to 2 KB) */
#define QUIC_CRYPTO_KEEP 4096
/* The packets whose CRYPTO data a kept message start came in, per side (more: not kept) */
#define QUIC_HS_FRAGS 32

struct quic_conn {
	bool used;
	uint16_t net, cport, sport; /* net: P_IPV4 or P_IPV6 */
	uint8_t caddr[16], saddr[16];
	uint32_t version; /* the version the Initial keys are made for */
	uint8_t odcid[QUIC_CID_MAX], cscid[QUIC_CID_MAX], sscid[QUIC_CID_MAX];
	uint8_t odcil, cscil, sscil;
	bool short_seen;    /* a short header was decoded (tshark reports its failure once) */
	uint32_t hs_len[2]; /* [0] client, [1] server: CRYPTO data kept from offset 0 */
	bool hs_done[2];    /* the stream's first message was handed on */
	uint8_t hs[2][QUIC_CRYPTO_KEEP];
	/* tls.handshake.fragment: the frames the kept bytes came in (0: the frame being
	 * dissected, numbered by quic_conns_frame()) */
	uint8_t hs_nfrag[2];
	uint64_t hs_frame[2][QUIC_HS_FRAGS];
};

/* A UDP conversation taken as QUIC (either way). */
struct quic_conv {
	bool used;
	uint16_t net, pa, pb;
	uint8_t a[16], b[16];
};

#define QUIC_MAX_CONVS    256
#define QUIC_CONV_BUCKETS 4096 /* a counting filter over the marks: most UDP is not QUIC */

struct quic_conns {
	struct quic_conn c[QUIC_MAX_CONNS];
	unsigned next;
	struct quic_conv v[QUIC_MAX_CONVS];
	unsigned vnext;
	/* marks per bucket of a hash that is the same both ways: a datagram whose bucket holds
	 * none is not in a marked conversation, without scanning the 256 marks */
	uint16_t vcount[QUIC_CONV_BUCKETS];
	bool unnumbered; /* the last dissection kept a fragment of frame 0 */
};

/* Whether s's UDP conversation was taken as QUIC; marks it (the oldest mark is reused). */
bool quic_conv_is(const struct quic_conns *t, const struct summary *s);
void quic_conv_mark(struct quic_conns *t, const struct summary *s);
/* A short header's connection: its DCID (pkt + 1, n bytes from the first) among the CIDs
 * both sides chose (*from_server: the client's), else the conversation's. */
struct quic_conn *quic_conn_find_short(struct quic_conns *t, const struct summary *s,
                                       const uint8_t *pkt, uint32_t n, bool *from_server);

/* The connection between s's endpoints, either way (*from_server: s is from the server). */
struct quic_conn *quic_conn_find(struct quic_conns *t, const struct summary *s, bool *from_server);
/* tshark's lookup of a long header's connection: a DCID among the client's SCIDs (then from
 * the server), the server's (from the client), for a 0-RTT or client Initial the clients'
 * first DCIDs; a zero-length DCID by the conversation. NULL if none. */
struct quic_conn *quic_conn_find_cid(struct quic_conns *t, const struct summary *s,
                                     const uint8_t *dcid, uint8_t dcil, bool zero_rtt, bool initial,
                                     bool *from_server);
/* A new connection whose client is s's source, replacing the oldest when full. */
struct quic_conn *quic_conn_add(struct quic_conns *t, const struct summary *s, uint32_t version,
                                const uint8_t *dcid, uint8_t dcil);
/* The DCID the Initial keys come from: the client's first, or a Retry's SCID. */
void quic_conn_set_odcid(struct quic_conn *c, const uint8_t *dcid, uint8_t dcil);
void quic_conn_set_scid(struct quic_conn *c, bool server, const uint8_t *scid, uint8_t scil);

#endif
