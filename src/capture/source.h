/*
 * source.h - where packets come from: a live adapter, a capture file, a pcap stream on
 * standard input, or an adapter of another host over SSH (-i ssh://[user@]host[:port]/ADAPTER:
 * a pcap stream from the far side's capscope or tcpdump, remote_cmd.h). All are pcap handles
 * behind one small ops struct, so the capture thread does not care which it reads.
 *
 * Call order: source_open() -> source_set_filter() (optional) -> source_next()... ->
 * source_close(). After open, only the capture thread may call source_next()/source_stats();
 * source_break() may be called from any thread.
 */
#ifndef CAPSCOPE_SOURCE_H
#define CAPSCOPE_SOURCE_H

#include <stdbool.h>
#include <stdint.h>

#include "base/packet.h"

#define SOURCE_ERRLEN             512
#define SOURCE_DEFAULT_SNAPLEN    262144
#define SOURCE_DEFAULT_TIMEOUT_MS 100
/* Live: the kernel buffer when -B is not given. libpcap's 2 MiB holds ~6 ms of traffic at
 * 500k packets/s; 16 MiB rides out the scheduling stalls of a busy machine (measured in
 * docs/BENCHMARKS.md: no kernel drops at 500k pps where 2 MiB lost ~1%). */
#define SOURCE_DEFAULT_BUFFER_KIB 16384

/* SOURCE_REMOTE is what source_kind() says of a source opened as SOURCE_LIVE with an ssh://
 * name: no local privilege, never through the capture helper; it waits for ring space as a
 * stream does (the far side's kernel drops instead), and it can end "disconnected". */
enum source_kind { SOURCE_LIVE, SOURCE_FILE, SOURCE_STREAM, SOURCE_REMOTE };

/* Why an open or a read failed; the CLI turns these into exit codes and advice. */
enum source_err {
	SRC_OK = 0,
	SRC_ERR_NODEV,  /* no such adapter (the message lists the valid ones) */
	SRC_ERR_PERM,   /* permission denied (the message names the capability / sudo) */
	SRC_ERR_FILTER, /* bad BPF expression (libpcap's message) */
	SRC_ERR_FILE,   /* file missing, unreadable or not a capture */
	SRC_ERR_READ,   /* a read failed after packets were delivered (corrupt record) */
	SRC_ERR_OTHER,
	/* a remote source's link ended (ssh died, the far side stopped): its packets so far are
	 * good; the message says what ssh said. A distinct end state, which a restart retries. */
	SRC_ERR_DISCONNECTED,
};

struct source_opts {
	const char *name; /* adapter name or number from -D, file path, or "-" for stdin */
	enum source_kind kind;
	int snaplen;    /* live: bytes to capture per packet */
	bool promisc;   /* live */
	bool immediate; /* live: deliver each packet at once (changes the kernel ring format) */
	int timeout_ms; /* live: read timeout, which bounds how late a stop is seen */
	int buffer_kib; /* live: kernel buffer, 0 = SOURCE_DEFAULT_BUFFER_KIB */
	bool no_pos;    /* files: leave pkt_hdr.pos at PKT_POS_NONE, saving an ftello() per
	                   packet, when nothing will read packets back (headless commands) */
	/* remote: the BPF expression the far side runs (source_set_filter() still checks it
	 * here too), and whether the far tool runs through sudo -n (--remote-sudo) */
	const char *remote_filter;
	bool remote_sudo;
};

struct source;

/* Opens a source. On failure returns NULL, sets *why and writes one line to err. */
struct source *source_open(const struct source_opts *o, enum source_err *why, char *err);
/* Compiles and installs a BPF filter: in the kernel for live capture, checked in user space
 * (pcap_offline_filter) for files and streams. */
enum source_err source_set_filter(struct source *s, const char *expr, char *err);
void source_close(struct source *s);

/* Next packet. Returns 1 with *h and *data set (valid until the next call), 0 on a read
 * timeout (live: check the stop flag; remote: nothing waiting, the next call blocks), -1 at the end
 * of a file or stream, -2 on error (err filled; *why SRC_ERR_READ). */
int source_next(struct source *s, struct pkt_hdr *h, const uint8_t **data, char *err);
/* Makes a blocked source_next() return soon (where the platform allows). Any thread. A
 * remote source ends at it (its read returns -1): call it only to stop. */
void source_break(struct source *s);
/* After source_next() returned -2: SRC_ERR_DISCONNECTED for a remote link that ended, else
 * SRC_ERR_READ. */
enum source_err source_end_status(const struct source *s);

enum source_kind source_kind(const struct source *s);
/* The path as given, or the adapter's name (also when it was given by number). */
const char *source_name(const struct source *s);
int source_linktype(const struct source *s); /* DLT_ value */
int source_snaplen(const struct source *s);
int source_tsprec(const struct source *s); /* 6 (microseconds) or 9 (nanoseconds) */
/* Live: kernel counters since open. Returns false where not available (files). */
bool source_stats(struct source *s, uint64_t *received, uint64_t *kernel_drops, uint64_t *if_drops);
/* Live: libpcap's warning from activation (PCAP_WARNING_*, e.g. promiscuous mode not
 * supported), or NULL. The capture works despite it; the caller may show it. */
const char *source_warning(const struct source *s);
/* True when packets of this source can be read back later from the file itself (their
 * pkt_hdr.pos is set): capture files, where the platform allows. Others need a spill file. */
bool source_rereadable(struct source *s);
/* The pcap handle, for the dumper only (pcap_dump_open needs it). Not for reading. */
struct pcap *source_pcap(struct source *s);

#endif
