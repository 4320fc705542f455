/*
 * capture_procs.c - process attribution in the headless loop (see capture_procs.h).
 */
#include <stdio.h>
#include <string.h>

#include "base/escape.h"
#include "cli/capture_procs.h"
#include "decode/fields_out.h"
#include "decode/process.h"
#include "platform/os.h"

#define TCP_SYN 0x02
#define TCP_ACK 0x10

/* Whether -T fields names a process.* field. */
static bool fields_name_process(const struct cli_opts *o)
{
	for (size_t i = 0; o->fields && i < o->fields->n; i++) {
		const struct field_info *fi = field_key_info(o->fields->keys[i]);
		if (fi && strncmp(fi->name, "process.", 8) == 0)
			return true;
	}
	return false;
}

bool capture_procs_wanted(const struct cli_opts *o, enum cli_output out, bool live)
{
	if (!live && o->processes && !o->no_processes)
		fprintf(stderr,
		        "capscope: --processes: packets read from a file are not attributed "
		        "from this machine's sockets\n");
	if (!live || o->no_processes)
		return false;
	/* a filter is taken by its text, as the TLS fingerprints are: "process" anywhere */
	return o->processes || out == OUT_JSON || (out == OUT_FIELDS && fields_name_process(o)) ||
	       (o->display_filter && strstr(o->display_filter, "process"));
}

struct attrib *capture_procs_open(const struct cli_opts *o)
{
	struct attrib_opts ao = {.no_ebpf = o->no_ebpf};
	struct attrib *a = attrib_open(&ao);

	if (!a)
		fprintf(stderr, "capscope: processes: out of memory: packets are not attributed\n");
	else
		fprintf(stderr, "capscope: %s\n", attrib_status(a));
	return a;
}

void capture_procs_summary(const struct attrib *a)
{
	struct attrib_counters c;

	attrib_counters(a, &c);
	fprintf(stderr, "capscope: %s\n", attrib_status(a));
	fprintf(stderr,
	        "capscope: processes: %llu of %llu packets attributed; flows by sock_diag %llu, "
	        "by eBPF %llu; %llu kernel lookups, %llu /proc scans, %llu errors; %zu flows "
	        "(%llu evicted), %zu processes (%llu evicted) held\n",
	        (unsigned long long)c.attributed, (unsigned long long)c.packets,
	        (unsigned long long)c.by_sockdiag, (unsigned long long)c.by_ebpf,
	        (unsigned long long)c.kernel_lookups, (unsigned long long)c.proc_scans,
	        (unsigned long long)c.errors, c.flows, (unsigned long long)c.flows_evicted, c.procs,
	        (unsigned long long)c.procs_evicted);
}

/* The packet's TCP or UDP tuple over IP, from d->sum; false for anything else. */
static bool packet_key(const struct dissection *d, struct flow_key *k, bool *syn)
{
	const struct summary *s = &d->sum;
	size_t alen = s->net == P_IPV6 ? 16 : 4;

	if (!s->has_addrs || !s->has_ports || (s->net != P_IPV4 && s->net != P_IPV6) ||
	    (s->transport != P_TCP && s->transport != P_UDP))
		return false;
	memset(k, 0, sizeof *k);
	k->family = s->net == P_IPV6 ? 6 : 4;
	k->proto = s->transport == P_TCP ? 6 : 17;
	k->sport = s->sport;
	k->dport = s->dport;
	memcpy(k->src, s->src, alen);
	memcpy(k->dst, s->dst, alen);
	*syn =
	    s->transport == P_TCP && s->tcp.ok && (s->tcp.flags & (TCP_SYN | TCP_ACK)) == TCP_SYN;
	return true;
}

void capture_procs_show(struct dissection *d, const struct proc_info *p, bool out, char *tag,
                        size_t n)
{
	char name[4 * PROC_NAME_MAX + 1];

	dissect_process(d, p, out);
	if (!tag || !n)
		return;
	tag[0] = '\0';
	if (p) {
		esc_str(name, sizeof name, (const uint8_t *)p->name,
		        strnlen(p->name, sizeof p->name));
		snprintf(tag, n, " [%s %u]", name, p->pid);
	}
}

const struct proc_info *capture_procs_packet(struct attrib *a, struct dissection *d, char *tag,
                                             size_t n, bool *out)
{
	const struct proc_info *p = NULL;
	struct flow_key k;
	bool syn = false;

	*out = false;
	if (packet_key(d, &k, &syn))
		p = attrib_proc(a, attrib_packet(a, &k, syn, os_monotonic_ns(), out));
	capture_procs_show(d, p, *out, tag, n);
	return p;
}
