/*
 * attrib_ebpf_none.c - the eBPF backend of attrib_os.h where it is not built (another
 * platform, no clang/bpftool/libbpf, or -DCAPSCOPE_EBPF=OFF): open says so, the rest are
 * harmless. (A minimal stand-in written on the ebpf branch; the engine branch owns this file.)
 */
#include <stdio.h>

#include "procs/attrib_os.h"

struct ebpf_owners *ebpf_owners_open(char *why, size_t n)
{
	snprintf(why, n, "no eBPF: not built in");
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
