/*
 * remote_fetch.c - remote_adapters_load() (remote_list.h): ssh runs the far listing command,
 * its output is read whole (at most REMOTE_LIST_MAX_BYTES: a far side that writes more is
 * ended), then parsed. Blocks the calling thread up to the start timeout (the watchdog in
 * ssh_proc.h ends ssh then).
 */
#include "capture/remote_list.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/escape.h"
#include "capture/remote_cmd.h"
#include "capture/remote_explain.h"
#include "capture/remote_request.h"
#include "capture/ssh_proc.h"

/* Reads fd to its end or to the bound; returns the bytes read. */
static size_t read_all(int fd, char *buf, size_t cap)
{
	size_t n = 0;

	while (n < cap) {
		ssize_t got = read(fd, buf + n, cap - n);
		if (got < 0 && errno == EINTR)
			continue;
		if (got <= 0)
			break;
		n += (size_t)got;
	}
	return n;
}

static int run(const char *url, const char *label, bool sudo, char *buf, size_t *len, char *err,
               size_t n)
{
	struct remote_request rq = {.what = REMOTE_WHAT_LIST, .url = url, .cap = {.sudo = sudo}};
	char line[SOURCE_ERRLEN];
	struct ssh_proc *p;
	int status;

	if (!(p = ssh_proc_start_remote(&rq, label, ssh_proc_start_timeout_ms(), err, n)))
		return -1;
	*len = read_all(ssh_proc_stdout(p), buf, REMOTE_LIST_MAX_BYTES);
	ssh_proc_started(p);
	status = ssh_proc_finish(p, *len < REMOTE_LIST_MAX_BYTES ? 2000 : 0);
	if (ssh_proc_timed_out(p))
		snprintf(err, n,
		         "capscope: %s: no answer within %d s (set CAPSCOPE_REMOTE_TIMEOUT to"
		         " wait longer)",
		         label, ssh_proc_start_timeout_ms() / 1000);
	else if (status != 0 || remote_classify(ssh_proc_stderr(p)) != RW_OTHER) {
		remote_explain(label, "", ssh_proc_stderr(p), status, line, sizeof line);
		snprintf(err, n, "capscope: %s", line);
	}
	status = ssh_proc_timed_out(p) || status != 0 ? -1 : 0;
	ssh_proc_free(p);
	return status;
}

int remote_adapters_load(const char *host_url, bool sudo, struct adapter_list *l, char *err,
                         size_t n)
{
	struct remote_url u;
	char host[400], label[600], e[300];
	char *buf = malloc(REMOTE_LIST_MAX_BYTES);
	size_t len = 0;
	int rc;

	l->v = NULL;
	l->n = 0;
	if (!buf) {
		snprintf(err, n, "capscope: out of memory listing remote adapters");
		return -1;
	}
	if (remote_url_parse(host_url, false, &u, e, sizeof e) < 0) {
		snprintf(err, n, "capscope: %s", e);
		free(buf);
		return -1;
	}
	remote_url_host_text(&u, host, sizeof host);
	esc_cstr(label, sizeof label, host);
	rc = run(host_url, label, sudo, buf, &len, err, n);
	if (rc == 0 && remote_list_parse(buf, len, l) < 0) {
		snprintf(err, n, "capscope: out of memory listing remote adapters");
		rc = -1;
	}
	free(buf);
	return rc;
}
