/*
 * source_int.h - what source.c shares with its per-kind files (source_live.c,
 * source_file.c). Not for use outside src/capture/source*.c.
 */
#ifndef CAPSCOPE_SOURCE_INT_H
#define CAPSCOPE_SOURCE_INT_H

#include <pcap/pcap.h>

#include "capture/source.h"

/* One per kind of source. `open` fills s->pcap, s->tsprec, s->nano and s->netmask. */
struct source_ops {
	enum source_kind kind;
	const char *verb; /* for read errors: "reading" a file, "capturing on" an adapter */
	enum source_err (*open)(struct source *s, const struct source_opts *o, char *err);
	/* Takes a compiled program (and frees it when it does not keep it). */
	enum source_err (*install)(struct source *s, struct bpf_program *prog, char *err);
	bool (*stats)(struct source *s, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop);
	/* Optional, for a source whose packets do not come from s->pcap (a live source
	 * through the capture helper, linux/source_helper.c; s->pcap is then a dead handle
	 * that only describes the packets): the expression installed as it is, the next
	 * packet as source_next(), the wake-up as source_break(), and the release of s->priv. */
	enum source_err (*install_expr)(struct source *s, const char *expr, char *err);
	int (*next)(struct source *s, struct pkt_hdr *h, const uint8_t **data, char *err);
	void (*wake)(struct source *s);
	void (*release)(struct source *s);
	/* Optional: pcap_next_ex() returned rc < 0 (end or error). Returns what source_next()
	 * returns (-1 end, -2 with err filled and s->end_status set). */
	int (*end)(struct source *s, int rc, char *err);
};

/* Owned by the thread that opened it, then by the capture thread (see source.h). */
struct source {
	const struct source_ops *ops;
	pcap_t *pcap;
	char *name;
	int tsprec;          /* native precision, 6 or 9 */
	bool nano;           /* the handle delivers nanoseconds in tv_usec */
	bpf_u_int32 netmask; /* for pcap_compile; PCAP_NETMASK_UNKNOWN if none */
	bool user_filter;    /* files and streams: prog is checked in source_next */
	struct bpf_program prog;
	uint64_t records; /* records read (before the user-space filter) */
	bool track_pos;   /* files: set pkt_hdr.pos (see source_opts.no_pos) */
	char *iobuf;      /* files: the input stream's buffer, freed after pcap_close */
	char warning[PCAP_ERRBUF_SIZE];
	void *priv;                 /* the kind's own state (source_helper.c, source_ssh.c) */
	enum source_err end_status; /* after a -2 from source_next: see source_end_status() */
};

extern const struct source_ops source_live_ops;
extern const struct source_ops source_file_ops;
extern const struct source_ops source_stream_ops;
/* ssh:// names (posix/source_ssh.c; win32/: opening says it is not available). */
extern const struct source_ops source_remote_ops;
/* Files, streams, remote: keeps prog as the user-space filter source_next() checks. */
enum source_err source_install_user(struct source *s, struct bpf_program *prog, char *err);
/* The ops for live sources through the capture helper when it serves this process
 * (privsep.h), else NULL (linux/source_helper.c; win32/: always NULL). */
const struct source_ops *source_helper_ops(void);

/* Escaped name for messages, in a buffer sized for one message. */
#define SOURCE_NAME_MAX 200

#endif
