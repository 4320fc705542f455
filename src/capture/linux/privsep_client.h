/*
 * privsep_client.h - the main process's end of the helper's control channel (Linux). One
 * request at a time under a lock: the UI thread (adapter list, open, close) and the capture
 * thread (stats, filter) share it. Used by privsep_client.c's own adapter calls and by
 * source_helper.c; privsep_start.c connects it.
 */
#ifndef CAPSCOPE_PRIVSEP_CLIENT_H
#define CAPSCOPE_PRIVSEP_CLIENT_H

#include <stddef.h>
#include <stdint.h>
#include <sys/types.h>

#include "capture/privsep_proto.h"
#include "capture/source.h"

/* Takes the connected socket and the helper's pid; says hello. Returns 0 or -1 with err. */
int ps_client_connect(int ctl, pid_t pid, char *err, size_t n);
void ps_client_close(void);

/* Sends the request in req (begun with ps_begin; its sequence number is set here) and
 * reads the answer. Returns 0 with PS_OK's body in *body (malloc'd; the caller frees) and a
 * descriptor that came with it in *fd (or -1; fd may be NULL if none is expected); or -1 with
 * *code and err (PS_ERR's, or what failed on the channel). */
int ps_call(struct ps_buf *req, uint8_t **body, size_t *n, int *fd, enum source_err *code,
            char *err, size_t errlen);
/* As ps_call, with up to nfd descriptors (PS_SPAWN_FDS at most) in fds (-1 where none came;
 * for nfd > 1, all of them or the call fails). */
int ps_call_fds(struct ps_buf *req, uint8_t **body, size_t *n, int *fds, size_t nfd,
                enum source_err *code, char *err, size_t errlen);
/* A request of TYPE that carries only an id (PS_CLOSE, PS_STATS_STOP, PS_STATS_CLOSE):
 * nothing comes back but the acknowledgement, and a failure leaves nothing to undo. */
void ps_call_id(uint16_t type, uint32_t id);
/* A request of TYPE that carries only an id, and its answer's body (as ps_call's; 0 or -1
 * when refused or the channel broke). */
int ps_call_id_answer(uint16_t type, uint32_t id, uint8_t **body, size_t *n);

#endif
