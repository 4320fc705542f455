/*
 * tsprec.h - finds a capture file's native timestamp precision from its first bytes.
 *
 * libpcap is always asked for nanoseconds (so nothing is lost), which hides whether the file
 * really had them; this peeks at the header instead. Used by the file source (then rewinds)
 * and the stream source (then replays the peeked bytes). Any thread; no shared state.
 */
#ifndef CAPSCOPE_TSPREC_H
#define CAPSCOPE_TSPREC_H

#include <stddef.h>
#include <stdint.h>

struct tsprec_peek {
	uint8_t *buf; /* every byte read so far (malloc'd; the caller frees) */
	size_t len;
	size_t cap;
};

/* Reads just enough of the stream to decide: pcap magic, or a pcapng Section Header Block
 * and blocks up to the first Interface Description Block (at most 1 MiB). Returns 9 for
 * nanosecond-or-finer resolution, else 6 (also for unknown or short input: libpcap then
 * reports what is wrong when it opens the stream). Returns -1 only when out of memory.
 * `rd` reads up to n bytes and returns how many (fewer only at the end or on error). */
int tsprec_sniff(size_t (*rd)(void *ctx, uint8_t *dst, size_t n), void *ctx,
                 struct tsprec_peek *pk);

#endif
