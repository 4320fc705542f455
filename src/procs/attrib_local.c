/*
 * attrib_local.c - attribution's kernel answers in this process (attrib_backend.h): the eBPF
 * owner records and sock_diag + /proc (attrib_os.h). What the process may see depends on
 * its privileges: root or CAP_NET_ADMIN, CAP_SYS_PTRACE, CAP_DAC_READ_SEARCH for other
 * users' sockets, CAP_BPF and CAP_PERFMON for eBPF. The capture helper runs this backend for
 * a main process that gave its privileges up (cli/procs_remote.c).
 */
#include <stdio.h>
#include <stdlib.h>

#include "procs/attrib_backend.h"

struct local {
	struct sockdiag *sd;
	struct ebpf_owners *ebpf;
	uint64_t errors;
};

static void *local_open(const struct attrib_opts *o, char *how, size_t n)
{
	char ewhy[160] = "", swhy[160] = "";
	const char *none = attrib_os_unavailable();
	struct local *l = calloc(1, sizeof *l);

	if (!l) {
		snprintf(how, n, "processes: out of memory");
		return NULL;
	}
	if (none) {
		snprintf(how, n, "processes: %s", none);
		return l;
	}
	if (!o->no_ebpf)
		l->ebpf = ebpf_owners_open(ewhy, sizeof ewhy);
	else
		snprintf(ewhy, sizeof ewhy, "eBPF off: --no-ebpf");
	l->sd = sockdiag_open(o->max_scans_per_sec, swhy, sizeof swhy);
	if (l->ebpf && l->sd)
		snprintf(how, n, "processes: eBPF + sock_diag + /proc");
	else if (l->ebpf)
		snprintf(how, n, "processes: eBPF only (%s)", swhy);
	else if (l->sd)
		snprintf(how, n, "processes: sock_diag + /proc only (%s)", ewhy);
	else
		snprintf(how, n, "processes: none (%s; %s)", swhy, ewhy);
	return l;
}

static void local_close(void *be)
{
	struct local *l = be;

	if (!l)
		return;
	if (l->sd)
		sockdiag_close(l->sd);
	if (l->ebpf)
		ebpf_owners_close(l->ebpf);
	free(l);
}

/* The eBPF records come first (they outlive the socket), except with holder_first: then
 * sock_diag's present holder of the open socket wins, as a TCP socket passed to another
 * process keeps the record of the process that created or connected it (no cgroup hook sees
 * TCP sends). */
static int local_lookup(void *be, const struct sock_key *sk, uint64_t now_ns, bool holder_first,
                        struct proc_owner *o, uint8_t *how)
{
	struct local *l = be;
	int r;

	if (holder_first && l->sd && l->ebpf) {
		r = sockdiag_lookup(l->sd, sk, now_ns, o);
		if (r == OWNER_FOUND) {
			*how = AH_SOCKDIAG;
			return r;
		}
		if (r == OWNER_ERROR)
			l->errors++;
	}
	if (l->ebpf && ebpf_owners_lookup(l->ebpf, sk, o) == OWNER_FOUND) {
		*how = AH_EBPF;
		return OWNER_FOUND;
	}
	if (!l->sd)
		return OWNER_NONE;
	r = sockdiag_lookup(l->sd, sk, now_ns, o);
	if (r == OWNER_ERROR)
		l->errors++;
	*how = AH_SOCKDIAG;
	return r;
}

static bool local_complete(void *be, struct proc_info *p)
{
	(void)be;
	return attrib_os_complete(p);
}

static const char *local_problem(void *be)
{
	struct local *l = be;

	return l->sd ? sockdiag_problem(l->sd) : "";
}

static void local_counters(void *be, uint64_t *lookups, uint64_t *scans, uint64_t *errors)
{
	struct local *l = be;

	*lookups =
	    (l->sd ? sockdiag_queries(l->sd) : 0) + (l->ebpf ? ebpf_owners_reads(l->ebpf) : 0);
	*scans = l->sd ? sockdiag_scans(l->sd) : 0;
	*errors = l->errors;
}

const struct attrib_backend_ops attrib_local_ops = {
    .open = local_open,
    .close = local_close,
    .lookup = local_lookup,
    .complete = local_complete,
    .problem = local_problem,
    .counters = local_counters,
};
