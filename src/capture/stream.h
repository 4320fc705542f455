/*
 * stream.h - makes a non-seekable capture stream (stdin, a pipe) readable by libpcap after
 * its header was peeked for the timestamp precision. stream_posix.c replays the peeked bytes
 * through a custom FILE; stream_win32.c does not peek and reports microseconds. Also the
 * platform part of writing a capture to standard output.
 * Called by the opening thread only.
 */
#ifndef CAPSCOPE_STREAM_H
#define CAPSCOPE_STREAM_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

/* Takes ownership of src (closed with the returned FILE, unless it is stdin) and returns a
 * FILE that reads the whole stream from its first byte, with *tsprec set to 6 or 9. src must
 * not have been read through stdio yet. Returns NULL with err filled (src is then closed). */
FILE *stream_wrap(FILE *src, int *tsprec, char *err, size_t errlen);

/* A binary-mode FILE on a duplicate of the standard output descriptor, so that whoever
 * closes it (pcap_dump_close does) leaves stdout itself open. NULL with errno set. */
FILE *stream_stdout_dup(void);

/* fopen(path, write ? "wb" : "rb"), or the descriptor privsep_file() has for path (a file
 * opened before the privileges were dropped). NULL with errno set. */
FILE *stream_fopen(const char *path, bool write);

/* Where the next record of a capture file starts, for reading it back later (pktfile.h), or
 * UINT64_MAX where that cannot be known: on Windows, pcap_file() is wpcap's own C runtime
 * stream, which ours must not touch. Called by the capture thread before each read. */
uint64_t stream_record_pos(FILE *libpcap_stream);

/* Closes a dumper made by pcap_dump_fopen(dead, fp), and fp with it. Returns 0, or -1 with
 * errno when the final close failed: pcap_dump_close() returns void, but on POSIX the dumper
 * is the FILE itself (libpcap's pcap_dump_fopen returns it cast), so fclose's result is
 * ours to check. On Windows the dumper owns wpcap's own stream: pcap_dump_close, 0. */
struct pcap_dumper;
int stream_dump_close(struct pcap_dumper *pd, FILE *fp);

#endif
