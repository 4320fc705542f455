/*
 * proctab.h - the process table behind attrib.h's ids: one entry per process (pid and start
 * time, and the name for processes read from a file, whose start is unknown), at most max of
 * them. Past the bound a new process takes the place of the least recently seen one (a
 * process is seen when interned and when proctab_touch'd: every packet attributed to it), so
 * a run of days keeps naming new processes.
 *
 * Ids: 0 and 1 are ATTRIB_NONE and ATTRIB_TOO_MANY (the latter now only when memory ran
 * out); a process's id is its entry's place plus a generation that grows each time the place
 * is reused (2 + place + stride * generation, stride the power of two >= max), so an evicted
 * process's id is never given to another while ids last: proctab_get(id) is NULL once it is
 * evicted. Ids stay below 2^31 (the monitor keeps the top bit of a packet's tag for its
 * direction): after 2^31 - 2 processes the generations start again at 0, so a packet that
 * old (weeks of new processes) may name a later process.
 *
 * Entries sit at fixed addresses (chunks, never moved): a pointer from proctab_get stays
 * valid for the table's life, but shows another process once its entry is reused: use it
 * before the next intern. One thread.
 */
#ifndef CAPSCOPE_PROCTAB_H
#define CAPSCOPE_PROCTAB_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "procs/attrib.h"

struct proctab;

/* A table of at most max (>= 1) processes; NULL when out of memory. */
struct proctab *proctab_new(size_t max);
void proctab_free(struct proctab *t);
/* The id of p's process, adding a copy of p when it is new (*added set then), in the least
 * recently seen process's place when the table is full. ATTRIB_TOO_MANY: out of memory. */
uint32_t proctab_intern(struct proctab *t, const struct proc_info *p, bool *added);
/* The entry of an id (ATTRIB_TOO_MANY has one saying so); NULL for ATTRIB_NONE, an evicted
 * process or an unknown id. */
struct proc_info *proctab_get(const struct proctab *t, uint32_t id);
/* Process id was seen again (it leaves the table after those seen since); false when id names
 * no process (ATTRIB_NONE, evicted, unknown). */
bool proctab_touch(struct proctab *t, uint32_t id);
/* Processes held; processes evicted so far. */
size_t proctab_count(const struct proctab *t);
uint64_t proctab_evicted(const struct proctab *t);

#endif
