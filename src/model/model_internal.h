/*
 * model_internal.h - what model.c, model_filter.c and model_spill.c share and the views must
 * not call.
 */
#ifndef CAPSCOPE_MODEL_INTERNAL_H
#define CAPSCOPE_MODEL_INTERNAL_H

#include <stddef.h>
#include <stdint.h>

#include "model/model.h"

/* Sets the message the status bar shows (cut to fit). */
void model_set_error(struct model *m, const char *msg);
/* Empties the displayed rows and the selection. */
void model_rows_reset(struct model *m);
/* The spill file's ring dropped the store's packets before `first`: their rows leave the
 * list (which becomes an index array if it was none); the selection stays on its packet. */
void model_rows_drop_head(struct model *m, uint64_t first);
/* Packet `index` of the store enters the display if it passes the display filter. */
void model_show_packet(struct model *m, uint64_t index, const struct pkt_hdr *h,
                       const uint8_t *data);
/* Whether the applied BPF filter takes store packet `index` (its source's program). */
bool model_bpf_match(const struct model *m, uint64_t index, const struct pkt_hdr *h,
                     const uint8_t *data);
/* Drops the applied filter (BPF or display), leaving none. */
void model_clear_filter(struct model *m);
/* Restarts the display from packet 0 of the store under the current filter. */
void model_start_refilter(struct model *m);
/* The kernel filter for a live capture: expr, minus this program's own SSH session. */
void model_kernel_filter(const struct model *m, const char *expr, char *out, size_t n);

/* tshark's frame.* facts of store packet `index`: its number, times and lengths. */
struct frame_meta;
void model_frame_meta(const struct model *m, uint64_t index, struct frame_meta *f);

/* The sources (model_sources.c). model_open_sources opens o[0..n) into m->srcs (m->src,
 * m->opts, m->kind and the status bar's label follow the first); -1 with m->error. */
int model_open_sources(struct model *m, const struct source_opts *o, unsigned n);
/* The store over the spill file (or the file), with each source's link type; -1 with
 * m->error. */
int model_open_store(struct model *m, const struct source_opts *o);
/* Starts the capture thread(s) over m->srcs into a new ring of ring_bytes; -1 with
 * m->error. */
int model_start_capture(struct model *m, size_t ring_bytes);
/* Joins the capture thread(s): m->counters, and each source's end and state. */
enum source_err model_join_capture(struct model *m, char *err);
/* Several sources while they run: each one's counters, and its end as it comes. */
void model_poll_sources(struct model *m);
/* The kernel filter of the applied filter on source i (live), or on every source;
 * SRC_OK or the error in err. */
enum source_err model_source_kernel_filter(struct model *m, unsigned i, char *err);
/* The BPF the applied filter runs as in source i's kernel (model_kernel_expr's, for that
 * source's link type), "" for none. */
void model_source_kernel_expr(const struct model *m, unsigned i, char *out, size_t n);
enum source_err model_kernel_filters(struct model *m, char *err);
/* Ends a live capture or stream, taking in what it already read (model_spill.c). */
void model_finish_capture(struct model *m);

/* Creates the spill file for a source that cannot be read twice (model_spill.c). */
int model_open_spill(struct model *m);
/* Packets can no longer be kept: stops the capture, keeping what is readable (why: the
 * failed write's message). */
void model_stop_keeping(struct model *m, const char *why);
/* Makes room in the spill file for a record of rec_bytes at the bound: the oldest packets
 * leave (the ring), or with spill_stop the capture stops. Returns the file offset to
 * write it at, or UINT64_MAX with why (DUMP_ERRLEN bytes) when it is not to be written. */
uint64_t model_spill_room(struct model *m, uint64_t rec_bytes, char *why);

/* A test hook (numbering past 2^32 without days of packets): the empty store of the source
 * just opened numbers its packets from n on, as if n packets had come and left the spill
 * file's ring; everything kept per packet follows (model_spill.c). */
void model_number_from(struct model *m, uint64_t n);

#endif
