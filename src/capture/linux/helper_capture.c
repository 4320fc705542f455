/*
 * helper_capture.c - the capture helper's live sources: a source.h live source in
 * non-blocking mode, its packets appended as records (privsep_proto.h) to a buffer of about
 * BATCH_BYTES and written to the source's pipe in as few writes as the pipe takes.
 *
 * The helper never waits for the main process: while the pipe is full it stops reading the
 * handle, so packets wait in the kernel's capture buffer (and are counted as kernel drops
 * there if it fills), and the control socket is still served (stats, filter, close).
 */
#define _GNU_SOURCE
#include "capture/linux/helper.h"

#include <errno.h>
#include <fcntl.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define BATCH_BYTES (1u << 20)
#define PIPE_BYTES  (1 << 20) /* fs.pipe-max-size's default: the most an unprivileged pipe gets */

bool helper_src_used(const struct helper_src *h)
{
	return h->s != NULL;
}

void helper_src_close(struct helper_src *h)
{
	if (!h->s)
		return;
	source_close(h->s);
	close(h->out);
	free(h->buf);
	memset(h, 0, sizeof *h);
}

static enum source_err fail(char *err, const char *what)
{
	snprintf(err, SOURCE_ERRLEN, "capscope: capture helper: %s: %s", what, strerror(errno));
	return SRC_ERR_OTHER;
}

static void describe(struct helper_src *h, unsigned id, struct ps_opened *op)
{
	const char *w = source_warning(h->s);

	memset(op, 0, sizeof *op);
	op->id = id;
	op->linktype = source_linktype(h->s);
	op->snaplen = source_snaplen(h->s);
	op->nano = source_tsprec(h->s) == 9;
	op->netmask = PCAP_NETMASK_UNKNOWN;
	snprintf(op->name, sizeof op->name, "%s", source_name(h->s));
	snprintf(op->warning, sizeof op->warning, "%s", w ? w : "");
}

/* The pipe, the buffer and non-blocking reads for a source opened in h. */
static enum source_err plumb(struct helper_src *h, int *fd, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	int p[2];

	if (pipe2(p, O_CLOEXEC) != 0)
		return fail(err, "pipe");
	fcntl(p[1], F_SETPIPE_SZ, PIPE_BYTES); /* best effort: a smaller pipe works, slower */
	fcntl(p[1], F_SETFL, O_NONBLOCK);
	h->out = p[1];
	*fd = p[0];
	h->cap = BATCH_BYTES + PS_REC_LEN + (size_t)source_snaplen(h->s);
	h->buf = malloc(h->cap);
	if (!h->buf || pcap_setnonblock(source_pcap(h->s), 1, ebuf) != 0) {
		close(p[0]);
		*fd = -1;
		return fail(err, h->buf ? "non-blocking mode" : "out of memory");
	}
	return SRC_OK;
}

enum source_err helper_src_open(struct helper_src *v, const struct ps_open *o, struct ps_opened *op,
                                int *fd, char *err)
{
	struct source_opts so = {
	    .name = o->name,
	    .kind = SOURCE_LIVE,
	    .snaplen = o->snaplen,
	    .promisc = o->promisc,
	    .immediate = o->immediate,
	    .timeout_ms = o->timeout_ms,
	    .buffer_kib = o->buffer_kib,
	};
	enum source_err e;
	unsigned i = 0;

	while (i < PS_MAX_SRC && v[i].s)
		i++;
	if (i == PS_MAX_SRC) {
		snprintf(err, SOURCE_ERRLEN, "capscope: capture helper: too many open adapters");
		return SRC_ERR_OTHER;
	}
	v[i].s = source_open(&so, &e, err);
	if (!v[i].s)
		return e;
	e = plumb(&v[i], fd, err);
	if (e != SRC_OK) {
		helper_src_close(&v[i]);
		return e;
	}
	describe(&v[i], i, op);
	return SRC_OK;
}

enum source_err helper_src_filter(struct helper_src *h, const char *expr, char *err)
{
	return source_set_filter(h->s, expr, err);
}

bool helper_src_stats(struct helper_src *h, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop)
{
	return source_stats(h->s, recv, drop, ifdrop);
}

static void append(struct helper_src *h, const struct ps_rec *r, const void *data)
{
	ps_rec_encode(h->buf + h->n, r);
	memcpy(h->buf + h->n + PS_REC_LEN, data, r->caplen);
	h->n += PS_REC_LEN + r->caplen;
}

/* pcap_dispatch's callback: one record; a stop once the next might not fit. */
static void on_packet(u_char *user, const struct pcap_pkthdr *ph, const u_char *data)
{
	struct helper_src *h = (struct helper_src *)user;
	uint64_t unit = source_tsprec(h->s) == 9 ? 1000000000u : 1000000u;
	uint64_t frac = (uint64_t)(uint32_t)ph->ts.tv_usec;
	struct ps_rec r = {.kind = PS_REC_PACKET, .caplen = ph->caplen, .len = ph->len};

	r.sec = (int64_t)ph->ts.tv_sec + (int64_t)(frac / unit);
	frac %= unit;
	r.nsec = (uint32_t)(unit == 1000000u ? frac * 1000u : frac);
	if (r.caplen > (uint32_t)source_snaplen(h->s)) /* never expected from libpcap */
		r.caplen = (uint32_t)source_snaplen(h->s);
	append(h, &r, data);
	if (h->cap - h->n < PS_REC_LEN + (size_t)source_snaplen(h->s))
		pcap_breakloop(source_pcap(h->s));
}

static void read_error(struct helper_src *h)
{
	const char *msg = pcap_geterr(source_pcap(h->s));
	size_t len = strnlen(msg, PS_STR_MAX);
	struct ps_rec r = {.kind = PS_REC_ERROR, .caplen = (uint32_t)(len ? len : 1)};

	append(h, &r, len ? msg : "?");
	h->dead = true;
}

static void flush(struct helper_src *h)
{
	while (h->sent < h->n) {
		ssize_t w = write(h->out, h->buf + h->sent, h->n - h->sent);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			if (w < 0 && errno != EAGAIN) { /* the main process closed the pipe */
				h->dead = true;
				h->sent = h->n;
			}
			return;
		}
		h->sent += (size_t)w;
	}
	h->n = h->sent = 0;
}

bool helper_src_pollfd(struct helper_src *h, struct pollfd *p)
{
	if (!h->s || (h->dead && h->sent >= h->n))
		return false;
	if (h->n > h->sent)
		*p = (struct pollfd){.fd = h->out, .events = POLLOUT};
	else
		*p = (struct pollfd){.fd = pcap_get_selectable_fd(source_pcap(h->s)),
		                     .events = POLLIN};
	return true;
}

void helper_src_pump(struct helper_src *h)
{
	/* the request answered in the same poll round may have closed this source */
	if (!h->s)
		return;
	if (h->n == 0 && !h->dead) {
		int rc = pcap_dispatch(source_pcap(h->s), -1, on_packet, (u_char *)h);

		if (rc == PCAP_ERROR)
			read_error(h);
	}
	flush(h);
}
