/*
 * dissector.h - internal helpers shared by the protocol dissectors (not a public API).
 *
 * Anatomy of a dissector: it gets a cursor over its bytes (already narrowed by the layer
 * below) and `plen`, the payload length the layer below declared (it may exceed what was
 * captured). It adds its layer node with diss_layer(), reads every field with fld_*() (each
 * reads through the cursor and records off/len/value/key in one call; a failed read adds
 * nothing and leaves the cursor's sticky `truncated` flag set), calls diss_trunc() when the
 * flag is set, diss_invalid() when a value contradicts the spec (the layer then stops), and
 * hands its payload on through the const tables in dissect.c (diss_ethertype() ...).
 *
 * Fields are appended in reading order, outermost layer first, and a field takes the
 * protocol of the field before it, so a layer must not add fields after its inner layers
 * returned. Depth is relative: helpers add d->quoted, so a packet quoted in an ICMP error
 * nests under the ICMP layer. A full field array keeps its last slot as scratch: adding
 * never fails, later fields are dropped and d->fields_full is set.
 */
#ifndef CAPSCOPE_DISSECTOR_H
#define CAPSCOPE_DISSECTOR_H

#include <stddef.h>
#include <string.h>

#include "decode/dissect.h"

/* ---- fields (field.c) ---- */

/* fld_add()'s work when the field is kept (field.c). */
uint16_t fld_add_kept(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                      enum field_key key, enum field_type type, unsigned depth, uint64_t u);
/* Appends a field and returns its index (the scratch slot when full). A summary (no tree)
 * keeps only layer nodes: the others go to the scratch slot here, inline, because dissectors
 * add some 60 fields a packet and a summary line needs none of them. */
static inline uint16_t fld_add(struct dissection *d, uint32_t off, uint32_t len, const char *label,
                               enum field_key key, enum field_type type, unsigned depth, uint64_t u)
{
	if (!d->tree && type != FT_LAYER)
		return DISS_MAX_FIELDS - 1;
	return fld_add_kept(d, off, len, label, key, type, depth, u);
}
/* The fld_*() reads below with their field recorded (field.c): for a tree only. */
uint8_t fld_u8_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                    unsigned depth);
uint16_t fld_u16_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                      unsigned depth);
uint32_t fld_u32_tree(struct dissection *d, struct cursor *c, const char *label, enum field_key key,
                      unsigned depth);
uint32_t fld_hex_tree(struct dissection *d, struct cursor *c, unsigned nbytes, unsigned width,
                      const char *label, enum field_key key, unsigned depth);
const uint8_t *fld_addr_tree(struct dissection *d, struct cursor *c, enum field_type type,
                             const char *label, enum field_key key, unsigned depth);
const uint8_t *fld_bytes_tree(struct dissection *d, struct cursor *c, uint32_t n, const char *label,
                              enum field_key key, unsigned depth);
/* The reads that record a field. A summary (no tree) records none (fld_add()), so there each
 * is the cursor read alone, inline: the same value, the same sticky truncation. */
/* Reads and records an unsigned big-endian integer (FT_UINT); 0 on a failed read. */
static inline uint8_t fld_u8(struct dissection *d, struct cursor *c, const char *label,
                             enum field_key key, unsigned depth)
{
	return d->tree ? fld_u8_tree(d, c, label, key, depth) : cur_u8(c);
}
static inline uint16_t fld_u16(struct dissection *d, struct cursor *c, const char *label,
                               enum field_key key, unsigned depth)
{
	return d->tree ? fld_u16_tree(d, c, label, key, depth) : cur_be16(c);
}
static inline uint32_t fld_u32(struct dissection *d, struct cursor *c, const char *label,
                               enum field_key key, unsigned depth)
{
	return d->tree ? fld_u32_tree(d, c, label, key, depth) : cur_be32(c);
}
/* Reads nbytes (1, 2 or 4) big-endian as FT_HEX shown with `width` digits. */
static inline uint32_t fld_hex(struct dissection *d, struct cursor *c, unsigned nbytes,
                               unsigned width, const char *label, enum field_key key,
                               unsigned depth)
{
	if (d->tree)
		return fld_hex_tree(d, c, nbytes, width, label, key, depth);
	return nbytes == 1 ? cur_u8(c) : nbytes == 2 ? cur_be16(c) : cur_be32(c);
}
/* Reads an address (FT_MAC 6, FT_IPV4 4, FT_IPV6 16 bytes); NULL on a failed read. */
static inline const uint8_t *fld_addr(struct dissection *d, struct cursor *c, enum field_type type,
                                      const char *label, enum field_key key, unsigned depth)
{
	if (d->tree)
		return fld_addr_tree(d, c, type, label, key, depth);
	return cur_bytes(c, type == FT_MAC ? 6 : type == FT_IPV4 ? 4 : 16);
}
/* Reads n raw bytes (FT_BYTES); NULL on a failed read. */
static inline const uint8_t *fld_bytes(struct dissection *d, struct cursor *c, uint32_t n,
                                       const char *label, enum field_key key, unsigned depth)
{
	return d->tree ? fld_bytes_tree(d, c, n, label, key, depth) : cur_bytes(c, n);
}

/* ---- layers, truncation, invalid values (dissect.c) ---- */

/* Adds the layer node for protocol p at the cursor; returns its index for the calls below. */
uint16_t diss_layer(struct dissection *d, const struct cursor *c, enum proto p);
/* Sets the layer's byte length to what was read so far (call before handing off). */
void diss_layer_end(struct dissection *d, uint16_t layer, const struct cursor *c);
/*
 * A read ran past the captured bytes: adds "[|udp]" (FF_TRUNCATED), flags the layer and
 * sets d->malformed = "truncated udp" unless a problem was recorded before. A packet quoted
 * in an ICMP error is expected to be cut, so it is marked but does not set d->malformed.
 */
void diss_trunc(struct dissection *d, uint16_t layer, const struct cursor *c);
/*
 * A value contradicts the spec or another field: adds the field (FT_UINT `value`, flagged
 * FF_INVALID), flags the layer and sets d->malformed = "invalid <what> <value>" if unset.
 */
void diss_invalid(struct dissection *d, uint16_t layer, uint32_t off, uint32_t len,
                  const char *label, const char *what, uint32_t value);
/*
 * Counts one more encapsulation (IP in IP, a VLAN tag, an ICMP quote). Returns false, with
 * a "[nesting too deep]" node and d->malformed set, when DISS_MAX_NEST is reached.
 */
bool diss_nest(struct dissection *d, const struct cursor *c);
/*
 * The payload window of n declared bytes from the cursor (cur_sub). A window cut by the
 * capture is not yet a truncation: only a read that needs the missing bytes is, so the
 * flag cur_sub() sets is cleared here.
 */
struct cursor diss_window(const struct cursor *c, uint32_t n);
/*
 * The text arena (field.c): copies n bytes (NUL bytes allowed), NUL-terminated and preceded
 * by a 2-byte length; returns the offset for FT_STR (DISS_TEXT_EMPTY, "", when full).
 */
#define DISS_TEXT_EMPTY 2u
uint32_t diss_text(struct dissection *d, const char *s, size_t n);
/* The length diss_text() recorded for an FT_STR offset (0 for a bad offset). */
size_t diss_text_len(const struct dissection *d, uint64_t at);
/* Lowercase abbreviation used in "[|udp]" and "truncated udp". */
const char *diss_abbrev(enum proto p);

/* ---- hand-offs through the dispatch tables (dissect.c) ---- */

/* Decodes c as the protocol for an ethertype; unknown types become a data node. */
void diss_ethertype(struct dissection *d, struct cursor *c, uint16_t type, uint32_t plen);
/*
 * An Ethernet frame inside a tunnel (VXLAN, ERSPAN, GRE type 0x6558): counts one more
 * encapsulation, so a frame that carries itself ends at the nesting limit.
 */
void diss_inner_eth(struct dissection *d, struct cursor *c, uint32_t plen);
/* Decodes c as the payload of IP protocol `proto`; unknown ones become a data node. */
void diss_ipproto(struct dissection *d, struct cursor *c, uint8_t proto, uint32_t plen);
/* Decodes a UDP or TCP payload by port (lower port first); false if no dissector matched. */
bool diss_port(struct dissection *d, struct cursor *c, enum proto transport, uint16_t sport,
               uint16_t dport, uint32_t plen);
/* True if the UDP and TCP port tables are sorted by port, no port twice, as port_row() needs
 * (unit/test_dissect checks it, so a row added out of order fails a test, not a lookup). */
bool diss_port_tables_sorted(void);
/* The port diss_port() chose the application dissector by, for the innermost transport's
 * ports in d->sum (the lower one if it has a dissector); 0 without ports. */
uint16_t diss_app_port(const struct dissection *d);
/*
 * `plen` for a payload whose declared length is not known, such as the first fragment of a
 * datagram: the transport then trusts its own length field up to what was captured.
 */
#define DISS_PLEN_UNKNOWN UINT32_MAX
/* What a declared length `plen` leaves after `used` header bytes (0 if it was shorter);
 * DISS_PLEN_UNKNOWN stays unknown. */
uint32_t diss_plen_after(uint32_t plen, uint32_t used);
/* The rest of the window as a "Data" layer with one FT_BYTES field (nothing if empty). */
void diss_data(struct dissection *d, struct cursor *c);

/* ---- summary (summary.c): written only while !d->quoted ---- */

struct sbuf {
	char *p;
	size_t len;
	size_t cap;
};

/* Starts the summary of layer p: sets sum.proto, clears info; returns false if quoted. */
bool sum_begin(struct dissection *d, enum proto p);
/* Sets sum.net and the addresses (4 bytes for P_IPV4, 16 for P_IPV6, else 6). */
void sum_addrs(struct dissection *d, enum proto net, const uint8_t *src, const uint8_t *dst);
/* Sets the ports and sum.transport (P_UDP, P_TCP) of the innermost transport. */
void sum_ports(struct dissection *d, enum proto transport, uint16_t sport, uint16_t dport);
/* Records the transport payload window (sum.has_payload, payload_off, payload_len). */
void sum_payload(struct dissection *d, const struct cursor *pay);
/* A string builder over sum.info, emptied; appends cut at the end, always NUL-terminated.
 * It drops any Info left for later (sum_info_later()). */
struct sbuf sum_info(struct dissection *d);
/*
 * The Info of the layer that just called sum_begin(), written later by fn (with a0, a1 in
 * d->sum.info_arg): when the dissection ends with no inner layer's sum_begin() or
 * sum_info() in between, which nearly always comes (Ethernet, IP and TCP text replaced by
 * the next layer's), so the text is not formatted to be thrown away. fn writes d->sum.info
 * as if called at once (sum_info() and the appenders).
 */
void sum_info_later(struct dissection *d, void (*fn)(struct dissection *d), uint32_t a0,
                    uint32_t a1);
/* Runs the Info left for later, if any (dissect.c, as a dissection ends). */
void sum_info_flush(struct dissection *d);
/* True if the Info left for later is TCP's (tcp.c): d->defer_tcp_info leaves it unwritten. */
bool sum_info_is_tcp(const struct dissection *d);
/* Appends n bytes if they fit (cut otherwise); keeps the NUL. */
void sb_mem(struct sbuf *b, const char *s, size_t n);
/* Appends what fits of s (the rare line that is cut). */
void sb_cut(struct sbuf *b, const char *s);
/* Inline so that a literal's strlen() is known when compiling and the copy (with its NUL)
 * is a few moves: the Info texts are mostly literals, a dozen a packet. */
static inline void sb_str(struct sbuf *b, const char *s)
{
	size_t n = strlen(s);

	if (b->cap && n < b->cap - b->len) {
		memcpy(b->p + b->len, s, n + 1);
		b->len += n;
	} else if (b->cap) {
		sb_cut(b, s);
	}
}
void sb_u32(struct sbuf *b, uint32_t v);
void sb_u64(struct sbuf *b, uint64_t v);
/* "0x" and `width` lowercase hex digits. */
void sb_hex(struct sbuf *b, uint32_t v, unsigned width);
void sb_ipv4(struct sbuf *b, const uint8_t a[4]);
void sb_ipv6(struct sbuf *b, const uint8_t a[16]);
void sb_mac(struct sbuf *b, const uint8_t a[6]);
/* Untrusted bytes, escaped with esc_str(). */
void sb_esc(struct sbuf *b, const char *s, size_t n);
/* names[v] when the table of n names has one, else "<unknown> (v)" as tshark's val_to_str. */
void sb_named(struct sbuf *b, const char *const *names, size_t n, unsigned v, const char *unknown);

/* The TTL (IPv4) or hop limit (IPv6) of the innermost IP header before the layer node
 * `layer` (icmp.c), for tshark's "ttl=64" / "hop limit=64"; -1 if there is none. */
int diss_ip_ttl(const struct dissection *d, uint16_t layer);

/* ---- dissectors (one file each) ---- */

void eth_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void vlan_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void vlan_ad_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void sll_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void sll2_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void null_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void loop_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void raw_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void raw6_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void arp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void ipv4_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void ipv6_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void udp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void tcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
/* The innermost TCP header's Info again (d->sum.tcp), after an application layer replaced it
 * (reasm.c: a segment that is not decoded after all). */
void tcp_info_again(struct dissection *d);
void icmp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void icmp6_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void dns_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void dns_tcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void gre_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void vxlan_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void mpls_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void pppoed_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void pppoes_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void ppp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
/* ERSPAN in GRE: types II and III, and type I (no header: GRE 0x88be without a sequence). */
void erspan_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void erspan_i_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void dhcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void dhcpv6_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void ntp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
/* tshark's absolute UTC time text ("Oct 15, 2016 12:47:36.467834989 UTC") of secs.nsecs
 * since 1970, for NTP and DHCPv6 DUID times (ntp.c); `out` holds 48 bytes. */
size_t ntp_abstime_text(char *out, int64_t secs, uint32_t nsecs);
/* HTTP/1.x on TCP (http.c); c's base may be a reassembled buffer, not the frame. */
void http_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
void ssdp_dissect(struct dissection *d, struct cursor *c, uint32_t plen);
/* tshark's TCP heuristic: the payload's first line starts or ends with "HTTP/1.". */
bool http_heuristic(const struct cursor *c);
/* The length of the HTTP message at p[0..n) as tshark 4.0 desegments it by default: the
 * headers to the empty line, then Content-Length bytes (the result may exceed n: the
 * message's whole length) or a chunked body as tshark reads it (http_chunked.h). 0 if the headers
 * (or the chunks) need more bytes, -1 if p does not start a request or status line,
 * HTTP_UNTIL_CLOSE for a response whose body runs until the connection closes. */
#define HTTP_UNTIL_CLOSE (-2)
int64_t http_pdu_len(const uint8_t *p, uint32_t n);
/* http_pdu_len() in reasm.h's terms (REASM_NEED_MORE, REASM_NOT_MINE, REASM_UNTIL_FIN), for
 * reasm.c's table. */
uint32_t http_reasm_len(const uint8_t *p, uint32_t n);
/* The Info of a message still being reassembled, from its bytes so far p[0..n) (reasm.h's
 * pending_info): its first line and a space, as tshark writes it before asking for more, once
 * that line is whole and a request or status line; false (nothing written) otherwise. */
bool http_pending_info(struct sbuf *b, const uint8_t *p, uint32_t n);
/* The message's length at p[0..n) when a FIN ends the stream there (reasm.h's eos_len): the
 * headers must be whole, the body is what there is (a chunked one as far as its chunks go). */
uint32_t http_eos_len(const uint8_t *p, uint32_t n);
/* QUIC by content (quic.c): true if the datagram was taken as QUIC (tshark's heuristic). */
bool quic_heur(struct dissection *d, struct cursor *c, uint32_t plen);
/* quic.c's helpers for quic_frames.c: a variable-length integer (*n: its size, 0 on a failed
 * read); a field at off/len of c's bytes (FF_ALT when c is over d->alt); a varint field. */
uint64_t quic_varint(struct cursor *c, uint32_t *n);
uint16_t quic_fld_at(struct dissection *d, const struct cursor *c, uint32_t off, uint32_t len,
                     const char *label, enum field_key key, enum field_type type, unsigned depth,
                     uint64_t u);
uint64_t quic_fld_varint(struct dissection *d, struct cursor *c, const char *label,
                         enum field_key key, unsigned depth);
/* The frames of a decrypted payload (c over d->quic_buf): fields, frame names appended to b,
 * and with `tls` the CRYPTO stream handed to the TLS handshake parser (cn: the connection
 * that keeps a message split across packets, NULL for none; server: the side that sent). */
struct quic_conn;
void quic_frames(struct dissection *d, struct cursor *c, struct sbuf *b, bool tls,
                 struct quic_conn *cn, bool server);

#endif
