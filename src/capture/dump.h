/*
 * dump.h - writing packets to a pcap file, with the errors libpcap's pcap_dump() hides.
 *
 * pcap_dump() returns void and never reports a failed write, so every write goes through a
 * stdio stream we own and check (ferror after each batch, the flush and the close). A dump
 * is owned by one thread (the consumer of the ring).
 * Call order: dump_open() -> dump_write()... -> dump_flush() (any time) -> dump_close().
 */
#ifndef CAPSCOPE_DUMP_H
#define CAPSCOPE_DUMP_H

#include <stdbool.h>
#include <stdint.h>

#include "base/packet.h"

#define DUMP_ERRLEN 512

struct dump;

/* Opens path ("-" = standard output) for pcap output with this link type, snap length and
 * timestamp precision (6 or 9). Returns NULL with a one-line message in err. */
struct dump *dump_open(const char *path, int linktype, int snaplen, int tsprec, char *err);
/* Writes one packet. Returns 0, or -1 once a write has failed (the message is in err, and
 * every later call fails the same way). */
int dump_write(struct dump *d, const struct pkt_hdr *h, const uint8_t *data, char *err);
/* Pushes buffered packets to the file. Returns 0 or -1 with err. */
int dump_flush(struct dump *d, char *err);
/* Flushes, closes and frees. Returns 0 if every packet reached the file, else -1 with err. */
int dump_close(struct dump *d, char *err);
uint64_t dump_packets(const struct dump *d); /* packets handed to the file so far */
uint64_t dump_bytes(const struct dump *d);   /* file bytes written so far */
/* File bytes a reader of the file can see: those pushed out by the last dump_flush(). */
uint64_t dump_flushed_bytes(const struct dump *d);

#endif
