/*
 * ifstats.h - an adapter's packet counter from the operating system, without capturing:
 * the adapter picker samples it about once a second for its packets/s sparklines.
 * ifstats_linux.c reads /proc/net/dev; ifstats_win32.c has no source yet. Any thread.
 */
#ifndef CAPSCOPE_IFSTATS_H
#define CAPSCOPE_IFSTATS_H

#include <stdint.h>

/* Packets received plus sent since the adapter came up. Returns 0, or -1 when the counter is
 * not available (no such adapter, a pseudo-device such as "any", or not on this platform). */
int ifstats_packets(const char *name, uint64_t *packets);

#endif
