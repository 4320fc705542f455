/*
 * proc_comment.h - a packet's process as a pcapng packet comment (opt_comment of its
 * Enhanced Packet Block), as capscope --pcapng writes it and reads it back, so Wireshark and
 * tshark show it (frame.comment) and capscope restores the process fields from the file.
 *
 * The text is UTF-8 lines "Key: value" (the order fixed, unknown keys ignored on reading):
 *   Process: curl[4242]
 *   PID: 4242
 *   Command: curl
 *   User: root (0)                         (the uid unknown: "User: root")
 *   Start: 3358865                         (/proc/PID/stat's start time, when known: it
 *                                           tells a reused pid from the process before)
 *   Cmdline: curl -s http://198.18.0.2/
 *   Cgroup: /system.slice/foo.service      (only when known)
 *   Container: 0123abcd...                 (only when known)
 *   Direction: out                         (out: the process sent it; in: it receives it)
 * Values are escaped as esc_str() does (control bytes, bytes >= 0x80 and '\\' as \xNN and
 * \\; a user name's '(' as \x28), so a process cannot forge a line by naming itself, and the
 * text is ASCII (pcapng comments are UTF-8); parsing undoes it, so the raw bytes come back.
 * Reading is hostile-input parsing: lengths bounded, bytes kept raw (escaped when shown).
 */
#ifndef CAPSCOPE_PROC_COMMENT_H
#define CAPSCOPE_PROC_COMMENT_H

#include <stdbool.h>
#include <stddef.h>

#include "procs/attrib.h"

/* The section comment (the Section Header Block's opt_comment) of a file whose packets were
 * attributed as they were written: there, a packet without a process comment was not
 * attributed (the reader marks it so); in any other pcapng file it is simply not known. */
#define PROC_COMMENT_SECTION                                                                       \
	"capscope: each packet's process is its comment; a packet without one was not attributed"
/* True when text (len bytes) is that section comment. */
bool proc_comment_is_section(const char *text, size_t len);

/* Writes p's comment into buf (NUL-terminated, cut to n-1 bytes at a line end); returns its
 * length. `out`: the process sent the packet. */
size_t proc_comment_format(const struct proc_info *p, bool out, char *buf, size_t n);
/* Parses a comment of len bytes; true when it is one of ours (a "Process:" or "PID:" line),
 * with p (how = AH_COMMENT) and *out filled. */
bool proc_comment_parse(const char *text, size_t len, struct proc_info *p, bool *out);

#endif
