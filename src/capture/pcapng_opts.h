/*
 * pcapng_opts.h - the comments (opt_comment) of a pcapng Enhanced Packet Block, found in its
 * bytes. The block comes from a file, so it is hostile: every length is checked against the
 * block's own total length and the bytes given, the option walk is bounded by them, and a
 * lying length ends the walk (what was found before it is kept). Pure; any thread.
 */
#ifndef CAPSCOPE_PCAPNG_OPTS_H
#define CAPSCOPE_PCAPNG_OPTS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

/* 16- and 32-bit fields of a block in its section's byte order (swap: not the host's). */
static inline uint32_t pcapng_get32(const uint8_t *p, bool swap)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swap ? __builtin_bswap32(v) : v;
}

static inline uint16_t pcapng_get16(const uint8_t *p, bool swap)
{
	uint16_t v;

	memcpy(&v, p, 2);
	return swap ? __builtin_bswap16(v) : v;
}

/* An EPB's bytes before its packet data (type, length, interface, time, lengths). */
#define PCAPNG_EPB_FIXED 28u

/* The options of the EPB whose first PCAPNG_EPB_FIXED bytes are head: they lie at
 * [*off, *off + *len) from the block's start (before its trailing length). swapped: the
 * section's byte order is not the host's. False when it is not an EPB or its lengths are
 * inconsistent (total length too small or not a multiple of 4, data past the block). */
bool pcapng_epb_options(const uint8_t *head, bool swapped, size_t *off, size_t *len);

/* The options of the Section Header Block whose first 12 bytes are head: at [*off, *off +
 * *len) from its start. False when its total length is bad. */
bool pcapng_shb_options(const uint8_t *head, bool swapped, size_t *off, size_t *len);

/* Where a walk over options is: start with {0}. */
struct pcapng_opt_walk {
	size_t at; /* offset of the next option */
	bool done;
};

/* The next opt_comment in the options opts[0..len) (len may be less than the block says
 * when only part was read: options past len are not seen). Returns true with the comment
 * at opts[*off .. *off + *clen); false when there is none further (the end-of-options
 * code, the end of the bytes, or an option whose length runs past them). */
bool pcapng_next_comment(const uint8_t *opts, size_t len, bool swapped, struct pcapng_opt_walk *w,
                         size_t *off, size_t *clen);
/* The same for the next option of any code `code` (an IDB's if_name is 2). */
bool pcapng_next_option(const uint8_t *opts, size_t len, bool swapped, uint16_t code,
                        struct pcapng_opt_walk *w, size_t *off, size_t *olen);

#endif
