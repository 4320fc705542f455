/*
 * model_resolve.h - --resolve and key N in the monitor: reverse (PTR) lookups of the
 * addresses the stored packets carry (decode/resolve.h), their answers put in the model's
 * names table, and the resolver's own lookup packets left out of the packet list.
 *
 * Every stored packet is checked against the resolver's own sockets as it enters the store
 * (model_resolve_take, before the display takes it); its addresses are asked in store order
 * by model_resolve_step, which paces itself on the resolver's queue (an address named or
 * asked recently costs a hash look-up), and which also collects the answers. Own packets
 * are remembered by store index (ascending) while they are held. The UI thread only.
 */
#ifndef CAPSCOPE_MODEL_RESOLVE_H
#define CAPSCOPE_MODEL_RESOLVE_H

#include <stdbool.h>
#include <stdint.h>

#include "model/model.h"

/* Starts (on) or stops the lookups; false, with the reason in m->error, if they cannot
 * start (no c-ares in this build, bad servers). */
bool model_resolve_set(struct model *m, bool on);
bool model_resolve_on(const struct model *m);
/* Store packet `index` entered: is it one of the resolver's own lookups? */
void model_resolve_take(struct model *m, uint64_t index, const struct pkt_hdr *h,
                        const uint8_t *data);
/* True if store packet `index` is an own lookup packet (not shown in the list). */
bool model_resolve_hidden(const struct model *m, uint64_t index);
/* Own lookup packets hidden so far in this capture. */
uint64_t model_resolve_hidden_count(const struct model *m);
/* Collects answers and asks for more addresses, for at most budget_ns; true when a name
 * arrived (the views redraw). */
bool model_resolve_step(struct model *m, uint64_t budget_ns);
/* The store keeps its first n packets only: so do the own packets. */
void model_resolve_truncate(struct model *m, uint64_t n);
/* Store packets before `first` left (the spill file's ring): so do their own packets. */
void model_resolve_drop_head(struct model *m, uint64_t first);
/* A new capture: no own packets, addresses asked from its first packet. */
void model_resolve_reset(struct model *m);
void model_resolve_free(struct model *m);

#endif
