/*
 * model_procs.h - process attribution in the monitor (issue 13): the live capture's struct
 * attrib (procs/attrib.h), each stored packet's process, and the per-process totals the
 * Processes view shows (proc_stats.h).
 *
 * Where packets are tagged: as the UI thread takes them from the ring (model.c's
 * take_record), before the display filter sees them. The stream pass would be cheaper in
 * one way (it dissects every packet anyway) but it runs behind the store and, under load,
 * seconds behind it (a 20% share of a live capture's time): a socket's owner must be asked
 * while the socket lives, and a display filter on process.pid needs the tag when the packet
 * enters the display. At ingest the 5-tuple is read from a few header bytes
 * (conv_flow_key), then one attrib_packet() call (the engine's flow cache); the capture
 * thread is never involved.
 *
 * Memory: 4 bytes a packet held (the process id and the direction bit), allocated only for a
 * live capture with attribution on, leaving with the packets the spill file's ring drops;
 * the totals' bounds are proc_stats.h's.
 *
 * Attribution runs for live captures (a file's packets have no sockets to ask about); a
 * pcapng file capscope wrote with --pcapng gives its packets' processes back from their
 * comments (file_procs.h), looked for in its first 4096 packets (FILE_PROBE) and, when found, in
 * every packet as it is taken in (a read of its options each). --no-processes turns both
 * off, --no-ebpf leaves netlink + /proc (m->no_processes, m->no_ebpf, read when the source
 * opens). UI thread only, like the rest of the model.
 */
#ifndef CAPSCOPE_MODEL_PROCS_H
#define CAPSCOPE_MODEL_PROCS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"
#include "decode/dissect.h"
#include "model/proc_stats.h"
#include "procs/attrib.h"

struct model;

/* Creates m's process state (at model_create); false when out of memory. */
bool model_procs_init(struct model *m);
void model_procs_free(struct model *m);
/* The source was opened (m->kind, m->no_processes and m->no_ebpf set): opens attribution for
 * a live capture. */
void model_procs_open(struct model *m);
/* The source is closed: attribution closes, tags and totals are forgotten. */
void model_procs_close(struct model *m);
/* The monotonic clock for the packets taken next (once a pump, not once a packet). */
void model_procs_now(struct model *m, uint64_t now_ns);
/* Tags store packet `index` (the newest, just appended) from its bytes. */
void model_procs_tag(struct model *m, uint64_t index, const struct pkt_hdr *h, const uint8_t *data);
/* Store packets from n on are gone (a spill write that failed part-way). */
void model_procs_truncate(struct model *m, uint64_t n);
/* Store packets before `first` left (the spill file's ring): their tags leave memory. */
void model_procs_drop_head(struct model *m, uint64_t first);
/* Bytes of memory the tags hold. */
size_t model_procs_memory(const struct model *m);

/* True while packets have processes: a live capture (attribution not turned off), or a file
 * with our comments. */
bool model_procs_on(const struct model *m);
/* The process of store packet index (ATTRIB_NONE when none); *out: the process sent it. */
uint32_t model_packet_proc(const struct model *m, uint64_t index, bool *out);
/* The process of an id, or NULL (ATTRIB_NONE, an unknown id, or no attribution). */
const struct proc_info *model_proc_info(const struct model *m, uint32_t id);
/* "name[pid]", escaped, for the Process column and the Processes view; "" for none. */
void model_proc_label(const struct model *m, uint32_t id, char *out, size_t n);
/* Appends the "Process" layer of store packet index to d (the decode pane's packet, a
 * display filter's); nothing when attribution is off. */
void model_procs_dissect(const struct model *m, uint64_t index, struct dissection *d);
/* Whether the packet list shows its Process column (m->proc_col, PC_AUTO: while on). */
bool model_proc_column(const struct model *m);
/* How attribution works here, for the status bar (terminal-safe). */
const char *model_procs_status(const struct model *m);
/* The per-process totals of every stored packet. */
const struct proc_stats *model_proc_stats(const struct model *m);

#endif
