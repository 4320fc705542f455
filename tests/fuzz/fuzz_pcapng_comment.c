/*
 * fuzz_pcapng_comment.c - libFuzzer harness for reading process comments out of a pcapng
 * Enhanced Packet Block as the readers do (pktfile_comment, then proc_comment_parse): the
 * first byte's low bit says the section is byte-swapped, the rest is the block from its type
 * on. The block's options are located from its head (pcapng_epb_options), cut to the bytes
 * present (as a file cut short), copied into a buffer of exactly that size (so ASan sees a
 * read past it) and walked; every comment found must lie inside them and is parsed.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/pcapng_opts.h"
#include "procs/proc_comment.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcapng_opt_walk w = {0};
	struct proc_info p;
	size_t off, len, coff, clen;
	bool out;

	if (size < 1 + PCAPNG_EPB_FIXED)
		return 0;
	bool swapped = data[0] & 1;
	const uint8_t *blk = data + 1;
	size_t have = size - 1;
	if (!pcapng_epb_options(blk, swapped, &off, &len))
		return 0;
	if (off > have)
		return 0;
	if (len > have - off)
		len = have - off;
	uint8_t *opts = malloc(len ? len : 1);
	if (!opts)
		return 0;
	memcpy(opts, blk + off, len);
	for (int n = 0; pcapng_next_comment(opts, len, swapped, &w, &coff, &clen); n++) {
		if (coff + clen > len || n > (int)(len / 4))
			__builtin_trap(); /* a comment outside the options, or a walk that does not
			                     end */
		proc_comment_parse((const char *)opts + coff, clen, &p, &out);
	}
	free(opts);
	return 0;
}
