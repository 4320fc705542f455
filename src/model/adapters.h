/*
 * adapters.h - what the adapter picker shows, read from the capture layer: the adapter
 * list, whether this process may capture (and why not), each adapter's link type, and
 * each adapter's packet counter for the packets/s sparklines. Views reach adapters only
 * through here. UI thread only.
 */
#ifndef CAPSCOPE_ADAPTERS_H
#define CAPSCOPE_ADAPTERS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/adapter.h"

#define ADAPTERS_PROBE_MAX 64 /* adapters whose link type is read (one brief open each) */

struct adapters {
	struct adapter_list list;
	int *dlt;         /* per adapter: link type, or -1 when unknown (read only with rights) */
	bool can_capture; /* this process may capture */
	char why[320];    /* why it may not */
	char remote[300]; /* "ssh://[user@]host[:port]" when the list is that host's, else "" */
};

/* Reads the list and what goes with it. Returns 0, or -1 with a one-line reason in err
 * (the list is then empty; can_capture and why are still filled). */
int adapters_load(struct adapters *s, char *err, size_t n);
/* The adapters of a remote host (remote_list.h: ssh, blocking up to its start timeout):
 * url is ssh://[user@]host[:port]. Link types and packet counters are unknown. Returns 0, or
 * -1 with the one-line reason in err (the list is then empty). */
int adapters_load_remote(struct adapters *s, const char *url, bool sudo, char *err, size_t n);
/* The name a capture on adapter i opens: "ssh://host/NAME" for a remote list. */
void adapters_source_name(const struct adapters *s, size_t i, char *out, size_t n);
void adapters_free(struct adapters *s);
/* The packets adapter i has received so far (the kernel's counter); false when unknown. */
bool adapters_packets(const struct adapters *s, size_t i, uint64_t *count);

#endif
