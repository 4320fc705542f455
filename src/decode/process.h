/*
 * process.h - the "Process" layer: which local process sent or receives a packet, as
 * process attribution (procs/attrib.h) or a pcapng comment (procs/proc_comment.h) found it.
 * Not a protocol in the packet's bytes, and no tshark field: the process.* fields exist for
 * capscope's display filters, -T fields, --json and the decode pane alone.
 */
#ifndef CAPSCOPE_PROCESS_H
#define CAPSCOPE_PROCESS_H

#include <stdbool.h>

#include "decode/dissect.h"
#include "procs/attrib.h"

/*
 * Appends the layer "Process" at the end of d's tree (call after dissect() and the stream
 * annotations): process.pid, .name, .user, .uid, .cmdline, .cgroup, .container (those
 * known) and .direction ("out": the process sent it, "in": it receives it). p == NULL
 * marks the packet unattributed: "[Not attributed: no local socket of this machine]" with
 * process.unattributed. The strings are copied into d's text arena, raw (escaped when
 * shown). A summary dissection (no tree) gets the layer node alone.
 */
void dissect_process(struct dissection *d, const struct proc_info *p, bool out);

#endif
