/*
 * procs_remote.c - process attribution through the capture helper (procs_remote.h).
 *
 * The wire, inside PS_SERVICE bodies (privsep_proto.h's encoders; every field is checked on
 * both sides: the main process is not trusted by the helper, nor the helper by it):
 *   OPEN  {u8 1, u8 version 1, u8 no_ebpf, u32 max_scans}  -> {u32 id, str how}
 *   OWNER {u8 2, u32 id, u8 family 4|6, u8 proto 6|17, u16 lport, u16 rport, 16 laddr,
 *          16 raddr, u64 now_ns, u8 holder_first}
 *         -> {u8 result 0 error|1 none|2 found, u8 how, u32 pid, u32 uid, u64 start,
 *             16 comm, u64 seen_ns, u64 lookups, u64 scans, u64 errors, str problem}
 *   PROC  {u8 3, u32 id, u32 pid, u32 uid, u64 start, str name}
 *         -> {u8 alive, u32 uid, u64 start, str name, user, cmdline, cgroup, container}
 *   CLOSE {u8 4, u32 id} -> {}
 * The helper holds at most MAX_INSTANCES backends (one per struct attrib of the main
 * process: the monitor's live capture, a file's comment table). Strings are bounded by the
 * fields they fill, and escaped by whoever shows them (attrib.c's status, the views).
 */
#include "cli/procs_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/privsep.h"
#include "procs/attrib_backend.h"

#define WIRE_VERSION  1
#define MAX_INSTANCES 4
#define MAX_SCANS     1000 /* /proc rescans a second asked for, at most */
/* Linux capability numbers (linux/capability.h; CAP_BPF and CAP_PERFMON, Linux 5.8, are not
 * in every libc's headers, and this file builds on Windows too, where nothing is split) */
#define CAP_DAC_READ_SEARCH_BIT 2
#define CAP_SYS_PTRACE_BIT      19
#define CAP_PERFMON_BIT         38
#define CAP_BPF_BIT             39

enum { OP_OPEN = 1, OP_OWNER = 2, OP_PROC = 3, OP_CLOSE = 4 };

uint64_t procs_remote_caps(bool no_ebpf)
{
	uint64_t caps = 1ull << CAP_SYS_PTRACE_BIT | 1ull << CAP_DAC_READ_SEARCH_BIT;

	return no_ebpf ? caps : caps | 1ull << CAP_BPF_BIT | 1ull << CAP_PERFMON_BIT;
}

/* ---- the helper's side ---- */

static void *instances[MAX_INSTANCES];

static void *instance(struct ps_rd *r)
{
	uint32_t id = ps_get_u32(r);

	return !r->bad && id < MAX_INSTANCES ? instances[id] : NULL;
}

static bool serve_open(struct ps_rd *r, struct ps_buf *out)
{
	struct attrib_opts o = {0};
	char how[200];
	uint32_t id;

	if (ps_get_u8(r) != WIRE_VERSION)
		return false;
	o.no_ebpf = ps_get_u8(r) != 0;
	o.max_scans_per_sec = ps_get_u32(r);
	if (!ps_rd_ok(r) || o.max_scans_per_sec > MAX_SCANS)
		return false;
	for (id = 0; id < MAX_INSTANCES && instances[id]; id++)
		;
	if (id == MAX_INSTANCES)
		return false;
	instances[id] = attrib_local_ops.open(&o, how, sizeof how);
	if (!instances[id])
		return false;
	ps_put_u32(out, id);
	ps_put_str(out, how);
	return true;
}

static bool get_key(struct ps_rd *r, struct sock_key *k)
{
	memset(k, 0, sizeof *k);
	k->family = ps_get_u8(r);
	k->proto = ps_get_u8(r);
	k->lport = ps_get_u16(r);
	k->rport = ps_get_u16(r);
	for (int i = 0; i < 16; i++)
		k->laddr[i] = ps_get_u8(r);
	for (int i = 0; i < 16; i++)
		k->raddr[i] = ps_get_u8(r);
	return !r->bad && (k->family == 4 || k->family == 6) && (k->proto == 6 || k->proto == 17);
}

static bool serve_owner(struct ps_rd *r, struct ps_buf *out)
{
	void *be = instance(r);
	struct sock_key k;
	struct proc_owner o = {0};
	uint64_t now_ns, lookups, scans, errors;
	uint8_t how = AH_NONE, holder_first;
	int res;

	if (!get_key(r, &k))
		return false;
	now_ns = ps_get_u64(r);
	holder_first = ps_get_u8(r);
	if (!be || !ps_rd_ok(r) || holder_first > 1)
		return false;
	res = attrib_local_ops.lookup(be, &k, now_ns, holder_first, &o, &how);
	attrib_local_ops.counters(be, &lookups, &scans, &errors);
	ps_put_u8(out, (uint8_t)(res + 1));
	ps_put_u8(out, how);
	ps_put_u32(out, o.pid);
	ps_put_u32(out, o.uid);
	ps_put_u64(out, o.start);
	o.comm[sizeof o.comm - 1] = '\0';
	ps_put_bytes(out, o.comm, sizeof o.comm);
	ps_put_u64(out, o.seen_ns);
	ps_put_u64(out, lookups);
	ps_put_u64(out, scans);
	ps_put_u64(out, errors);
	ps_put_str(out, attrib_local_ops.problem(be));
	return true;
}

static bool serve_proc(struct ps_rd *r, struct ps_buf *out)
{
	void *be = instance(r);
	struct proc_info p;
	bool alive;

	memset(&p, 0, sizeof p);
	p.pid = ps_get_u32(r);
	p.uid = ps_get_u32(r);
	p.start = ps_get_u64(r);
	ps_get_str(r, p.name, sizeof p.name);
	if (!be || !ps_rd_ok(r))
		return false;
	alive = attrib_local_ops.complete(be, &p);
	ps_put_u8(out, alive);
	ps_put_u32(out, p.uid);
	ps_put_u64(out, p.start);
	ps_put_str(out, p.name);
	ps_put_str(out, p.user);
	ps_put_str(out, p.cmdline);
	ps_put_str(out, p.cgroup);
	ps_put_str(out, p.container);
	return true;
}

static bool serve_close(struct ps_rd *r)
{
	uint32_t id = ps_get_u32(r);

	if (!ps_rd_ok(r) || id >= MAX_INSTANCES || !instances[id])
		return false;
	attrib_local_ops.close(instances[id]);
	instances[id] = NULL;
	return true;
}

bool procs_remote_serve(struct ps_rd *req, struct ps_buf *out)
{
	switch (ps_get_u8(req)) {
	case OP_OPEN:
		return serve_open(req, out);
	case OP_OWNER:
		return serve_owner(req, out);
	case OP_PROC:
		return serve_proc(req, out);
	case OP_CLOSE:
		return serve_close(req);
	default:
		return false;
	}
}

/* ---- the main process's side ---- */

struct remote {
	uint32_t id;
	uint64_t lookups, scans, errors;
	char problem[192];
};

/* Sends b's body (after its 8-byte header: ps_begin's) and reads the answer into *r (the
 * answer's bytes in *ans, freed by the caller). False when the helper refused or is gone. */
static bool call(struct ps_buf *b, struct ps_rd *r, uint8_t **ans, char *err, size_t n)
{
	size_t an = 0;
	int rc =
	    b->bad ? -1 : privsep_service(b->p + PS_HDR_LEN, b->n - PS_HDR_LEN, ans, &an, err, n);

	ps_buf_free(b);
	if (rc != 0) {
		*ans = NULL;
		return false;
	}
	ps_rd_init(r, *ans, an);
	return true;
}

static void *remote_open(const struct attrib_opts *o, char *how, size_t n)
{
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN], text[200];
	struct remote *rm = calloc(1, sizeof *rm);

	if (!rm) {
		snprintf(how, n, "processes: out of memory");
		return NULL;
	}
	ps_begin(&b, PS_SERVICE, 0);
	ps_put_u8(&b, OP_OPEN);
	ps_put_u8(&b, WIRE_VERSION);
	ps_put_u8(&b, o->no_ebpf);
	ps_put_u32(&b, o->max_scans_per_sec > MAX_SCANS ? MAX_SCANS : o->max_scans_per_sec);
	if (!call(&b, &r, &ans, err, sizeof err)) {
		snprintf(how, n, "processes: none (the capture helper: %.150s)", err);
		free(rm);
		return NULL;
	}
	rm->id = ps_get_u32(&r);
	ps_get_str(&r, text, sizeof text);
	free(ans);
	if (!ps_rd_ok(&r) || rm->id >= MAX_INSTANCES) {
		snprintf(how, n, "processes: none (the capture helper sent a malformed answer)");
		free(rm);
		return NULL;
	}
	snprintf(how, n, "%s (through the capture helper)", text);
	return rm;
}

static void remote_close(void *be)
{
	struct remote *rm = be;
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN];

	ps_begin(&b, PS_SERVICE, 0);
	ps_put_u8(&b, OP_CLOSE);
	ps_put_u32(&b, rm->id);
	if (call(&b, &r, &ans, err, sizeof err))
		free(ans);
	free(rm);
}

static void put_key(struct ps_buf *b, const struct sock_key *k)
{
	ps_put_u8(b, k->family);
	ps_put_u8(b, k->proto);
	ps_put_u16(b, k->lport);
	ps_put_u16(b, k->rport);
	ps_put_bytes(b, k->laddr, 16);
	ps_put_bytes(b, k->raddr, 16);
}

/* The helper's answer to OWNER, checked: false when malformed. */
static bool get_owner(struct remote *rm, struct ps_rd *r, int *res, struct proc_owner *o,
                      uint8_t *how)
{
	uint8_t result = ps_get_u8(r);

	*how = ps_get_u8(r);
	memset(o, 0, sizeof *o);
	o->pid = ps_get_u32(r);
	o->uid = ps_get_u32(r);
	o->start = ps_get_u64(r);
	for (size_t i = 0; i < sizeof o->comm; i++)
		o->comm[i] = (char)ps_get_u8(r);
	o->comm[sizeof o->comm - 1] = '\0';
	o->seen_ns = ps_get_u64(r);
	rm->lookups = ps_get_u64(r);
	rm->scans = ps_get_u64(r);
	rm->errors = ps_get_u64(r);
	ps_get_str(r, rm->problem, sizeof rm->problem);
	*res = (int)result - 1;
	if (!ps_rd_ok(r) || result > 2)
		return false;
	return *res != OWNER_FOUND || (o->pid != 0 && (*how == AH_EBPF || *how == AH_SOCKDIAG));
}

static int remote_lookup(void *be, const struct sock_key *k, uint64_t now_ns, bool holder_first,
                         struct proc_owner *o, uint8_t *how)
{
	struct remote *rm = be;
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN];
	int res = OWNER_ERROR;
	bool ok;

	ps_begin(&b, PS_SERVICE, 0);
	ps_put_u8(&b, OP_OWNER);
	ps_put_u32(&b, rm->id);
	put_key(&b, k);
	ps_put_u64(&b, now_ns);
	ps_put_u8(&b, holder_first);
	if (!call(&b, &r, &ans, err, sizeof err)) {
		snprintf(rm->problem, sizeof rm->problem, "the capture helper: %.150s", err);
		return OWNER_ERROR;
	}
	ok = get_owner(rm, &r, &res, o, how);
	free(ans);
	if (!ok) {
		snprintf(rm->problem, sizeof rm->problem,
		         "the capture helper sent a malformed answer");
		return OWNER_ERROR;
	}
	return res;
}

static bool remote_complete(void *be, struct proc_info *p)
{
	struct remote *rm = be;
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN];
	struct proc_info q = *p;
	bool alive;

	ps_begin(&b, PS_SERVICE, 0);
	ps_put_u8(&b, OP_PROC);
	ps_put_u32(&b, rm->id);
	ps_put_u32(&b, p->pid);
	ps_put_u32(&b, p->uid);
	ps_put_u64(&b, p->start);
	ps_put_str(&b, p->name);
	if (!call(&b, &r, &ans, err, sizeof err))
		return false;
	alive = ps_get_u8(&r) != 0;
	q.uid = ps_get_u32(&r);
	q.start = ps_get_u64(&r);
	ps_get_str(&r, q.name, sizeof q.name);
	ps_get_str(&r, q.user, sizeof q.user);
	ps_get_str(&r, q.cmdline, sizeof q.cmdline);
	ps_get_str(&r, q.cgroup, sizeof q.cgroup);
	ps_get_str(&r, q.container, sizeof q.container);
	if (!ps_rd_ok(&r)) {
		free(ans);
		return false;
	}
	free(ans);
	*p = q;
	return alive;
}

static const char *remote_problem(void *be)
{
	return ((struct remote *)be)->problem;
}

static void remote_counters(void *be, uint64_t *lookups, uint64_t *scans, uint64_t *errors)
{
	const struct remote *rm = be;

	*lookups = rm->lookups;
	*scans = rm->scans;
	*errors = rm->errors;
}

static const struct attrib_backend_ops remote_ops = {
    .open = remote_open,
    .close = remote_close,
    .lookup = remote_lookup,
    .complete = remote_complete,
    .problem = remote_problem,
    .counters = remote_counters,
};

void procs_remote_install(void)
{
	attrib_use_backend(&remote_ops);
}
