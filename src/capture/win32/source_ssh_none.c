/*
 * source_ssh_none.c - the remote source on Windows: not available yet (no fork, and the
 * stream's wake-up needs poll on pipes). Opening an ssh:// name says so in one line; the
 * remote adapter list (remote_list.h) likewise.
 */
#include "capture/source_int.h"

#include <stdio.h>

#include "capture/remote_list.h"

#define NOT_YET "remote capture: not available on Windows yet"

static enum source_err none_open(struct source *s, const struct source_opts *o, char *err)
{
	(void)s;
	(void)o;
	snprintf(err, SOURCE_ERRLEN, "capscope: " NOT_YET);
	return SRC_ERR_OTHER;
}

const struct source_ops source_remote_ops = {
    .kind = SOURCE_REMOTE,
    .verb = "capturing on",
    .open = none_open,
    .install = source_install_user,
};

int remote_adapters_load(const char *host_url, bool sudo, struct adapter_list *l, char *err,
                         size_t n)
{
	(void)host_url;
	(void)sudo;
	l->v = NULL;
	l->n = 0;
	snprintf(err, n, "capscope: " NOT_YET);
	return -1;
}
