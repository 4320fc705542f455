/*
 * proctab.h - the process table behind attrib.h's ids: one entry per process (pid and start
 * time, and the name for processes read from a file, whose start is unknown). Ids are the
 * entry's index + 2 (0 and 1 are ATTRIB_NONE and ATTRIB_TOO_MANY) and stay valid, with
 * their entries at fixed addresses (chunks, never moved), for the table's life. Bounded by
 * max entries: past it, every new process is ATTRIB_TOO_MANY. One thread.
 */
#ifndef CAPSCOPE_PROCTAB_H
#define CAPSCOPE_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs/attrib.h"

struct proctab;

struct proctab *proctab_new(size_t max);
void proctab_free(struct proctab *t);
/* The id of p's process, adding a copy of p when it is new (*added set then). */
uint32_t proctab_intern(struct proctab *t, const struct proc_info *p, bool *added);
/* The entry of an id (ATTRIB_TOO_MANY has one saying so); NULL for ATTRIB_NONE or unknown. */
struct proc_info *proctab_get(const struct proctab *t, uint32_t id);
size_t proctab_count(const struct proctab *t);

#endif
