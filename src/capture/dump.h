/*
 * dump.h - writing packets to a pcap or pcapng file, with the errors libpcap's pcap_dump()
 * hides. pcapng (dump_pcapng.c encodes its blocks) also carries a comment per packet (the
 * process that sent it: procs/proc_comment.h), the adapter's name and the drop counts.
 *
 * pcap_dump() returns void and never reports a failed write, so every write goes through a
 * stdio stream we own and check (ferror after each batch, the flush and the close). A dump
 * is owned by one thread (the consumer of the ring).
 * Call order: dump_open() -> dump_write()... -> dump_flush() (any time) -> dump_close().
 */
#ifndef CAPSCOPE_DUMP_H
#define CAPSCOPE_DUMP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"

#define DUMP_ERRLEN 512

struct dump;

enum dump_format { DUMP_PCAP = 0, DUMP_PCAPNG };

/* The format for -w path: pcapng when asked (--pcapng) or when the name ends in ".pcapng"
 * (any case), else pcap. */
enum dump_format dump_format_for(const char *path, bool pcapng);

/* Opens path ("-" = standard output) for pcap output with this link type (DLT_), snap
 * length and timestamp precision (6 or 9). Returns NULL with a one-line message in err. */
struct dump *dump_open(const char *path, int linktype, int snaplen, int tsprec, char *err);
/* An interface of a pcapng file after its first (several sources captured at once). */
struct dump_iface {
	const char *name; /* if_name, or NULL */
	int linktype;     /* DLT_ */
	int snaplen;
};

/* What a pcapng file says about its section and interface (pcap has no place for it). */
struct dump_section {
	const char *if_name; /* the adapter captured on (if_name); NULL for a file source */
	const char *comment; /* the section's opt_comment, or NULL */
	/* Several sources: interfaces 1..n_more (the first is the one dump_open_fmt() gets);
	 * a packet goes to interface pkt_hdr.ifidx (0 when there is no such interface). At
	 * most DUMP_MAX_IFACES - 1. */
	const struct dump_iface *more;
	unsigned n_more;
};
#define DUMP_MAX_IFACES 8u

/* The same in either format; sec may be NULL. */
struct dump *dump_open_fmt(const char *path, enum dump_format fmt, const struct dump_section *sec,
                           int linktype, int snaplen, int tsprec, char *err);
/* Writes one packet. Returns 0, or -1 once a write has failed (the message is in err, and
 * every later call fails the same way). */
int dump_write(struct dump *d, const struct pkt_hdr *h, const uint8_t *data, char *err);
/* The same with the packet's comment (clen bytes, UTF-8; cut to PCAPNG_COMMENT_MAX): pcapng
 * writes it as the packet's opt_comment; pcap has no place for it and ignores it. */
int dump_write_comment(struct dump *d, const struct pkt_hdr *h, const uint8_t *data,
                       const char *comment, size_t clen, char *err);
/* The file bytes such a packet will take (for -C rotation). */
uint64_t dump_record_bytes(const struct dump *d, uint32_t caplen, size_t clen);
/* pcapng: the adapter's counters, written as an Interface Statistics Block at dump_close()
 * (the latest call wins); pcap ignores them. */
void dump_set_stats(struct dump *d, uint64_t received, uint64_t dropped);
/* The same for interface ifid of several (dump_section.more): an ISB each. */
void dump_set_stats_if(struct dump *d, uint32_t ifid, uint64_t received, uint64_t dropped);
/* Pushes buffered packets to the file. Returns 0 or -1 with err. */
int dump_flush(struct dump *d, char *err);
/* Flushes, closes and frees. Returns 0 if every packet reached the file, else -1 with err. */
int dump_close(struct dump *d, char *err);
uint64_t dump_packets(const struct dump *d); /* packets handed to the file so far */
uint64_t dump_bytes(const struct dump *d);   /* file bytes written so far */
/* File bytes a reader of the file can see: those pushed out by the last dump_flush(). */
uint64_t dump_flushed_bytes(const struct dump *d);
/* File bytes that may have reached the file (written, or handed to the stream): an upper
 * bound of what a reader's cached copy may have missed. */
uint64_t dump_disk_bytes(const struct dump *d);
/* The file's header bytes: pcap's file header, or pcapng's section header and interface
 * blocks (the first record starts there). */
uint64_t dump_head_bytes(const struct dump *d);
/* The spill file's ring: flushes, then writes the next records from file offset `to` (at
 * or past dump_head_bytes(): pcapng's interface blocks stay) over what is there; the file
 * keeps its size. dump_bytes() is `to` afterwards. Returns 0, or -1 with err. */
int dump_rewind(struct dump *d, uint64_t to, char *err);

#endif
