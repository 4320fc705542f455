/*
 * file_procs.h - the process of a stored packet of a pcapng file, from its packet comment
 * (procs/proc_comment.h), for the monitor: a file that capscope --pcapng wrote gives its
 * packets their processes back, as the headless reader does (cli/capture_comments.c).
 * The UI thread alone calls it (it reads through the store's pktfile).
 */
#ifndef CAPSCOPE_FILE_PROCS_H
#define CAPSCOPE_FILE_PROCS_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/store.h"
#include "procs/attrib.h"

/* Comments looked at per packet: a file may hold any number; ours is the first. */
#define FILE_PROCS_MAX_COMMENTS 8

/* Packet i's process from the first of its comments that is ours (p->how AH_COMMENT; *out
 * true when the process sent it). False when it has none (a pcap file, a live capture's
 * spill file, a packet without our comment) or the file cannot be read. Give p to
 * attrib_intern() for a stable id. */
bool file_procs_get(struct store *s, uint64_t i, struct proc_info *p, bool *out);
/* True when the file says its packets were attributed as they were written (its section
 * comment is PROC_COMMENT_SECTION): then a packet without a process is "not attributed"
 * (dissect_process with NULL), as in the live capture; in any other file it is unknown and
 * gets no Process layer. Ask once per file. */
bool file_procs_attributed(struct store *s);

#endif
