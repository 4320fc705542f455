/*
 * dump.c - pcap output through a stdio stream we own, so that failed writes are seen:
 * pcap_dump() returns void, so after each write, flush and close we test ferror() (a flag
 * test, cheap) and keep the first failure, with the errno of the failing call.
 *
 * Timestamps: the dead handle has the precision of the source; with a nanosecond handle
 * pcap_dump() writes ts.tv_usec as-is into the nanosecond field, so it gets nanoseconds.
 *
 * Windows: pcap_dump_fopen() is a macro for pcap_dump_hopen(), so wpcap writes through its
 * own C runtime's stream and our ferror() checks see nothing there (a known gap).
 */
#include "capture/dump.h"

#include <errno.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/name_escape.h"
#include "capture/stream.h"

#define DUMP_BUFFER_BYTES   (1u << 20)
#define PCAP_FILE_HDR_BYTES 24u
#define PCAP_REC_HDR_BYTES  16u

struct dump {
	FILE *fp;     /* ours; pcap_dump_close() closes it */
	char *vbuf;   /* fp's buffer, freed after the close */
	pcap_t *dead; /* gives the dumper its link type, snap length and precision */
	pcap_dumper_t *pd;
	char *path;
	bool nano;
	bool failed; /* sticky: every call after a failure repeats `msg` */
	char msg[DUMP_ERRLEN];
	uint64_t packets;
	uint64_t bytes;
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
	free(d->vbuf);
	free(d->path);
	free(d);
}

static int open_stream(struct dump *d, const char *path, char *err)
{
	d->fp = strcmp(path, "-") == 0 ? stream_stdout_dup() : fopen(path, "wb");
	if (d->fp == NULL) {
		describe(path, "opening", strerror(errno), err);
		return -1;
	}
	d->vbuf = malloc(DUMP_BUFFER_BYTES);
	if (d->vbuf != NULL)
		setvbuf(d->fp, d->vbuf, _IOFBF, DUMP_BUFFER_BYTES);
	return 0;
}

struct dump *dump_open(const char *path, int linktype, int snaplen, int tsprec, char *err)
{
	struct dump *d = calloc(1, sizeof(*d));

	if (d == NULL || (d->path = strdup(path)) == NULL) {
		free(d);
		snprintf(err, DUMP_ERRLEN, "capscope: out of memory opening a capture file");
		return NULL;
	}
	d->nano = tsprec == 9;
	d->dead = pcap_open_dead_with_tstamp_precision(
	    linktype, snaplen, d->nano ? PCAP_TSTAMP_PRECISION_NANO : PCAP_TSTAMP_PRECISION_MICRO);
	if (d->dead == NULL)
		describe(path, "opening", "out of memory", err);
	else if (open_stream(d, path, err) == 0 &&
	         (d->pd = pcap_dump_fopen(d->dead, d->fp)) == NULL)
		describe(path, "opening", pcap_geterr(d->dead), err);
	if (d->pd == NULL) {
		dump_free(d);
		return NULL;
	}
	d->bytes = PCAP_FILE_HDR_BYTES;
	return d;
}

int dump_write(struct dump *d, const struct pkt_hdr *h, const uint8_t *data, char *err)
{
	struct pcap_pkthdr ph;

	if (d->failed)
		return fail(d, 0, err);
	ph.ts.tv_sec = h->ts_sec;
	ph.ts.tv_usec = d->nano ? h->ts_nsec : h->ts_nsec / 1000u;
	ph.caplen = h->caplen;
	ph.len = h->len;
	errno = 0;
	pcap_dump((u_char *)d->pd, &ph, data);
	if (ferror(d->fp))
		return fail(d, errno, err);
	d->packets++;
	d->bytes += PCAP_REC_HDR_BYTES + h->caplen;
	return 0;
}

int dump_flush(struct dump *d, char *err)
{
	if (d->failed)
		return fail(d, 0, err);
	errno = 0;
	if (pcap_dump_flush(d->pd) != 0 || ferror(d->fp))
		return fail(d, errno, err);
	return 0;
}

int dump_close(struct dump *d, char *err)
{
	/* Flush first: pcap_dump_close() returns void, so this is where the last error shows. */
	int rc = dump_flush(d, err);

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
