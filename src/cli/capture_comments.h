/*
 * capture_comments.h - a pcapng file's process comments read back in the headless loop
 * (-r FILE.pcapng): each packet's comment (procs/proc_comment.h) gives its process again,
 * so process.* shows what the live capture that wrote the file showed. Packets are found by
 * their record position (pkt_hdr.pos) through a pktfile of their own: nothing is opened for
 * a pcap file or a stream. The consumer thread alone calls these.
 */
#ifndef CAPSCOPE_CAPTURE_COMMENTS_H
#define CAPSCOPE_CAPTURE_COMMENTS_H

#include <stdbool.h>
#include <stdint.h>

#include "procs/attrib.h"

/* Comments looked at per packet: a file may hold any number; ours is the first. */
#define CAPTURE_COMMENTS_MAX 8

struct capture_comments;

/* Opens path to read comments back; NULL when it is not a pcapng file or cannot be opened
 * (the file source reports why). */
struct capture_comments *capture_comments_open(const char *path);
void capture_comments_close(struct capture_comments *c);
/* True when the file says its packets were attributed as they were written
 * (PROC_COMMENT_SECTION): a packet without a process comment is then "not attributed". */
bool capture_comments_attributed(const struct capture_comments *c);
/* The process of the packet whose record starts at pos, from the first of its comments that
 * is ours (*out: the process sent it), valid until the next call; NULL when none is (or the
 * block cannot be read). */
const struct proc_info *capture_comments_read(struct capture_comments *c, uint64_t pos, bool *out);

#endif
