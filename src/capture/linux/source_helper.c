/*
 * source_helper.c - a live source through the capture helper (privsep.h): the helper opens
 * the adapter and writes its packets as records to a pipe; this side reads the pipe in
 * large reads, checks every record header (ps_rec_check: the helper is trusted less than
 * the kernel) and hands the packets out as source_next() does. s->pcap is a dead handle
 * with the adapter's link type, snapshot length and precision, for the dumper and the
 * filter check. Filters and counters are requests on the control channel.
 * Threads: as source.h (opened on one thread, then read by the capture thread; wake from
 * any thread through a pipe the read waits on beside the data).
 */
#define _GNU_SOURCE
#include "capture/source_int.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/name_escape.h"
#include "capture/linux/privsep_client.h"
#include "capture/privsep.h"

#define READ_BYTES (1u << 20)

struct hsrc {
	uint32_t id;
	int data;    /* the pipe from the helper */
	int wake[2]; /* source_break() writes a byte to wake[1] */
	int timeout_ms;
	uint8_t *buf;
	size_t cap, off, n; /* unread bytes are buf[off, n) */
	uint32_t snaplen;
	bool ended;
};

static enum source_err open_fail(char *err, const char *what)
{
	snprintf(err, SOURCE_ERRLEN, "capscope: %s: %s", what, strerror(errno));
	return SRC_ERR_OTHER;
}

static enum source_err request_open(const struct source_opts *o, struct ps_opened *op, int *fd,
                                    char *err)
{
	struct ps_open q = {
	    .snaplen = o->snaplen > 0 ? o->snaplen : 0,
	    .timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : 0,
	    .buffer_kib = o->buffer_kib > 0 ? o->buffer_kib : 0,
	    .promisc = o->promisc,
	    .immediate = o->immediate,
	};
	struct ps_buf b = {0};
	enum source_err code = SRC_OK;
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool ok;

	snprintf(q.name, sizeof q.name, "%s", o->name);
	ps_req_open(&b, 0, &q);
	if (ps_call(&b, &body, &n, fd, &code, err, SOURCE_ERRLEN) != 0)
		return code;
	ps_rd_init(&r, body, n);
	ok = ps_get_opened(&r, op);
	free(body);
	if (ok && *fd >= 0)
		return SRC_OK;
	if (*fd >= 0)
		close(*fd);
	snprintf(err, SOURCE_ERRLEN, "capscope: the capture helper sent a malformed answer");
	return SRC_ERR_OTHER;
}

static void release(struct source *s)
{
	struct hsrc *h = s->priv;

	if (!h)
		return;
	close(h->data);
	ps_call_id(PS_CLOSE, h->id);
	if (h->wake[0] >= 0) {
		close(h->wake[0]);
		close(h->wake[1]);
	}
	free(h->buf);
	free(h);
	s->priv = NULL;
}

/* The local half: the wake-up pipe, the read buffer and the dead handle. */
static enum source_err plumb(struct source *s, struct hsrc *h, const struct ps_opened *op,
                             char *err)
{
	char *name = strdup(op->name);

	if (pipe2(h->wake, O_CLOEXEC | O_NONBLOCK) != 0) {
		h->wake[0] = h->wake[1] = -1;
		free(name);
		return open_fail(err, "pipe");
	}
	h->cap = READ_BYTES + PS_REC_LEN + (size_t)op->snaplen;
	h->buf = malloc(h->cap);
	s->pcap = pcap_open_dead_with_tstamp_precision(op->linktype, op->snaplen,
	                                               op->nano ? PCAP_TSTAMP_PRECISION_NANO
	                                                        : PCAP_TSTAMP_PRECISION_MICRO);
	if (!h->buf || !s->pcap || !name) {
		free(name);
		errno = ENOMEM;
		return open_fail(err, "opening an adapter");
	}
	free(s->name);
	s->name = name;
	s->nano = op->nano;
	s->tsprec = op->nano ? 9 : 6;
	snprintf(s->warning, sizeof s->warning, "%s", op->warning);
	return SRC_OK;
}

static enum source_err helper_open(struct source *s, const struct source_opts *o, char *err)
{
	struct ps_opened op;
	struct hsrc *h = calloc(1, sizeof *h);
	int fd = -1;
	enum source_err e;

	if (!h) {
		errno = ENOMEM;
		return open_fail(err, "opening an adapter");
	}
	h->wake[0] = h->wake[1] = -1;
	e = request_open(o, &op, &fd, err);
	if (e != SRC_OK) {
		free(h);
		return e;
	}
	h->id = op.id;
	h->data = fd;
	h->snaplen = (uint32_t)op.snaplen;
	h->timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : SOURCE_DEFAULT_TIMEOUT_MS;
	s->priv = h;
	return plumb(s, h, &op, err);
}

static enum source_err helper_filter(struct source *s, const char *expr, char *err)
{
	struct hsrc *h = s->priv;
	struct ps_buf b = {0};
	enum source_err code = SRC_OK;
	uint8_t *body;
	size_t n;

	ps_begin(&b, PS_FILTER, 0);
	ps_put_u32(&b, h->id);
	ps_put_str(&b, expr);
	if (strlen(expr) > PS_STR_MAX) {
		snprintf(err, SOURCE_ERRLEN, "capscope: the filter is longer than %u bytes",
		         PS_STR_MAX);
		ps_buf_free(&b);
		return SRC_ERR_FILTER;
	}
	if (ps_call(&b, &body, &n, NULL, &code, err, SOURCE_ERRLEN) != 0)
		return code;
	free(body);
	return SRC_OK;
}

static bool helper_stats(struct source *s, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop)
{
	struct hsrc *h = s->priv;
	struct ps_buf b = {0};
	enum source_err code;
	char err[SOURCE_ERRLEN];
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool valid;

	ps_begin(&b, PS_STATS, 0);
	ps_put_u32(&b, h->id);
	if (ps_call(&b, &body, &n, NULL, &code, err, sizeof err) != 0)
		return false;
	ps_rd_init(&r, body, n);
	valid = ps_get_u8(&r) == 1;
	*recv = ps_get_u64(&r);
	*drop = ps_get_u64(&r);
	*ifdrop = ps_get_u64(&r);
	free(body);
	return valid && ps_rd_ok(&r);
}

static int read_fail(struct source *s, char *err, const char *why)
{
	char ename[SOURCE_NAME_MAX];
	struct hsrc *h = s->priv;

	h->ended = true;
	snprintf(err, SOURCE_ERRLEN, "capscope: error capturing on '%s' after %llu packets: %s",
	         name_escape(s->name, ename, sizeof ename), (unsigned long long)s->records, why);
	return -2;
}

/* Waits for data or a wake-up. 1: data read; 0: timeout; -1: woken; -2: ended or broken. */
static int fill(struct source *s, char *err)
{
	struct hsrc *h = s->priv;
	struct pollfd p[2] = {{.fd = h->data, .events = POLLIN},
	                      {.fd = h->wake[0], .events = POLLIN}};
	char drain[64];
	ssize_t r;

	if (poll(p, 2, h->timeout_ms) <= 0)
		return 0;
	if (p[1].revents) {
		while (read(h->wake[0], drain, sizeof drain) > 0)
			;
		return -1;
	}
	if (h->off > 0) { /* keep the partial record at the start */
		memmove(h->buf, h->buf + h->off, h->n - h->off);
		h->n -= h->off;
		h->off = 0;
	}
	r = read(h->data, h->buf + h->n, h->cap - h->n);
	if (r < 0 && errno == EINTR)
		return 0;
	if (r <= 0)
		return read_fail(s, err, "the capture helper ended");
	h->n += (size_t)r;
	return 1;
}

/* A whole record at buf[off]: 1 with the packet, 0 if more bytes are needed, -2 if bad. */
static int take(struct source *s, struct pkt_hdr *ph, const uint8_t **data, char *err)
{
	struct hsrc *h = s->priv;
	char msg[PS_STR_MAX + 1], emsg[PS_STR_MAX * 4 + 1];
	struct ps_rec r;

	if (h->n - h->off < PS_REC_LEN)
		return 0;
	if (!ps_rec_check(h->buf + h->off, h->snaplen, &r))
		return read_fail(s, err, "the capture helper sent a malformed record");
	if (h->n - h->off < PS_REC_LEN + r.caplen)
		return 0;
	*data = h->buf + h->off + PS_REC_LEN;
	h->off += PS_REC_LEN + r.caplen;
	if (r.kind == PS_REC_ERROR) {
		memcpy(msg, *data, r.caplen);
		msg[r.caplen] = '\0';
		return read_fail(s, err, name_escape(msg, emsg, sizeof emsg));
	}
	*ph = (struct pkt_hdr){.ts_sec = r.sec,
	                       .ts_nsec = r.nsec,
	                       .caplen = r.caplen,
	                       .len = r.len,
	                       .pos = PKT_POS_NONE};
	s->records++;
	return 1;
}

static int helper_next(struct source *s, struct pkt_hdr *ph, const uint8_t **data, char *err)
{
	struct hsrc *h = s->priv;
	int rc;

	if (h->ended)
		return read_fail(s, err, "the capture ended");
	while ((rc = take(s, ph, data, err)) == 0) {
		rc = fill(s, err);
		if (rc != 1)
			return rc;
	}
	return rc;
}

static void helper_wake(struct source *s)
{
	struct hsrc *h = s->priv;
	char c = 0;

	if (h && write(h->wake[1], &c, 1) < 0) {
		/* full: a wake-up is pending already */
	}
}

static enum source_err no_install(struct source *s, struct bpf_program *prog, char *err)
{
	(void)s;
	(void)err;
	pcap_freecode(prog); /* not reached: install_expr takes every filter */
	return SRC_OK;
}

static const struct source_ops ops = {
    .kind = SOURCE_LIVE,
    .verb = "capturing on",
    .open = helper_open,
    .install = no_install,
    .stats = helper_stats,
    .install_expr = helper_filter,
    .next = helper_next,
    .wake = helper_wake,
    .release = release,
};

const struct source_ops *source_helper_ops(void)
{
	return privsep_active() ? &ops : NULL;
}
