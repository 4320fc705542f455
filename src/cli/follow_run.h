/*
 * follow_run.h - the -z follow requests of one headless run: each packet goes to the follow
 * engine of every request whose stream it belongs to; each engine's chunks are formatted as
 * they come and kept in a temporary file (so a long stream costs disk, not memory), and after
 * the last packet the blocks are printed, the last -z first, as tshark does.
 *
 * Call order: follow_run_create(), follow_run_packet() for every packet in capture order
 * (dissect_summary() is enough, with its stream mark), follow_run_print(), follow_run_free().
 * Owned by the thread that reads the packets.
 */
#ifndef CAPSCOPE_FOLLOW_RUN_H
#define CAPSCOPE_FOLLOW_RUN_H

#include <stddef.h>

#include "cli/options.h"
#include "decode/dissect.h"
#include "decode/outbuf.h"
#include "decode/stream.h"

struct follow_run;

/* NULL with a message in err when out of memory. */
struct follow_run *follow_run_create(const struct follow_spec *specs, unsigned n, char *err,
                                     size_t errlen);
void follow_run_packet(struct follow_run *r, const struct dissection *d, uint64_t frame,
                       const struct stream_mark *m);
/* Prints every block to ob. Returns 0, or -1 with a message in err (a temporary file failed). */
int follow_run_print(struct follow_run *r, struct outbuf *ob, char *err, size_t errlen);
void follow_run_free(struct follow_run *r);

#endif
