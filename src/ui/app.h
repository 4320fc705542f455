/*
 * app.h - the full-screen monitor: one event loop, one redraw point, views driven through
 * views/view.h.
 *
 * The loop polls the terminal, the ring's wake-up descriptor and a frame timer; keys become
 * actions through the key table (keymap.h), actions run in the focused view and then in the
 * action table (actions.h); views and actions return reaction flags and only the loop acts
 * on them (redraw, relayout, quit). Frames are drawn at most ~25 times a second (10 over
 * SSH), never per packet. All of this runs on the UI thread; the capture thread only feeds
 * the ring.
 */
#ifndef CAPSCOPE_APP_H
#define CAPSCOPE_APP_H

#include <stddef.h>

#include "capture/source.h"

struct app_opts {
	const char *theme;                /* "default" or "mono" */
	const struct source_opts *source; /* NULL: start with the adapter picker */
	unsigned nsources;                /* source[0..nsources): several -i at once */
	const char *filter;               /* initial filter, may be NULL */
	bool filter_display; /* it came from -Y: read as a display filter first (model.h) */
	size_t max_streams;  /* stream records kept at once; 0: the default */
	bool no_reassembly;  /* --no-reassembly: no reassembled TCP PDU in the decode pane */
	bool no_processes;   /* --no-processes: no process attribution */
	bool no_ebpf;        /* --no-ebpf: attribution by netlink + /proc only */
	bool resolve;        /* --resolve: reverse lookups from the start (key N toggles them) */
	const char *resolve_servers; /* --resolve-server, or NULL */
	size_t spill_max;            /* --spill-max in bytes (0: none), when spill_max_set */
	bool spill_max_set;
	bool spill_stop; /* --spill-full stop */
};

/* Runs the monitor until quit. Returns the process exit status. */
int app_run(const struct app_opts *o);

#endif
