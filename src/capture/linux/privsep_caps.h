/*
 * privsep_caps.h - Linux capability sets through capget/capset (no libcap): what the
 * process may hold, and giving capabilities up. Called by privsep_start.c only, before
 * other threads exist.
 */
#ifndef CAPSCOPE_PRIVSEP_CAPS_H
#define CAPSCOPE_PRIVSEP_CAPS_H

#include <stdbool.h>
#include <stdint.h>

/* The permitted set as a 64-bit mask (bit n = capability n); 0 when none or unreadable. */
uint64_t caps_permitted(void);
/* Keeps only `keep` (a mask): effective = permitted = keep, inheritable and ambient empty,
 * and the bounding set cut to keep where CAP_SETPCAP allows (a setcap'd binary has no
 * CAP_SETPCAP: its bounding set stays, which no_new_privs makes harmless). 0 or -1. */
int caps_keep(uint64_t keep);
/* The bounding set only (the part of caps_keep that needs CAP_SETPCAP). */
void caps_cut_bounding(uint64_t keep);
/* True in AddressSanitizer builds: LeakSanitizer ptraces the process's own threads at exit,
 * which needs a dumpable process and, under seccomp, ptrace allowed. */
bool caps_sanitizer_build(void);
/* True when the effective, permitted and inheritable sets are all empty. */
bool caps_none(void);

#endif
