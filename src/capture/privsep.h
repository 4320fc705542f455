/*
 * privsep.h - privilege separation: a capture helper process keeps the capture rights, the
 * main process (decoding, UI, files) gives up every privilege.
 *
 * Call order (main thread, before anything reads untrusted input and before other threads
 * start): privsep_start() -> the command -> privsep_end(). Once started, the capture layer
 * reaches adapters through the helper by itself (adapter.h, source.h, adapter_probe.h): the
 * privsep_* calls below are for the capture layer, any thread (one lock serialises them).
 * Linux: linux/privsep_*.c, linux/helper_*.c; elsewhere: nothing is split (win32 stub).
 */
#ifndef CAPSCOPE_PRIVSEP_H
#define CAPSCOPE_PRIVSEP_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/adapter.h"
#include "capture/privsep_proto.h"

#define PRIVSEP_ERRLEN 512

/* A service another layer runs in the helper, with the helper's privileges (process
 * attribution: cli/procs_remote.c). It runs on the helper's one thread, between packets; req
 * is the main process's PS_SERVICE body, untrusted: check everything. Writes its answer into
 * out; false refuses the request (the helper answers PS_ERR and goes on). */
typedef bool (*privsep_service_fn)(struct ps_rd *req, struct ps_buf *out);

struct privsep_opts {
	const char *user;      /* -Z USER, or NULL: SUDO_UID/SUDO_GID, else "nobody" */
	bool split;            /* this command runs without privileges */
	bool helper;           /* ... and reaches adapters through the capture helper */
	bool no_capture;       /* ... only to run ssh (remote sources alone): the helper keeps
	                          no capture capability */
	const char *precreate; /* -w FILE: opened (created if new, owned by the user) before
	                          the drop */
	/* NULL, or a NULL-ended list of more such files (several -i: a pcap per source) */
	const char *const *precreate_each;
	const char *preread;        /* -r FILE: opened before the drop */
	bool seccomp;               /* also install the main process's seccomp filter */
	bool private_tmp;           /* writes temporary files (the monitor's spill): dropping
	                               to nobody, TMPDIR becomes a folder of its own */
	privsep_service_fn service; /* the helper serves PS_SERVICE with it (NULL: refused) */
	uint64_t service_caps;      /* capabilities the helper keeps for it (bit n = cap n) */
};

/* With privileges (euid 0, or permitted capabilities as a setcap'd binary has) and o->split:
 * opens o->preread and o->precreate (see privsep_file), forks the helper when o->helper, and
 * drops the main process's privileges. Without privileges: nothing. With privileges and
 * !o->split: nothing either (the mode runs unsplit, as it always did).
 * Returns 0, or -1 with a one-line message (the caller must not go on: it would run with
 * privileges it was meant to give up). */
int privsep_start(const struct privsep_opts *o, char *err, size_t n);
/* Closes the channel and reaps the helper. */
void privsep_end(void);
/* A new descriptor of path when privsep_start opened it before the drop (-r FILE and -w FILE,
 * tcpdump -Z's order: a file only root may open is still read, a new -w file is still made
 * where only root may create one), or -1: open path as usual. write: the -w file (truncated
 * here, at offset 0), else the -r file. The descriptors of one file share its offset: read
 * them with pread (stream_fopen does). Any thread. */
int privsep_file(const char *path, bool write);
/* "" or, when errnum (of a file refused) is EACCES or EPERM and the process dropped to
 * another user, the advice " (writing as USER: use sudo or -Z USER)". */
const char *privsep_denied_hint(int errnum);
/* True in the main process once the helper serves it. */
bool privsep_active(void);
/* One line for --version: what is split, what is not, and the seccomp build. */
const char *privsep_describe(void);

/* The helper's services (privsep_active() only). Each returns 0 or -1 with err filled. */
int privsep_adapters(struct adapter_list *l, char *err, size_t n);
int privsep_linktype(const char *name);
bool privsep_can_capture(char *why, size_t n);
/* One PS_SERVICE request (req: n bytes) and its answer (*ans malloc'd, *an bytes; the
 * caller frees it and checks it as untrusted). 0, or -1 with err. */
int privsep_service(const uint8_t *req, size_t n, uint8_t **ans, size_t *an, char *err,
                    size_t errlen);
/* Statistics mode counted in the helper (capture/stats.c's mirror; any thread). Open: the
 * counter's *id and libpcap's warning ("" if none), or -1 with *why and err. Read: the
 * closed intervals after `after` (*sb checked), or -1 with err when the channel broke.
 * Stop publishes the last interval; close frees the counter. */
int privsep_stats_open(const struct stats_opts *o, uint32_t *id, char *warning, size_t wn,
                       enum source_err *why, char *err);
int privsep_stats_read(uint32_t id, uint64_t after, struct ps_stats_batch *sb, char *err);
void privsep_stats_stop(uint32_t id);
void privsep_stats_close(uint32_t id);
/* A packet socket bound to ifname for sending only (the helper locks a filter on it that
 * takes no packet in), or -1 with err. */
int privsep_send_socket(const char *ifname, char *err, size_t n);
/* ssh run by the helper (PS_SPAWN) for rq: *id and, in fds, stdout's and stderr's read ends
 * and the kill socket (a byte 'T' ends ssh's process group with SIGTERM, 'K' with SIGKILL;
 * closing it ends the group), all close-on-exec and the caller's; or -1 with err. Wait: 1
 * with *status once ssh was reaped (the id is gone then), 0 while it runs, -1 when the
 * channel broke. */
struct remote_request;
int privsep_spawn(const struct remote_request *rq, uint32_t *id, int fds[PS_SPAWN_FDS], char *err,
                  size_t n);
int privsep_spawn_wait(uint32_t id, int *status);

#endif
