/* commands.h - the headless commands; each returns the process exit status. */
#ifndef CAPSCOPE_COMMANDS_H
#define CAPSCOPE_COMMANDS_H

#include "cli/options.h"

/* -r FILE / -r - / -i ADAPTER: read, filter, print or write. */
int cmd_capture(const struct cli_opts *o);
/* --replay FILE -i ADAPTER [timing] [--loop N] [--force] */
int cmd_replay(const struct cli_opts *o);
/* True when a live headless capture with these options attributes packets to processes
 * (which still needs privileges in the main process: not yet split, privsep.h). */
bool cmd_capture_attributes(const struct cli_opts *o);
/* --send FILE -i ADAPTER [--count-each N] */
int cmd_send(const struct cli_opts *o);
/* --stats -i ADAPTER [--interval MS] [--json] [filter] */
int cmd_stats(const struct cli_opts *o);
/* -D [--json] */
int cmd_list_adapters(const struct cli_opts *o);
/* --list-fields */
int cmd_list_fields(const struct cli_opts *o);

/* Prints "capscope: <msg>" on stderr as one line (msg may already carry the prefix). */
void cli_error(const char *msg);

#endif
