/*
 * remote_explain.h - what ssh and the far side said on stderr, turned into one clear line:
 * the host key, a refused login, no connection, no capture tool there, no capture permission
 * there (--remote-sudo or setcap), no such adapter (with the far adapters' names), else the
 * last thing said. The text is hostile (the far side writes it): only escaped pieces of it
 * reach the line. Pure; any thread.
 */
#ifndef CAPSCOPE_REMOTE_EXPLAIN_H
#define CAPSCOPE_REMOTE_EXPLAIN_H

#include <stddef.h>

#include "capture/source.h"

enum remote_why {
	RW_OTHER,
	RW_HOSTKEY,
	RW_AUTH,
	RW_CONNECT,
	RW_NOTOOL,
	RW_SUDO,
	RW_PERM,
	RW_NODEV,
};

/* Classifies stderr (NUL-terminated, any bytes). */
enum remote_why remote_classify(const char *text);
/* The one line, without a "capscope: " prefix: host is the ssh://... text, adapter the far
 * adapter ("" for a listing), text ssh's stderr, status ssh's exit status (-1 unknown).
 * Returns the source error code the line stands for (SRC_ERR_NODEV, SRC_ERR_PERM, ...). */
enum source_err remote_explain(const char *host, const char *adapter, const char *text, int status,
                               char *out, size_t n);
/* The last non-empty line of text, escaped, at most n bytes ("" when none). */
void remote_last_line(const char *text, char *out, size_t n);

#endif
