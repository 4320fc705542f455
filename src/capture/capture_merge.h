/*
 * capture_merge.h - several sources captured at once and merged by timestamp into one ring
 * (capture_merge.c says how and what order is kept). Used through capture_thread.h
 * (capture_start_many), which owns the struct; not for use elsewhere.
 *
 * Call order: merge_start() -> merge_stop() (any thread) -> merge_join(); merge_counters()
 * and merge_source() from any thread until merge_join().
 */
#ifndef CAPSCOPE_CAPTURE_MERGE_H
#define CAPSCOPE_CAPTURE_MERGE_H

#include "capture/capture_thread.h"

struct capture_merge;

struct merge_opts {
	size_t ring_bytes;    /* each source's own ring */
	int hold_ms;          /* the hold window (capture_merge.c) */
	uint64_t max_packets; /* > 0: stop after that many merged packets */
};

/* Starts a capture thread per source (packets stamped with their index) and the merge
 * thread. NULL with err on failure (nothing left running). */
struct capture_merge *merge_start(struct source *const *srcs, unsigned n, struct ring *out,
                                  const struct merge_opts *o, char *err);
void merge_set_filter(struct capture_merge *m, const char *expr);
void merge_set_source_filter(struct capture_merge *m, unsigned i, const char *expr);
void merge_stop(struct capture_merge *m);
/* The sum over the sources, plus what the consumer's ring refused; finished once the merge
 * thread has ended. */
void merge_counters(const struct capture_merge *m, struct capture_counters *out);
unsigned merge_sources(const struct capture_merge *m);
enum source_err merge_source(const struct capture_merge *m, unsigned i,
                             struct capture_counters *out, char *err);
/* Waits for every thread and frees. Returns the first failed source's status and message
 * (err may be NULL); final (may be NULL) gets the summed final counters, each (may be NULL)
 * every source's own. */
enum source_err merge_join(struct capture_merge *m, struct capture_counters *final,
                           struct capture_end *each, char *err);

#endif
