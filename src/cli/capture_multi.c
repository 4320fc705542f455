/*
 * capture_multi.c - the headless loop's helpers for several sources at once (see
 * capture_multi.h): names, per-source file names and stderr lines.
 */
#include "cli/capture_multi.h"

#include <stdio.h>
#include <string.h>

#include "base/escape.h"
#include "base/pathname.h"
#include "capture/dump.h"

void multi_names_init(struct multi_names *nm, struct source *const *srcs, unsigned n)
{
	memset(nm, 0, sizeof *nm);
	nm->n = n;
	nm->column = n > 1;
	nm->named = n > 1 || (n == 1 && source_kind(srcs[0]) == SOURCE_LIVE);
	nm->ids = nm->named;
	for (unsigned i = 0; i < n && i < CLI_MAX_IFACES; i++) {
		nm->list[i] = esc_cstr(nm->esc[i], sizeof nm->esc[i], source_name(srcs[i]));
		nm->has[i] = nm->named;
	}
}

void multi_names_from_file(struct multi_names *nm, char (*raw)[PKTFILE_IFNAME_MAX], unsigned n)
{
	memset(nm, 0, sizeof *nm);
	nm->n = n < CLI_MAX_IFACES ? n : CLI_MAX_IFACES;
	nm->column = nm->n > 1;
	nm->named = true;
	nm->ids = true;
	for (unsigned i = 0; i < nm->n; i++) {
		nm->has[i] = raw[i][0] != '\0';
		if (nm->has[i])
			nm->list[i] = esc_cstr(nm->esc[i], sizeof nm->esc[i], raw[i]);
		else /* the column shows the interface's number */
			nm->list[i] =
			    (snprintf(nm->esc[i], sizeof nm->esc[i], "#%u", i), nm->esc[i]);
	}
}

const char *multi_name_of(const struct multi_names *nm, unsigned ifidx)
{
	return nm->named && ifidx < nm->n && nm->has[ifidx] ? nm->list[ifidx] : NULL;
}

void multi_pcap_paths(const struct cli_opts *o, char (*buf)[MULTI_PATH_MAX], const char **paths)
{
	unsigned n = 0;

	if (o->nifaces > 1 && o->write_path && strcmp(o->write_path, "-") != 0 &&
	    dump_format_for(o->write_path, o->pcapng) == DUMP_PCAP)
		for (unsigned i = 0; i < o->nifaces; i++)
			if (path_per_source(o->write_path, o->ifaces[i], buf[i], MULTI_PATH_MAX) ==
			    0)
				paths[n++] = buf[i];
	paths[n] = NULL;
}

void multi_tell_failure(const struct multi_names *nm, unsigned i, const char *reason,
                        bool others_go_on)
{
	/* the reason is the source's own one line ("capscope: error capturing on ...") */
	if (strncmp(reason, "capscope: ", 10) == 0)
		reason += 10;
	fprintf(stderr, "capscope: %s failed: %s%s\n", nm->list[i], reason,
	        others_go_on ? " (the other sources go on)" : "");
}

void multi_print_stats(const struct multi_names *nm, const struct capture_end *each, unsigned n)
{
	for (unsigned i = 0; i < n; i++) {
		const struct capture_counters *c = &each[i].cnt;
		const char *name = nm->list[i];

		fprintf(stderr, "%s: %llu packets captured\n", name,
		        (unsigned long long)(c->received - c->ring_drops));
		fprintf(stderr, "%s: %llu packets received by filter\n", name,
		        (unsigned long long)c->kernel_received);
		fprintf(stderr, "%s: %llu packets dropped by kernel\n", name,
		        (unsigned long long)c->kernel_drops);
		if (c->if_drops)
			fprintf(stderr, "%s: %llu packets dropped by interface\n", name,
			        (unsigned long long)c->if_drops);
		fprintf(stderr, "%s: %llu packets dropped by ring\n", name,
		        (unsigned long long)c->ring_drops);
		fprintf(stderr, "%s: %s\n", name, each[i].st == SRC_OK ? "ended" : "failed");
	}
}
