/*
 * frame_meta.h - numbering and timing of the packets of one capture, as tshark's frame.*
 * fields give them: call frame_meta_next() once per packet read, in capture order, before
 * the packet is filtered or shown (so frame.number stays the capture's own numbering when a
 * display filter hides packets, as with tshark -Y). One thread owns a struct frame_clock.
 */
#ifndef CAPSCOPE_FRAME_META_H
#define CAPSCOPE_FRAME_META_H

#include "base/packet.h"
#include "decode/field.h"

struct frame_clock {
	uint64_t count;   /* packets seen so far */
	int64_t first_ns; /* timestamp of the first packet, in ns since the epoch */
	int64_t prev_ns;  /* timestamp of the previous packet */
};

/* Starts a capture: the next packet is frame 1. */
void frame_clock_init(struct frame_clock *c);
/* Fills m for the next packet h (number, times, lengths) and advances the clock. */
void frame_meta_next(struct frame_clock *c, const struct pkt_hdr *h, int tsprec,
                     struct frame_meta *m);

#endif
