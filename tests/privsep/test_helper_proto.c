/*
 * test_helper_proto.c - the capture helper's side of its protocol (issue 14: "the helper
 * rejects malformed, oversized and out-of-order protocol messages without crashing"), and
 * the main side's checks of what a helper answers.
 *
 * Helper side: for each bad session a real helper loop (helper_serve) runs in a forked child
 * on one end of a socketpair; the test writes the bytes, then reads the answer: it must be a
 * PS_ERR, the helper must close the channel and exit with status 0 (not a signal, not a
 * sanitizer abort). A good session (hello, list, probe, stats of a source never opened) is
 * answered and goes on. Main side: a fake helper in a child answers ps_client_connect and
 * privsep_adapters with wrong versions, sequence numbers, lengths and lists: each call must
 * fail with a message, not crash. Statistics mode's requests and answers likewise. No
 * privileges needed (no adapter is opened).
 * ssh run by the helper (PS_SPAWN): hostile requests (an option-looking host, an over-long
 * address, an unknown kind, a listing with a filter, a wait on no process) end the session
 * and nothing is run (the helper's "ssh" is a shell command that leaves a mark); a good one
 * through the real client (ssh_proc_start_remote) runs it without capabilities, hands back
 * its stdout, stderr and exit status, ends it on ssh_proc_kill, and ends it when the main
 * process goes away.
 */
#include <errno.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/time.h>
#include <sys/wait.h>
#include <unistd.h>

#include "capture/linux/helper.h"
#include "capture/linux/privsep_client.h"
#include "capture/privsep.h"
#include "capture/privsep_proto.h"
#include "capture/remote_request.h"
#include "capture/ssh_proc.h"
#include "check.h"

struct peer {
	int fd;
	pid_t pid;
};

/* The helper's CAPSCOPE_SSH_COMMAND for the next start_helper() (NULL: ssh). */
static const char *ssh_command;

static struct peer start_helper(void)
{
	int sv[2];
	struct peer p = {-1, -1};

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return p;
	p.pid = fork();
	if (p.pid == 0) {
		close(sv[0]);
		helper_spawn_init(ssh_command);
		_exit(helper_serve(sv[1]));
	}
	close(sv[1]);
	p.fd = sv[0];
	/* a helper that answers nothing must fail the test, not hang it */
	setsockopt(p.fd, SOL_SOCKET, SO_RCVTIMEO, &(struct timeval){.tv_sec = 10},
	           sizeof(struct timeval));
	return p;
}

static void put(int fd, const void *p, size_t n)
{
	if (write(fd, p, n) != (ssize_t)n)
		fprintf(stderr, "short write: %s\n", strerror(errno));
}

static void send_msg(int fd, struct ps_buf *b)
{
	if (ps_end(b))
		put(fd, b->p, b->n);
	ps_buf_free(b);
}

static void hello(int fd, uint16_t seq, uint32_t version)
{
	struct ps_buf b = {0};

	ps_begin(&b, PS_HELLO, seq);
	ps_put_u32(&b, version);
	send_msg(fd, &b);
}

/* Reads one answer's type (-1 at the end of the channel, -3 when nothing came in time). */
static int answer(int fd)
{
	uint8_t hdr[PS_HDR_LEN], body[65536];
	uint32_t len;
	uint16_t type, seq;
	size_t got = 0;

	while (got < PS_HDR_LEN) {
		ssize_t r = read(fd, hdr + got, PS_HDR_LEN - got);
		if (r < 0 && (errno == EAGAIN || errno == EWOULDBLOCK))
			return -3;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	if (!ps_hdr_parse(hdr, PS_MAX_REPLY, &len, &type, &seq))
		return -2;
	for (got = PS_HDR_LEN; got < len;) {
		size_t want = len - got < sizeof body ? len - got : sizeof body;
		ssize_t r = read(fd, body, want);
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return type;
}

/* After a bad message: PS_ERR, then the end of the channel, then a clean exit. */
static void expect_rejected(struct peer p, const char *what)
{
	int st = 0;

	check_context(what);
	CHECK_EQ_INT(answer(p.fd), PS_ERR);
	CHECK_EQ_INT(answer(p.fd), -1);
	close(p.fd);
	CHECK(waitpid(p.pid, &st, 0) == p.pid);
	CHECK(WIFEXITED(st) && WEXITSTATUS(st) == 0);
}

static void raw_session(const uint8_t *bytes, size_t n, const char *what)
{
	struct peer p = start_helper();

	put(p.fd, bytes, n);
	expect_rejected(p, what);
}

static void helper_side(void)
{
	static const uint8_t short_len[] = {3, 0, 0, 0, 1, 0, 0, 0};
	static const uint8_t huge_len[] = {0, 0, 0x10, 0, 1, 0, 0, 0}; /* 1 MiB > PS_MAX_REQ */
	static const uint8_t unknown[] = {8, 0, 0, 0, 77, 0, 0, 0};
	static const uint8_t hello_short[] = {10, 0, 0, 0, 1, 0, 0, 0, 1, 0}; /* u32 cut */
	static const uint8_t hello_long[] = {13, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 9};
	struct ps_buf b = {0};
	struct peer p;

	raw_session(short_len, sizeof short_len, "a length shorter than the header");
	raw_session(huge_len, sizeof huge_len, "an oversized message");
	raw_session(unknown, sizeof unknown, "an unknown type");
	raw_session(hello_short, sizeof hello_short, "a hello cut short");
	raw_session(hello_long, sizeof hello_long, "a hello with a byte too many");

	p = start_helper(); /* a request before the hello */
	ps_begin(&b, PS_LIST, 0);
	send_msg(p.fd, &b);
	expect_rejected(p, "a request before the hello");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION + 1);
	expect_rejected(p, "another protocol version");

	p = start_helper(); /* a service request with no service: refused, the session goes on */
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_SERVICE, 1);
	ps_put_u8(&b, 2);
	send_msg(p.fd, &b);
	CHECK_EQ_INT(answer(p.fd), PS_ERR);
	ps_begin(&b, PS_PROBE, 2);
	send_msg(p.fd, &b);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	hello(p.fd, 3, PS_VERSION);
	expect_rejected(p, "a second hello after a refused service request");

	p = start_helper(); /* a good session first: it is answered and goes on */
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_PROBE, 1);
	send_msg(p.fd, &b);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_LIST, 2);
	send_msg(p.fd, &b);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	hello(p.fd, 3, PS_VERSION);
	expect_rejected(p, "a second hello");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_PROBE, 5);
	send_msg(p.fd, &b);
	expect_rejected(p, "a sequence number out of order");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_STATS, 1);
	ps_put_u32(&b, 3);
	send_msg(p.fd, &b);
	expect_rejected(p, "counters of a source never opened");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_CLOSE, 1);
	ps_put_u32(&b, PS_MAX_SRC);
	send_msg(p.fd, &b);
	expect_rejected(p, "a source number out of range");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_OPEN, 1);
	ps_put_u32(&b, PS_MAX_SNAP + 1);
	ps_put_u32(&b, 100);
	ps_put_u32(&b, 0);
	ps_put_u8(&b, 0);
	ps_put_u8(&b, 0);
	ps_put_str(&b, "cs1");
	send_msg(p.fd, &b);
	expect_rejected(p, "a snapshot length out of range");

	p = start_helper();
	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	ps_begin(&b, PS_LINKTYPE, 1);
	ps_put_u16(&b, 3);
	ps_put_bytes(&b, "a\0b", 3);
	send_msg(p.fd, &b);
	expect_rejected(p, "a string holding a NUL");
}

/* One helper session that says hello, then sends b (sequence number 1): rejected. */
static void after_hello_rejected(struct ps_buf *b, const char *what)
{
	struct peer p = start_helper();

	hello(p.fd, 0, PS_VERSION);
	CHECK_EQ_INT(answer(p.fd), PS_OK);
	send_msg(p.fd, b);
	expect_rejected(p, what);
}

/* Statistics mode's requests (PS_STATS_OPEN..CLOSE): counters never opened, ids and values
 * out of range. No adapter is opened: each is refused before. */
static void stats_requests(void)
{
	struct stats_opts o = {.iface = "cs1", .filter = "udp", .interval_ms = 1000};
	struct ps_buf b = {0};

	ps_req_stats_read(&b, 1, 0, 0);
	after_hello_rejected(&b, "statistics of a counter never opened");
	ps_begin(&b, PS_STATS_STOP, 1);
	ps_put_u32(&b, PS_MAX_STATS);
	after_hello_rejected(&b, "a counter number out of range");
	ps_begin(&b, PS_STATS_CLOSE, 1);
	ps_put_u32(&b, 1);
	after_hello_rejected(&b, "closing a counter never opened");
	o.interval_ms = STATS_MAX_INTERVAL_MS + 1;
	ps_req_stats_open(&b, 1, &o);
	after_hello_rejected(&b, "an interval out of range");
	o.interval_ms = 1000;
	o.iface = "";
	ps_req_stats_open(&b, 1, &o);
	after_hello_rejected(&b, "statistics of no adapter");
	o.iface = "cs1";
	ps_req_stats_open(&b, 1, &o);
	ps_put_u8(&b, 0);
	after_hello_rejected(&b, "a statistics request with a byte too many");
}

/* The main process's check of PS_STATS_READ's answers. */
static void stats_batches(void)
{
	static struct ps_stats_batch in, out;
	struct ps_buf b = {0};
	struct ps_rd r;

	check_context("statistics batches");
	in.n = 2;
	in.rec[0] = (struct stats_rec){.seq = 6, .end_ns = 1, .dur_ns = 1000000000, .packets = 3};
	in.rec[1] = (struct stats_rec){.seq = 7, .end_ns = 2, .dur_ns = 500000000, .bytes = 9};
	ps_put_stats_batch(&b, &in);
	ps_rd_init(&r, b.p, b.n);
	CHECK(ps_get_stats_batch(&r, 5, &out));
	CHECK_EQ_INT(out.n, 2);
	CHECK(out.rec[0].packets == 3 && out.rec[1].bytes == 9 && !out.failed);
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_stats_batch(&r, 6, &out)); /* a record the reader has already */
	CHECK_EQ_INT(out.n, 0);
	for (size_t cut = 0; cut < b.n; cut++) {
		ps_rd_init(&r, b.p, cut);
		CHECK(!ps_get_stats_batch(&r, 5, &out));
	}
	b.p[0] = 2; /* failed is 0 or 1 */
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_stats_batch(&r, 5, &out));
	ps_buf_free(&b);
	in.rec[1].seq = 6; /* not increasing */
	ps_put_stats_batch(&b, &in);
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_stats_batch(&r, 5, &out));
	ps_buf_free(&b);
	in.rec[1].seq = 7;
	in.rec[1].dur_ns = 3ull * STATS_MAX_INTERVAL_MS * 1000000ull; /* longer than can be */
	ps_put_stats_batch(&b, &in);
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_stats_batch(&r, 5, &out));
	ps_buf_free(&b);
	in.n = 0;
	ps_put_stats_batch(&b, &in);
	ps_put_u64(&b, 1); /* trailing bytes */
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_stats_batch(&r, 5, &out));
	ps_buf_free(&b);
}

/* A fake helper: answers the hello with `reply` (whole message bytes), then closes. */
static int fake_helper(const struct ps_buf *reply, pid_t *pid)
{
	int sv[2];

	if (socketpair(AF_UNIX, SOCK_STREAM, 0, sv) != 0)
		return -1;
	*pid = fork();
	if (*pid == 0) {
		uint8_t req[PS_MAX_REQ];

		close(sv[0]);
		if (read(sv[1], req, sizeof req) > 0)
			put(sv[1], reply->p, reply->n);
		_exit(0);
	}
	close(sv[1]);
	return sv[0];
}

static void main_side_one(struct ps_buf *reply, const char *what)
{
	char err[256] = "";
	pid_t pid;
	int st, fd;

	check_context(what);
	CHECK(ps_end(reply));
	fd = fake_helper(reply, &pid);
	CHECK_EQ_INT(ps_client_connect(fd, pid, err, sizeof err), -1);
	CHECK(err[0] != '\0');
	CHECK(!privsep_active());
	ps_client_close();
	ps_buf_free(reply);
	(void)st;
}

static void main_side(void)
{
	struct ps_buf b = {0};

	ps_begin(&b, PS_OK, 0);
	ps_put_u32(&b, PS_VERSION + 1);
	main_side_one(&b, "a helper of another version");
	ps_begin(&b, PS_OK, 7);
	ps_put_u32(&b, PS_VERSION);
	main_side_one(&b, "an answer to another request");
	ps_begin(&b, PS_HELLO, 0);
	ps_put_u32(&b, PS_VERSION);
	main_side_one(&b, "an answer of a request's type");
	ps_begin(&b, PS_OK, 0);
	ps_put_u32(&b, PS_VERSION);
	ps_put_u8(&b, 0);
	main_side_one(&b, "a hello answer with a byte too many");
	ps_begin(&b, PS_ERR, 0);
	ps_put_u32(&b, 9999);
	ps_put_str(&b, "no");
	main_side_one(&b, "an error with an unknown code");
}

/* The adapter list parser: a list as the helper writes it reads back; cut or lying ones fail. */
static void adapter_lists(void)
{
	struct adapter_addr ad = {.family = 4,
	                          .addr = {198, 18, 0, 1},
	                          .has_netmask = true,
	                          .netmask = {255, 255, 255, 0}};
	struct adapter a[2] = {
	    {.name = "cs0", .flags = AD_UP, .linktype = 1, .addrs = &ad, .naddrs = 1},
	    {.name = "lo", .description = "loop", .flags = AD_LOOPBACK}};
	struct adapter_list in = {a, 2}, out;
	struct ps_buf b = {0};
	struct ps_rd r;

	check_context("adapter lists");
	ps_put_adapters(&b, &in);
	ps_rd_init(&r, b.p, b.n);
	CHECK(ps_get_adapters(&r, &out));
	CHECK_EQ_INT(out.n, 2);
	if (out.n == 2) {
		CHECK_EQ_STR(out.v[0].name, "cs0");
		CHECK(out.v[0].description == NULL);
		CHECK_EQ_STR(out.v[1].description, "loop");
		CHECK_EQ_INT(out.v[0].naddrs, 1);
		CHECK_EQ_INT(adapter_ipv4_netmask(&out.v[0]), 0x00ffffff);
	}
	adapter_list_free(&out);
	for (size_t cut = 0; cut < b.n; cut++) {
		ps_rd_init(&r, b.p, cut);
		CHECK(!ps_get_adapters(&r, &out));
		CHECK_EQ_INT(out.n, 0);
	}
	b.p[0] = 0xff; /* a count past PS_MAX_ADS */
	ps_rd_init(&r, b.p, b.n);
	CHECK(!ps_get_adapters(&r, &out));
	ps_buf_free(&b);
}

static char mark[64], cmd[256];

static bool marked(void)
{
	return access(mark, F_OK) == 0;
}

/* PS_SPAWN's body by hand (ps_req_spawn refuses what does not fit). */
static void spawn_raw(struct ps_buf *b, uint8_t what, uint8_t flags, const char *url,
                      const char *filter)
{
	ps_begin(b, PS_SPAWN, 1);
	ps_put_u8(b, what);
	ps_put_u8(b, flags);
	ps_put_u32(b, 0);
	ps_put_str(b, url);
	ps_put_str(b, filter);
}

static void spawn_hostile(void)
{
	static char longurl[PS_URL_MAX + 64];
	static const struct {
		uint8_t what, flags;
		const char *url, *filter, *why;
	} bad[] = {
	    {1, 0, "ssh://-oProxyCommand=touch${IFS}/tmp/x/cs1", "", "an option-looking host"},
	    {1, 0, "ssh://far -oProxyCommand=x/cs1", "", "a host with a blank and an option"},
	    {0, 0, "ssh://-l/", "", "an option-looking host to list"},
	    {1, 0, "ssh://-l@far/cs1", "", "an option-looking user"},
	    {1, 0, longurl, "", "an over-long address"},
	    {7, 0, "ssh://far/cs1", "", "an unknown kind of remote request"},
	    {0, 0, "ssh://far", "udp", "a listing with a filter"},
	    {1, 8, "ssh://far/cs1", "", "an unknown flag"},
	    {1, 0, "ssh://far", "", "a capture with no adapter"},
	};
	struct ps_buf b = {0};

	memset(longurl, 'a', PS_URL_MAX + 1);
	memcpy(longurl, "ssh://", 6);
	snprintf(cmd, sizeof cmd, "sh -c 'echo ran >>%s' x", mark);
	ssh_command = cmd;
	for (size_t i = 0; i < sizeof bad / sizeof bad[0]; i++) {
		spawn_raw(&b, bad[i].what, bad[i].flags, bad[i].url, bad[i].filter);
		after_hello_rejected(&b, bad[i].why);
	}
	ps_begin(&b, PS_SPAWN_WAIT, 1);
	ps_put_u32(&b, 0);
	after_hello_rejected(&b, "a wait on no process");
	check_context("hostile spawn requests");
	CHECK(!marked()); /* nothing was run */
}

static size_t read_to_end(int fd, char *buf, size_t cap)
{
	size_t n = 0;
	ssize_t r;

	while (n + 1 < cap && (r = read(fd, buf + n, cap - 1 - n)) > 0)
		n += (size_t)r;
	buf[n] = '\0';
	return n;
}

/* A helper with `command` as its ssh, connected as the main process's. */
static bool connect_helper(const char *command)
{
	char err[256] = "";
	struct peer p;

	ssh_command = command;
	p = start_helper();
	return ps_client_connect(p.fd, p.pid, err, sizeof err) == 0;
}

static struct ssh_proc *spawn_good(void)
{
	struct remote_request rq = {.what = REMOTE_WHAT_CAPTURE, .url = "ssh://far/cs1"};
	char err[512] = "";
	struct ssh_proc *p = ssh_proc_start_remote(&rq, "far", 10000, err, sizeof err);

	if (!p)
		fprintf(stderr, "spawn: %s\n", err);
	return p;
}

static void spawn_runs(void)
{
	char out[4096];
	struct ssh_proc *p;

	check_context("a good spawn request");
	snprintf(cmd, sizeof cmd,
	         "sh -c 'echo ran >>%s; grep -E \"^(CapEff|CapPrm|NoNewPrivs)\" /proc/self/status;"
	         " echo \"args $*\"; echo oops >&2; exit 3' x",
	         mark);
	CHECK(connect_helper(cmd));
	CHECK(privsep_active());
	p = spawn_good();
	CHECK(p != NULL);
	if (!p)
		return;
	read_to_end(ssh_proc_stdout(p), out, sizeof out);
	ssh_proc_started(p);
	CHECK_EQ_INT(ssh_proc_finish(p, 5000), 3);
	CHECK(strstr(out, "CapEff:\t0000000000000000") != NULL);
	CHECK(strstr(out, "CapPrm:\t0000000000000000") != NULL);
	CHECK(strstr(out, "NoNewPrivs:\t1") != NULL);
	/* the helper's own argv: BatchMode, -T, "--" before the host, the far command last */
	CHECK(strstr(out, "args -o BatchMode=yes -T -- far exec /bin/sh -c") != NULL);
	CHECK(strstr(ssh_proc_stderr(p), "oops") != NULL);
	CHECK(marked());
	ssh_proc_free(p);
	ps_client_close();
}

/* ssh_proc_kill ends it; closing the channel ends what still runs. */
static void spawn_ends(void)
{
	char pidfile[80], text[32] = "";
	struct ssh_proc *p;
	FILE *f;
	long pid = 0;

	check_context("killing a spawned process");
	snprintf(pidfile, sizeof pidfile, "%s.pid", mark);
	snprintf(cmd, sizeof cmd, "sh -c 'echo $$ >%s; exec sleep 30' x", pidfile);
	CHECK(connect_helper(cmd));
	p = spawn_good();
	CHECK(p != NULL);
	if (!p)
		return;
	ssh_proc_started(p);
	ssh_proc_kill(p);
	CHECK_EQ_INT(ssh_proc_finish(p, 5000), 128 + SIGTERM);
	ssh_proc_free(p);

	check_context("a spawned process when the main process goes away");
	unlink(pidfile);
	p = spawn_good();
	CHECK(p != NULL);
	for (int i = 0; i < 200 && access(pidfile, F_OK) != 0; i++)
		usleep(10000);
	usleep(50000); /* the shell wrote its pid before the file was complete */
	if ((f = fopen(pidfile, "r")) && fgets(text, sizeof text, f))
		pid = strtol(text, NULL, 10);
	if (f)
		fclose(f);
	CHECK(pid > 1 && kill((pid_t)pid, 0) == 0);
	ps_client_close(); /* the helper ends it, reaps it and exits */
	CHECK(pid > 1 && kill((pid_t)pid, 0) != 0 && errno == ESRCH);
	ssh_proc_free(p);
	unlink(pidfile);
}

static void spawn(void)
{
	snprintf(mark, sizeof mark, "/tmp/capscope-spawn-%ld", (long)getpid());
	unlink(mark);
	spawn_hostile();
	spawn_runs();
	spawn_ends();
	unlink(mark);
	ssh_command = NULL;
}

int main(void)
{
	signal(SIGPIPE, SIG_IGN);
	helper_side();
	stats_requests();
	main_side();
	adapter_lists();
	stats_batches();
	spawn();
	return check_done();
}
