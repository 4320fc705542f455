/*
 * attrib_ebpf_none.c - the eBPF owner records (attrib_os.h) when capscope is built without
 * them (no libbpf, clang or bpftool at build time, or not Linux): never opened, so attrib.c
 * keeps to sock_diag + /proc and attrib_status() says why.
 */
#include <stdio.h>

#include "procs/attrib_os.h"

struct ebpf_owners *ebpf_owners_open(char *why, size_t n)
{
	if (n)
		snprintf(why, n,
		         "no eBPF: not built in (needs libbpf-dev, clang and bpftool when "
		         "building)");
	return NULL;
}

void ebpf_owners_close(struct ebpf_owners *e)
{
	(void)e;
}

int ebpf_owners_lookup(struct ebpf_owners *e, const struct sock_key *k, struct proc_owner *out)
{
	(void)e;
	(void)k;
	(void)out;
	return OWNER_NONE;
}

uint64_t ebpf_owners_reads(const struct ebpf_owners *e)
{
	(void)e;
	return 0;
}
