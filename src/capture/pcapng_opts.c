/*
 * pcapng_opts.c - opt_comment of an Enhanced Packet Block, and other options by code (see
 * pcapng_opts.h).
 *
 *  EPB: | type 6 | total length | interface | ts high | ts low | caplen | len |
 *       | packet data, padded to 4 | options ... | total length |
 *  option: | code (2) | length (2) | value, padded to 4 |; code 0 ends the list.
 */
#include "capture/pcapng_opts.h"

#include <string.h>

#define EPB_TYPE    6u
#define SHB_TYPE    0x0A0D0D0Au
#define OPT_END     0u
#define OPT_COMMENT 1u

bool pcapng_epb_options(const uint8_t *head, bool swapped, size_t *off, size_t *len)
{
	uint32_t total = pcapng_get32(head + 4, swapped), caplen = pcapng_get32(head + 20, swapped);
	/* caplen <= total is checked before first is used; on 32 bits it cannot wrap then */
	size_t first = PCAPNG_EPB_FIXED + (((size_t)caplen + 3) & ~(size_t)3);

	if (pcapng_get32(head, swapped) != EPB_TYPE || total < PCAPNG_EPB_FIXED + 4 || total % 4 ||
	    caplen > total || first > (size_t)total - 4)
		return false;
	*off = first;
	*len = (size_t)total - 4 - first;
	return true;
}

bool pcapng_shb_options(const uint8_t *head, bool swapped, size_t *off, size_t *len)
{
	uint32_t total = pcapng_get32(head + 4, swapped);

	/* type, length, byte-order magic, version, section length: 24 bytes before the options */
	if (pcapng_get32(head, swapped) != SHB_TYPE || total < 28 || total % 4)
		return false;
	*off = 24;
	*len = (size_t)total - 28;
	return true;
}

bool pcapng_next_comment(const uint8_t *opts, size_t len, bool swapped, struct pcapng_opt_walk *w,
                         size_t *off, size_t *clen)
{
	return pcapng_next_option(opts, len, swapped, OPT_COMMENT, w, off, clen);
}

bool pcapng_next_option(const uint8_t *opts, size_t len, bool swapped, uint16_t want,
                        struct pcapng_opt_walk *w, size_t *off, size_t *clen)
{
	/* each step moves at least 4 bytes forward, so the walk ends within len/4 steps */
	while (!w->done && w->at + 4 <= len) {
		uint16_t code = pcapng_get16(opts + w->at, swapped),
		         olen = pcapng_get16(opts + w->at + 2, swapped);
		size_t val = w->at + 4;
		if (code == OPT_END || val + olen > len)
			break; /* done, or a length past the bytes: nothing after it is trusted */
		w->at = val + (((size_t)olen + 3) & ~(size_t)3);
		if (code == want) {
			*off = val;
			*clen = olen;
			return true;
		}
	}
	w->done = true;
	return false;
}
