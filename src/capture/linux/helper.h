/*
 * helper.h - the capture helper's insides (Linux): the request loop (helper_main.c) and
 * its live sources (helper_capture.c). Only the helper process calls these, on its one
 * thread; privsep_start.c forks it.
 */
#ifndef CAPSCOPE_HELPER_H
#define CAPSCOPE_HELPER_H

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/privsep.h"
#include "capture/privsep_proto.h"
#include "capture/source.h"

/* One open live source: its handle, and the packets waiting for room in its pipe. */
struct helper_src {
	struct source *s; /* NULL when the slot is free */
	int out;          /* the data pipe's write end, non-blocking */
	uint8_t *buf;     /* records not yet written */
	size_t n, sent, cap;
	bool dead; /* a read failed: the error record is queued, nothing more is read */
};

/* A packet socket bound to ifname that can send and never receives (helper_send.c). Returns
 * the descriptor, or -1 with err filled. */
int helper_send_socket(const char *ifname, char *err, size_t n);

/* The PS_SERVICE handler helper_serve() calls (NULL: such requests are refused). */
void helper_set_service(privsep_service_fn fn);
/* Serves requests on ctl until the main process goes away. Returns the exit status. */
int helper_serve(int ctl);

/* Statistics-mode counters (helper_stats.c), ids < PS_MAX_STATS. helper_stats_open fills
 * *id, or returns an error with err; the others take an id helper_stats_used() accepted. */
bool helper_stats_used(uint32_t id);
enum source_err helper_stats_open(const struct ps_stats_open *o, const char *filter, uint32_t *id,
                                  char *err);
const char *helper_stats_warning(uint32_t id);
void helper_stats_read(uint32_t id, uint64_t after, struct ps_stats_batch *sb);
void helper_stats_stop(uint32_t id);
void helper_stats_close(uint32_t id);
void helper_stats_close_all(void);

/* ssh run for the main process (helper_spawn.c), ids < PS_MAX_SPAWN. helper_spawn_init
 * keeps CAPSCOPE_SSH_COMMAND's value (NULL or "": plain ssh) at the helper's start.
 * helper_spawn starts ssh for a checked PS_SPAWN request: fills *id and fds (stdout's and
 * stderr's read ends and the main process's end of the kill socket: the caller sends them
 * and closes its copies), or returns an error with err. helper_spawn_wait: true with *status
 * once the child was reaped (the id is free then). helper_spawn_pollfd: the kill socket to
 * wait on; helper_spawn_signal reads it when it is ready. helper_spawn_reap_all between
 * requests; helper_spawn_end_all when the main process went away. */
void helper_spawn_init(const char *ssh_command);
enum source_err helper_spawn(const struct ps_spawn *o, const char *filter, uint32_t *id,
                             int fds[PS_SPAWN_FDS], char *err);
bool helper_spawn_used(uint32_t id);
bool helper_spawn_wait(uint32_t id, int32_t *status);
bool helper_spawn_pollfd(uint32_t id, struct pollfd *p);
void helper_spawn_signal(uint32_t id);
void helper_spawn_reap_all(void);
void helper_spawn_end_all(void);

/* Opens a live source in a free slot of v[PS_MAX_SRC] and a pipe for its packets: fills *op
 * and *fd (the pipe's read end, for the main process; the caller closes its copy). */
enum source_err helper_src_open(struct helper_src *v, const struct ps_open *o, struct ps_opened *op,
                                int *fd, char *err);
enum source_err helper_src_filter(struct helper_src *h, const char *expr, char *err);
bool helper_src_stats(struct helper_src *h, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop);
void helper_src_close(struct helper_src *h);
bool helper_src_used(const struct helper_src *h);
/* The descriptor to wait on: the pipe while records wait for room in it, else the capture
 * handle. False when there is nothing to wait for. */
bool helper_src_pollfd(struct helper_src *h, struct pollfd *p);
/* Reads what the handle has (while the buffer has room) and writes what the pipe takes. */
void helper_src_pump(struct helper_src *h);

#endif
