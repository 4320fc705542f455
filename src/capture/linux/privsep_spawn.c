/*
 * privsep_spawn.c - the main process's side of ssh run by the capture helper (privsep.h's
 * privsep_spawn, privsep_spawn_wait): a structured request out, an id and three descriptors
 * back, each answer checked as untrusted.
 */
#define _GNU_SOURCE
#include "capture/privsep.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/linux/privsep_client.h"
#include "capture/remote_request.h"

int privsep_spawn(const struct remote_request *rq, uint32_t *id, int fds[PS_SPAWN_FDS], char *err,
                  size_t errlen)
{
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	struct ps_rd r;

	if (strlen(rq->url) > PS_URL_MAX ||
	    (rq->cap.filter && strlen(rq->cap.filter) > PS_STR_MAX)) {
		snprintf(err, errlen,
		         "capscope: the address or the filter is too long for a remote source"
		         " (at most %u and %u bytes)",
		         PS_URL_MAX, PS_STR_MAX);
		return -1;
	}
	ps_req_spawn(&b, 0, rq);
	if (ps_call_fds(&b, &body, &n, fds, PS_SPAWN_FDS, &code, err, errlen) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	*id = ps_get_u32(&r);
	free(body);
	if (ps_rd_ok(&r) && *id < PS_MAX_SPAWN)
		return 0;
	for (unsigned i = 0; i < PS_SPAWN_FDS; i++)
		close(fds[i]);
	snprintf(err, errlen, "capscope: the capture helper sent a malformed answer");
	return -1;
}

int privsep_spawn_wait(uint32_t id, int *status)
{
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool ended, ok;
	int32_t st;

	if (ps_call_id_answer(PS_SPAWN_WAIT, id, &body, &n) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	ok = ps_get_spawn_wait(&r, &ended, &st);
	free(body);
	if (!ok)
		return -1;
	*status = st;
	return ended ? 1 : 0;
}
