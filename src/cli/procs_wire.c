/*
 * procs_wire.c - process attribution's messages through the capture helper (procs_wire.h).
 */
#include "cli/procs_wire.h"

#include <string.h>

bool pw_get_open(struct ps_rd *r, bool *no_ebpf, uint32_t *max_scans)
{
	uint8_t version = ps_get_u8(r), ne = ps_get_u8(r);

	*max_scans = ps_get_u32(r);
	*no_ebpf = ne != 0;
	return ps_rd_ok(r) && version == PW_VERSION && ne <= 1 && *max_scans <= PW_MAX_SCANS;
}

bool pw_get_id(struct ps_rd *r, uint32_t *id)
{
	*id = ps_get_u32(r);
	return !r->bad && *id < PW_MAX_INSTANCES;
}

void pw_put_owner_req(struct ps_buf *b, const struct pw_owner_req *q)
{
	ps_put_u8(b, PW_OWNER);
	ps_put_u32(b, q->id);
	ps_put_u8(b, q->k.family);
	ps_put_u8(b, q->k.proto);
	ps_put_u16(b, q->k.lport);
	ps_put_u16(b, q->k.rport);
	ps_put_bytes(b, q->k.laddr, 16);
	ps_put_bytes(b, q->k.raddr, 16);
	ps_put_u64(b, q->now_ns);
	ps_put_u8(b, q->holder_first);
}

static void get_bytes(struct ps_rd *r, uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = ps_get_u8(r);
}

bool pw_get_owner_req(struct ps_rd *r, struct pw_owner_req *q)
{
	struct sock_key *k = &q->k;
	uint8_t holder;

	memset(q, 0, sizeof *q);
	if (!pw_get_id(r, &q->id))
		return false;
	k->family = ps_get_u8(r);
	k->proto = ps_get_u8(r);
	k->lport = ps_get_u16(r);
	k->rport = ps_get_u16(r);
	get_bytes(r, k->laddr, 16);
	get_bytes(r, k->raddr, 16);
	q->now_ns = ps_get_u64(r);
	holder = ps_get_u8(r);
	q->holder_first = holder != 0;
	return ps_rd_ok(r) && (k->family == 4 || k->family == 6) &&
	       (k->proto == 6 || k->proto == 17) && holder <= 1;
}

void pw_put_proc_req(struct ps_buf *b, uint32_t id, const struct proc_info *p)
{
	ps_put_u8(b, PW_PROC);
	ps_put_u32(b, id);
	ps_put_u32(b, p->pid);
	ps_put_u32(b, p->uid);
	ps_put_u64(b, p->start);
	ps_put_str(b, p->name);
}

bool pw_get_proc_req(struct ps_rd *r, uint32_t *id, struct proc_info *p)
{
	memset(p, 0, sizeof *p);
	if (!pw_get_id(r, id))
		return false;
	p->pid = ps_get_u32(r);
	p->uid = ps_get_u32(r);
	p->start = ps_get_u64(r);
	ps_get_str(r, p->name, sizeof p->name);
	return ps_rd_ok(r) && p->pid != 0;
}

bool pw_get_open_ans(struct ps_rd *r, uint32_t *id, char *how, size_t n)
{
	*id = ps_get_u32(r);
	ps_get_str(r, how, n);
	return ps_rd_ok(r) && *id < PW_MAX_INSTANCES;
}

void pw_put_owner_ans(struct ps_buf *b, const struct pw_owner_ans *a)
{
	char comm[sizeof a->o.comm];

	memcpy(comm, a->o.comm, sizeof comm);
	comm[sizeof comm - 1] = '\0';
	ps_put_u8(b, (uint8_t)(a->result + 1));
	ps_put_u8(b, a->how);
	ps_put_u32(b, a->o.pid);
	ps_put_u32(b, a->o.uid);
	ps_put_u64(b, a->o.start);
	ps_put_bytes(b, comm, sizeof comm);
	ps_put_u64(b, a->o.seen_ns);
	ps_put_u64(b, a->lookups);
	ps_put_u64(b, a->scans);
	ps_put_u64(b, a->errors);
	ps_put_str(b, a->problem);
}

bool pw_get_owner_ans(struct ps_rd *r, struct pw_owner_ans *a)
{
	uint8_t result;

	memset(a, 0, sizeof *a);
	result = ps_get_u8(r);
	a->how = ps_get_u8(r);
	a->o.pid = ps_get_u32(r);
	a->o.uid = ps_get_u32(r);
	a->o.start = ps_get_u64(r);
	get_bytes(r, (uint8_t *)a->o.comm, sizeof a->o.comm);
	a->o.comm[sizeof a->o.comm - 1] = '\0';
	a->o.seen_ns = ps_get_u64(r);
	a->lookups = ps_get_u64(r);
	a->scans = ps_get_u64(r);
	a->errors = ps_get_u64(r);
	ps_get_str(r, a->problem, sizeof a->problem);
	a->result = (int)result - 1;
	if (!ps_rd_ok(r) || result > 2)
		return false;
	return a->result != OWNER_FOUND ||
	       (a->o.pid != 0 && (a->how == AH_EBPF || a->how == AH_SOCKDIAG));
}

void pw_put_proc_ans(struct ps_buf *b, bool alive, const struct proc_info *p)
{
	ps_put_u8(b, alive);
	ps_put_u32(b, p->uid);
	ps_put_u64(b, p->start);
	ps_put_str(b, p->name);
	ps_put_str(b, p->user);
	ps_put_str(b, p->cmdline);
	ps_put_str(b, p->cgroup);
	ps_put_str(b, p->container);
}

bool pw_get_proc_ans(struct ps_rd *r, bool *alive, struct proc_info *p)
{
	uint8_t a = ps_get_u8(r);

	*alive = a != 0;
	p->uid = ps_get_u32(r);
	p->start = ps_get_u64(r);
	ps_get_str(r, p->name, sizeof p->name);
	ps_get_str(r, p->user, sizeof p->user);
	ps_get_str(r, p->cmdline, sizeof p->cmdline);
	ps_get_str(r, p->cgroup, sizeof p->cgroup);
	ps_get_str(r, p->container, sizeof p->container);
	return ps_rd_ok(r) && a <= 1;
}
