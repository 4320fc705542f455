/*
 * dump.c - pcap and pcapng output through a stdio stream we own, so that failed writes are seen:
 * pcap_dump() returns void and hides them. libpcap writes the file header (it knows the
 * DLT -> LINKTYPE mapping); the records (16-byte header, then the bytes, in host order as
 * the header's magic says) are packed into our own buffer and written with one
 * fwrite() per DUMP_BUFFER_BYTES, whose result gives the first failure and its errno.
 * This is also the fast path: pcap_dump() costs two locked fwrite()s and our ferror() check
 * another lock per packet, about a third of the CPU of `-r FILE -w OUT` (bench/).
 *
 * Timestamps: the dead handle has the precision of the source; with a nanosecond handle
 * pcap_dump() writes ts.tv_usec as-is into the nanosecond field, so it gets nanoseconds.
 *
 * pcapng: libpcap cannot write it; dump_pcapng.c encodes the blocks into the same buffer, so
 * both formats share the stream, the buffering and every error check. There is no dumper
 * (d->pd is NULL): the stream is flushed and closed directly.
 *
 * Windows: pcap_dump_fopen() is a macro for pcap_dump_hopen(), so wpcap writes through its
 * own C runtime's stream and our ferror() checks see nothing there (a known gap).
 */
#include "capture/dump.h"

#include <ctype.h>
#include <limits.h>
#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "base/name_escape.h"
#include "capture/dump_pcapng.h"
#include "capture/privsep.h"
#include "capture/stream.h"

#define DUMP_BUFFER_BYTES   (1u << 20)
#define PCAP_FILE_HDR_BYTES 24u
#define PCAP_REC_HDR_BYTES  16u

struct dump {
	FILE *fp;     /* ours; pcap_dump_close() closes it */
	uint8_t *buf; /* records not yet written */
	size_t len;
	bool header_out;   /* libpcap's file header flushed ahead of our records */
	pcap_t *dead;      /* gives the dumper its link type, snap length and precision */
	pcap_dumper_t *pd; /* pcap only */
	bool ng;           /* pcapng */
	uint32_t n_if;     /* pcapng: interfaces described (1 + dump_section.n_more) */
	/* pcapng: dump_set_stats() was called for interface i (stats bit i): an ISB each ends
	 * the file */
	uint32_t stats;
	uint8_t *tail; /* pcapng: an EPB's bytes after the data (padding, comment, length) */
	uint64_t received[DUMP_MAX_IFACES], dropped[DUMP_MAX_IFACES];
	char *path;
	bool nano;
	bool failed; /* sticky: every call after a failure repeats `msg` */
	char msg[DUMP_ERRLEN];
	uint64_t packets;
	uint64_t bytes;
	uint64_t flushed; /* `bytes` as of the last successful dump_flush() */
	uint64_t head;    /* the file's header: pcap's, or pcapng's section and interfaces */
	bool rewound;     /* dump_rewind(): the file's end is older records, no place for an ISB */
};

static void describe(const char *path, const char *what, const char *reason, char *out)
{
	char ename[200];

	if (strcmp(path, "-") == 0)
		snprintf(out, DUMP_ERRLEN, "capscope: %s standard output failed: %s", what, reason);
	else
		snprintf(out, DUMP_ERRLEN, "capscope: %s '%s' failed: %s", what,
		         name_escape(path, ename, sizeof(ename)), reason);
}

/* Records the first failure (errno of the failing call, saved by the caller). */
static int fail(struct dump *d, int errnum, char *err)
{
	if (!d->failed) {
		d->failed = true;
		describe(d->path, "writing", strerror(errnum ? errnum : EIO), d->msg);
	}
	snprintf(err, DUMP_ERRLEN, "%s", d->msg);
	return -1;
}

static void dump_free(struct dump *d)
{
	if (d->pd != NULL)
		pcap_dump_close(d->pd);
	else if (d->fp != NULL)
		fclose(d->fp);
	if (d->dead != NULL)
		pcap_close(d->dead);
	free(d->buf);
	free(d->tail);
	free(d->path);
	free(d);
}

static int open_stream(struct dump *d, const char *path, char *err)
{
	d->fp = strcmp(path, "-") == 0 ? stream_stdout_dup() : stream_fopen(path, true);
	if (d->fp == NULL) {
		int e = errno;
		char reason[256];

		snprintf(reason, sizeof reason, "%s%s", strerror(e), privsep_denied_hint(e));
		describe(path, "opening", reason, err);
		return -1;
	}
	d->buf = malloc(DUMP_BUFFER_BYTES);
	if (d->buf == NULL) {
		describe(path, "opening", "out of memory", err);
		return -1;
	}
	/* stdio keeps its small buffer: it holds libpcap's file header (which must not fail in
	 * pcap_dump_fopen, which would fclose our stream), and fwrite() of a whole d->buf goes
	 * straight to write() in block multiples. */
	return 0;
}

#ifdef _WIN32
/* Windows: the pcap file header is ours, put first in the buffer, and there is no dumper
 * (d->pd stays NULL, as for pcapng): wpcap's pcap_dump_fopen() is pcap_dump_hopen(), which
 * writes through wpcap's own C runtime (our ferror() checks saw nothing there), and wine's
 * wpcap.dll has neither it nor pcap_open_dead_with_tstamp_precision(). DLT values are the
 * file's LINKTYPE values except the few libpcap remaps (its dlt_to_linktype()). */
static int open_dumper(struct dump *d, const char *path, int linktype, int snaplen, char *err)
{
	uint32_t hdr[6] = {d->nano ? 0xa1b23c4du : 0xa1b2c3d4u,        2u | 4u << 16,     0, 0,
	                   (uint32_t)(snaplen > 0 ? snaplen : 262144), (uint32_t)linktype};

	if (linktype == 11) /* DLT_ATM_RFC1483 */
		hdr[5] = 100;
	else if (linktype == 12 || linktype == 14) /* DLT_RAW */
		hdr[5] = 101;
	if (open_stream(d, path, err) < 0)
		return -1;
	memcpy(d->buf, hdr, sizeof hdr); /* host order, as libpcap writes it */
	d->len = sizeof hdr;
	d->header_out = true;
	return 0;
}
#else
/* The dead handle, our stream and libpcap's dumper, which writes the file header. */
static int open_dumper(struct dump *d, const char *path, int linktype, int snaplen, char *err)
{
	d->dead = pcap_open_dead_with_tstamp_precision(
	    linktype, snaplen, d->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (d->dead == NULL) {
		describe(path, "opening", "out of memory", err);
		return -1;
	}
	if (open_stream(d, path, err) < 0)
		return -1;
	d->pd = pcap_dump_fopen(d->dead, d->fp);
	if (d->pd == NULL) {
		describe(path, "opening", pcap_geterr(d->dead), err);
		return -1;
	}
	return 0;
}
#endif

/* pcapng: our stream, with the section and interface headers first in the buffer. */
static int open_pcapng(struct dump *d, const char *path, const struct dump_section *sec,
                       int linktype, int snaplen, char *err)
{
	if (open_stream(d, path, err) < 0)
		return -1;
	if (!(d->tail = malloc(PCAPNG_COMMENT_MAX + 16))) {
		describe(path, "opening", "out of memory", err);
		return -1;
	}
	d->len = pcapng_head(d->buf, linktype, (uint32_t)snaplen, sec ? sec->if_name : NULL,
	                     sec ? sec->comment : NULL, d->nano);
	for (unsigned i = 0; sec && i < sec->n_more && i + 1 < DUMP_MAX_IFACES; i++, d->n_if++)
		d->len += pcapng_idb(d->buf + d->len, sec->more[i].linktype,
		                     (uint32_t)sec->more[i].snaplen, sec->more[i].name, d->nano);
	d->header_out = true; /* no libpcap header to flush first */
	d->bytes = d->len;
	return 0;
}

enum dump_format dump_format_for(const char *path, bool pcapng)
{
	static const char suffix[] = ".pcapng";
	size_t n = strlen(path), k = sizeof suffix - 1;

	if (pcapng)
		return DUMP_PCAPNG;
	for (size_t i = 0; i < k; i++)
		if (n < k || tolower((unsigned char)path[n - k + i]) != suffix[i])
			return DUMP_PCAP;
	return DUMP_PCAPNG;
}

struct dump *dump_open(const char *path, int linktype, int snaplen, int tsprec, char *err)
{
	return dump_open_fmt(path, DUMP_PCAP, NULL, linktype, snaplen, tsprec, err);
}

struct dump *dump_open_fmt(const char *path, enum dump_format fmt, const struct dump_section *sec,
                           int linktype, int snaplen, int tsprec, char *err)
{
	struct dump *d = calloc(1, sizeof(*d));
	int rc;

	if (d == NULL || (d->path = strdup(path)) == NULL) {
		free(d);
		snprintf(err, DUMP_ERRLEN, "capscope: out of memory opening a capture file");
		return NULL;
	}
	d->nano = tsprec == 9;
	d->ng = fmt == DUMP_PCAPNG;
	d->n_if = 1;
	if (d->ng)
		rc = open_pcapng(d, path, sec, linktype, snaplen, err);
	else if ((rc = open_dumper(d, path, linktype, snaplen, err)) == 0)
		d->bytes = PCAP_FILE_HDR_BYTES;
	if (rc < 0) {
		dump_free(d);
		return NULL;
	}
	d->head = d->bytes;
	return d;
}

/* Writes n bytes to the stream; -1 (d->failed set, msg kept) on a short write. */
static int put(struct dump *d, const void *p, size_t n, char *err)
{
	errno = 0;
	if (n != 0 && fwrite(p, 1, n, d->fp) != n)
		return fail(d, errno, err);
	return 0;
}

/* Writes the buffered records, the first time after libpcap's file header (on Windows wpcap
 * buffers that in its own stream, so it is pushed out first). */
static int drain(struct dump *d, char *err)
{
	size_t n = d->len;

	d->len = 0;
	if (!d->header_out) {
		d->header_out = true;
		errno = 0;
		if (pcap_dump_flush(d->pd) != 0)
			return fail(d, errno, err);
	}
	return put(d, d->buf, n, err);
}

/* libpcap's on-disk record header (struct pcap_sf_pkthdr): 32-bit fields, host order. */
static void rec_hdr(uint8_t *out, const struct pkt_hdr *h, bool nano)
{
	uint32_t v[4] = {(uint32_t)h->ts_sec, nano ? h->ts_nsec : h->ts_nsec / 1000u, h->caplen,
	                 h->len};

	memcpy(out, v, sizeof v);
}

/* One record: head, the packet's bytes, tail. Copied into the buffer, or (a jumbo record)
 * written directly after what the buffer holds. */
static int put_record(struct dump *d, const uint8_t *head, size_t hlen, const uint8_t *data,
                      size_t dlen, const uint8_t *tail, size_t tlen, char *err)
{
	size_t need = hlen + dlen + tlen;

	if (d->len + need > DUMP_BUFFER_BYTES && drain(d, err) < 0)
		return -1;
	if (need > DUMP_BUFFER_BYTES)
		return put(d, head, hlen, err) < 0 || put(d, data, dlen, err) < 0 ||
		               put(d, tail, tlen, err) < 0
		           ? -1
		           : 0;
	memcpy(d->buf + d->len, head, hlen);
	if (dlen) /* data and tail may be NULL when empty */
		memcpy(d->buf + d->len + hlen, data, dlen);
	if (tlen)
		memcpy(d->buf + d->len + hlen + dlen, tail, tlen);
	d->len += need;
	return 0;
}

static size_t cut_comment(size_t clen)
{
	return clen > PCAPNG_COMMENT_MAX ? PCAPNG_COMMENT_MAX : clen;
}

/* An Enhanced Packet Block: the tail (padding, the comment option, the length) is built in
 * d->tail, at most 3 + 4 + PCAPNG_COMMENT_MAX + 8 bytes. */
static int write_epb(struct dump *d, const struct pkt_hdr *h, const uint8_t *data,
                     const char *comment, size_t clen, char *err)
{
	uint8_t head[PCAPNG_EPB_HEAD_BYTES];
	size_t tlen;

	clen = comment ? cut_comment(clen) : 0;
	pcapng_epb_head(head, h, h->ifidx < d->n_if ? h->ifidx : 0, d->nano, clen);
	tlen = pcapng_epb_tail(d->tail, h->caplen, comment, clen);
	return put_record(d, head, sizeof head, data, h->caplen, d->tail, tlen, err);
}

/* A pcap record: its header straight into the buffer when it fits (the common case, and the
 * path of every packet of -w: no copy of the header), else through put_record(). */
static int write_rec(struct dump *d, const struct pkt_hdr *h, const uint8_t *data, char *err)
{
	size_t need = PCAP_REC_HDR_BYTES + (size_t)h->caplen;
	uint8_t rec[PCAP_REC_HDR_BYTES];

	if (d->len + need > DUMP_BUFFER_BYTES || need > DUMP_BUFFER_BYTES) {
		rec_hdr(rec, h, d->nano);
		return put_record(d, rec, sizeof rec, data, h->caplen, NULL, 0, err);
	}
	rec_hdr(d->buf + d->len, h, d->nano);
	memcpy(d->buf + d->len + PCAP_REC_HDR_BYTES, data, h->caplen);
	d->len += need;
	return 0;
}

int dump_write_comment(struct dump *d, const struct pkt_hdr *h, const uint8_t *data,
                       const char *comment, size_t clen, char *err)
{
	int rc;

	if (d->failed)
		return fail(d, 0, err);
	if (d->ng)
		rc = write_epb(d, h, data, comment, clen, err);
	else
		rc = write_rec(d, h, data, err);
	if (rc < 0)
		return -1;
	d->packets++;
	d->bytes += d->ng ? pcapng_epb_bytes(h->caplen, comment ? cut_comment(clen) : 0)
	                  : PCAP_REC_HDR_BYTES + (uint64_t)h->caplen;
	return 0;
}

int dump_write(struct dump *d, const struct pkt_hdr *h, const uint8_t *data, char *err)
{
	return dump_write_comment(d, h, data, NULL, 0, err);
}

uint64_t dump_record_bytes(const struct dump *d, uint32_t caplen, size_t clen)
{
	if (d->ng)
		return pcapng_epb_bytes(caplen, cut_comment(clen));
	return PCAP_REC_HDR_BYTES + (uint64_t)caplen;
}

void dump_set_stats(struct dump *d, uint64_t received, uint64_t dropped)
{
	dump_set_stats_if(d, 0, received, dropped);
}

void dump_set_stats_if(struct dump *d, uint32_t ifid, uint64_t received, uint64_t dropped)
{
	if (ifid >= d->n_if)
		return;
	d->stats |= 1u << ifid;
	d->received[ifid] = received;
	d->dropped[ifid] = dropped;
}

/* libpcap's dumper flushes its stream (the same FILE on POSIX); pcapng has only ours. */
static int flush_stream(struct dump *d)
{
	return d->pd ? pcap_dump_flush(d->pd) : fflush(d->fp);
}

/* pcapng's last block: the adapter's counters, when the caller gave them. */
static int put_isb(struct dump *d, char *err)
{
	uint8_t isb[PCAPNG_ISB_BYTES];
	/* to the second: when the counters were read, for a reader of the file */
	uint64_t now = (uint64_t)time(NULL) * 1000000000u;

	if (!d->ng || d->failed || d->rewound)
		return 0;
	for (uint32_t i = 0; i < d->n_if; i++) {
		if (!(d->stats & (1u << i)))
			continue;
		pcapng_isb(isb, i, now, d->nano, d->received[i], d->dropped[i]);
		if (put_record(d, isb, sizeof isb, NULL, 0, NULL, 0, err) < 0)
			return -1;
		d->bytes += sizeof isb;
	}
	return 0;
}

/* Closes the stream: through libpcap's dumper for pcap, directly for pcapng. */
static int close_stream(struct dump *d)
{
	int rc = d->pd ? stream_dump_close(d->pd, d->fp) : fclose(d->fp);

	d->pd = NULL;
	d->fp = NULL;
	return rc;
}

int dump_flush(struct dump *d, char *err)
{
	if (d->failed)
		return fail(d, 0, err);
	if (drain(d, err) < 0)
		return -1;
	errno = 0;
	if (flush_stream(d) != 0 || ferror(d->fp))
		return fail(d, errno, err);
	d->flushed = d->bytes;
	return 0;
}

int dump_close(struct dump *d, char *err)
{
	/* Flush first: pcap_dump_close() returns void, so this is where the last error shows,
	 * apart from the close itself (stream_dump_close reports that one where it can). */
	int rc = put_isb(d, err);

	if (rc == 0)
		rc = dump_flush(d, err);
	errno = 0;
	if (close_stream(d) < 0 && rc == 0)
		rc = fail(d, errno, err);
	dump_free(d);
	return rc;
}

uint64_t dump_packets(const struct dump *d)
{
	return d->packets;
}

uint64_t dump_bytes(const struct dump *d)
{
	return d->bytes;
}

uint64_t dump_head_bytes(const struct dump *d)
{
	return d->head;
}

uint64_t dump_flushed_bytes(const struct dump *d)
{
	return d->flushed;
}

uint64_t dump_disk_bytes(const struct dump *d)
{
	return d->bytes - d->len;
}

int dump_rewind(struct dump *d, uint64_t to, char *err)
{
	if (dump_flush(d, err) < 0)
		return -1;
	errno = 0;
	if (to < d->head || to > LONG_MAX || fseek(d->fp, (long)to, SEEK_SET) != 0)
		return fail(d, errno ? errno : EINVAL, err);
	d->bytes = d->flushed = to;
	d->rewound = true;
	return 0;
}
