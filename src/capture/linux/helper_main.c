/*
 * helper_main.c - the capture helper's request loop (the privileged side of privsep.h).
 *
 * The helper keeps CAP_NET_RAW and CAP_NET_ADMIN (none when it only runs ssh for remote
 * sources; privsep_start.c), decodes no packet and serves the main process's requests over
 * the control socket: it reads a whole request (at most PS_MAX_REQ bytes), checks it with
 * ps_req_parse(), answers it, and between requests moves packets of the open sources to
 * their pipes (helper_capture.c) and reaps the ssh processes it runs for remote sources
 * (helper_spawn.c). A request that is malformed, of an unknown type, out of sequence or a
 * second hello ends the helper (after a PS_ERR saying why): the main process is not trusted
 * to be sane.
 * The helper ends when the main process closes the socket (or dies: PR_SET_PDEATHSIG).
 */
#define _GNU_SOURCE
#include "capture/linux/helper.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include "capture/adapter.h"
#include "capture/adapter_probe.h"
#include "capture/privsep_proto.h"
#include "capture/source.h"

#define POLL_MS 100

struct helper {
	int ctl;
	uint16_t seq; /* the sequence number the next request must carry */
	bool hello;
	struct ps_buf out;
	struct helper_src src[PS_MAX_SRC];
};

static privsep_service_fn service;

void helper_set_service(privsep_service_fn fn)
{
	service = fn;
}

static bool read_all(int fd, uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t r = read(fd, p, n);

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		p += r;
		n -= (size_t)r;
	}
	return true;
}

/* Sends the message in h->out, with the nfd descriptors of fds attached. */
static bool send_fds(struct helper *h, const int *fds, size_t nfd)
{
	char cbuf[CMSG_SPACE(PS_SPAWN_FDS * sizeof(int))] = {0};
	struct iovec iov = {.iov_base = h->out.p, .iov_len = h->out.n};
	struct msghdr m = {.msg_iov = &iov, .msg_iovlen = 1};
	size_t done = 0;

	if (!ps_end(&h->out))
		return false;
	if (nfd > 0 && nfd <= PS_SPAWN_FDS) {
		struct cmsghdr *c;

		m.msg_control = cbuf;
		m.msg_controllen = CMSG_SPACE(nfd * sizeof(int));
		c = CMSG_FIRSTHDR(&m);
		c->cmsg_level = SOL_SOCKET;
		c->cmsg_type = SCM_RIGHTS;
		c->cmsg_len = CMSG_LEN(nfd * sizeof(int));
		memcpy(CMSG_DATA(c), fds, nfd * sizeof(int));
	}
	while (done < h->out.n) {
		ssize_t w;

		iov.iov_base = h->out.p + done;
		iov.iov_len = h->out.n - done;
		w = sendmsg(h->ctl, &m, MSG_NOSIGNAL);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		done += (size_t)w;
		m.msg_control = NULL; /* the descriptor goes with the first bytes only */
		m.msg_controllen = 0;
	}
	return true;
}

/* Sends the message in h->out, with fd attached when fd >= 0. */
static bool send_msg(struct helper *h, int fd)
{
	return send_fds(h, &fd, fd >= 0 ? 1 : 0);
}

static bool reply_err(struct helper *h, uint16_t seq, uint32_t code, const char *msg)
{
	ps_begin(&h->out, PS_ERR, seq);
	ps_put_u32(&h->out, code);
	ps_put_str(&h->out, msg);
	return send_msg(h, -1);
}

static bool serve_list(struct helper *h, uint16_t seq)
{
	struct adapter_list l;
	char err[SOURCE_ERRLEN];

	if (adapter_list_load(&l, err, sizeof err) != 0)
		return reply_err(h, seq, SRC_ERR_PERM, err);
	ps_begin(&h->out, PS_OK, seq);
	ps_put_adapters(&h->out, &l);
	adapter_list_free(&l);
	return send_msg(h, -1);
}

static bool serve_probe(struct helper *h, uint16_t seq)
{
	char why[512] = "";
	bool ok = adapter_can_capture(why, sizeof why);

	ps_begin(&h->out, PS_OK, seq);
	ps_put_u8(&h->out, ok);
	ps_put_str(&h->out, why);
	return send_msg(h, -1);
}

static bool serve_linktype(struct helper *h, const struct ps_req *q)
{
	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_u32(&h->out, (uint32_t)adapter_linktype(q->text));
	return send_msg(h, -1);
}

static bool serve_open(struct helper *h, const struct ps_req *q)
{
	struct ps_opened op;
	char err[SOURCE_ERRLEN] = "";
	int fd = -1;
	enum source_err e = helper_src_open(h->src, &q->open, &op, &fd, err);
	bool ok;

	if (e != SRC_OK)
		return reply_err(h, q->seq, e, err);
	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_opened(&h->out, &op);
	ok = send_msg(h, fd);
	close(fd); /* the main process holds the read end now */
	return ok;
}

static bool serve_send(struct helper *h, const struct ps_req *q)
{
	char err[SOURCE_ERRLEN] = "";
	int fd = helper_send_socket(q->text, err, sizeof err);
	bool ok;

	if (fd < 0)
		return reply_err(h, q->seq, SRC_ERR_OTHER, err);
	ps_begin(&h->out, PS_OK, q->seq);
	ok = send_msg(h, fd);
	close(fd);
	return ok;
}

/* A registered service's request: its answer, or PS_ERR when it refuses (the session goes
 * on: the service judged the request, not the framing). */
static bool serve_service(struct helper *h, const struct ps_req *q)
{
	struct ps_rd r;

	ps_rd_init(&r, q->body, q->body_n);
	ps_begin(&h->out, PS_OK, q->seq);
	if (service && service(&r, &h->out))
		return send_msg(h, -1);
	return reply_err(h, q->seq, SRC_ERR_OTHER,
	                 service ? "service request refused" : "no such service");
}

static bool serve_filter(struct helper *h, const struct ps_req *q)
{
	char err[SOURCE_ERRLEN] = "";
	enum source_err e = helper_src_filter(&h->src[q->id], q->text, err);

	if (e != SRC_OK)
		return reply_err(h, q->seq, e, err);
	ps_begin(&h->out, PS_OK, q->seq);
	return send_msg(h, -1);
}

static bool serve_stats(struct helper *h, const struct ps_req *q)
{
	uint64_t recv = 0, drop = 0, ifdrop = 0;
	bool ok = helper_src_stats(&h->src[q->id], &recv, &drop, &ifdrop);

	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_u8(&h->out, ok);
	ps_put_u64(&h->out, recv);
	ps_put_u64(&h->out, drop);
	ps_put_u64(&h->out, ifdrop);
	return send_msg(h, -1);
}

static bool serve_close(struct helper *h, const struct ps_req *q)
{
	helper_src_close(&h->src[q->id]);
	ps_begin(&h->out, PS_OK, q->seq);
	return send_msg(h, -1);
}

static bool serve_stats_open(struct helper *h, const struct ps_req *q)
{
	char err[SOURCE_ERRLEN] = "";
	uint32_t id;
	enum source_err e = helper_stats_open(&q->stats, q->text, &id, err);

	if (e != SRC_OK)
		return reply_err(h, q->seq, e, err);
	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_u32(&h->out, id);
	ps_put_str(&h->out, helper_stats_warning(id));
	return send_msg(h, -1);
}

/* The other statistics-mode requests, on a counter that is open (else the session ends). */
static bool serve_stats_mode(struct helper *h, const struct ps_req *q)
{
	static struct ps_stats_batch sb;

	if (q->type == PS_STATS_OPEN)
		return serve_stats_open(h, q);
	if (!helper_stats_used(q->id))
		return reply_err(h, q->seq, SRC_ERR_OTHER, "no such counter") && false;
	ps_begin(&h->out, PS_OK, q->seq);
	if (q->type == PS_STATS_READ) {
		helper_stats_read(q->id, q->after, &sb);
		ps_put_stats_batch(&h->out, &sb);
	} else if (q->type == PS_STATS_STOP) {
		helper_stats_stop(q->id);
	} else {
		helper_stats_close(q->id);
	}
	return send_msg(h, -1);
}

static bool serve_spawn(struct helper *h, const struct ps_req *q)
{
	char err[SOURCE_ERRLEN] = "";
	int fds[PS_SPAWN_FDS];
	uint32_t id;
	enum source_err e = helper_spawn(&q->spawn, q->text, &id, fds, err);
	bool ok;

	if (e != SRC_OK)
		return reply_err(h, q->seq, e, err);
	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_u32(&h->out, id);
	ok = send_fds(h, fds, PS_SPAWN_FDS);
	for (unsigned i = 0; i < PS_SPAWN_FDS; i++)
		close(fds[i]); /* the main process holds them now */
	return ok;
}

/* PS_SPAWN_WAIT, of an ssh the helper runs (else the session ends). */
static bool serve_spawn_wait(struct helper *h, const struct ps_req *q)
{
	int32_t status = 0;
	bool ended;

	if (!helper_spawn_used(q->id))
		return reply_err(h, q->seq, SRC_ERR_OTHER, "no such ssh process") && false;
	ended = helper_spawn_wait(q->id, &status);
	ps_begin(&h->out, PS_OK, q->seq);
	ps_put_spawn_wait(&h->out, ended, ended ? status : 0);
	return send_msg(h, -1);
}

/* Answers one well-formed request; false ends the helper. */
static bool serve(struct helper *h, const struct ps_req *q)
{
	if (q->seq != h->seq)
		return reply_err(h, q->seq, SRC_ERR_OTHER, "out of sequence") && false;
	h->seq++;
	if (!h->hello || q->type == PS_HELLO) {
		bool ok = !h->hello && q->type == PS_HELLO && q->version == PS_VERSION;

		if (!ok)
			return reply_err(h, q->seq, SRC_ERR_OTHER,
			                 "hello expected once, of this version") &&
			       false;
		h->hello = true;
		ps_begin(&h->out, PS_OK, q->seq);
		ps_put_u32(&h->out, PS_VERSION);
		return send_msg(h, -1);
	}
	switch (q->type) {
	case PS_LIST:
		return serve_list(h, q->seq);
	case PS_PROBE:
		return serve_probe(h, q->seq);
	case PS_LINKTYPE:
		return serve_linktype(h, q);
	case PS_OPEN:
		return serve_open(h, q);
	case PS_SEND:
		return serve_send(h, q);
	case PS_SERVICE:
		return serve_service(h, q);
	case PS_SPAWN:
		return serve_spawn(h, q);
	case PS_SPAWN_WAIT:
		return serve_spawn_wait(h, q);
	case PS_STATS_OPEN:
	case PS_STATS_READ:
	case PS_STATS_STOP:
	case PS_STATS_CLOSE:
		return serve_stats_mode(h, q);
	}
	if (!helper_src_used(&h->src[q->id]))
		return reply_err(h, q->seq, SRC_ERR_OTHER, "no such source") && false;
	switch (q->type) {
	case PS_FILTER:
		return serve_filter(h, q);
	case PS_STATS:
		return serve_stats(h, q);
	default:
		return serve_close(h, q);
	}
}

/* Reads and answers one request. False when the session ends. */
static bool one_request(struct helper *h)
{
	static uint8_t msg[PS_MAX_REQ];
	static struct ps_req q;
	uint32_t len;
	uint16_t type, seq;

	if (!read_all(h->ctl, msg, PS_HDR_LEN))
		return false; /* the main process closed the socket: the normal end */
	if (!ps_hdr_parse(msg, PS_MAX_REQ, &len, &type, &seq))
		return reply_err(h, seq, SRC_ERR_OTHER, "bad message length") && false;
	if (!read_all(h->ctl, msg + PS_HDR_LEN, len - PS_HDR_LEN))
		return false;
	if (!ps_req_parse(msg, len, &q))
		return reply_err(h, seq, SRC_ERR_OTHER, "malformed request") && false;
	return serve(h, &q);
}

static nfds_t poll_set(struct helper *h, struct pollfd *fds, int *who)
{
	nfds_t n = 0;

	fds[n] = (struct pollfd){.fd = h->ctl, .events = POLLIN};
	who[n++] = -1;
	for (unsigned i = 0; i < PS_MAX_SRC; i++)
		if (helper_src_pollfd(&h->src[i], &fds[n]))
			who[n++] = (int)i;
	for (unsigned i = 0; i < PS_MAX_SPAWN; i++)
		if (helper_spawn_pollfd(i, &fds[n]))
			who[n++] = (int)(PS_MAX_SRC + i);
	return n;
}

int helper_serve(int ctl)
{
	static struct helper h;
	struct pollfd fds[PS_MAX_SRC + PS_MAX_SPAWN + 1];
	int who[PS_MAX_SRC + PS_MAX_SPAWN + 1];

	h.ctl = ctl;
	for (;;) {
		nfds_t n = poll_set(&h, fds, who);
		int rc = poll(fds, n, POLL_MS);

		if (rc < 0 && errno != EINTR)
			break;
		if (rc > 0 && fds[0].revents & (POLLIN | POLLHUP | POLLERR) && !one_request(&h))
			break;
		for (nfds_t k = 1; k < n; k++) {
			if (rc <= 0 || !fds[k].revents)
				continue;
			if (who[k] < (int)PS_MAX_SRC)
				helper_src_pump(&h.src[who[k]]);
			else
				helper_spawn_signal((uint32_t)who[k] - PS_MAX_SRC);
		}
		helper_spawn_reap_all();
	}
	helper_spawn_end_all(); /* nothing it started outlives the main process */
	for (unsigned i = 0; i < PS_MAX_SRC; i++)
		helper_src_close(&h.src[i]);
	helper_stats_close_all();
	ps_buf_free(&h.out);
	return 0;
}
