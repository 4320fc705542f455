/*
 * remote_request.c - remote_request.h: a structured remote request to ssh's argv, through
 * remote_cmd.h's parser and builders (the only way either process makes an ssh command).
 */
#include "capture/remote_request.h"

#include <stdio.h>

int remote_request_argv(const struct remote_request *rq, const char *ssh_command,
                        struct remote_argv *out, char *err, size_t n)
{
	bool capture = rq->what == REMOTE_WHAT_CAPTURE;
	char e[300];
	int rc;

	if (rq->what != REMOTE_WHAT_LIST && !capture) {
		snprintf(err, n, "an unknown kind of remote request");
		return -1;
	}
	if (remote_url_parse(rq->url, capture, &out->url, e, sizeof e) < 0) {
		snprintf(err, n, "%s", e);
		return -1;
	}
	rc = capture
	         ? remote_capture_cmd(&out->url, &rq->cap, out->cmd, sizeof out->cmd, e, sizeof e)
	         : remote_list_cmd(rq->cap.sudo, out->cmd, sizeof out->cmd);
	if (rc < 0 && !capture)
		snprintf(e, sizeof e, "the listing command is too long");
	if (rc < 0 || remote_ssh_argv(ssh_command, &out->url, out->cmd, out->argv, REMOTE_ARGV_MAX,
	                              out->store, sizeof out->store, e, sizeof e) < 0) {
		snprintf(err, n, "%s", e);
		return -1;
	}
	return 0;
}
