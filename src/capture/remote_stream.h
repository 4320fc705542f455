/*
 * remote_stream.h - the remote source's reader of ssh's stdout (a pcap stream): the pipe is
 * read in large blocks (REMOTE_STREAM_BLOCK) and its records parsed in place
 * (pcaprec.h), instead of libpcap's two freads per record through stdio; each read
 * waits for data or a wake-up descriptor, which ends the stream (a stop on an idle link).
 * bench/remote.sh measures the two (docs/BENCHMARKS.md).
 *
 * Call order: remote_stream_open() -> remote_stream_header() -> remote_stream_next() ... ->
 * remote_stream_close(). One thread at a time (the opening thread, then the capture thread);
 * the wake-up may be written from any. POSIX only (posix/remote_stream.c).
 */
#ifndef CAPSCOPE_REMOTE_STREAM_H
#define CAPSCOPE_REMOTE_STREAM_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/pcaprec.h"

#define REMOTE_STREAM_BLOCK (1u << 20) /* larger than any record (PCAPREC_MAX_CAPLEN) */

struct remote_stream;

/* Takes fd (closed by remote_stream_close); wake_fd stays the caller's. NULL when out of
 * memory (fd is then closed). */
struct remote_stream *remote_stream_open(int fd, int wake_fd);
/* Reads the file header into *pr. Returns 1, 0 when the stream ended (or was woken) before a
 * whole header, -1 with err filled when it is not a pcap stream. */
int remote_stream_header(struct remote_stream *rs, struct pcaprec_file *pr, char *err,
                         size_t errlen);
/* The next record: its bytes stay valid until the next call. Returns 1, 0 at the end of the
 * stream (the link closed, or woken; remote_stream_cut() says whether a record was cut), -1
 * with err filled when the stream is damaged (a record longer than any), or
 * REMOTE_STREAM_IDLE when no whole record is buffered and the pipe has nothing now: the
 * caller hands on what it has (one wake-up per burst, not per packet); the next call waits. */
#define REMOTE_STREAM_IDLE 2
int remote_stream_next(struct remote_stream *rs, struct pcaprec *r, char *err, size_t errlen);
/* After an end: true when bytes of an unfinished record were left. */
bool remote_stream_cut(const struct remote_stream *rs);
void remote_stream_close(struct remote_stream *rs);

#endif
