/*
 * pcaprec.c - classic pcap parsed from memory (pcaprec.h).
 *
 * https://www.ietf.org/archive/id/draft-ietf-opsawg-pcap-04.html
 *
 *   file header (24 bytes)          record header (16 bytes), then caplen bytes
 *   +-------+-----+-----+---------+   +---------+----------+--------+-----+
 *   | magic | maj | min | (8 res) |   | ts sec  | ts frac  | caplen | len |
 *   +-------+-----+-----+---------+   +---------+----------+--------+-----+
 *   | snaplen       | linktype    |
 *   +---------------+-------------+
 *
 * The magic, read in this machine's order, says the writer's byte order and the unit of
 * the fraction: a1b2c3d4 microseconds, a1b23c4d nanoseconds, either byte-swapped.
 */
#include "capture/pcaprec.h"

#include <stdio.h>

#define MAGIC_US      0xa1b2c3d4u
#define MAGIC_NS      0xa1b23c4du
#define MAGIC_US_SWAP 0xd4c3b2a1u
#define MAGIC_NS_SWAP 0x4d3cb2a1u

/* Little-endian on the page; swapped when the writer's order differs from the magic's. */
static uint32_t get32(const uint8_t *p, bool swapped)
{
	uint32_t le =
	    (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;

	return swapped ? __builtin_bswap32(le) : le;
}

int pcaprec_header(struct pcaprec_file *pr, const uint8_t *p, size_t n, char *err, size_t errlen)
{
	uint32_t magic;

	if (n < PCAPREC_HDR_BYTES)
		return 0;
	magic = get32(p, false);
	if (magic != MAGIC_US && magic != MAGIC_NS && magic != MAGIC_US_SWAP &&
	    magic != MAGIC_NS_SWAP) {
		/* libpcap's words for it, which the remote source's message quotes */
		snprintf(err, errlen, "unknown file format");
		return -1;
	}
	/* the magic read little-endian is the swapped constant when the writer was big-endian */
	pr->swapped = magic == MAGIC_US_SWAP || magic == MAGIC_NS_SWAP;
	pr->nano = magic == MAGIC_NS || magic == MAGIC_NS_SWAP;
	pr->snaplen = get32(p + 16, pr->swapped);
	pr->linktype = get32(p + 20, pr->swapped) & 0xffffu;
	return (int)PCAPREC_HDR_BYTES;
}

long pcaprec_next(const struct pcaprec_file *pr, const uint8_t *p, size_t n, struct pcaprec *r,
                  char *err, size_t errlen)
{
	if (n < PCAPREC_REC_BYTES)
		return 0;
	r->caplen = get32(p + 8, pr->swapped);
	if (r->caplen > PCAPREC_MAX_CAPLEN) {
		snprintf(err, errlen, "invalid packet capture length %u, bigger than %u",
		         (unsigned)r->caplen, PCAPREC_MAX_CAPLEN);
		return -1;
	}
	if (n - PCAPREC_REC_BYTES < r->caplen)
		return 0;
	r->sec = get32(p, pr->swapped);
	r->frac = get32(p + 4, pr->swapped);
	r->len = get32(p + 12, pr->swapped);
	r->data = p + PCAPREC_REC_BYTES;
	return (long)(PCAPREC_REC_BYTES + r->caplen);
}
