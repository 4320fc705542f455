/* options.c - command-line parsing (see options.h). */
#include "cli/options.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "capture/remote_cmd.h"
#include "capture/ring.h"
#include "capture/source.h"
#include "capture/stats.h"
#include "decode/stream.h"
#include "base/escape.h"

enum long_only {
	OPT_PRINT = 256,
	OPT_JSON,
	OPT_UTC,
	OPT_TIMEOUT,
	OPT_IMMEDIATE,
	OPT_RING,
	OPT_THEME,
	OPT_REPLAY,
	OPT_SEND,
	OPT_MULTIPLIER,
	OPT_PPS,
	OPT_MBPS,
	OPT_TOPSPEED,
	OPT_LOOP,
	OPT_COUNT_EACH,
	OPT_FORCE,
	OPT_STATS,
	OPT_INTERVAL,
	OPT_DISPLAY_FILTER,
	OPT_LIST_FIELDS,
	OPT_NO_ANALYSIS,
	OPT_NO_REASSEMBLY,
	OPT_FILTER_TABLE,
	OPT_MAX_STREAMS,
	OPT_NAMES,
	OPT_RESOLVE,
	OPT_RESOLVE_SERVER,
	OPT_PCAPNG,
	OPT_PROCESSES,
	OPT_NO_PROCESSES,
	OPT_NO_EBPF,
	OPT_SPILL_MAX,
	OPT_SPILL_FULL,
	OPT_REMOTE_SUDO,
};

static const struct option long_opts[] = {
    {"help", no_argument, NULL, 'h'},
    {"version", no_argument, NULL, 'V'},
    {"list-interfaces", no_argument, NULL, 'D'},
    {"interface", required_argument, NULL, 'i'},
    {"read", required_argument, NULL, 'r'},
    {"write", required_argument, NULL, 'w'},
    {"relinquish-privileges", required_argument, NULL, 'Z'},
    {"count", required_argument, NULL, 'c'},
    {"snapshot-length", required_argument, NULL, 's'},
    {"no-promiscuous-mode", no_argument, NULL, 'p'},
    {"buffer-size", required_argument, NULL, 'B'},
    {"print", no_argument, NULL, OPT_PRINT},
    {"json", no_argument, NULL, OPT_JSON},
    {"utc", no_argument, NULL, OPT_UTC},
    {"timeout", required_argument, NULL, OPT_TIMEOUT},
    {"immediate", no_argument, NULL, OPT_IMMEDIATE},
    {"ring-size", required_argument, NULL, OPT_RING},
    {"theme", required_argument, NULL, OPT_THEME},
    {"replay", required_argument, NULL, OPT_REPLAY},
    {"send", required_argument, NULL, OPT_SEND},
    {"multiplier", required_argument, NULL, OPT_MULTIPLIER},
    {"pps", required_argument, NULL, OPT_PPS},
    {"mbps", required_argument, NULL, OPT_MBPS},
    {"topspeed", no_argument, NULL, OPT_TOPSPEED},
    {"loop", required_argument, NULL, OPT_LOOP},
    {"count-each", required_argument, NULL, OPT_COUNT_EACH},
    {"force", no_argument, NULL, OPT_FORCE},
    {"stats", no_argument, NULL, OPT_STATS},
    {"interval", required_argument, NULL, OPT_INTERVAL},
    {"display-filter", required_argument, NULL, 'Y'},
    {"list-fields", no_argument, NULL, OPT_LIST_FIELDS},
    {"no-analysis", no_argument, NULL, OPT_NO_ANALYSIS},
    {"no-reassembly", no_argument, NULL, OPT_NO_REASSEMBLY},
    {"filter-table", required_argument, NULL, OPT_FILTER_TABLE},
    {"max-streams", required_argument, NULL, OPT_MAX_STREAMS},
    {"names", no_argument, NULL, OPT_NAMES},
    {"resolve", no_argument, NULL, OPT_RESOLVE},
    {"resolve-server", required_argument, NULL, OPT_RESOLVE_SERVER},
    {"pcapng", no_argument, NULL, OPT_PCAPNG},
    {"processes", no_argument, NULL, OPT_PROCESSES},
    {"no-processes", no_argument, NULL, OPT_NO_PROCESSES},
    {"no-ebpf", no_argument, NULL, OPT_NO_EBPF},
    {"spill-max", required_argument, NULL, OPT_SPILL_MAX},
    {"spill-full", required_argument, NULL, OPT_SPILL_FULL},
    {"remote-sudo", no_argument, NULL, OPT_REMOTE_SUDO},
    {NULL, 0, NULL, 0},
};

static int fail(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, errlen, fmt, ap);
	va_end(ap);
	return 2;
}

/* A whole decimal number in [min, max]. */
static bool parse_num(const char *s, long long min, long long max, long long *out)
{
	char *end;

	errno = 0;
	long long v = strtoll(s, &end, 10);
	if (errno || end == s || *end || v < min || v > max)
		return false;
	*out = v;
	return true;
}

/* A size in MiB, or with a K/M/G suffix ("64M", "1G", "512K"). */
static bool parse_size(const char *s, size_t *out)
{
	char *end;

	errno = 0;
	unsigned long long v = strtoull(s, &end, 10);
	unsigned long long mul = 1ull << 20;
	if (errno || end == s || s[0] == '-')
		return false;
	if (*end == 'K' || *end == 'k')
		mul = 1ull << 10, end++;
	else if (*end == 'M' || *end == 'm')
		mul = 1ull << 20, end++;
	else if (*end == 'G' || *end == 'g')
		mul = 1ull << 30, end++;
	if (*end == 'i' && end[1] == 'B')
		end += 2;
	if (*end || v > (1ull << 44) / mul)
		return false;
	*out = (size_t)(v * mul);
	return true;
}

static void defaults(struct cli_opts *o)
{
	memset(o, 0, sizeof *o);
	o->output = OUT_DEFAULT;
	o->time_mode = TM_LOCAL;
	o->snaplen = SOURCE_DEFAULT_SNAPLEN;
	o->promisc = true;
	o->timeout_ms = SOURCE_DEFAULT_TIMEOUT_MS;
	o->ring_bytes = RING_DEFAULT_BYTES;
}

/* The words after the options form one BPF expression, as with tcpdump. */
static int join_filter(int argc, char **argv, struct cli_opts *o)
{
	size_t len = 0;

	if (optind >= argc)
		return 0;
	for (int i = optind; i < argc; i++)
		len += strlen(argv[i]) + 1;
	o->filter = malloc(len);
	if (!o->filter)
		return -1;
	o->filter[0] = '\0';
	for (int i = optind; i < argc; i++) {
		if (i > optind)
			strcat(o->filter, " ");
		strcat(o->filter, argv[i]);
	}
	return 0;
}

static int set_number(const char *arg, long long min, long long max, long long *out,
                      const char *what, char *err, size_t errlen)
{
	char esc[64];

	if (parse_num(arg, min, max, out))
		return 0;
	return fail(err, errlen, "invalid %s '%s' (expected %lld to %lld)", what,
	            esc_cstr(esc, sizeof esc, arg), min, max);
}

/* A positive decimal number (rates and factors), at most max. */
static int set_rate(const char *arg, double max, double *out, const char *what, char *err,
                    size_t errlen)
{
	char esc[64], *end;

	errno = 0;
	*out = strtod(arg, &end);
	if (!errno && end != arg && !*end && *out > 0 && *out <= max)
		return 0;
	return fail(err, errlen, "invalid %s '%s' (expected a number above 0, at most %g)", what,
	            esc_cstr(esc, sizeof esc, arg), max);
}

/* -C -G -W --replay --send and the replay timing options. */
static int rotate_replay_option(int c, struct cli_opts *o, char *err, size_t errlen)
{
	long long v = 0;
	int rc = 0;

	switch (c) {
	case 'C': /* tcpdump's unit: millions of bytes */
		rc = set_number(optarg, 1, 1000000000, &v, "file size in MB", err, errlen);
		o->rotate_bytes = (uint64_t)v * 1000000u;
		break;
	case 'G':
		rc = set_number(optarg, 1, INT_MAX, &v, "interval in seconds", err, errlen);
		o->rotate_seconds = (unsigned)v;
		break;
	case 'W':
		rc = set_number(optarg, 1, 1000000, &v, "file count", err, errlen);
		o->rotate_files = (unsigned)v;
		break;
	case OPT_REPLAY:
		o->replay_path = optarg;
		break;
	case OPT_SEND:
		o->send_path = optarg;
		break;
	case OPT_MULTIPLIER:
		return set_rate(optarg, 1e6, &o->multiplier, "multiplier", err, errlen);
	case OPT_PPS:
		return set_rate(optarg, 1e9, &o->pps, "packet rate", err, errlen);
	case OPT_MBPS:
		return set_rate(optarg, 1e6, &o->mbps, "rate in Mbit/s", err, errlen);
	case OPT_TOPSPEED:
		o->topspeed = true;
		break;
	case OPT_LOOP:
		rc = set_number(optarg, 1, LLONG_MAX, &v, "loop count", err, errlen);
		o->loops = (uint64_t)v;
		break;
	case OPT_COUNT_EACH:
		rc = set_number(optarg, 1, LLONG_MAX, &v, "count", err, errlen);
		o->count_each = (uint64_t)v;
		break;
	case OPT_FORCE:
		o->force = true;
		break;
	default:
		rc = fail(err, errlen, "unknown option (see capscope --help)");
	}
	return rc;
}

static int one_option(int c, struct cli_opts *o, int *tcount, char *err, size_t errlen)
{
	char esc[64];
	long long v;
	int rc = 0;

	switch (c) {
	case 'h':
		o->cmd = CMD_HELP;
		break;
	case 'V':
		o->cmd = CMD_VERSION;
		break;
	case 'D':
		o->cmd = CMD_LIST;
		break;
	case 'i':
		if (o->nifaces == CLI_MAX_IFACES)
			return fail(err, errlen, "at most %d -i at once", CLI_MAX_IFACES);
		o->ifaces[o->nifaces++] = optarg;
		if (!o->iface)
			o->iface = optarg;
		break;
	case 'r':
		o->read_path = optarg;
		break;
	case 'w':
		o->write_path = optarg;
		break;
	case 'Z':
		o->run_as = optarg;
		break;
	case 'x':
		o->hex = true;
		break;
	case 'Y':
		o->display_filter = optarg;
		break;
	case 't':
		(*tcount)++;
		break;
	case 'p':
		o->promisc = false;
		break;
	case 'c':
		rc = set_number(optarg, 1, LLONG_MAX, &v, "packet count", err, errlen);
		o->count = (uint64_t)v;
		break;
	case 's':
		rc = set_number(optarg, 0, 262144, &v, "snapshot length", err, errlen);
		o->snaplen = v == 0 ? SOURCE_DEFAULT_SNAPLEN : (int)v; /* tcpdump: 0 = default */
		break;
	case 'B':
		rc = set_number(optarg, 1, 4 << 20, &v, "buffer size in KiB", err, errlen);
		o->buffer_kib = (int)v;
		break;
	case OPT_TIMEOUT:
		rc = set_number(optarg, 1, 60000, &v, "timeout in ms", err, errlen);
		o->timeout_ms = (int)v;
		break;
	case OPT_PRINT:
		o->output = OUT_PRINT;
		break;
	case OPT_JSON:
		o->json = true;
		o->output = OUT_JSON;
		break;
	case OPT_UTC:
		o->time_mode = TM_UTC;
		break;
	case OPT_IMMEDIATE:
		o->immediate = true;
		break;
	case OPT_THEME:
		if (strcmp(optarg, "default") != 0 && strcmp(optarg, "mono") != 0)
			rc = fail(err, errlen, "unknown theme '%s' (use default or mono)",
			          esc_cstr(esc, sizeof esc, optarg));
		o->theme = optarg;
		break;
	case OPT_RING:
		if (!parse_size(optarg, &o->ring_bytes) || o->ring_bytes < RING_MIN_BYTES)
			rc = fail(err, errlen, "invalid ring size '%s' (e.g. 64M, at least 1M)",
			          esc_cstr(esc, sizeof esc, optarg));
		break;
	case OPT_SPILL_MAX: /* "0": no bound */
		o->spill_max_set = true;
		if (!parse_size(optarg, &o->spill_max) ||
		    (o->spill_max && o->spill_max < (1u << 20)))
			rc = fail(err, errlen,
			          "invalid --spill-max '%s' (e.g. 4G, at least 1M; 0: none)",
			          esc_cstr(esc, sizeof esc, optarg));
		break;
	case OPT_SPILL_FULL:
		if (strcmp(optarg, "ring") != 0 && strcmp(optarg, "stop") != 0)
			rc = fail(err, errlen, "invalid --spill-full '%s' (ring or stop)",
			          esc_cstr(esc, sizeof esc, optarg));
		o->spill_stop = strcmp(optarg, "stop") == 0;
		break;
	case OPT_STATS:
		o->stats = true;
		break;
	case OPT_INTERVAL:
		rc = set_number(optarg, STATS_MIN_INTERVAL_MS, STATS_MAX_INTERVAL_MS, &v,
		                "interval in ms", err, errlen);
		o->interval_ms = (int)v;
		break;
	case OPT_LIST_FIELDS:
		o->cmd = CMD_LIST_FIELDS;
		break;
	case OPT_NO_ANALYSIS:
		o->no_analysis = true;
		break;
	case OPT_NO_REASSEMBLY:
		o->no_reassembly = true;
		break;
	case OPT_FILTER_TABLE:
		o->filter_table = optarg;
		break;
	case OPT_NAMES:
		o->names = true;
		break;
	case OPT_RESOLVE:
		o->names = o->resolve = true;
		break;
	case OPT_RESOLVE_SERVER: /* for --resolve, or key N in the monitor */
		o->resolve_servers = optarg;
		break;
	case OPT_PCAPNG:
		o->pcapng = true;
		break;
	case OPT_PROCESSES:
		o->processes = true;
		break;
	case OPT_NO_PROCESSES:
		o->no_processes = true;
		break;
	case OPT_NO_EBPF:
		o->no_ebpf = true;
		break;
	case OPT_REMOTE_SUDO:
		o->remote_sudo = true;
		break;
	case OPT_MAX_STREAMS:
		rc = set_number(optarg, STREAM_MIN_MAX, STREAM_MAX_MAX, &v,
		                "number of streams tracked at once", err, errlen);
		o->max_streams = (size_t)v;
		break;
	case 'q':
		o->quiet = true;
		break;
	case 'z':
		rc = cli_follow_option(optarg, o, err, errlen);
		break;
	case 'T':
	case 'e':
	case 'E':
		rc = cli_fields_option(c, optarg, o, err, errlen);
		break;
	default:
		rc = rotate_replay_option(c, o, err, errlen);
	}
	return rc;
}

/* --replay and --send: one file out on -i; nothing read, written or filtered. */
static int check_sending(struct cli_opts *o, char *err, size_t errlen)
{
	int timings = (o->multiplier > 0) + (o->pps > 0) + (o->mbps > 0) + o->topspeed;

	if (o->replay_path && o->send_path)
		return fail(err, errlen, "--replay and --send cannot be used together");
	if (!o->replay_path && !o->send_path) {
		if (timings || o->loops || o->force || o->count_each)
			return fail(err, errlen,
			            "--multiplier, --pps, --mbps, --topspeed, --loop, "
			            "--force and --count-each go with --replay or --send");
		return 0;
	}
	if (!o->iface)
		return fail(err, errlen, "say where to send: -i ADAPTER");
	if (remote_url_is(o->iface))
		return fail(err, errlen, "--replay and --send take a local adapter, not ssh://");
	if (o->read_path || o->write_path || o->filter || o->display_filter)
		return fail(err, errlen, "--replay and --send take no -r, -w or filter expression");
	if (timings > 1)
		return fail(err, errlen,
		            "choose one of --multiplier, --pps, --mbps and --topspeed");
	if (o->send_path && (timings || o->loops))
		return fail(err, errlen, "--send takes --count-each, not replay timing options");
	if (o->replay_path && o->count_each)
		return fail(err, errlen, "--count-each goes with --send (--replay has --loop)");
	o->cmd = o->replay_path ? CMD_REPLAY : CMD_SEND;
	return 0;
}

static int check_rotation(const struct cli_opts *o, char *err, size_t errlen)
{
	if (o->pcapng && !o->write_path)
		return fail(err, errlen, "--pcapng goes with -w FILE");
	if (!o->rotate_bytes && !o->rotate_seconds && !o->rotate_files)
		return 0;
	if (!o->write_path || strcmp(o->write_path, "-") == 0)
		return fail(err, errlen, "-C, -G and -W need -w FILE");
	if (o->rotate_files && !o->rotate_bytes && !o->rotate_seconds)
		return fail(err, errlen, "-W needs -C or -G");
	return 0;
}

/* --stats: counting on -i, printed per --interval; nothing read back, written or kept. */
static int check_stats(struct cli_opts *o, char *err, size_t errlen)
{
	if (!o->stats)
		return o->interval_ms ? fail(err, errlen, "--interval goes with --stats") : 0;
	if (!o->iface || o->read_path)
		return fail(err, errlen, "--stats counts on an adapter: use -i ADAPTER, not -r");
	if (remote_url_is(o->iface))
		return fail(err, errlen, "--stats counts on a local adapter, not ssh://");
	if (o->write_path || o->count || o->hex || o->display_filter)
		return fail(err, errlen, "--stats takes no -w, -c, -x or -Y");
	if (!o->interval_ms)
		o->interval_ms = STATS_DEFAULT_INTERVAL_MS;
	o->cmd = CMD_STATS;
	return 0;
}

/* --filter-table: reads a file and prints only which filter keeps which frame. */
static int check_filter_table(const struct cli_opts *o, char *err, size_t errlen)
{
	if (!o->filter_table)
		return 0;
	if (!o->read_path)
		return fail(err, errlen, "--filter-table reads a file: use -r FILE");
	if (o->display_filter || o->write_path || o->output != OUT_DEFAULT || o->hex ||
	    o->nfollows || o->count || o->quiet)
		return fail(err, errlen,
		            "--filter-table prints its own lines: no -Y, -w, -T, --print, --json, "
		            "-x, -z, -c or -q with it");
	return 0;
}

/* Several -i: a capture of them all (headless); each adapter once. */
static int check_ifaces(const struct cli_opts *o, char *err, size_t errlen)
{
	char esc[64];

	for (unsigned i = 1; i < o->nifaces; i++)
		for (unsigned k = 0; k < i; k++)
			if (strcmp(o->ifaces[i], o->ifaces[k]) == 0)
				return fail(err, errlen, "-i %s is given twice",
				            esc_cstr(esc, sizeof esc, o->ifaces[i]));
	return 0;
}

static int check_combination(struct cli_opts *o, int tcount, char *err, size_t errlen)
{
	int rc;

	if (tcount == 2)
		o->time_mode = TM_EPOCH;
	else if (tcount)
		return fail(err, errlen, "only -tt (epoch seconds) is supported");
	if (o->cmd == CMD_LIST && remote_url_is(o->filter)) { /* -D ssh://HOST */
		if (strchr(o->filter, ' '))
			return fail(err, errlen,
			            "-D takes one remote host: -D ssh://[user@]host[:port]");
		o->remote_list = o->filter;
		return 0;
	}
	if (o->cmd == CMD_HELP || o->cmd == CMD_VERSION || o->cmd == CMD_LIST ||
	    o->cmd == CMD_LIST_FIELDS)
		return 0;
	if ((rc = cli_fields_check(o, err, errlen)) != 0)
		return rc;
	if (o->nifaces > 1 && (o->replay_path || o->send_path || o->stats))
		return fail(err, errlen,
		            "several -i go with a capture, not --replay, --send or --stats");
	if ((o->nfollows || o->quiet) && (o->replay_path || o->send_path || o->stats))
		return fail(err, errlen, "-z and -q go with -r FILE or -i ADAPTER");
	if ((rc = check_sending(o, err, errlen)) != 0 || o->cmd == CMD_REPLAY ||
	    o->cmd == CMD_SEND || (rc = check_rotation(o, err, errlen)) != 0)
		return rc;
	if ((rc = check_stats(o, err, errlen)) != 0 || o->cmd == CMD_STATS)
		return rc;
	if (o->iface && o->read_path)
		return fail(err, errlen, "-i and -r cannot be used together");
	if ((rc = check_filter_table(o, err, errlen)) != 0)
		return rc;
	if ((rc = check_ifaces(o, err, errlen)) != 0)
		return rc;
	if (o->read_path)
		o->cmd = CMD_READ;
	else if (o->iface)
		o->cmd = CMD_LIVE;
	else if (o->filter || o->write_path || o->display_filter || o->nfollows || o->quiet)
		return fail(err, errlen, "say where to read: -i ADAPTER or -r FILE");
	return 0;
}

int cli_parse(int argc, char **argv, struct cli_opts *o, char *err, size_t errlen)
{
	int c, tcount = 0, rc;

	defaults(o);
	opterr = 0;
	optind = 1;
	/* Options may follow filter words, as with tcpdump on glibc (getopt permutes). */
	/* The leading ':' makes a missing value ':' rather than '?' (an unknown option). */
	while ((c = getopt_long(argc, argv, ":hVDi:r:w:c:s:pB:xtC:G:W:Y:T:e:E:qz:Z:", long_opts,
	                        NULL)) != -1) {
		if (c == '?' || c == ':') {
			char esc[64];
			const char *bad = argv[optind - 1] ? argv[optind - 1] : "";
			return fail(err, errlen, "%s option '%s' (see capscope --help)",
			            c == ':' ? "missing value for" : "unknown",
			            esc_cstr(esc, sizeof esc, bad));
		}
		if ((rc = one_option(c, o, &tcount, err, errlen)) != 0)
			return rc;
	}
	if (join_filter(argc, argv, o) < 0)
		return fail(err, errlen, "out of memory");
	return check_combination(o, tcount, err, errlen);
}

void cli_free(struct cli_opts *o)
{
	free(o->filter);
	o->filter = NULL;
	free(o->fields);
	o->fields = NULL;
	free(o->follows);
	o->follows = NULL;
	o->nfollows = 0;
}

bool cli_remote(const struct cli_opts *o)
{
	if (o->remote_list)
		return true;
	/* any -i: one remote source among local ones makes the whole run one that runs ssh */
	for (unsigned i = 0; o->cmd == CMD_LIVE && i < o->nifaces; i++)
		if (remote_url_is(o->ifaces[i]))
			return true;
	return o->cmd == CMD_LIVE && remote_url_is(o->iface);
}

unsigned cli_sources(const struct cli_opts *o)
{
	return o->cmd == CMD_LIVE && o->nifaces > 1 ? o->nifaces : 1;
}

struct source_opts cli_source_opts(const struct cli_opts *o, unsigned i)
{
	return (struct source_opts){
	    .name = o->cmd != CMD_LIVE ? o->read_path
	            : o->nifaces       ? o->ifaces[i]
	                               : o->iface,
	    .kind = cli_source_kind(o),
	    .snaplen = o->snaplen,
	    .promisc = o->promisc,
	    .immediate = o->immediate,
	    .timeout_ms = o->timeout_ms,
	    .buffer_kib = o->buffer_kib,
	    .remote_sudo = o->remote_sudo,
	};
}

enum source_kind cli_source_kind(const struct cli_opts *o)
{
	if (o->cmd == CMD_LIVE)
		return SOURCE_LIVE;
	return o->read_path && strcmp(o->read_path, "-") == 0 ? SOURCE_STREAM : SOURCE_FILE;
}
