/*
 * dump_rotate.h - a pcap or pcapng output that rotates like tcpdump's -w with -C, -G and -W
 * (each pcapng file has its own section and interface headers, so each is readable alone).
 *
 * Wraps struct dump (dump.h), so every write, flush and close error is reported the same way.
 *   -C  max_bytes: before a packet would make the current file larger than max_bytes, the file
 *       is closed and the next one opened (a file holds at least one packet, so one packet
 *       larger than the limit still gets a file). tcpdump's unit is 1,000,000 bytes.
 *   -G  seconds: when a packet arrives and `seconds` of wall-clock time have passed since the
 *       current file was opened, the next file is opened. With -G the path is a strftime(3)
 *       pattern, expanded in local time at each opening (as tcpdump: a pattern with no
 *       conversion reuses, and overwrites, the same name).
 *   -W  files: with -C, a ring of `files` names (FILE0..FILE{files-1}, zero-padded to the width
 *       of files-1, reused from 0); with -G, writing stops after `files` files.
 * Names as tcpdump: with -C the counter is appended (FILE, FILE1, FILE2 ... without -W; FILE0,
 * FILE1 ... with -W); with -G alone no counter. -G restarts the -C counter.
 *
 * One thread owns a dump_rotate (the consumer of the ring). Call order: dump_rotate_open() ->
 * dump_rotate_write()... -> dump_rotate_flush() (any time) -> dump_rotate_close().
 */
#ifndef CAPSCOPE_DUMP_ROTATE_H
#define CAPSCOPE_DUMP_ROTATE_H

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "capture/dump.h"
#include "base/packet.h"

struct dump_rotate_opts {
	const char *path;    /* file name, or strftime pattern with seconds; "-" = stdout */
	uint64_t max_bytes;  /* -C in bytes, 0 = no size limit */
	unsigned seconds;    /* -G, 0 = no time rotation */
	unsigned files;      /* -W, 0 = unlimited */
	time_t (*now)(void); /* wall clock for -G and the names; NULL = time() (tests fake it) */
	enum dump_format format; /* DUMP_PCAP or DUMP_PCAPNG (dump_format_for) */
	const char *if_name;     /* pcapng: the adapter's name (borrowed: it must outlive the
	                            dump_rotate); NULL for a file source */
	const char *comment;     /* pcapng: the section's comment (borrowed), or NULL */
	/* pcapng, several sources: the interfaces after the first (dump_section; borrowed) */
	const struct dump_iface *more;
	unsigned n_more;
};

/* dump_rotate_write()'s return when -G with -W has written its `files` files: the packet was
 * not written and the capture should end (tcpdump exits at that point). */
#define DUMP_ROTATE_DONE 1

struct dump_rotate;

/* Checks the options and opens the first file. NULL with a one-line message in err
 * (DUMP_ERRLEN bytes): an unusable pattern, rotation asked for standard output, or the
 * open failed. */
struct dump_rotate *dump_rotate_open(const struct dump_rotate_opts *o, int linktype, int snaplen,
                                     int tsprec, char *err);
/* Writes one packet, first rotating when due. Returns 0, DUMP_ROTATE_DONE, or -1 with err
 * (sticky: every later call fails the same way). */
int dump_rotate_write(struct dump_rotate *r, const struct pkt_hdr *h, const uint8_t *data,
                      char *err);
/* The same with the packet's comment (dump_write_comment: pcapng keeps it, pcap ignores it). */
int dump_rotate_write_comment(struct dump_rotate *r, const struct pkt_hdr *h, const uint8_t *data,
                              const char *comment, size_t clen, char *err);
/* pcapng: the adapter's counters for the current file's statistics block (dump_set_stats). */
void dump_rotate_set_stats(struct dump_rotate *r, uint64_t received, uint64_t dropped);
/* The same for interface ifid (dump_set_stats_if). */
void dump_rotate_set_stats_if(struct dump_rotate *r, uint32_t ifid, uint64_t received,
                              uint64_t dropped);
int dump_rotate_flush(struct dump_rotate *r, char *err);
/* Closes the current file and frees. Returns 0 if every packet reached its file, else -1. */
int dump_rotate_close(struct dump_rotate *r, char *err);
uint64_t dump_rotate_packets(const struct dump_rotate *r); /* over all files */
unsigned dump_rotate_files(const struct dump_rotate *r);   /* files opened so far */
const char *dump_rotate_path(const struct dump_rotate *r); /* the file being written */

/* The name of file number `cnt` (the -C counter) for pattern `path` at time t, as tcpdump's
 * MakeFilename. Returns 0, or -1 when it does not fit in n bytes or expands to nothing. */
int dump_rotate_name(const struct dump_rotate_opts *o, unsigned cnt, time_t t, char *out, size_t n);

#endif
