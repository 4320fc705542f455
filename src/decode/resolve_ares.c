/*
 * resolve_ares.c - the resolver thread of --resolve (see resolve.h): c-ares' event loop,
 * the rate limit, and the record of the sockets c-ares opens.
 *
 * One c-ares channel, used by this thread alone. Each turn: start the queued asks the rate
 * limit allows (a token bucket of RESOLVE_QPS a second, RESOLVE_OUTSTANDING in flight), poll
 * c-ares' sockets for at most 50 ms (new asks wait at most that), let c-ares process them.
 * Answers go to the shared ring (a full ring drops the answer: the address is asked again
 * after its pending time).
 */
#include <ares.h>
#include <arpa/inet.h>
#include <netdb.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "decode/resolve_int.h"
#include "platform/os.h"

#define TURN_MS 50

/* ares_getsock()'s bits, as its ARES_GETSOCK_READABLE/WRITABLE but unsigned: the macros
 * shift a signed 1 into the sign bit for the last socket. */
static bool sock_readable(int bits, int i)
{
	return ((unsigned)bits >> i) & 1u;
}

static bool sock_writable(int bits, int i)
{
	return ((unsigned)bits >> (i + ARES_GETSOCK_MAXNUM)) & 1u;
}

struct rs_thread {
	struct rs_shared *sh;
	pthread_t thread;
	ares_channel ch;
	unsigned outstanding; /* queries in flight */
	double tokens;
	uint64_t refill_ns;
};

struct rs_query {
	struct rs_thread *t;
	struct rs_addr addr;
};

static char version_text[40];

const char *rs_version(void)
{
	if (!version_text[0])
		snprintf(version_text, sizeof version_text, "c-ares %s", ares_version(NULL));
	return version_text;
}

/* Local and remote ends of a connected socket; false if unknown. */
static bool socket_ends(ares_socket_t fd, int type, struct rs_tuple *o)
{
	struct sockaddr_storage l, r;
	socklen_t ll = sizeof l, rl = sizeof r;

	if (getsockname(fd, (struct sockaddr *)&l, &ll) != 0 ||
	    getpeername(fd, (struct sockaddr *)&r, &rl) != 0 || l.ss_family != r.ss_family)
		return false;
	memset(o, 0, sizeof *o);
	o->proto = type == SOCK_STREAM ? 6 : 17;
	if (l.ss_family == AF_INET) {
		const struct sockaddr_in *a = (const void *)&l, *b = (const void *)&r;
		o->alen = 4;
		memcpy(o->local, &a->sin_addr, 4);
		memcpy(o->remote, &b->sin_addr, 4);
		o->lport = ntohs(a->sin_port);
		o->rport = ntohs(b->sin_port);
		return true;
	}
	if (l.ss_family == AF_INET6) {
		const struct sockaddr_in6 *a = (const void *)&l, *b = (const void *)&r;
		o->alen = 16;
		memcpy(o->local, &a->sin6_addr, 16);
		memcpy(o->remote, &b->sin6_addr, 16);
		o->lport = ntohs(a->sin6_port);
		o->rport = ntohs(b->sin6_port);
		return true;
	}
	return false;
}

/* c-ares calls this after connecting a new socket and before sending on it, so the tuple is
 * known before any of its packets can be captured. */
static int on_socket(ares_socket_t fd, int type, void *arg)
{
	struct rs_shared *sh = arg;
	struct rs_tuple o;

	if (!socket_ends(fd, type, &o))
		return 0;
	pthread_mutex_lock(&sh->mu);
	sh->own[sh->own_next] = o;
	sh->own_next = (sh->own_next + 1) % RESOLVE_OWN;
	if (sh->own_n < RESOLVE_OWN)
		sh->own_n++;
	atomic_fetch_add(&sh->own_gen, 1);
	pthread_mutex_unlock(&sh->mu);
	return 0;
}

static void on_answer(void *arg, int status, int timeouts, struct hostent *h)
{
	struct rs_query *q = arg;
	struct rs_shared *sh = q->t->sh;
	size_t n = status == ARES_SUCCESS && h && h->h_name ? strlen(h->h_name) : 0;

	(void)timeouts;
	q->t->outstanding--;
	if (status != ARES_EDESTRUCTION) {
		atomic_fetch_add(n ? &sh->names : &sh->failed, 1);
		pthread_mutex_lock(&sh->mu);
		if (sh->ans_n < RS_ANSWERS) {
			struct rs_answer *a =
			    &sh->answers[(sh->ans_head + sh->ans_n++) % RS_ANSWERS];
			a->addr = q->addr;
			a->n = (uint16_t)(n > NAMES_NAME_MAX ? NAMES_NAME_MAX : n);
			memcpy(a->name, n ? h->h_name : "", a->n);
		}
		pthread_mutex_unlock(&sh->mu);
	}
	free(q);
}

/* RESOLVE_QPS tokens a second, at most RESOLVE_QPS held. */
static void refill(struct rs_thread *t)
{
	uint64_t now = os_monotonic_ns();

	t->tokens += (double)(now - t->refill_ns) * RESOLVE_QPS / 1e9;
	if (t->tokens > RESOLVE_QPS)
		t->tokens = RESOLVE_QPS;
	t->refill_ns = now;
}

static void start_asks(struct rs_thread *t)
{
	refill(t);
	while (t->tokens >= 1 && t->outstanding < RESOLVE_OUTSTANDING) {
		struct rs_query *q = malloc(sizeof *q);
		bool got = false;
		if (!q)
			return;
		pthread_mutex_lock(&t->sh->mu);
		if (t->sh->ask_n > 0) {
			q->addr = t->sh->asks[t->sh->ask_head];
			t->sh->ask_head = (t->sh->ask_head + 1) % RESOLVE_QUEUE;
			t->sh->ask_n--;
			got = true;
		}
		pthread_mutex_unlock(&t->sh->mu);
		if (!got) {
			free(q);
			return;
		}
		q->t = t;
		t->tokens -= 1;
		t->outstanding++;
		atomic_fetch_add(&t->sh->sent, 1);
		ares_gethostbyaddr(t->ch, q->addr.a, q->addr.len,
		                   q->addr.len == 4 ? AF_INET : AF_INET6, on_answer, q);
	}
}

/* One wait on c-ares' sockets (at most TURN_MS, less when a timeout is due), then its work. */
static void turn(struct rs_thread *t)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	struct pollfd pfd[ARES_GETSOCK_MAXNUM];
	struct timeval max = {0, TURN_MS * 1000}, tv, *tvp;
	int bits = ares_getsock(t->ch, socks, ARES_GETSOCK_MAXNUM), n = 0;

	for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		if (!sock_readable(bits, i) && !sock_writable(bits, i))
			continue;
		pfd[n].fd = socks[i];
		pfd[n].events = (short)((sock_readable(bits, i) ? POLLIN : 0) |
		                        (sock_writable(bits, i) ? POLLOUT : 0));
		pfd[n++].revents = 0;
	}
	tvp = ares_timeout(t->ch, &max, &tv);
	poll(pfd, (nfds_t)n, (int)(tvp->tv_sec * 1000 + tvp->tv_usec / 1000));
	for (int i = 0; i < n; i++)
		ares_process_fd(t->ch,
		                pfd[i].revents & (POLLIN | POLLERR | POLLHUP) ? pfd[i].fd
		                                                              : ARES_SOCKET_BAD,
		                pfd[i].revents & POLLOUT ? pfd[i].fd : ARES_SOCKET_BAD);
	ares_process_fd(t->ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
}

static void *rs_main(void *arg)
{
	struct rs_thread *t = arg;

	while (!atomic_load(&t->sh->stop)) {
		start_asks(t);
		turn(t);
	}
	return NULL;
}

/* The channel: RESOLVE_TIMEOUT_MS a try, two tries; with given servers, DNS only (not
 * /etc/hosts), so that what is asked is what the servers answer. */
static int channel_init(struct rs_thread *t, const char *servers)
{
	struct ares_options o;
	int mask = ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES, rc;

	memset(&o, 0, sizeof o);
	o.timeout = RESOLVE_TIMEOUT_MS;
	o.tries = 2;
	if (servers) {
		o.lookups = (char *)"b";
		mask |= ARES_OPT_LOOKUPS;
	}
	rc = ares_init_options(&t->ch, &o, mask);
	if (rc != ARES_SUCCESS)
		return rc;
	ares_set_socket_callback(t->ch, on_socket, t->sh);
	if (servers && (rc = ares_set_servers_ports_csv(t->ch, servers)) != ARES_SUCCESS) {
		ares_destroy(t->ch);
		return rc;
	}
	return ARES_SUCCESS;
}

struct rs_thread *rs_thread_start(struct rs_shared *sh, const char *servers, char *err,
                                  size_t errlen)
{
	struct rs_thread *t = calloc(1, sizeof *t);
	int rc;

	if (!t) {
		snprintf(err, errlen, "out of memory for the resolver");
		return NULL;
	}
	t->sh = sh;
	t->tokens = RESOLVE_QPS;
	t->refill_ns = os_monotonic_ns();
	if ((rc = ares_library_init(ARES_LIB_INIT_ALL)) != ARES_SUCCESS ||
	    (rc = channel_init(t, servers)) != ARES_SUCCESS) {
		snprintf(err, errlen, "--resolve: %s%s%s", servers ? "servers '" : "",
		         servers ? servers : "", servers ? "': " : "");
		strncat(err, ares_strerror(rc), errlen - strlen(err) - 1);
		free(t);
		return NULL;
	}
	if (pthread_create(&t->thread, NULL, rs_main, t) != 0) {
		snprintf(err, errlen, "--resolve: cannot start the resolver thread");
		ares_destroy(t->ch);
		free(t);
		return NULL;
	}
	return t;
}

void rs_thread_stop(struct rs_thread *t)
{
	if (!t)
		return;
	pthread_join(t->thread, NULL);
	ares_destroy(t->ch); /* calls on_answer with ARES_EDESTRUCTION for each query in flight */
	ares_library_cleanup();
	free(t);
}
