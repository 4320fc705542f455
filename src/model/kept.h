/*
 * kept.h - nothing lost on disconnect: when the session hangs up (SSH drop, SIGHUP, SIGTERM)
 * while a live capture's packets exist only in the TUI's temporary file, they are kept as a
 * pcap file in the state folder (state_dir.h), and the next TUI run says where.
 */
#ifndef CAPSCOPE_KEPT_H
#define CAPSCOPE_KEPT_H

#include <stddef.h>

#include <stdbool.h>

#include "model/model.h"

/* Keeps the model's captured packets (see model_keep_packets) and notes the file for the
 * next run. Returns true with a one-line report in msg, false when nothing was kept. */
bool kept_after_hangup(struct model *m, char *msg, size_t n);
/* At start: the newest file kept by an earlier run that hung up (each is announced once).
 * Returns true with a notice naming it (escaped, for the status bar) and its full path
 * (for the open prompt); false when there is none. */
bool kept_announce(char *notice, size_t n, char *path, size_t pn);

#endif
