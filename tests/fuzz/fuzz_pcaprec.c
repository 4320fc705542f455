/*
 * fuzz_pcaprec.c - libFuzzer harness for the in-memory pcap parser
 * (capture/pcaprec.h) that the remote source reads ssh's pipe with: the input is a pcap
 * stream, walked as the source walks a block, header then records to the end. The first
 * byte also picks where the block is cut, so records that end past the block (0: not whole
 * yet) are asked for too. A record reaching outside the bytes given traps; a read outside
 * them shows up under AddressSanitizer.
 */
#include <stddef.h>
#include <stdint.h>

#include "capture/pcaprec.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct pcaprec_file pr;
	struct pcaprec r;
	char err[128];
	size_t at, cut;
	long got;

	if (size < 1)
		return 0;
	cut = 1 + (size - 1) * data[0] / 255; /* the block ends here */
	data++;
	size--;
	if (cut > size)
		cut = size;
	if (pcaprec_header(&pr, data, cut, err, sizeof err) <= 0)
		return 0;
	at = PCAPREC_HDR_BYTES;
	while ((got = pcaprec_next(&pr, data + at, cut - at, &r, err, sizeof err)) > 0) {
		if (r.data < data + at || r.caplen > cut - at || (size_t)got > cut - at ||
		    r.caplen > PCAPREC_MAX_CAPLEN)
			__builtin_trap();
		volatile uint8_t last = r.caplen ? r.data[r.caplen - 1] : 0;
		(void)last;
		at += (size_t)got;
	}
	return 0;
}
