/*
 * adapter_probe.h - can this process capture at all? The adapter picker asks before it
 * offers live capture, so a user without rights sees why (and the demo capture) instead of
 * a list of adapters that all fail.
 *
 * Opens the first adapter briefly (pcap_create + pcap_activate, then closes it): a few
 * milliseconds, so call it when the picker opens, not per frame. Any thread.
 */
#ifndef CAPSCOPE_ADAPTER_PROBE_H
#define CAPSCOPE_ADAPTER_PROBE_H

#include <stdbool.h>
#include <stddef.h>

/* True when a capture could be started. False with why (n bytes, terminal-safe, one line)
 * when permission is missing or there is no adapter; other activation problems (adapter
 * down, ...) count as permitted, since they belong to that adapter, not to the process. */
bool adapter_can_capture(char *why, size_t n);

#endif
