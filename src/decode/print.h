/*
 * print.h - headless text output of decoded packets: the one-line summary, JSON Lines with
 * tshark's field names, and the hex dump. Used by the CLI; the TUI reuses the column and
 * hex-line helpers. One thread owns a struct print_ctx.
 */
#ifndef CAPSCOPE_PRINT_H
#define CAPSCOPE_PRINT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"
#include "decode/dissect.h"
#include "decode/outbuf.h"
#include "decode/timefmt.h"

#define ENDPOINT_MAX 64  /* address text plus ".65535" */
#define SUMMARY_MAX  480 /* two endpoints, protocol, length, info (200), [malformed] (64) */

struct print_ctx {
	struct timefmt tf;
	int tsprec; /* 6 or 9: the capture's own precision, for frame.time_epoch */
	bool hex;   /* -x: a hex dump after each line */
	uint64_t number;
	/* --names: endpoints through names_endpoint() (names.h) when set; NULL: addresses */
	struct names *names;
	bool use_names;
	/* Several sources (-i A -i B, a pcapng file of several interfaces): the Interface
	 * column after the time, the escaped names by pkt_hdr.ifidx (n_if of them; a packet
	 * of another index shows its number). NULL: one source, no column. */
	const char *const *if_names;
	unsigned n_if;
};

void print_init(struct print_ctx *p, enum time_mode mode, int tsprec, bool hex);

/* Source or destination column: "10.0.0.1", "10.0.0.1.53" with ports, "2001:db8::1.80",
 * a MAC for non-IP frames, or "" when unknown. Returns the length. */
size_t summary_endpoint(const struct summary *s, bool source, char *out);
/* Everything the line shows after the timestamp (UDP over IPv4: the tutorial's UDPdump form
 * "len:N a.b.c.d.sport -> a.b.c.d.dport"; else "SRC -> DST PROTO len:N INFO"), then
 * " [REASON]" when the packet is malformed ("[truncated udp]", "[invalid ip.len 12]").
 * out needs SUMMARY_MAX bytes. Returns the length. */
size_t summary_text(const struct dissection *d, char *out);
/* As summary_text(), the endpoints with names (names_endpoint(); t may be NULL). */
size_t summary_text_named(const struct dissection *d, struct names *t, char *out);

/* One packet as text (plus the hex dump with -x), ending in a newline. */
void print_packet(struct print_ctx *p, struct outbuf *ob, const struct pkt_hdr *h,
                  const struct dissection *d);
/* print_packet()'s line without the hex dump, from what it shows of a packet: the time, the
 * frame length, the summary (addresses, ports, transport, Protocol, Info) and the malformed
 * reason ("" if none), so another thread can write it (cli/print_pipe.c). */
void print_line(struct print_ctx *p, struct outbuf *ob, int64_t sec, uint32_t nsec, uint32_t len,
                const struct summary *s, const char *malformed);
/* One packet as a JSON object on one line. */
void print_json(struct print_ctx *p, struct outbuf *ob, const struct pkt_hdr *h,
                const struct dissection *d);

/* A JSON string literal of s[0..n), escaping quotes, backslashes and control bytes. Callers
 * pass terminal-safe (esc_str) text, so the document is safe to show as well as to parse. */
void json_str(struct outbuf *ob, const char *s, size_t n);

/* One hex dump line: "0010  45 00 ... 00  E.....". Writes at most HEXLINE_MAX bytes
 * (no newline), for bytes [off, off+16) of data (fewer at the end). Returns the length. */
#define HEXLINE_MAX 80
size_t hex_line(char *out, const uint8_t *data, uint32_t caplen, uint32_t off);
void print_hex(struct outbuf *ob, const uint8_t *data, uint32_t caplen);

#endif
