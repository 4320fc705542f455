/*
 * privsep.h - privilege separation: a capture helper process keeps the capture rights, the
 * main process (decoding, UI, files) gives up every privilege.
 *
 * Call order (main thread, before anything reads untrusted input and before other threads
 * start): privsep_start() -> the command -> privsep_end(). Once started, the capture layer
 * reaches adapters through the helper by itself (adapter.h, source.h, adapter_probe.h): the
 * privsep_* calls below are for the capture layer, any thread (one lock serialises them).
 * Linux: linux/privsep_*.c, linux/helper_*.c; elsewhere: nothing is split (win32 stub).
 */
#ifndef CAPSCOPE_PRIVSEP_H
#define CAPSCOPE_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/adapter.h"

#define PRIVSEP_ERRLEN 512

struct privsep_opts {
	const char *user;      /* -Z USER, or NULL: SUDO_UID/SUDO_GID, else "nobody" */
	bool split;            /* this command's modes run through the helper */
	const char *precreate; /* -w FILE: created (if new) before the drop, owned by the user */
	/* NULL, or a NULL-ended list of more such files (several -i: a pcap per source) */
	const char *const *precreate_each;
	bool seccomp; /* also install the main process's seccomp filter */
};

/* With privileges (euid 0, or permitted capabilities as a setcap'd binary has) and o->split:
 * forks the helper and drops the main process's privileges. Without privileges: nothing.
 * With privileges and !o->split: nothing either (the mode runs unsplit, as it always did).
 * Returns 0, or -1 with a one-line message (the caller must not go on: it would run with
 * privileges it was meant to give up). */
int privsep_start(const struct privsep_opts *o, char *err, size_t n);
/* Closes the channel and reaps the helper. */
void privsep_end(void);
/* True in the main process once the helper serves it. */
bool privsep_active(void);
/* One line for --version: what is split, what is not, and the seccomp build. */
const char *privsep_describe(void);

/* The helper's services (privsep_active() only). Each returns 0 or -1 with err filled. */
int privsep_adapters(struct adapter_list *l, char *err, size_t n);
int privsep_linktype(const char *name);
bool privsep_can_capture(char *why, size_t n);
/* A packet socket bound to ifname for sending only (the helper locks a filter on it that
 * takes no packet in), or -1 with err. */
int privsep_send_socket(const char *ifname, char *err, size_t n);

#endif
