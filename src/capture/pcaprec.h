/*
 * pcaprec.h - a classic pcap stream (a file's bytes, as `tcpdump -w -` writes them)
 * parsed from a block of bytes in memory: the 24-byte file header, then one record at a
 * time. The remote source reads ssh's pipe in large blocks and parses them with this rather
 * than with libpcap's per-record fread (posix/source_ssh.c; bench/remote.sh).
 *
 * Untrusted input: every length is checked against the bytes given before a byte is read;
 * a record's caplen above PCAPREC_MAX_CAPLEN (libpcap's own bound) is an error, so a
 * lying header never makes the caller buffer more than that.
 *
 * No state beyond the header's; no allocation; any thread.
 */
#ifndef CAPSCOPE_PCAPREC_H
#define CAPSCOPE_PCAPREC_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PCAPREC_HDR_BYTES  24u
#define PCAPREC_REC_BYTES  16u /* a record's header, before its bytes */
#define PCAPREC_MAX_CAPLEN 262144u

struct pcaprec_file {
	bool swapped; /* written on a machine of the other byte order */
	bool nano;    /* fractions are nanoseconds (magic 0xa1b23c4d) */
	uint32_t snaplen;
	uint32_t linktype; /* the low 16 bits (the rest are FCS flags) */
};

struct pcaprec {
	uint32_t sec;  /* unsigned 32-bit seconds, as the format has them */
	uint32_t frac; /* microseconds or nanoseconds (pcaprec_file.nano), unchecked */
	uint32_t caplen;
	uint32_t len;
	const uint8_t *data; /* caplen bytes, inside the block given */
};

/* The file header from p[0..n). Returns PCAPREC_HDR_BYTES, 0 when n is too short to
 * say, or -1 with err "unknown file format" (not a pcap stream: a pcapng one, garbage). */
int pcaprec_header(struct pcaprec_file *pr, const uint8_t *p, size_t n, char *err, size_t errlen);

/* The record at p[0..n). Returns its size (header and bytes), 0 when it is not whole in n
 * bytes yet, or -1 with err filled (a caplen beyond the bound). */
long pcaprec_next(const struct pcaprec_file *pr, const uint8_t *p, size_t n, struct pcaprec *r,
                  char *err, size_t errlen);

#endif
