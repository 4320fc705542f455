/*
 * follow_out.h - tshark 4.0's -z follow text: the block around a followed stream and its
 * chunks in raw (hex pairs), ascii (printable bytes, '.' for others) or hex (dump) form.
 *
 * Call order: follow_out_header(), follow_out_chunk() for each chunk in emission order
 * (chunks marked unplaced are skipped, as tshark has no such data), follow_out_footer().
 * Chunk bytes are untrusted: ascii and hex print only printable ASCII, newline and (ascii,
 * as tshark) carriage return; every other byte becomes '.'.
 */
#ifndef CAPSCOPE_FOLLOW_OUT_H
#define CAPSCOPE_FOLLOW_OUT_H

#include "decode/follow.h"
#include "decode/outbuf.h"

enum follow_mode { FOLLOW_ASCII, FOLLOW_HEX, FOLLOW_RAW };

/* "ascii", "hex", "raw" */
const char *follow_mode_name(enum follow_mode m);

struct follow_out {
	enum follow_mode mode;
	uint64_t pos[2]; /* hex: each node's running offset */
};

void follow_out_init(struct follow_out *fo, enum follow_mode mode);
/* "\n====\nFollow: tcp,raw\nFilter: FILTER\nNode 0: ...\nNode 1: ...\n" */
void follow_out_header(const struct follow_out *fo, struct outbuf *ob, const struct follow *f,
                       const char *filter);
void follow_out_chunk(struct follow_out *fo, struct outbuf *ob, const struct follow_chunk *c);
void follow_out_footer(struct outbuf *ob);

#endif
