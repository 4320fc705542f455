/*
 * remote_request.h - what a remote source or listing asks ssh to do, as a structure rather
 * than a command line: the kind of far command, the ssh:// address as the user wrote it and
 * the capture's options. Both ends of privilege separation build ssh's argument vector from
 * it with the same code (remote_cmd.h): the main process when it runs ssh itself, the capture
 * helper when it runs ssh for a main process that may not exec (so the helper, not the main
 * process, decides what is executed: the main process only names a host and an adapter).
 *
 * Pure string work, no I/O: any thread, any platform.
 */
#ifndef CAPSCOPE_REMOTE_REQUEST_H
#define CAPSCOPE_REMOTE_REQUEST_H

#include <stddef.h>

#include "capture/remote_cmd.h"

enum remote_what {
	REMOTE_WHAT_LIST = 0,    /* the far adapter list (remote_list_cmd) */
	REMOTE_WHAT_CAPTURE = 1, /* a capture of the URL's adapter (remote_capture_cmd) */
};

struct remote_request {
	enum remote_what what;
	const char *url;           /* "ssh://[user@]host[:port][/ADAPTER]", the user's text */
	struct remote_capture cap; /* the capture's options; only .sudo for a listing */
};

/* ssh's argument vector and the storage its words point into. */
struct remote_argv {
	struct remote_url url;
	char cmd[REMOTE_CMD_MAX];
	char *argv[REMOTE_ARGV_MAX];
	char store[REMOTE_WORDS_BYTES];
};

/* Parses rq->url (an adapter required for a capture), builds the far command and ssh's
 * argv with ssh_command (CAPSCOPE_SSH_COMMAND, or NULL for "ssh") into *out. Returns 0, or
 * -1 with one line in err, without a "capscope: " prefix (a bad address, a filter too long,
 * a bad CAPSCOPE_SSH_COMMAND). */
int remote_request_argv(const struct remote_request *rq, const char *ssh_command,
                        struct remote_argv *out, char *err, size_t n);

#endif
