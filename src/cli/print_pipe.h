/*
 * print_pipe.h - --print's lines formatted and written on a thread of their own.
 *
 * Reading a file, the thread that decodes (streams, reassembly: in packet order, alone) is
 * the busiest; the reader thread idles. This takes the line's text (timestamp, addresses,
 * ports, numbers) and the writes off it: the decoding thread copies what the line shows
 * (print_line()'s arguments, some 100 bytes; TCP's Info as its numbers, from a dissection
 * made with defer_tcp_info, which leaves that line to the writer) into blocks, and a writer
 * thread formats them
 * into the outbuf and writes it, block after block, so the output is in packet order and
 * byte for byte print_packet()'s. The blocks form a bounded single-producer/single-consumer
 * queue (PIPE_BLOCKS of PIPE_BLOCK_BYTES): the decoder waits when all are full, the writer
 * when all are empty; one lock and wake-up per block, not per packet.
 *
 * Threads: print_pipe_start, _packet, _failed and _finish are the decoding thread's; while
 * the pipe runs the writer thread owns the print_ctx and the outbuf given to it.
 */
#ifndef CAPSCOPE_PRINT_PIPE_H
#define CAPSCOPE_PRINT_PIPE_H

#include <stdbool.h>

#include "base/packet.h"
#include "decode/dissect.h"
#include "decode/outbuf.h"
#include "decode/print.h"

struct print_pipe;

/* Starts the writer on pc and ob (both left alone by the caller until print_pipe_finish).
 * NULL if the thread or memory could not be had: the caller prints itself. */
struct print_pipe *print_pipe_start(struct print_ctx *pc, struct outbuf *ob);
/* The packet's line, after every line given before. d may have been dissected with
 * defer_tcp_info (its TCP Info is then formatted by the writer) or without. */
void print_pipe_packet(struct print_pipe *pp, const struct pkt_hdr *h, const struct dissection *d);
/* True once a write failed (the outbuf's err, e.g. EPIPE): nothing more will be written. */
bool print_pipe_failed(const struct print_pipe *pp);
/* Hands over the last lines, waits until every line is in the outbuf (which is the caller's
 * again, its last bytes not yet flushed), ends the thread and frees the pipe. */
void print_pipe_finish(struct print_pipe *pp);

#endif
