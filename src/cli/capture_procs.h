/*
 * capture_procs.h - process attribution in the headless loop (cmd_capture.c): whether a
 * live capture attributes, and each packet's Process layer. The consumer thread alone calls
 * these, after a packet is decoded and before the display filter; the capture thread is
 * never involved.
 */
#ifndef CAPSCOPE_CAPTURE_PROCS_H
#define CAPSCOPE_CAPTURE_PROCS_H

#include <stdbool.h>
#include <stddef.h>

#include "cli/options.h"
#include "decode/dissect.h"
#include "procs/attrib.h"

/* A live capture attributes when its output can show it: --json, -T fields naming a
 * process.* field, -Y naming one, or --processes; never with --no-processes or for a file. */
bool capture_procs_wanted(const struct cli_opts *o, enum cli_output out, bool live);
/* Opens attribution and says on stderr how it works here; NULL (said too) when out of memory. */
struct attrib *capture_procs_open(const struct cli_opts *o);
/* At the end: the status again (with the latest problem) and the counters, on stderr. */
void capture_procs_summary(const struct attrib *a);
/* Appends d's Process layer (or its "not attributed" mark) from the packet's TCP or UDP
 * tuple; with tag (n bytes) also the --print suffix " [name pid]" (escaped), "" if none.
 * Returns the process (NULL if none; valid for the life of a), *out true when it sent the
 * packet (for the pcapng comment). */
const struct proc_info *capture_procs_packet(struct attrib *a, struct dissection *d, char *tag,
                                             size_t n, bool *out);
/* The same for a process known otherwise (a pcapng comment read back): p NULL marks the
 * packet unattributed. */
void capture_procs_show(struct dissection *d, const struct proc_info *p, bool out, char *tag,
                        size_t n);

#endif
