/*
 * options.h - the command line, parsed into one struct that every command reads.
 * Grouped and named like tcpdump's where the meaning is the same (-i -r -w -c -s -p -B -D
 * -x -tt). Parsing never exits: it returns CLI_* with a message for main to print.
 */
#ifndef CAPSCOPE_OPTIONS_H
#define CAPSCOPE_OPTIONS_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include "capture/source.h"
#include "decode/timefmt.h"

enum cli_command {
	CMD_NONE, /* no source given: the TUI's adapter picker (headless: usage) */
	CMD_HELP,
	CMD_VERSION,
	CMD_LIST,        /* -D */
	CMD_READ,        /* -r FILE or -r - */
	CMD_LIVE,        /* -i IF */
	CMD_REPLAY,      /* --replay FILE -i IF */
	CMD_SEND,        /* --send FILE -i IF */
	CMD_STATS,       /* --stats -i IF: packets and bytes per interval */
	CMD_LIST_FIELDS, /* --list-fields */
};

/* OUT_FIELDS: -T fields, the -e fields of each packet (struct fields_spec) */
enum cli_output { OUT_DEFAULT, OUT_PRINT, OUT_JSON, OUT_NONE, OUT_FIELDS };

struct fields_spec;

/* -z follow,tcp|udp,ascii|hex|raw,STREAM (opt_follow.c): a stream number, or an address
 * pair ADDR:PORT,ADDR:PORT (IPv6 as [ADDR]:PORT) that selects packets both ways. */
struct follow_spec {
	uint8_t proto; /* P_TCP or P_UDP (decode/dissect.h) */
	uint8_t mode;  /* enum follow_mode (decode/follow_out.h) */
	bool by_index;
	uint32_t index;
	uint16_t net; /* by address: P_IPV4 or P_IPV6 */
	uint8_t addr[2][16];
	uint16_t port[2];
};
#define CLI_MAX_FOLLOWS 10000

/* -i A -i B ...: sources captured at once (capture_thread.h's CAPTURE_MAX_SOURCES) */
#define CLI_MAX_IFACES 8

struct cli_opts {
	enum cli_command cmd;
	const char *iface;                  /* the first -i */
	const char *ifaces[CLI_MAX_IFACES]; /* every -i, in order (the sources' indexes) */
	unsigned nifaces;
	const char *read_path;
	const char *write_path;
	const char *run_as; /* -Z USER: the user the main process becomes (capture/privsep.h) */
	bool pcapng;        /* --pcapng: -w writes pcapng (also chosen by a .pcapng suffix) */
	enum cli_output output;
	bool hex;
	enum time_mode time_mode;
	bool json;      /* --json (with -D as well as with -r/-i) */
	uint64_t count; /* -c, 0 = unlimited */
	int snaplen;
	bool promisc;
	bool immediate;
	int timeout_ms;
	int buffer_kib;
	size_t ring_bytes;
	char *filter;               /* joined filter words (owned), NULL if none */
	const char *display_filter; /* -Y / --display-filter, NULL if none */
	const char *theme;          /* --theme NAME for the TUI ("default", "mono") */
	bool stats;                 /* --stats */
	int interval_ms;            /* --interval, 0 = not given (--stats: 1000) */
	/* -w rotation, as tcpdump's -C (in bytes here), -G and -W; 0 = off */
	uint64_t rotate_bytes;
	unsigned rotate_seconds;
	unsigned rotate_files;
	/* --replay FILE / --send FILE on -i; timing: at most one of the four */
	const char *replay_path;
	const char *send_path;
	double multiplier; /* 0 = not given (as recorded) */
	double pps;
	double mbps;
	bool topspeed;
	uint64_t loops;      /* --loop, 0 = not given (once) */
	uint64_t count_each; /* --count-each, 0 = not given (once) */
	bool force;          /* --force: replay despite a link type mismatch */
	/* -T fields, -e, -E (opt_fields.c): allocated by the first of them, NULL otherwise */
	struct fields_spec *fields;
	bool fields_mode;         /* -T fields was given */
	bool no_reassembly;       /* --no-reassembly: no TCP PDU reassembly (tshark's
	                           * -o tcp.desegment_tcp_streams:FALSE) */
	const char *filter_table; /* --filter-table FILE (cli/filter_table.h), NULL if none */
	bool no_analysis;   /* --no-analysis: stream index only, no tcp.analysis.* (benchmarks) */
	size_t max_streams; /* --max-streams: stream records kept at once (0: STREAM_DEFAULT_MAX) */
	/* --spill-max: the monitor's temporary file's bound (0: none; unset: the model's
	 * default); --spill-full stop: at it the capture stops rather than drop the oldest */
	size_t spill_max;
	bool spill_max_set;
	bool spill_stop;
	bool names; /* --names: --print shows names learned from the capture and port names */
	/* --resolve: reverse (PTR) lookups of the addresses shown (implies --names;
	 * decode/resolve.h);
	 * --resolve-server: the servers asked ("addr[:port],...", c-ares' CSV) instead of the
	 * system's resolver */
	bool resolve;
	const char *resolve_servers;
	/* --processes: attribute and tag --print lines; --no-processes: never attribute;
	 * --no-ebpf: sock_diag + /proc only (cli/capture_procs.h) */
	bool processes, no_processes, no_ebpf;
	bool quiet;                  /* -q: no packet lines (as tshark's -q; the -z output stays) */
	struct follow_spec *follows; /* -z follow,... in command-line order (owned) */
	unsigned nfollows;
	/* --remote-sudo: a remote source's far tool runs through sudo -n; -D ssh://HOST: that
	 * host's adapters (points into `filter`, where the word landed) */
	bool remote_sudo;
	const char *remote_list;
};

/* Returns 0, or 2 with a one-line message in err (bad option or value). */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t errlen);
void cli_free(struct cli_opts *o);
/* -T, -e and -E (opt_fields.c): returns 0 or 2 with a message, as cli_parse. */
int cli_fields_option(int c, const char *arg, struct cli_opts *o, char *err, size_t errlen);
/* -z ARG (opt_follow.c): returns 0 or 2 with a message, as cli_parse. */
int cli_follow_option(const char *arg, struct cli_opts *o, char *err, size_t errlen);
/* After parsing: -e needs -T fields and the reverse; 0 or 2 with a message. */
int cli_fields_check(struct cli_opts *o, char *err, size_t errlen);
void cli_usage(FILE *fp);
/* The kind of source -i / -r name: live, a file, or a stream on stdin ("-r -"). A live
 * source named ssh://... opens as a remote one (source.h). */
enum source_kind cli_source_kind(const struct cli_opts *o);
/* The number of sources (several -i; else 1) and source i's options as given (-i's i-th,
 * or -r's file), for the headless pipeline and the monitor alike. */
unsigned cli_sources(const struct cli_opts *o);
struct source_opts cli_source_opts(const struct cli_opts *o, unsigned i);
/* True for -D ssh://HOST or a capture with any ssh:// source (-i cs0 -i ssh://far/cs1 too):
 * such a run executes ssh (through the capture helper when split). */
bool cli_remote(const struct cli_opts *o);

#endif
