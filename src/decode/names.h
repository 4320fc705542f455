/*
 * names.h - names learned from the capture (passive: nothing is sent), and the system's
 * port names and MAC vendor prefixes.
 *
 * A name table maps an IPv4 or IPv6 address to the last name the capture gave it: DNS (and
 * mDNS, LLMNR) A/AAAA answers, the address taking the queried name at the head of a CNAME
 * chain, as Wireshark's "resolved from DNS". What is learned from which field is one table
 * in names.c (learn_rows): TLS/QUIC SNI and HTTP Host name the destination; a DHCP host name
 * or FQDN names the address the server's ACK leases to the client that sent it (names_dhcp.h).
 * The table is bounded by a count and by the bytes of its names; the least recently used
 * entry goes first. Names are stored raw (any bytes, as the packet had them) and must be
 * escaped when shown: names_endpoint() does so.
 *
 * Ownership and threads: one owner thread per struct names (the headless loop, or the
 * monitor's model under its lock); names_port() and names_vendor() read system files once,
 * lazily, and may be called from that thread only.
 */
#ifndef CAPSCOPE_NAMES_H
#define CAPSCOPE_NAMES_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/dissect.h"

#define NAMES_MAX_ENTRIES 4096
#define NAMES_MAX_BYTES   (256u * 1024u)
#define NAMES_NAME_MAX    255

struct names;

/* A table of at most max_entries names taking at most max_bytes of name text; NULL when
 * out of memory. */
struct names *names_new(size_t max_entries, size_t max_bytes);
void names_free(struct names *t);

/* Sets the name of an address (alen 4 or 16), replacing an older one; a name longer than
 * NAMES_NAME_MAX is cut. Evicts the least recently used entries to stay in bounds. */
void names_set(struct names *t, const uint8_t *addr, size_t alen, const char *name, size_t n);
/* The name of an address, or NULL; *n gets its length. Marks the entry recently used. The
 * pointer is valid until the next names_set() or names_learn(). */
const char *names_get(struct names *t, const uint8_t *addr, size_t alen, size_t *n);
/* The name of an address for a table cell (escaped, at most width bytes: a longer one is
 * cut with '~' as its last byte), or "" if none; out needs width + 1 bytes. */
size_t names_cell(struct names *t, const uint8_t *addr, size_t alen, char *out, size_t width);
/* A count that changes whenever a name is set, replaced or evicted: views that cache name
 * texts compare it to know when to look again. */
uint64_t names_generation(const struct names *t);
/* Number of names held, and the bytes of their text. */
size_t names_count(const struct names *t);
size_t names_bytes(const struct names *t);

/* True if packets whose summary protocol is p may carry names (the caller then dissects them
 * with the full tree for names_learn()). */
bool names_learns(enum proto p);
/* True if d, decoded without its application layer (dissect_transport, dissect_summary), may
 * carry names: a DNS response with answers on a DNS, mDNS or LLMNR port, a TCP segment that
 * starts a TLS ClientHello or an HTTP request, a UDP datagram that may be a QUIC client
 * Initial, a UDP datagram on DHCP's ports (a lease names its address: names_dhcp.h). The caller
 * then decodes it whole for names_learn(). */
bool names_learns_ports(const struct dissection *d);
/* Learns what d's fields name (d needs the full tree: dissect(), not dissect_summary()). */
void names_learn(struct names *t, const struct dissection *d);

/* The service name of a TCP or UDP port from the services database (/etc/services, read
 * once), or NULL. */
const char *names_port(uint16_t port, bool tcp);
/* "Vendor_xx:yy:zz" for a MAC whose OUI the IEEE list (/usr/share/ieee-data/oui.txt, Debian
 * ieee-data, read once) knows; 0 (out empty) if unknown or the list is absent. out needs
 * NAMES_VENDOR_MAX bytes. */
#define NAMES_VENDOR_MAX 32
size_t names_vendor(const uint8_t mac[6], char *out);

/* The Source or Destination column with names: the learned name of the address (escaped,
 * cut to fit) or the address, then "." and the port's service name or number. out needs
 * ENDPOINT_MAX (print.h) bytes; returns the length. t may be NULL (addresses only, port
 * names still used). */
size_t names_endpoint(struct names *t, const struct summary *s, bool source, char *out);

#endif
