/*
 * procs_remote.c - process attribution through the capture helper (procs_remote.h). The
 * messages and their checks are procs_wire.c's; here, the helper's handler over the
 * in-process backend (procs/attrib_local.c, at most PW_MAX_INSTANCES: one per struct attrib
 * of the main process, the live capture's and a file's comment table) and the main
 * process's backend op set that asks it. Strings are escaped by whoever shows them
 * (attrib.c's status, the views, the outputs).
 */
#include "cli/procs_remote.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/privsep.h"
#include "cli/procs_wire.h"
#include "procs/attrib_backend.h"

/* Linux capability numbers (linux/capability.h; CAP_BPF and CAP_PERFMON, Linux 5.8, are not
 * in every libc's headers, and this file builds on Windows too, where nothing is split) */
#define CAP_DAC_READ_SEARCH_BIT 2
#define CAP_SYS_PTRACE_BIT      19
#define CAP_PERFMON_BIT         38
#define CAP_BPF_BIT             39

uint64_t procs_remote_caps(bool no_ebpf)
{
	uint64_t caps = 1ull << CAP_SYS_PTRACE_BIT | 1ull << CAP_DAC_READ_SEARCH_BIT;

	return no_ebpf ? caps : caps | 1ull << CAP_BPF_BIT | 1ull << CAP_PERFMON_BIT;
}

/* ---- the helper's side ---- */

static void *instances[PW_MAX_INSTANCES];

static bool serve_open(struct ps_rd *r, struct ps_buf *out)
{
	struct attrib_opts o = {0};
	char how[200];
	uint32_t id;

	if (!pw_get_open(r, &o.no_ebpf, &o.max_scans_per_sec))
		return false;
	for (id = 0; id < PW_MAX_INSTANCES && instances[id]; id++)
		;
	if (id == PW_MAX_INSTANCES)
		return false;
	instances[id] = attrib_local_ops.open(&o, how, sizeof how);
	if (!instances[id])
		return false;
	ps_put_u32(out, id);
	ps_put_str(out, how);
	return true;
}

static bool serve_owner(struct ps_rd *r, struct ps_buf *out)
{
	struct pw_owner_req q;
	struct pw_owner_ans a;
	void *be;

	if (!pw_get_owner_req(r, &q) || !(be = instances[q.id]))
		return false;
	memset(&a, 0, sizeof a);
	a.result = attrib_local_ops.lookup(be, &q.k, q.now_ns, q.holder_first, &a.o, &a.how);
	attrib_local_ops.counters(be, &a.lookups, &a.scans, &a.errors);
	snprintf(a.problem, sizeof a.problem, "%s", attrib_local_ops.problem(be));
	pw_put_owner_ans(out, &a);
	return true;
}

static bool serve_proc(struct ps_rd *r, struct ps_buf *out)
{
	struct proc_info p;
	uint32_t id;
	bool alive;

	if (!pw_get_proc_req(r, &id, &p) || !instances[id])
		return false;
	alive = attrib_local_ops.complete(instances[id], &p);
	pw_put_proc_ans(out, alive, &p);
	return true;
}

static bool serve_close(struct ps_rd *r)
{
	uint32_t id;

	if (!pw_get_id(r, &id) || !ps_rd_ok(r) || !instances[id])
		return false;
	attrib_local_ops.close(instances[id]);
	instances[id] = NULL;
	return true;
}

bool procs_remote_serve(struct ps_rd *req, struct ps_buf *out)
{
	switch (ps_get_u8(req)) {
	case PW_OPEN:
		return serve_open(req, out);
	case PW_OWNER:
		return serve_owner(req, out);
	case PW_PROC:
		return serve_proc(req, out);
	case PW_CLOSE:
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

/* Sends b's body (after the 8-byte header ps_begin put there: b is only a growable buffer)
 * and reads the answer into *r over *ans (the caller frees it). False when the helper
 * refused or is gone (err says which). */
static bool call(struct ps_buf *b, struct ps_rd *r, uint8_t **ans, char *err, size_t n)
{
	size_t an = 0;
	int rc =
	    b->bad ? -1 : privsep_service(b->p + PS_HDR_LEN, b->n - PS_HDR_LEN, ans, &an, err, n);

	if (b->bad)
		snprintf(err, n, "out of memory");
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
	bool ok;

	if (!rm) {
		snprintf(how, n, "processes: out of memory");
		return NULL;
	}
	ps_begin(&b, PS_SERVICE, 0);
	ps_put_u8(&b, PW_OPEN);
	ps_put_u8(&b, PW_VERSION);
	ps_put_u8(&b, o->no_ebpf);
	ps_put_u32(&b, o->max_scans_per_sec > PW_MAX_SCANS ? PW_MAX_SCANS : o->max_scans_per_sec);
	if (!call(&b, &r, &ans, err, sizeof err)) {
		snprintf(how, n, "processes: none (the capture helper: %.150s)", err);
		free(rm);
		return NULL;
	}
	ok = pw_get_open_ans(&r, &rm->id, text, sizeof text);
	free(ans);
	if (!ok) {
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
	ps_put_u8(&b, PW_CLOSE);
	ps_put_u32(&b, rm->id);
	if (call(&b, &r, &ans, err, sizeof err))
		free(ans);
	free(rm);
}

static int remote_lookup(void *be, const struct sock_key *k, uint64_t now_ns, bool holder_first,
                         struct proc_owner *o, uint8_t *how)
{
	struct remote *rm = be;
	struct pw_owner_req q = {
	    .id = rm->id, .k = *k, .now_ns = now_ns, .holder_first = holder_first};
	struct pw_owner_ans a;
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN];
	bool ok;

	ps_begin(&b, PS_SERVICE, 0);
	pw_put_owner_req(&b, &q);
	if (!call(&b, &r, &ans, err, sizeof err)) {
		snprintf(rm->problem, sizeof rm->problem, "the capture helper: %.150s", err);
		return OWNER_ERROR;
	}
	ok = pw_get_owner_ans(&r, &a);
	free(ans);
	if (!ok) {
		snprintf(rm->problem, sizeof rm->problem,
		         "the capture helper sent a malformed answer");
		return OWNER_ERROR;
	}
	rm->lookups = a.lookups;
	rm->scans = a.scans;
	rm->errors = a.errors;
	memcpy(rm->problem, a.problem, sizeof rm->problem);
	*o = a.o;
	*how = a.how;
	return a.result;
}

static bool remote_complete(void *be, struct proc_info *p)
{
	struct remote *rm = be;
	struct ps_buf b = {0};
	struct ps_rd r;
	uint8_t *ans;
	char err[PRIVSEP_ERRLEN];
	struct proc_info q = *p;
	bool alive, ok;

	ps_begin(&b, PS_SERVICE, 0);
	pw_put_proc_req(&b, rm->id, p);
	if (!call(&b, &r, &ans, err, sizeof err))
		return false;
	ok = pw_get_proc_ans(&r, &alive, &q);
	free(ans);
	if (!ok)
		return false;
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
