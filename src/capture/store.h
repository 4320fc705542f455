/*
 * store.h - every packet the UI holds, as a compact index (24 bytes a packet plus one bit
 * for marks) over a capture file: the source file itself, or for live captures and streams
 * the spill file the UI thread writes. Packet bytes are read back on demand (pktfile.h), so
 * millions of packets fit in a few tens of MiB and any one is a pread away. Packets are
 * numbered with 64 bits; when the spill file's ring drops the oldest, their index entries
 * leave memory with them (a day at 100k pps passes 2^32 packets and would need 200 GB).
 *
 * Written and read only by the UI thread (the consumer of the ring). No curses.
 */
#ifndef CAPSCOPE_STORE_H
#define CAPSCOPE_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"

#define STORE_ERRLEN 256

struct store_pkt {
	uint64_t pos;  /* where the packet's record starts in the backing file */
	int64_t ts_ns; /* timestamp, nanoseconds since the epoch */
	uint32_t caplen;
	uint32_t len;
};

struct store;

/* An empty store whose packets will be read back from `path` (opened lazily, at the first
 * read, since a spill file may not exist yet). */
struct store *store_create(const char *path, int linktype, int tsprec);
void store_destroy(struct store *s);
/* Appends a packet. Returns 0, or -1 when out of memory (the packet is not kept). */
int store_append(struct store *s, const struct pkt_hdr *h, uint64_t pos);
/* Forgets every packet from index n on (a write that failed part-way). */
void store_truncate(struct store *s, uint64_t n);
/* Packets are numbered from 0 to store_count() - 1 however many left; store_count counts
 * every packet appended; those from store_first() on are held. */
uint64_t store_count(const struct store *s);
/* The spill file's ring (model_spill.c): packets before `first` are gone from the file.
 * Their index entries and marks leave memory (store_get() gives NULL for them, store_read()
 * fails saying they left); what relative and delta times need of them is kept
 * (store_first_ts(), store_ts_before()). Indexes never move. */
void store_drop_head(struct store *s, uint64_t first);
/* A test hook for numbering past 2^32 without days of packets: an empty store numbers its
 * packets from n on, as if n packets had come and left (store_first() == n). */
void store_number_from(struct store *s, uint64_t n);
/* The first packet's timestamp (ns), kept after it left: the base of relative times. */
int64_t store_first_ts(const struct store *s);
/* The timestamp of packet i - 1 (delta times), also when it left; packet i's own for the
 * first packet. */
int64_t store_ts_before(const struct store *s, uint64_t i);
/* The first packet whose bytes can still be read (0 until the spill file's ring drops). */
uint64_t store_first(const struct store *s);
/* The writer went back to the spill file's start and writes over its oldest records: what
 * it pushes out from now on may replace bytes a reader has cached. */
void store_writer_rewound(struct store *s);
/* Packet i's index entry, or NULL when there is none (i >= store_count()) or it left with
 * the spill file's ring (i < store_first()). */
const struct store_pkt *store_get(const struct store *s, uint64_t i);
struct dump;
/* The backing file is still being written through `writer` (the spill file): reads of
 * packets it has not pushed out yet flush it first. NULL when it stops writing. */
void store_follow_writer(struct store *s, struct dump *writer);
/* Reads packet i's bytes into buf (at least its caplen). Returns 0 or -1 with err. */
int store_read(struct store *s, uint64_t i, uint8_t *buf, char *err);
/* Packet i's idx-th (from 0) pcapng comment, as pktfile_comment: 1 with buf (n bytes,
 * NUL-terminated) and *len set, 0 when it has none (a pcap file, the spill file of a live
 * capture), -1 with err when it cannot be read. */
int store_comment(struct store *s, uint64_t i, unsigned idx, char *buf, size_t n, size_t *len,
                  char *err);
/* The same for the file's first section (pktfile_section_comment). */
int store_section_comment(struct store *s, unsigned idx, char *buf, size_t n, size_t *len,
                          char *err);
void store_set_mark(struct store *s, uint64_t i, bool on);
bool store_marked(const struct store *s, uint64_t i);
uint64_t store_mark_count(const struct store *s);
/* The link type of the first source (of every packet when there is one source). */
int store_linktype(const struct store *s);
/* Several sources at once (-i A -i B): each packet keeps its source's index (pkt_hdr.ifidx, a
 * byte a packet beside the index), and packet i decodes with its source's link type. n (at
 * most STORE_MAX_IFACES) link types, before the first store_append(). Returns 0, or -1 when
 * out of memory or n is out of range (the store stays of one source). */
#define STORE_MAX_IFACES 8u
int store_set_interfaces(struct store *s, unsigned n, const int *linktypes);
/* The number of sources (1 unless store_set_interfaces() said more). */
unsigned store_interfaces(const struct store *s);
/* Packet i's source index (0 with one source, or when i is not held). */
unsigned store_ifidx(const struct store *s, uint64_t i);
/* Packet i's link type: its source's. */
int store_linktype_of(const struct store *s, uint64_t i);
/* Source ifidx's link type (the first's for an index out of range). */
int store_interface_linktype(const struct store *s, unsigned ifidx);
int store_tsprec(const struct store *s);
const char *store_path(const struct store *s);
/* Bytes of memory the index and the marks hold (the benchmark's bytes-per-packet figure,
 * and the bound the soak test checks). */
size_t store_memory(const struct store *s);

#endif
