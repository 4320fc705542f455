/*
 * dissect.h - decode one packet into a field tree and a one-line summary.
 *
 * Call order: dissect() fills a caller-owned struct dissection (no allocation, reusable;
 * zeroed before its first use, static or calloc'ed, as quic_conns is read, not reset);
 * then read d->f[0..nf) for the tree, d->sum for the list columns, d->malformed for the
 * reason a decode is partial. `data` must stay valid while the dissection is used: FT_MAC,
 * FT_IPV4, FT_IPV6 and FT_BYTES fields point into it. Any thread may dissect, each with its
 * own struct dissection.
 *
 * Untrusted input: dissectors read only through struct cursor; nothing is read past caplen;
 * loops are bounded (encapsulation depth, option counts, DNS labels and pointers).
 */
#ifndef CAPSCOPE_DISSECT_H
#define CAPSCOPE_DISSECT_H

#include "decode/cursor.h"
#include "decode/field.h"

#define DISS_MAX_FIELDS 1024
#define DISS_TEXT_SIZE  4096
/* Decrypted QUIC Initial payloads of one datagram and their joined CRYPTO data (quic.c). */
#define DISS_QUIC_BUF 8192
/* HTTP's storage for alt (http_chunked.h): a copy of what alt showed (a reassembled PDU, at
 * most 64 KiB), then a dechunked body (at most its message) */
#define DISS_BODY_BUF (2u * 65536u)
/* Encapsulation depth: IP in IP, an ICMP quote, each VLAN tag, each MPLS label and each
 * Ethernet frame inside a tunnel count one. */
#define DISS_MAX_NEST 8

enum proto {
	P_NONE = 0,
	P_FRAME,
	P_ETH,
	P_VLAN,
	P_SLL,
	P_SLL2,
	P_NULL,
	P_RAW,
	P_ARP,
	P_IPV4,
	P_IPV6,
	P_UDP,
	P_TCP,
	P_ICMP,
	P_ICMPV6,
	P_DNS,
	P_GRE,
	P_VXLAN,
	P_MPLS,
	P_PPPOED,
	P_PPPOES,
	P_PPP,
	P_ERSPAN,
	P_DHCP,  /* also the layer of a BOOTP message */
	P_BOOTP, /* the Protocol column of a BOOTP message (no DHCP message type) */
	P_DHCPV6,
	P_NTP,
	P_HTTP,
	P_SSDP, /* HTTP over UDP 1900: its own protocol to tshark, with http.* fields */
	P_QUIC,
	/* TLS (tls.c): P_TLS is the layer; the P_TLS_COL_* rows only name the Protocol column as
	 * tshark does from the session's version ("SSL" while it is unknown) */
	P_TLS,
	P_TLS_COL_SSL,
	P_TLS_COL_SSLV3,
	P_TLS_COL_TLSV1,
	P_TLS_COL_TLSV11,
	P_TLS_COL_TLSV12,
	P_TLS_COL_TLSV13,
	P_DATA,
	P_PROCESS, /* the local process (decode/process.h): not in the packet's bytes */
	P_COUNT
};

/* Short protocol name for the list ("UDP", "ICMPv6"), and the tree's layer title. */
const char *proto_name(enum proto p);
/* A protocol's display filter name ("ip"), "" for P_NONE. */
const char *proto_filter_name(enum proto p);
/* The protocol tshark's display filters call name[0..n) ("ip", "icmpv6", "sll"), or P_NONE. */
enum proto proto_lookup(const char *name, size_t n);

/* The innermost TCP header that is not in a quoted packet, for stream analysis (stream.h);
 * valid when `ok` and sum.transport is P_TCP. Written in dissect_summary() too. */
struct sum_tcp {
	uint32_t seq, ack;
	uint32_t seglen; /* tcp.len */
	uint16_t flags;
	uint16_t win;    /* the raw window field */
	int8_t wscale;   /* the window scale option's shift, -1 if absent */
	bool ok;         /* the fixed header was read whole */
	uint32_t sacked; /* bytes the SACK option's blocks span (right - left, summed), 0 if none */
	/* tshark's th_have_seglen: false for a first IP fragment or a segment shorter than its
	 * header, which tshark neither numbers relatively nor analyses (stream_annotate.c) */
	bool has_seglen;
	bool opts_cut; /* the options were cut by the capture: tshark's SEQ/ACK tree is lost */
};

/* The longest TCP Info, "Flags [FSRP.UEW], seq 4294967295, ack 4294967295, win 65535, length
 * 4294967295", and its NUL. */
#define TCP_INFO_MAX 80
/* tcpdump's line of header t, TCP's Info ("Flags [S.], seq 1, ack 2, win 512, length 0"), into
 * out (TCP_INFO_MAX bytes, NUL-terminated); returns its length. tcp.c writes it as a packet's
 * Info, and --print's writer thread for a dissection that left it unwritten (defer_tcp_info). */
size_t tcp_info_text(char *out, const struct sum_tcp *t);

/* An ICMP or ICMPv6 echo request or reply that is not quoted in an error, for request/reply
 * matching (decode/echo_match.h); `proto` is 0 for any other packet. */
struct sum_echo {
	uint16_t proto; /* P_ICMP or P_ICMPV6 */
	bool reply;
	uint16_t checksum, ident, seq; /* as in the header */
	uint32_t layer_end;            /* the frame offset where the ICMP header ends */
};

struct dissection;

/* What the packet list shows; written by the innermost layer that is not a quoted packet. */
struct summary {
	uint16_t proto;     /* enum proto for the Protocol column */
	uint16_t net;       /* what src/dst hold: P_IPV4 (4 bytes), P_IPV6 (16), else MAC (6) */
	uint8_t src[16];    /* network (or link) source address */
	uint8_t dst[16];    /* network (or link) destination address */
	uint16_t transport; /* P_UDP or P_TCP when the innermost non-quoted transport is one
	                     * (set with its ports), else P_NONE; reset by each network layer */
	uint16_t sport;     /* transport ports, valid when has_ports */
	uint16_t dport;
	bool has_ports;
	bool has_addrs; /* false: no address known (e.g. truncated link header) */
	/* The innermost non-quoted TCP or UDP header was read whole (options too): its payload
	 * is data[payload_off, payload_off + payload_len), the captured bytes only (cut by the
	 * snapshot length, never past the IP or UDP length). Reset with the addresses. */
	bool has_payload;
	uint32_t payload_off, payload_len;
	struct sum_tcp tcp;
	/* The innermost non-quoted UDP header was read whole with a length tshark takes (8 or
	 * more, or 0 over IPv6: a jumbogram, RFC 2675): only then does it get a udp.stream. */
	bool udp_ok;
	struct sum_echo echo;
	char info[200]; /* protocol-specific text, untrusted bytes already escaped; NUL-ended
	                 * (what follows the NUL is left from earlier packets) */
	/* Info still to be written (sum_info_later() in dissector.h): the layer's formatter and
	 * what it needs; NULL once written or replaced. Only inside dissect*(), but for TCP's
	 * Info under defer_tcp_info (dissect_info_deferred()). */
	void (*info_later)(struct dissection *d);
	uint32_t info_arg[2];
};

#define DISS_MALFORMED_MAX 64 /* the malformed reason's buffer, NUL included */

struct dissection {
	const uint8_t *data;
	uint32_t caplen;
	uint32_t len;
	int linktype;

	struct field f[DISS_MAX_FIELDS];
	uint16_t nf;
	bool tree; /* false (dissect_summary): only layer nodes are kept, for the summary line */
	bool lean; /* dissect_transport(): no Info text, no application layer */
	bool fields_full; /* more fields were decoded than fit; the tree is cut */

	char text[DISS_TEXT_SIZE];
	uint16_t ntext;

	struct summary sum;

	uint8_t nest;   /* current encapsulation depth */
	uint8_t quoted; /* > 0 while decoding a packet quoted inside an ICMP error */

	/* First problem found, short and stable: "truncated udp", "invalid ip.hdr_len 4". */
	char malformed[DISS_MALFORMED_MAX];

	/* ---- TCP PDUs (decode/reasm.h) ---- */
	/* Bytes that are not the frame's own (a reassembled PDU, a decrypted payload): a field
	 * flagged FF_ALT indexes them, not data (fld_data()). Set while in_alt, fld_add() flags
	 * what it adds FF_ALT and bounds it by alt_len. */
	const uint8_t *alt;
	uint32_t alt_len;
	bool in_alt;
	/* Set by the caller (dissect_pdus()): a PDU that runs past its segment is left to
	 * reassembly (pdu_off, pdu_need) instead of being decoded partly or dropped */
	bool desegment;
	/* Set by a caller that writes TCP's Info itself, from sum.tcp (print_pipe.c, on its writer
	 * thread, off the busier decoding thread): a dissection whose Info would be
	 * TCP's line leaves sum.info empty and dissect_info_deferred() true. Whatever reads or
	 * changes sum.info after dissect*() returned calls dissect_info_write() first. */
	bool defer_tcp_info;
	/* Set by a caller whose output names no TLS fingerprint (-T fields, -Y without one):
	 * tls.handshake.ja3/ja3s/ja4 are not computed (digests cost ~35k instructions a hello) */
	bool no_fingerprints;
	/* Written by an application dissector: the frame offset where an incomplete PDU starts
	 * and its whole length (0: not known yet, "need more bytes"); pdu_off is UINT32_MAX if
	 * none. The reasm pass takes it from there. */
	uint32_t pdu_off, pdu_need;
	uint16_t pdu_proto;    /* enum proto of the dissector that asked */
	uint16_t app_nf;       /* first field after the TCP header's fields (tcp.c) */
	uint16_t app_end;      /* d->nf when dissect() returned */
	uint16_t tls_version;  /* a ServerHello's chosen version in this packet (tls.c), else 0 */
	uint16_t tls_last_ver; /* the last TLS record's version, for the Protocol column */
	uint16_t tls_layer;    /* the TLS layer's node (tls.c) */
	/* the first record in this packet whose version a conversation would take as its own
	 * (tshark's ssl_try_set_version(): not a ClientHello), else 0 (tls.c, for tls_conv.h) */
	uint16_t tls_auth_ver;
	/* where tls_dissect() met bytes that start no record after records of the segment, else
	 * 0: tls_conv.h decodes the rest once the stream's version is known */
	uint32_t tls_stop;
	/* the stream's TLS session version while tls_conv.c decodes a record, else 0 */
	uint16_t tls_session_ver;
	/* A buffer of TCP stream bytes other than the frame's (reasm.c's reassembled PDU) and
	 * the sequence number of its first byte; seq_base NULL when none (reset by dissect()) */
	const uint8_t *seq_base;
	uint32_t seq_base_seq;
	/* TLS handshake messages pending across records (tls_hsr.h), set like quic_conns by a
	 * caller that dissects a capture in order (never reset by dissect()); NULL: none */
	struct tls_hsr *tls_hsr;

	/* QUIC's storage for alt: decrypted Initial payloads, then joined CRYPTO data */
	uint8_t quic_buf[DISS_QUIC_BUF];
	/* HTTP's storage for alt: the bytes alt showed, then a dechunked body (http_chunked.h) */
	uint8_t body_buf[DISS_BODY_BUF];
	/* QUIC connections seen so far, set by a caller that dissects a capture in order (never
	 * reset by dissect()); NULL decodes each datagram alone (quic_conns_create()) */
	struct quic_conns *quic_conns;
};

/* The bytes a field's off/len index: the frame's, or the alt bytes for an FF_ALT field;
 * NULL when [off, off+len) is not inside them. */
static inline const uint8_t *fld_data(const struct dissection *d, const struct field *f)
{
	bool alt = (f->flags & FF_ALT) != 0;
	const uint8_t *base = alt ? d->alt : d->data;
	uint32_t lim = alt ? d->alt_len : d->caplen;

	if (!base || f->off > lim || f->len > lim - f->off)
		return NULL;
	return base + f->off;
}

/* The length of the bytes an FF_ALT (or frame) field's offsets index. */
static inline uint32_t fld_limit(const struct dissection *d, const struct field *f)
{
	return (f->flags & FF_ALT) ? d->alt_len : d->caplen;
}

/* True if a layer of protocol `layer` in d is what tshark's filter name of `wanted` stands for:
 * SLL2 layers are "sll" as SLL ones are; DNS on the mDNS and LLMNR ports is not "dns". */
bool proto_layer_is(const struct dissection *d, enum proto layer, enum proto wanted);

/* Decodes one packet of link type `linktype` (a DLT_ value). Never fails: a packet that
 * cannot be decoded yields a partial tree and d->malformed. */
void dissect(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
             uint32_t len);

/* As dissect(), for the one-line summary alone (--print): the same decoding, but only the
 * layer nodes go into d->f, which saves recording every field. d->sum and d->malformed are
 * exactly those dissect() gives. */
/* As dissect_summary(), for what names a packet's stream (the monitor's stream pass): the
 * addresses, ports, TCP header facts and payload window of d->sum are those dissect() gives;
 * the Info text stays empty and application layers (DNS) are not decoded. Tunnels are still
 * followed, so the innermost transport is the same. */
void dissect_transport(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
                       uint32_t len);
void dissect_summary(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
                     uint32_t len);

/* The QUIC connection memory a caller keeps in d->quic_conns while it dissects a capture
 * in order (tshark's view of later datagrams of a connection); NULL when out of memory. */
struct quic_conns *quic_conns_create(void);
void quic_conns_free(struct quic_conns *t);
/* After d (its dissection) was numbered frame.number `frame`: the handshake fragments it
 * kept, and its tls.handshake.fragment fields, get the number (call once a packet, as
 * reasm_packet() is called). */
void quic_conns_frame(struct quic_conns *t, struct dissection *d, uint64_t frame);
/* As dissect() (tree) or dissect_summary() (!tree), with TCP PDU desegmentation: an
 * application PDU that runs past its segment is not decoded here but left to reasm.h. */
void dissect_pdus(struct dissection *d, bool tree, int linktype, const uint8_t *data,
                  uint32_t caplen, uint32_t len);

/* True if d's Info is TCP's line of d->sum.tcp, left unwritten (d->defer_tcp_info). */
bool dissect_info_deferred(const struct dissection *d);
/* Writes an Info left unwritten into d->sum.info; nothing if there is none. */
void dissect_info_write(struct dissection *d);

/* True if capscope has a dissector for this link type. */
bool dissect_linktype_supported(int linktype);

#endif
