/*
 * capture_multi.h - what the headless loop needs for several sources at once (-i A -i B):
 * the sources' names as shown (the Interface column, frame.interface_name), the file name
 * of each source's pcap file and the per-source lines on stderr. The
 * consumer thread alone calls these.
 */
#ifndef CAPSCOPE_CAPTURE_MULTI_H
#define CAPSCOPE_CAPTURE_MULTI_H

#include <stdbool.h>
#include <stddef.h>

#include "capture/capture_thread.h"
#include "capture/pktfile.h"
#include "capture/source.h"
#include "cli/options.h"

#define MULTI_PATH_MAX 4096
#define MULTI_NAME_MAX 200

struct multi_names {
	char esc[CLI_MAX_IFACES][MULTI_NAME_MAX]; /* escaped (base/escape.h) */
	const char *list[CLI_MAX_IFACES];         /* esc[i], for print_ctx.if_names */
	bool has[CLI_MAX_IFACES];                 /* frame.interface_name is known */
	unsigned n;
	bool column; /* several sources: the Interface column */
	bool named;  /* the capture names its interfaces (live: the adapters) */
	bool ids;    /* it has interface ids (frame.interface_id): live, or a pcapng file */
};

void multi_names_init(struct multi_names *nm, struct source *const *srcs, unsigned n);
/* frame.interface_name of a packet of source ifidx: its escaped name, or NULL where the
 * capture does not name it (a file read, as tshark says nothing for a pcap file). */
const char *multi_name_of(const struct multi_names *nm, unsigned ifidx);
/* -r FILE.pcapng: its interfaces' names (raw, from the file: escaped here; "" unnamed, as
 * tshark then says nothing), n of them; several give the Interface column. */
void multi_names_from_file(struct multi_names *nm, char (*raw)[PKTFILE_IFNAME_MAX], unsigned n);
/* The pcap file of each source for -w with several -i writing pcap (path_per_source() of
 * each -i as given), as a NULL-ended list in paths (CLI_MAX_IFACES + 1 entries; the names in
 * buf); an empty list otherwise. For the files made before privileges are dropped. */
void multi_pcap_paths(const struct cli_opts *o, char (*buf)[MULTI_PATH_MAX], const char **paths);
/* "capscope: NAME failed: REASON" on stderr, and while the others run, that they go on. */
void multi_tell_failure(const struct multi_names *nm, unsigned i, const char *reason,
                        bool others_go_on);
/* tcpdump's end-of-capture lines for each source, each prefixed with its name (the totals
 * follow in the caller's usual lines). */
void multi_print_stats(const struct multi_names *nm, const struct capture_end *each, unsigned n);

#endif
