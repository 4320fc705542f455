/*
 * privsep_client.c - the main process's end of the control channel (privsep_client.h) and
 * the helper's adapter services of privsep.h. Every answer is checked as untrusted: its
 * length bounded by PS_MAX_REPLY, its sequence number and type, its body by the parsers of
 * privsep_proto.c. A broken channel (the helper gone, a bad answer) fails every later call.
 */
#define _GNU_SOURCE
#include "capture/linux/privsep_client.h"

#include <errno.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/privsep.h"

static struct {
	pthread_mutex_t lock;
	int ctl;
	pid_t pid;
	uint16_t seq;
	bool active, broken;
} cl = {.lock = PTHREAD_MUTEX_INITIALIZER, .ctl = -1};

bool privsep_active(void)
{
	return cl.active;
}

static bool write_all(int fd, const uint8_t *p, size_t n)
{
	while (n > 0) {
		ssize_t w = send(fd, p, n, MSG_NOSIGNAL);

		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			return false;
		p += w;
		n -= (size_t)w;
	}
	return true;
}

/* Keeps the descriptors of one SCM_RIGHTS message in fds (nfd wanted, *got so far); those
 * not asked for are closed: not ours to keep. */
static void take_fds(const struct cmsghdr *c, int *fds, size_t nfd, size_t *got)
{
	size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);

	for (size_t i = 0; i < k; i++) {
		int d;

		memcpy(&d, CMSG_DATA(c) + i * sizeof d, sizeof d);
		if (*got < nfd)
			fds[(*got)++] = d;
		else
			close(d);
	}
}

/* Reads n bytes; descriptors that come with them go to fds (up to nfd, counted in *got). */
static bool read_all(int fd, uint8_t *p, size_t n, int *fds, size_t nfd, size_t *got)
{
	while (n > 0) {
		char cbuf[CMSG_SPACE(PS_SPAWN_FDS * sizeof(int))];
		struct iovec iov = {.iov_base = p, .iov_len = n};
		struct msghdr m = {.msg_iov = &iov,
		                   .msg_iovlen = 1,
		                   .msg_control = cbuf,
		                   .msg_controllen = sizeof cbuf};
		ssize_t r = recvmsg(fd, &m, MSG_CMSG_CLOEXEC);
		struct cmsghdr *c;

		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return false;
		for (c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c))
			if (c->cmsg_level == SOL_SOCKET && c->cmsg_type == SCM_RIGHTS &&
			    c->cmsg_len >= CMSG_LEN(sizeof(int)))
				take_fds(c, fds, nfd, got);
		p += r;
		n -= (size_t)r;
	}
	return true;
}

static int broken(enum source_err *code, char *err, size_t errlen, const char *what)
{
	cl.broken = true;
	*code = SRC_ERR_OTHER;
	snprintf(err, errlen, "capscope: the capture helper %s (see stderr); restart capscope",
	         what);
	return -1;
}

/* Reads one answer to sequence number seq. Returns its type, or -1 when the channel broke. */
static int read_answer(uint16_t seq, uint8_t **body, size_t *n, int *fds, size_t nfd, size_t *got)
{
	uint8_t hdr[PS_HDR_LEN];
	uint32_t len;
	uint16_t type, aseq;

	if (!read_all(cl.ctl, hdr, PS_HDR_LEN, fds, nfd, got) ||
	    !ps_hdr_parse(hdr, PS_MAX_REPLY, &len, &type, &aseq) || aseq != seq ||
	    (type != PS_OK && type != PS_ERR))
		return -1;
	*n = len - PS_HDR_LEN;
	*body = malloc(*n ? *n : 1);
	if (!*body || !read_all(cl.ctl, *body, *n, fds, nfd, got)) {
		free(*body);
		*body = NULL;
		return -1;
	}
	return type;
}

/* PS_ERR's body: {u32 code, str message}. */
static int answer_error(uint8_t *body, size_t n, enum source_err *code, char *err, size_t errlen)
{
	static char msg[PS_STR_MAX + 1];
	struct ps_rd r;
	uint32_t c;

	ps_rd_init(&r, body, n);
	c = ps_get_u32(&r);
	ps_get_str(&r, msg, sizeof msg);
	free(body);
	if (!ps_rd_ok(&r) || c > SRC_ERR_OTHER)
		return broken(code, err, errlen, "sent a malformed error");
	*code = (enum source_err)c;
	snprintf(err, errlen, "%s", msg);
	return -1;
}

static void close_fds(int *fds, size_t *got)
{
	while (*got > 0)
		close(fds[--*got]);
}

static int call_locked(struct ps_buf *req, uint8_t **body, size_t *n, int *fds, size_t nfd,
                       enum source_err *code, char *err, size_t errlen)
{
	uint16_t seq = cl.seq++;
	size_t got = 0;
	int type;

	if (cl.broken || cl.ctl < 0)
		return broken(code, err, errlen, "is gone");
	req->p[6] = (uint8_t)seq;
	req->p[7] = (uint8_t)(seq >> 8);
	if (!write_all(cl.ctl, req->p, req->n))
		return broken(code, err, errlen, "is gone");
	type = read_answer(seq, body, n, fds, nfd, &got);
	if (type < 0) {
		close_fds(fds, &got);
		return broken(code, err, errlen, "sent a malformed answer or ended");
	}
	if (type == PS_ERR) {
		close_fds(fds, &got);
		return answer_error(*body, *n, code, err, errlen);
	}
	if (got != nfd && nfd > 1) { /* all of them or none: a partial set is no answer */
		close_fds(fds, &got);
		free(*body);
		*body = NULL;
		return broken(code, err, errlen, "sent too few descriptors");
	}
	return 0;
}

int ps_call_fds(struct ps_buf *req, uint8_t **body, size_t *n, int *fds, size_t nfd,
                enum source_err *code, char *err, size_t errlen)
{
	int rc;

	*body = NULL;
	for (size_t i = 0; i < nfd; i++)
		fds[i] = -1;
	if (!ps_end(req)) {
		*code = SRC_ERR_OTHER;
		snprintf(err, errlen, "capscope: out of memory (a request to the capture helper)");
		ps_buf_free(req);
		return -1;
	}
	pthread_mutex_lock(&cl.lock);
	rc = call_locked(req, body, n, fds, nfd, code, err, errlen);
	pthread_mutex_unlock(&cl.lock);
	ps_buf_free(req);
	return rc;
}

int ps_call(struct ps_buf *req, uint8_t **body, size_t *n, int *fd, enum source_err *code,
            char *err, size_t errlen)
{
	int none;

	return ps_call_fds(req, body, n, fd ? fd : &none, fd ? 1 : 0, code, err, errlen);
}

int ps_client_connect(int ctl, pid_t pid, char *err, size_t errlen)
{
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	struct ps_rd r;

	cl.ctl = ctl;
	cl.pid = pid;
	cl.seq = 0; /* a new helper's session */
	cl.broken = false;
	ps_begin(&b, PS_HELLO, 0);
	ps_put_u32(&b, PS_VERSION);
	if (ps_call(&b, &body, &n, NULL, &code, err, errlen) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	if (ps_get_u32(&r) != PS_VERSION || !ps_rd_ok(&r)) {
		free(body);
		snprintf(err, errlen, "capscope: the capture helper speaks another version");
		return -1;
	}
	free(body);
	cl.active = true;
	return 0;
}

void ps_client_close(void)
{
	int st;

	if (cl.ctl < 0)
		return;
	close(cl.ctl); /* the helper sees the end of its input and exits */
	cl.ctl = -1;
	cl.active = false;
	if (cl.pid > 0)
		waitpid(cl.pid, &st, 0);
	cl.pid = 0;
}

int privsep_adapters(struct adapter_list *l, char *err, size_t errlen)
{
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool ok;

	memset(l, 0, sizeof *l);
	ps_begin(&b, PS_LIST, 0);
	if (ps_call(&b, &body, &n, NULL, &code, err, errlen) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	pthread_mutex_lock(&cl.lock); /* ps_get_adapters' string buffer is shared */
	ok = ps_get_adapters(&r, l);
	pthread_mutex_unlock(&cl.lock);
	free(body);
	if (!ok)
		snprintf(err, errlen, "capscope: the capture helper sent a malformed adapter list");
	return ok ? 0 : -1;
}

int privsep_linktype(const char *name)
{
	struct ps_buf b = {0};
	enum source_err code;
	char err[PRIVSEP_ERRLEN];
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	int32_t dlt;

	ps_begin(&b, PS_LINKTYPE, 0);
	ps_put_str(&b, name);
	if (ps_call(&b, &body, &n, NULL, &code, err, sizeof err) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	dlt = (int32_t)ps_get_u32(&r);
	free(body);
	return ps_rd_ok(&r) && dlt >= -1 && dlt <= 65535 ? dlt : -1;
}

bool privsep_can_capture(char *why, size_t wn)
{
	static char text[PS_STR_MAX + 1];
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool ok;

	ps_begin(&b, PS_PROBE, 0);
	if (ps_call(&b, &body, &n, NULL, &code, why, wn) != 0)
		return false;
	ps_rd_init(&r, body, n);
	pthread_mutex_lock(&cl.lock); /* text is shared */
	ok = ps_get_u8(&r) != 0;
	ps_get_str(&r, text, sizeof text);
	if (ps_rd_ok(&r))
		snprintf(why, wn, "%s", text);
	if (!ps_rd_ok(&r)) {
		ok = false;
		snprintf(why, wn, "the capture helper sent a malformed answer");
	}
	pthread_mutex_unlock(&cl.lock);
	free(body);
	return ok;
}

int privsep_send_socket(const char *ifname, char *err, size_t errlen)
{
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	int fd = -1;

	ps_begin(&b, PS_SEND, 0);
	ps_put_str(&b, ifname);
	if (ps_call(&b, &body, &n, &fd, &code, err, errlen) != 0)
		return -1;
	free(body);
	if (fd < 0 || n != 0) {
		if (fd >= 0)
			close(fd);
		snprintf(err, errlen, "capscope: the capture helper sent a malformed answer");
		return -1;
	}
	return fd;
}

int privsep_stats_open(const struct stats_opts *o, uint32_t *id, char *warning, size_t wn,
                       enum source_err *why, char *err)
{
	struct ps_buf b = {0};
	uint8_t *body;
	size_t n;
	struct ps_rd r;

	ps_req_stats_open(&b, 0, o);
	if (ps_call(&b, &body, &n, NULL, why, err, SOURCE_ERRLEN) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	*id = ps_get_u32(&r);
	ps_get_str(&r, warning, wn);
	free(body);
	if (!ps_rd_ok(&r) || *id >= PS_MAX_STATS) {
		*why = SRC_ERR_OTHER;
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: the capture helper sent a malformed answer");
		return -1;
	}
	return 0;
}

int privsep_stats_read(uint32_t id, uint64_t after, struct ps_stats_batch *sb, char *err)
{
	struct ps_buf b = {0};
	enum source_err code;
	uint8_t *body;
	size_t n;
	struct ps_rd r;
	bool ok;

	ps_req_stats_read(&b, 0, id, after);
	if (ps_call(&b, &body, &n, NULL, &code, err, SOURCE_ERRLEN) != 0)
		return -1;
	ps_rd_init(&r, body, n);
	ok = ps_get_stats_batch(&r, after, sb);
	free(body);
	if (!ok)
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: the capture helper sent a malformed answer");
	return ok ? 0 : -1;
}

int ps_call_id_answer(uint16_t type, uint32_t id, uint8_t **body, size_t *n)
{
	struct ps_buf b = {0};
	enum source_err code;
	char err[SOURCE_ERRLEN];

	ps_begin(&b, type, 0);
	ps_put_u32(&b, id);
	return ps_call(&b, body, n, NULL, &code, err, sizeof err);
}

void ps_call_id(uint16_t type, uint32_t id)
{
	uint8_t *body;
	size_t n;

	if (ps_call_id_answer(type, id, &body, &n) == 0)
		free(body);
}

void privsep_stats_stop(uint32_t id)
{
	ps_call_id(PS_STATS_STOP, id);
}

void privsep_stats_close(uint32_t id)
{
	ps_call_id(PS_STATS_CLOSE, id);
}

int privsep_service(const uint8_t *req, size_t n, uint8_t **ans, size_t *an, char *err,
                    size_t errlen)
{
	struct ps_buf b = {0};
	enum source_err code;

	ps_begin(&b, PS_SERVICE, 0);
	ps_put_bytes(&b, req, n);
	return ps_call(&b, ans, an, NULL, &code, err, errlen);
}
