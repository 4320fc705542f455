/*
 * remote_cmd.h - what a remote source over SSH runs, as text: the ssh://[user@]host[:port]/
 * ADAPTER address taken apart and checked, the command for the far side's shell (capscope
 * there when installed, else tcpdump, with the far side's own SSH session left out by a filter
 * built there from SSH_CONNECTION, as Wireshark's sshdump does), and ssh's argument vector
 * (CAPSCOPE_SSH_COMMAND split into words, no shell on this side). Every piece the user gave is
 * quoted for the far shell: adapter names and filters are hostile input there.
 *
 * Pure string work, no I/O: any thread, any platform (the process side is ssh_proc.h).
 */
#ifndef CAPSCOPE_REMOTE_CMD_H
#define CAPSCOPE_REMOTE_CMD_H

#include <stdbool.h>
#include <stddef.h>

#define REMOTE_PREFIX      "ssh://"
#define REMOTE_CMD_MAX     6144 /* the far command, filter included */
#define REMOTE_ARGV_MAX    48   /* words of CAPSCOPE_SSH_COMMAND plus ours */
#define REMOTE_WORDS_BYTES 2048 /* CAPSCOPE_SSH_COMMAND's words, split */
/* The line the far shell writes to stderr when neither capscope nor tcpdump is there, and the
 * one before the far adapters' names when the capture failed: remote_explain.c reads them. */
#define REMOTE_MARK_NOTOOL   "capscope-remote: no capture tool"
#define REMOTE_MARK_ADAPTERS "capscope-remote: adapters:"

struct remote_url {
	char user[65];     /* "" when not given (ssh's own default then) */
	char host[256];    /* a name, an IPv4 address or an IPv6 address (brackets removed) */
	char port[6];      /* "" when not given */
	char adapter[256]; /* "" for a host alone (-D ssh://host) */
};

/* True when name starts with "ssh://". */
bool remote_url_is(const char *name);
/* Takes s apart. need_adapter: a capture (/ADAPTER required); else a host alone (a trailing
 * "/" allowed, no adapter). Refuses what ssh could take as an option (a leading '-'), control
 * bytes, spaces, and out-of-range ports. Returns 0, or -1 with one line in err. */
int remote_url_parse(const char *s, bool need_adapter, struct remote_url *u, char *err, size_t n);
/* "ssh://[user@]host[:port]" (IPv6 in brackets), for messages (escape it: hosts are user text). */
void remote_url_host_text(const struct remote_url *u, char *out, size_t n);

/* Appends s to out as one word for a POSIX shell: in single quotes, a quote as '\''. Returns
 * false (out then unchanged) when it would not fit in n bytes with the terminating NUL. */
bool remote_quote(char *out, size_t n, const char *s);

struct remote_capture {
	const char *filter; /* the user's BPF expression, or NULL */
	int snaplen;        /* 0: the far tool's default */
	bool promisc;
	bool immediate;
	bool sudo; /* run the far tool through sudo -n (--remote-sudo) */
};
/* The far shell's command for a capture of u->adapter. Returns 0, or -1 with err (too long). */
int remote_capture_cmd(const struct remote_url *u, const struct remote_capture *c, char *out,
                       size_t n, char *err, size_t errlen);
/* The far shell's command listing its adapters: capscope's -D text where installed (flags and
 * addresses under each adapter), else `tcpdump -D`, a line REMOTE_MARK_ADDRS, then `ip -o addr
 * show` (remote_list.h reads either). */
#define REMOTE_MARK_ADDRS "capscope-remote: addresses"
int remote_list_cmd(bool sudo, char *out, size_t n);

/* Splits a command with options into words as git's GIT_SSH_COMMAND is meant: blanks
 * separate, '...' is literal, "..." keeps blanks and takes \" and \\. The words are written
 * to store (n bytes) and pointed to from argv (max entries, NULL-terminated). Returns the word
 * count, or -1 with err (unbalanced quote, too many or too long words, nothing given). */
int remote_split_words(const char *cmd, char **argv, size_t max, char *store, size_t n, char *err,
                       size_t errlen);
/* ssh's argument vector: the words of ssh_command ("ssh" when NULL or empty), -o
 * BatchMode=yes (never a password prompt), -T, -l USER and -p PORT when given, --, the host
 * and the far command. Returns 0, or -1 with err. */
int remote_ssh_argv(const char *ssh_command, const struct remote_url *u, const char *far_cmd,
                    char **argv, size_t max, char *store, size_t n, char *err, size_t errlen);

#endif
