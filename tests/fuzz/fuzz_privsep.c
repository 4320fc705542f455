/*
 * fuzz_privsep.c - libFuzzer harness for the capture helper's protocol parsers
 * (capture/privsep_proto.c): the first byte picks what reads the rest, as each side of the
 * channel reads it: 0 a request (the helper's ps_req_parse), 1 an adapter list, 2 an open
 * answer (the main process's ps_get_adapters, ps_get_opened), 3 a data pipe's records
 * (ps_rec_check over the bytes, as source_helper.c walks them); process attribution's
 * messages (cli/procs_wire.c) in PS_SERVICE bodies: 4 an OWNER request and 5 a PROC request
 * (the helper's side), 6 an OWNER answer and 7 a PROC or OPEN answer (the main process's);
 * statistics mode's (capture/privsep_proto_stats.c): its requests in 0, 8 a PS_STATS_READ
 * answer (the main process's ps_get_stats_batch, after a u64 `after`); ssh run by the
 * helper (capture/privsep_proto_spawn.c): its requests in 0 (a PS_SPAWN that parses names
 * an address remote_url_parse takes), 9 a PS_SPAWN_WAIT answer. A
 * read out of bounds, a leak or a parsed value outside the documented ranges shows up as a
 * crash.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/privsep_proto.h"
#include "capture/remote_request.h"
#include "cli/procs_wire.h"

/* A PS_SPAWN the helper accepts: a known kind and an address its parser takes, whose host
 * ssh cannot read as an option. */
static bool spawn_ok(const struct ps_req *q)
{
	struct remote_url u;
	char e[300];
	bool capture = q->spawn.what == REMOTE_WHAT_CAPTURE;

	if (!capture && q->spawn.what != REMOTE_WHAT_LIST)
		return false;
	if (remote_url_parse(q->spawn.url, capture, &u, e, sizeof e) != 0)
		return false;
	return u.host[0] != '-' && u.user[0] != '-' && q->spawn.snaplen >= 0 &&
	       q->spawn.snaplen <= PS_MAX_SNAP;
}

static void spawn_wait(const uint8_t *p, size_t n)
{
	struct ps_rd r;
	bool ended;
	int32_t status;

	ps_rd_init(&r, p, n);
	if (ps_get_spawn_wait(&r, &ended, &status) && (status < -1 || status > 255))
		__builtin_trap();
}

static void request(const uint8_t *p, size_t n)
{
	static struct ps_req q;

	if (!ps_req_parse(p, n, &q))
		return;
	if (q.id >= PS_MAX_SRC || strlen(q.text) > PS_STR_MAX)
		__builtin_trap();
	if (q.type == PS_OPEN && (q.open.snaplen > PS_MAX_SNAP || q.open.name[0] == '\0'))
		__builtin_trap();
	if ((q.type == PS_STATS_READ || q.type == PS_STATS_STOP || q.type == PS_STATS_CLOSE) &&
	    q.id >= PS_MAX_STATS)
		__builtin_trap();
	if (q.type == PS_SPAWN_WAIT && q.id >= PS_MAX_SPAWN)
		__builtin_trap();
	if (q.type == PS_SPAWN && !spawn_ok(&q))
		__builtin_trap();
	if (q.type == PS_STATS_OPEN &&
	    (q.stats.iface[0] == '\0' || q.stats.interval_ms < STATS_MIN_INTERVAL_MS ||
	     q.stats.interval_ms > STATS_MAX_INTERVAL_MS || q.stats.buffer_kib < 0))
		__builtin_trap();
}

static void stats_batch(const uint8_t *p, size_t n)
{
	static struct ps_stats_batch sb;
	struct ps_rd r;
	uint64_t after;

	ps_rd_init(&r, p, n);
	after = ps_get_u64(&r);
	if (r.bad)
		return;
	ps_rd_init(&r, p + 8, n - 8);
	if (!ps_get_stats_batch(&r, after, &sb)) {
		if (sb.n || sb.failed)
			__builtin_trap();
		return;
	}
	if (sb.n > PS_STATS_BATCH || strlen(sb.err) >= sizeof sb.err)
		__builtin_trap();
	for (uint32_t i = 0; i < sb.n; i++) {
		if (sb.rec[i].seq <= after)
			__builtin_trap();
		after = sb.rec[i].seq;
	}
}

static void adapters(const uint8_t *p, size_t n)
{
	struct adapter_list l;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (!ps_get_adapters(&r, &l)) {
		if (l.n || l.v)
			__builtin_trap();
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		if (!l.v[i].name || l.v[i].naddrs > PS_MAX_ADDRS)
			__builtin_trap();
		free(l.v[i].name);
		free(l.v[i].description);
		free(l.v[i].addrs);
	}
	free(l.v);
}

static void opened(const uint8_t *p, size_t n)
{
	struct ps_opened o;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (ps_get_opened(&r, &o) && (o.id >= PS_MAX_SRC || o.snaplen > PS_MAX_SNAP))
		__builtin_trap();
}

static void records(const uint8_t *p, size_t n)
{
	struct ps_rec h;
	size_t off = 0;

	while (n - off >= PS_REC_LEN && ps_rec_check(p + off, 65535, &h)) {
		if (h.kind == PS_REC_PACKET && (h.caplen > 65535 || h.len < h.caplen))
			__builtin_trap();
		if (h.caplen > n - off - PS_REC_LEN)
			break;
		off += PS_REC_LEN + h.caplen;
	}
}

static void owner_req(const uint8_t *p, size_t n)
{
	struct pw_owner_req q;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (pw_get_owner_req(&r, &q) &&
	    (q.id >= PW_MAX_INSTANCES || (q.k.family != 4 && q.k.family != 6) ||
	     (q.k.proto != 6 && q.k.proto != 17)))
		__builtin_trap();
}

static void proc_req(const uint8_t *p, size_t n)
{
	struct proc_info pi;
	struct ps_rd r;
	uint32_t id;

	ps_rd_init(&r, p, n);
	if (pw_get_proc_req(&r, &id, &pi) &&
	    (id >= PW_MAX_INSTANCES || pi.pid == 0 || strlen(pi.name) >= sizeof pi.name))
		__builtin_trap();
}

static void owner_ans(const uint8_t *p, size_t n)
{
	struct pw_owner_ans a;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (!pw_get_owner_ans(&r, &a))
		return;
	if (a.result < OWNER_ERROR || a.result > OWNER_FOUND || strlen(a.o.comm) > 15 ||
	    strlen(a.problem) >= sizeof a.problem ||
	    (a.result == OWNER_FOUND &&
	     (a.o.pid == 0 || (a.how != AH_EBPF && a.how != AH_SOCKDIAG))))
		__builtin_trap();
}

static void proc_or_open_ans(const uint8_t *p, size_t n)
{
	struct proc_info pi = {0};
	struct ps_rd r;
	char how[200];
	uint32_t id;
	bool alive;

	ps_rd_init(&r, p, n);
	if (pw_get_proc_ans(&r, &alive, &pi) && (strlen(pi.cmdline) >= sizeof pi.cmdline ||
	                                         strlen(pi.container) >= sizeof pi.container))
		__builtin_trap();
	ps_rd_init(&r, p, n);
	if (pw_get_open_ans(&r, &id, how, sizeof how) && id >= PW_MAX_INSTANCES)
		__builtin_trap();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 10) {
	case 0:
		request(data + 1, size - 1);
		break;
	case 1:
		adapters(data + 1, size - 1);
		break;
	case 2:
		opened(data + 1, size - 1);
		break;
	case 3:
		records(data + 1, size - 1);
		break;
	case 4:
		owner_req(data + 1, size - 1);
		break;
	case 5:
		proc_req(data + 1, size - 1);
		break;
	case 6:
		owner_ans(data + 1, size - 1);
		break;
	case 7:
		proc_or_open_ans(data + 1, size - 1);
		break;
	case 9:
		spawn_wait(data + 1, size - 1);
		break;
	default:
		stats_batch(data + 1, size - 1);
	}
	return 0;
}
