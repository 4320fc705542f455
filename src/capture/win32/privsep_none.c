/*
 * privsep_none.c - privsep.h where nothing is split yet (Windows: Npcap's driver decides
 * who may capture; there is no capture helper). Every mode runs as it always did.
 */
#include "capture/privsep.h"
#include "capture/source_int.h"

#include <stdio.h>

int privsep_start(const struct privsep_opts *o, char *err, size_t n)
{
	(void)o;
	(void)err;
	(void)n;
	return 0;
}

void privsep_end(void) {}

int privsep_file(const char *path, bool write)
{
	(void)path;
	(void)write;
	return -1;
}

const char *privsep_denied_hint(int errnum)
{
	(void)errnum;
	return "";
}

bool privsep_active(void)
{
	return false;
}

const char *privsep_describe(void)
{
	return "privilege separation: not on this platform";
}

int privsep_adapters(struct adapter_list *l, char *err, size_t n)
{
	(void)l;
	snprintf(err, n, "capscope: no capture helper on this platform");
	return -1;
}

int privsep_linktype(const char *name)
{
	(void)name;
	return -1;
}

bool privsep_can_capture(char *why, size_t n)
{
	snprintf(why, n, "no capture helper on this platform");
	return false;
}

int privsep_service(const uint8_t *req, size_t n, uint8_t **ans, size_t *an, char *err,
                    size_t errlen)
{
	(void)req;
	(void)n;
	*ans = NULL;
	*an = 0;
	snprintf(err, errlen, "capscope: no capture helper on this platform");
	return -1;
}

int privsep_send_socket(const char *ifname, char *err, size_t n)
{
	(void)ifname;
	snprintf(err, n, "capscope: no capture helper on this platform");
	return -1;
}

int privsep_spawn(const struct remote_request *rq, uint32_t *id, int fds[PS_SPAWN_FDS], char *err,
                  size_t n)
{
	(void)rq;
	(void)id;
	(void)fds;
	snprintf(err, n, "capscope: no capture helper on this platform");
	return -1;
}

int privsep_spawn_wait(uint32_t id, int *status)
{
	(void)id;
	(void)status;
	return -1;
}

const struct source_ops *source_helper_ops(void)
{
	return NULL;
}

int privsep_stats_open(const struct stats_opts *o, uint32_t *id, char *warning, size_t wn,
                       enum source_err *why, char *err)
{
	(void)o;
	(void)id;
	(void)warning;
	(void)wn;
	*why = SRC_ERR_OTHER;
	snprintf(err, SOURCE_ERRLEN, "capscope: no capture helper on this platform");
	return -1;
}

int privsep_stats_read(uint32_t id, uint64_t after, struct ps_stats_batch *sb, char *err)
{
	(void)id;
	(void)after;
	(void)sb;
	snprintf(err, SOURCE_ERRLEN, "capscope: no capture helper on this platform");
	return -1;
}

void privsep_stats_stop(uint32_t id)
{
	(void)id;
}

void privsep_stats_close(uint32_t id)
{
	(void)id;
}
