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

#include "decode/timefmt.h"

enum cli_command {
	CMD_NONE, /* no source given: the TUI's adapter picker (headless: usage) */
	CMD_HELP,
	CMD_VERSION,
	CMD_LIST, /* -D */
	CMD_READ, /* -r FILE or -r - */
	CMD_LIVE, /* -i IF */
};

enum cli_output { OUT_DEFAULT, OUT_PRINT, OUT_JSON, OUT_NONE };

struct cli_opts {
	enum cli_command cmd;
	const char *iface;
	const char *read_path;
	const char *write_path;
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
	char *filter;      /* joined filter words (owned), NULL if none */
	const char *theme; /* --theme NAME for the TUI ("default", "mono") */
};

/* Returns 0, or 2 with a one-line message in err (bad option or value). */
int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t errlen);
void cli_free(struct cli_opts *o);
void cli_usage(FILE *fp);

#endif
