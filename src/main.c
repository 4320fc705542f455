/*
 * main.c - argv to a command. Headless commands run on the core alone; with no source
 * and a terminal, the full-screen monitor opens. Start-up order: the options (the user's
 * own words), then privilege separation (capture/privsep.h: the capture helper forked, this
 * process's privileges dropped) before anything reads a packet, a file or the network.
 */
#include <stdio.h>
#include <unistd.h>

#include "ui/app.h"
#include "capture/pcapinfo.h"
#include "capture/privsep.h"
#include "capture/remote_cmd.h"
#include "cli/capture_multi.h"
#include "cli/commands.h"
#include "cli/options.h"
#include "cli/procs_remote.h"
#include "decode/resolve.h"
#ifdef _WIN32
#include "cli/win_notes.h"
#endif

/* The full-screen monitor opens when a person is at a terminal and asked for no headless
 * output: no -w, --print, --json, -T, -x, -c, -q or -z, and stdout is a terminal (as tcpdump prints
 * when piped, capscope prints when piped). Keys come from stdin, or with -r - (stdin carries the
 * capture, as in "ssh host tcpdump -U -w - | capscope -r -") from the controlling terminal, as
 * termshark does. */
static bool wants_tui(const struct cli_opts *o)
{
	bool stream = o->cmd == CMD_READ && cli_source_kind(o) == SOURCE_STREAM;

	if (o->write_path || o->output != OUT_DEFAULT || o->hex || o->count || o->quiet ||
	    o->nfollows)
		return false;
	if (!isatty(STDOUT_FILENO))
		return false;
	return stream ? !isatty(STDIN_FILENO) && access("/dev/tty", R_OK) == 0
	              : isatty(STDIN_FILENO);
}

/* The monitor has one filter, BPF or display (-Y, as termshark takes it). Several -i open
 * together, merged into one list (local and remote alike). */
static int run_tui(const struct cli_opts *o)
{
	struct source_opts so[CLI_MAX_IFACES];
	unsigned n = cli_sources(o);
	struct app_opts ao = {
	    .theme = o->theme,
	    .source = o->cmd == CMD_NONE ? NULL : so,
	    .nsources = n,
	    .filter = o->display_filter ? o->display_filter : o->filter,
	    .filter_display = o->display_filter != NULL,
	    .max_streams = o->max_streams,
	    .no_reassembly = o->no_reassembly,
	    .no_processes = o->no_processes,
	    .no_ebpf = o->no_ebpf,
	    .resolve = o->resolve,
	    .resolve_servers = o->resolve_servers,
	    .spill_max = o->spill_max,
	    .spill_max_set = o->spill_max_set,
	    .spill_stop = o->spill_stop,
	};

	for (unsigned i = 0; i < n; i++)
		so[i] = cli_source_opts(o, i);
	if (o->display_filter && o->filter) {
		fprintf(stderr, "capscope: the monitor takes a BPF filter or -Y, not both (headless"
		                " output, e.g. --print or -w, takes both)\n");
		return 2;
	}
	return app_run(&ao);
}

static int run_command(const struct cli_opts *o)
{
	switch (o->cmd) {
	case CMD_HELP:
		cli_usage(stdout);
		return 0;
	case CMD_VERSION:
		printf("capscope %s\n%s\n--resolve: %s\n%s\n", CAPSCOPE_VERSION,
		       pcapinfo_lib_version(), resolver_version(), privsep_describe());
#ifdef _WIN32
		win_notes(stdout);
#endif
		return 0;
	case CMD_LIST:
		return cmd_list_adapters(o);
	case CMD_LIST_FIELDS:
		return cmd_list_fields(o);
	case CMD_REPLAY:
		return cmd_replay(o);
	case CMD_SEND:
		return cmd_send(o);
	case CMD_STATS:
		return cmd_stats(o);
	case CMD_READ:
	case CMD_LIVE:
		return wants_tui(o) ? run_tui(o) : cmd_capture(o);
	case CMD_NONE:
	default:
		if (wants_tui(o))
			return run_tui(o);
		cli_usage(stderr);
		return 2;
	}
}

/* Every source is remote (-i ssh://... only, or -D ssh://HOST): nothing of this machine's is
 * captured. One local source among remote ones makes a mixed run, which is a local one for
 * attribution and for the helper's capabilities. */
static bool remote_only(const struct cli_opts *o)
{
	if (o->remote_list)
		return true;
	if (o->cmd != CMD_LIVE || !o->iface)
		return false;
	for (unsigned i = 0; i < o->nifaces; i++)
		if (!remote_url_is(o->ifaces[i]))
			return false;
	return remote_url_is(o->iface);
}

/* Process attribution from this machine's sockets: the monitor (unless --no-processes: on a
 * file too, as its picker may switch to an adapter) and headless live output that shows
 * processes or writes pcapng. Its privileges go to the capture helper (cli/procs_remote.h). */
static bool attribution_wanted(const struct cli_opts *o)
{
	if (remote_only(o)) /* nothing of this machine's is captured */
		return false;
	switch (o->cmd) {
	case CMD_LIVE:
		return wants_tui(o) ? !o->no_processes : cmd_capture_attributes(o);
	case CMD_READ:
	case CMD_NONE:
		return wants_tui(o) && !o->no_processes;
	default:
		return false;
	}
}

/* The helper of a run whose every source is remote only runs ssh: it keeps no capture
 * capability. The monitor's picker may switch to a local adapter: it keeps them. */
static bool helper_captures(const struct cli_opts *o)
{
	return !remote_only(o) || wants_tui(o);
}

/* The split modes that reach adapters: all but those that only read a file or print. */
static bool helper_wanted(const struct cli_opts *o)
{
	switch (o->cmd) {
	case CMD_LIST_FIELDS:
	case CMD_HELP:
	case CMD_VERSION:
		return false;
	case CMD_READ:
		return wants_tui(o);
	default:
		return true;
	}
}

static int start_privsep(const struct cli_opts *o)
{
	static char each_buf[CLI_MAX_IFACES][MULTI_PATH_MAX];
	static const char *each[CLI_MAX_IFACES + 1];
	struct privsep_opts po = {
	    .user = o->run_as,
	    /* every mode runs without privileges when capscope holds them (--stats and the
	       monitor's rate graph count in the helper; the monitor's saves, spill and state
	       files are written as the user it drops to; as nobody, its spill in a folder of its
	       own, private_tmp), remote sources and listings too: the main process may not
	       exec, so the helper runs ssh for it (as the user capscope was run as, whose keys
	       ssh reads, with no capability; capture/linux/helper_spawn.c) */
	    .split = true,
	    .helper = helper_wanted(o),
	    .no_capture = !helper_captures(o),
	    /* a rotating -w names other files (numbered, or strftime patterns) */
	    .precreate = o->rotate_bytes || o->rotate_seconds ? NULL : o->write_path,
	    .preread = o->cmd == CMD_READ ? o->read_path : NULL,
	    .seccomp = true,
	    .private_tmp = wants_tui(o),
	    .service = attribution_wanted(o) ? procs_remote_serve : NULL,
	    .service_caps = attribution_wanted(o) ? procs_remote_caps(o->no_ebpf) : 0,
	    .precreate_each = each,
	};
	char err[PRIVSEP_ERRLEN];

	if (!po.precreate || !po.split)
		each[0] = NULL;
	else /* several -i writing pcap: a file per source, and none named as -w says */
		multi_pcap_paths(o, each_buf, each);
	if (each[0])
		po.precreate = NULL;
	if (privsep_start(&po, err, sizeof err) == 0) {
		if (privsep_active() && po.service)
			procs_remote_install();
		return 0;
	}
	fprintf(stderr, "capscope: %s\n", err);
	return 1;
}

int main(int argc, char **argv)
{
	struct cli_opts o;
	char err[256];
	int rc = cli_parse(argc, argv, &o, err, sizeof err);

	if (rc != 0) {
		cli_free(&o); /* what parsing took before it failed (-e's field list) */
		fprintf(stderr, "capscope: %s\n", err); /* one line, which says what to do */
		return rc;
	}
	rc = start_privsep(&o);
	if (rc == 0)
		rc = run_command(&o);
	privsep_end();
	cli_free(&o);
	return rc;
}
