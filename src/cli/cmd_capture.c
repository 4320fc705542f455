/*
 * cmd_capture.c - the headless pipeline: source -> capture thread -> ring -> this thread,
 * which decodes and prints and/or writes a pcap file. The same thread and ring serve the
 * TUI; here the consumer is a plain loop that also watches for a stop signal. Reading a file
 * with --print, the lines are formatted and written by a third thread (print_pipe.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/capture_thread.h"
#include "capture/dump_rotate.h"
#include "capture/filter.h"
#include "capture/privsep.h"
#include "cli/capture_comments.h"
#include "base/name_escape.h"
#include "base/pathname.h"
#include "cli/capture_multi.h"
#include "cli/capture_procs.h"
#include "cli/filter_table.h"
#include "cli/commands.h"
#include "cli/follow_run.h"
#include "cli/print_pipe.h"
#include "platform/signals.h"
#include "decode/dfilter.h"
#include "decode/fields_out.h"
#include "decode/reasm.h"
#include "decode/frame_meta.h"
#include "decode/names.h"
#include "decode/resolve.h"
#include "decode/print.h"
#include "decode/stream.h"
#include "platform/os.h"
#include "procs/proc_comment.h"

#define WAIT_MS 100
/* With process attribution the consumer also looks at the ring every ATTRIB_WAIT_MS, not
 * only when the capture thread wakes it (every 64 packets or read timeout): a socket of a
 * few ms is then still there when its first packet is attributed. The capture thread is
 * unchanged; the cost is a wake-up every few ms while idle. */
#define ATTRIB_WAIT_MS 5
#define STOP_GRACE_NS  (2000ull * 1000 * 1000) /* a stream blocked in read() is left behind */

struct pipeline {
	const struct cli_opts *o;
	struct source *src;                  /* the first source (all are of its kind) */
	struct source *srcs[CLI_MAX_IFACES]; /* -i A -i B: every source, by pkt_hdr.ifidx */
	unsigned nsrc;
	struct multi_names names; /* escaped names: Interface column, frame.interface_name */
	/* -r FILE.pcapng of several interfaces: each packet's interface id read back by its
	 * position (pktfile_interface); NULL otherwise */
	struct pktfile *ifile;
	int tsprec; /* the finest of the sources' precisions */
	struct ring *ring;
	struct capture *cap;
	/* -w, rotating with -C/-G/-W; with several sources writing pcap, one per source (by
	 * pkt_hdr.ifidx), else dump alone */
	struct dump_rotate *dump;
	struct dump_rotate *dumps[CLI_MAX_IFACES];
	unsigned ndumps;
	struct dump_iface more[CLI_MAX_IFACES];          /* pcapng's interfaces after the first */
	char dump_paths[CLI_MAX_IFACES][MULTI_PATH_MAX]; /* pcap per source: their names */
	bool fail_told[CLI_MAX_IFACES]; /* a source's failure was reported while the rest ran */
	enum cli_output out;
	struct print_ctx pc;
	struct resolver *resolver; /* --resolve */
	uint64_t own_hidden;       /* --resolve's own lookup packets, not shown */
	struct outbuf ob;
	/* --print reading a file: the lines are written by print_pipe's thread, which owns pc
	 * and ob until print_pipe_finish(); NULL: this thread prints */
	struct print_pipe *pipe;
	struct dissection d;
	struct dfilter *dfilter;    /* -Y, NULL if none */
	struct filter_table *table; /* --filter-table: many filters, each packet asked of all */
	struct frame_clock clock;   /* frame.number and times of every packet read (-Y, -T) */
	struct frame_meta meta;
	/* tcp.stream, tcp.analysis.* ...: fed every packet in capture order when an output or -Y
	 * may show them; NULL for -w alone */
	struct stream_table *streams;
	/* TCP PDU reassembly and per-stream protocol state (decode/reasm.h), beside streams */
	struct reasm *reasm;
	struct follow_run *follow; /* -z follow: fed every packet read; NULL if none */
	struct attrib *attrib;     /* live process attribution (capture_procs.h); NULL if off */
	char proc_tag[4 * PROC_NAME_MAX + 16]; /* --processes: the line's " [name pid]" */
	/* -r FILE.pcapng: processes read back from the packets' comments; NULL if none */
	struct capture_comments *comments;
	bool ng_out;        /* -w writes pcapng: each packet's process becomes its comment */
	char comment[8192]; /* the packet's comment (proc_comment.h), clen bytes; 0: none */
	size_t clen;
	struct proc_info last_proc; /* whose comment p->comment holds (last_clen bytes) */
	bool last_out;
	size_t last_clen;
	uint64_t shown; /* packets that passed -Y (shown and/or written) */
	bool write_failed;
	bool stopping;
	uint64_t stop_at_ns;
	char err[SOURCE_ERRLEN];
};

void cli_error(const char *msg)
{
	if (strncmp(msg, "capscope:", 9) == 0)
		fprintf(stderr, "%s\n", msg);
	else
		fprintf(stderr, "capscope: %s\n", msg);
}

/* libpcap's message, plus the column where the expression stops making sense. */
static void report_filter_error(struct pipeline *p, struct source *src)
{
	struct filter_check chk;

	filter_check(p->o->filter, source_linktype(src), source_snaplen(src), &chk);
	if (chk.ok || chk.column < 0) {
		cli_error(p->err);
		return;
	}
	fprintf(stderr, "%s%s (at column %d)\n",
	        strncmp(p->err, "capscope:", 9) == 0 ? "" : "capscope: ", p->err, chk.column + 1);
}

/* -Y or --filter-table: every packet is numbered, dissected with its tree and filtered. */
static bool filtering(const struct pipeline *p)
{
	return p->dfilter || p->table;
}

static int compile_display_filter(struct pipeline *p)
{
	char err[DFILTER_ERRLEN];

	if (!p->o->display_filter)
		return 0;
	p->dfilter = dfilter_compile(p->o->display_filter, err, sizeof err, NULL);
	if (!p->dfilter) {
		cli_error(err);
		return 2;
	}
	return 0;
}

/* Live: the display filter's BPF prefilter (dfilter.h: it keeps at least every packet the
 * display filter keeps) also runs in the kernel, ANDed with the BPF filter given; capscope
 * still applies the display filter to what passes, so the packets kept are the same either
 * way and the kernel only spares the copies. CAPSCOPE_NO_PREFILTER=1 leaves the kernel out
 * (for benchmarks). One line on stderr says which (when `say`). */
static void kernel_display_filter(struct pipeline *p, struct source *src, bool say)
{
	static char bpf[8192], both[sizeof bpf + 1024];
	const char *off = getenv("CAPSCOPE_NO_PREFILTER");

	if (off && strcmp(off, "1") == 0) {
		if (say)
			fprintf(stderr, "capscope: display filter runs in capscope only: "
			                "CAPSCOPE_NO_PREFILTER=1\n");
		return;
	}
	if (!dfilter_to_bpf(p->dfilter, source_linktype(src), bpf, sizeof bpf)) {
		if (say)
			fprintf(stderr, "capscope: display filter runs in capscope only: %s\n",
			        bpf);
		return;
	}
	if (p->o->filter)
		snprintf(both, sizeof both, "(%s) and (%s)", p->o->filter, bpf);
	else
		snprintf(both, sizeof both, "%s", bpf);
	if (source_set_filter(src, both, p->err) != SRC_OK) {
		if (say)
			fprintf(stderr,
			        "capscope: display filter runs in capscope only: libpcap refused "
			        "%s: %s\n",
			        both, p->err);
		if (p->o->filter)
			source_set_filter(src, p->o->filter, p->err);
		return;
	}
	if (say)
		fprintf(stderr,
		        "capscope: display filter also runs in the kernel as BPF (a prefilter; "
		        "capscope applies the display filter): %s\n",
		        bpf);
}

static enum cli_output choose_output(const struct cli_opts *o);

/* -w in pcapng: the format chosen by --pcapng or the file's suffix. */
static bool pcapng_out(const struct cli_opts *o)
{
	return o->write_path && dump_format_for(o->write_path, o->pcapng) == DUMP_PCAPNG;
}

/* -r FILE.pcapng when the output can show processes (as a live capture would attribute
 * them) or pcapng is written (the comments are carried over): the comments' reader. */
static struct capture_comments *open_comments(const struct cli_opts *o)
{
	if (o->cmd != CMD_READ || strcmp(o->read_path, "-") == 0 || o->no_processes ||
	    !(capture_procs_wanted(o, choose_output(o), true) || pcapng_out(o)))
		return NULL;
	return capture_comments_open(o->read_path);
}

bool cmd_capture_attributes(const struct cli_opts *o)
{
	return !o->no_processes &&
	       (capture_procs_wanted(o, choose_output(o), true) || pcapng_out(o));
}

/* Opens source i (-i's i-th, or -r's file) with the filters; 0 or the exit code. */
static int open_one(struct pipeline *p, unsigned i, bool no_pos)
{
	const struct cli_opts *o = p->o;
	struct source_opts so = cli_source_opts(o, i);
	enum source_err why;
	struct source *s;

	so.no_pos = no_pos;
	/* remote: the far side filters too, so the link carries only what is kept */
	so.remote_filter = o->filter;
	if (!(s = source_open(&so, &why, p->err))) {
		cli_error(p->err);
		return 2;
	}
	p->srcs[p->nsrc++] = s;
	if (o->filter && source_set_filter(s, o->filter, p->err) != SRC_OK) {
		report_filter_error(p, s);
		return 2;
	}
	if (p->dfilter && source_kind(s) == SOURCE_LIVE)
		/* said once, unless this source's link type makes another program */
		kernel_display_filter(p, s,
		                      i == 0 || source_linktype(s) != source_linktype(p->srcs[0]));
	return 0;
}

static bool open_file_interfaces(struct pipeline *p);

/* Every source (-i A -i B: each with the BPF filter and display filter's prefilter), then
 * their names for the Interface column (several sources) and frame.interface_name. */
static int open_source(struct pipeline *p)
{
	const struct cli_opts *o = p->o;
	/* nothing here reads a packet back, but the comments of a pcapng file and, of one with
	 * several interfaces, each packet's interface */
	bool ifaces = open_file_interfaces(p);
	bool no_pos = !(p->comments = open_comments(o)) && !ifaces;
	unsigned n = cli_sources(o);
	int rc;

	for (unsigned i = 0; i < n; i++)
		if ((rc = open_one(p, i, no_pos)) != 0)
			return rc;
	p->src = p->srcs[0];
	p->tsprec = 6;
	for (unsigned i = 0; i < p->nsrc; i++)
		if (source_tsprec(p->srcs[i]) == 9)
			p->tsprec = 9;
	if (!p->names.n) /* not named by the file's interfaces */
		multi_names_init(&p->names, p->srcs, p->nsrc);
	return 0;
}

/* -r FILE.pcapng: its interfaces' names (frame.interface_name); with several, p->ifile
 * reads each packet's interface back. True when packets need their positions for it. */
static bool open_file_interfaces(struct pipeline *p)
{
	static char raw[CLI_MAX_IFACES][PKTFILE_IFNAME_MAX];
	char err[PKTFILE_ERRLEN];
	unsigned n;

	if (p->o->cmd != CMD_READ || strcmp(p->o->read_path, "-") == 0 ||
	    !(p->ifile = pktfile_open(p->o->read_path, err)))
		return false; /* a stream, or the source says what is wrong with the file */
	n = pktfile_interfaces(p->ifile, raw, CLI_MAX_IFACES);
	if (n)
		multi_names_from_file(&p->names, raw, n);
	if (n > 1)
		return true;
	pktfile_close(p->ifile);
	p->ifile = NULL;
	return false;
}

/* The packet's interface in a file of several (its EPB's id). */
static void file_interface(struct pipeline *p, struct ring_rec *r)
{
	char err[PKTFILE_ERRLEN];

	if (r->hdr.pos == PKT_POS_NONE ||
	    pktfile_interface(p->ifile, r->hdr.pos, &r->hdr.ifidx, err) < 0)
		r->hdr.ifidx = 0;
}

/* The source a packet came from (pkt_hdr.ifidx). */
static struct source *source_of(const struct pipeline *p, const struct pkt_hdr *h)
{
	return h->ifidx < p->nsrc ? p->srcs[h->ifidx] : p->src;
}

/* A live capture: one local adapter, or several sources (-i A -i B, local or remote; p->src
 * may be any of them, so its kind alone does not say). */
static bool live_capture(const struct pipeline *p)
{
	return source_kind(p->src) == SOURCE_LIVE || p->nsrc > 1;
}

/* Some source is ssh://: its packets are another machine's, whose sockets this one cannot
 * attribute. */
static bool any_remote(const struct pipeline *p)
{
	for (unsigned i = 0; i < p->nsrc; i++)
		if (source_kind(p->srcs[i]) == SOURCE_REMOTE)
			return true;
	return false;
}

/* A file or stream producer waits for room instead of dropping, so a ring beyond
 * RING_FILE_BYTES buys nothing: it only costs page faults and cache misses. */
static size_t ring_bytes_for(const struct pipeline *p)
{
	if (live_capture(p) || p->o->ring_bytes < RING_FILE_BYTES)
		return p->o->ring_bytes;
	return RING_FILE_BYTES;
}

static enum cli_output choose_output(const struct cli_opts *o)
{
	if (o->quiet) /* tshark's -q: only the -z output */
		return OUT_NONE;
	if (o->output != OUT_DEFAULT)
		return o->output;
	/* As tcpdump: writing a file is silent unless asked to print too. */
	return o->write_path ? OUT_NONE : OUT_PRINT;
}

/* Whether the output or -Y may name a TLS fingerprint (tls.handshake.ja3, ja3s, ja4): only
 * -T fields says which fields it prints; a filter is taken by its text ("ja" anywhere). */
static bool wants_fingerprints(const struct cli_opts *o, enum cli_output out)
{
	if (o->display_filter && strstr(o->display_filter, "ja"))
		return true;
	if (out != OUT_FIELDS)
		return out != OUT_PRINT && out != OUT_NONE;
	for (size_t i = 0; i < o->fields->n; i++) {
		const struct field_info *fi = field_key_info(o->fields->keys[i]);
		if (fi && strncmp(fi->name, "tls.handshake.ja", 16) == 0)
			return true;
	}
	return false;
}

/* Live attribution when the output can show it, or for a pcapng file's comments. */
static int open_attribution(struct pipeline *p)
{
	const struct cli_opts *o = p->o;
	bool live = source_kind(p->src) == SOURCE_LIVE && !any_remote(p);

	p->ng_out = pcapng_out(o);
	if ((capture_procs_wanted(o, p->out, live) || (live && p->ng_out && !o->no_processes)) &&
	    !(p->attrib = capture_procs_open(o)))
		return 2;
	return 0;
}

/* Whether the pcapng written says its packets were attributed: a live capture that
 * attributes, or a file that said so whose comments are carried over. */
static bool attributed_out(const struct pipeline *p)
{
	return p->attrib || (p->comments && capture_comments_attributed(p->comments));
}

/* --resolve: names are shown by --print alone (JSON and -T fields keep addresses). */
static int start_resolver(struct pipeline *p)
{
	if (p->out != OUT_PRINT) {
		cli_error("--resolve shows names with --print (JSON and -T fields keep addresses)");
		return 2;
	}
	p->resolver = resolver_new(p->o->resolve_servers, p->err, sizeof p->err);
	if (!p->resolver) {
		cli_error(p->err);
		return 2;
	}
	return 0;
}

/* At exit, on standard error: what --resolve did. */
static void resolver_summary(struct pipeline *p)
{
	struct resolver_stats st;

	if (!p->resolver)
		return;
	resolver_get_stats(p->resolver, &st);
	fprintf(stderr,
	        "--resolve: %llu lookups sent, %llu named, %llu failed, %llu dropped (queue "
	        "full); %llu own lookup packets hidden\n",
	        (unsigned long long)st.sent, (unsigned long long)st.names,
	        (unsigned long long)st.failed, (unsigned long long)st.dropped,
	        (unsigned long long)p->own_hidden);
}

/* -w: one file; with several sources, pcapng with an interface per source, or pcap, one
 * file per source (path_per_source() names them). */
static int open_dumps(struct pipeline *p)
{
	const struct cli_opts *o = p->o;
	char derr[DUMP_ERRLEN], ename[MULTI_NAME_MAX];
	struct dump_rotate_opts ro = {
	    .path = o->write_path,
	    .max_bytes = o->rotate_bytes,
	    .seconds = o->rotate_seconds,
	    .files = o->rotate_files,
	    .format = pcapng_out(o) ? DUMP_PCAPNG : DUMP_PCAP,
	    .comment = attributed_out(p) ? PROC_COMMENT_SECTION : NULL,
	    .if_name = live_capture(p) ? source_name(p->src) : NULL,
	};
	unsigned files = p->nsrc > 1 && ro.format == DUMP_PCAP ? p->nsrc : 1;

	if (files > 1 && strcmp(o->write_path, "-") == 0) {
		cli_error("-w - with several -i writes one stream: add --pcapng (an interface per "
		          "source)");
		return 2;
	}
	for (unsigned i = 1; i < p->nsrc && ro.format == DUMP_PCAPNG; i++)
		p->more[ro.n_more++] =
		    (struct dump_iface){source_name(p->srcs[i]), source_linktype(p->srcs[i]),
		                        source_snaplen(p->srcs[i])};
	ro.more = p->more;
	for (unsigned i = 0; i < files; i++, p->ndumps++) {
		struct source *s = p->srcs[i];
		char *path = p->dump_paths[i];
		if (files > 1) { /* the options borrow the path: it lives in the pipeline */
			/* by the -i as given, as the files made before the drop are (main.c) */
			if (path_per_source(o->write_path, o->ifaces[i], path, MULTI_PATH_MAX) !=
			    0) {
				cli_error("-w: the file name is too long for a file per source");
				return 2;
			}
			ro.path = path;
		}
		p->dumps[i] = dump_rotate_open(&ro, source_linktype(s), source_snaplen(s),
		                               files > 1 ? source_tsprec(s) : p->tsprec, derr);
		if (!p->dumps[i]) {
			cli_error(derr);
			return 2;
		}
		if (files > 1)
			fprintf(stderr, "capscope: %s: writing %s\n", p->names.list[i],
			        name_escape(path, ename, sizeof ename));
	}
	p->dump = p->dumps[0];
	/* -w -: the header goes out at once, so a reader (a remote capture's ssh, which waits
	 * for it with a deadline) sees the stream start on an idle link too */
	if (strcmp(o->write_path, "-") == 0 && dump_rotate_flush(p->dump, derr) < 0) {
		cli_error(derr);
		return 2;
	}
	return 0;
}

static int open_outputs(struct pipeline *p)
{
	const struct cli_opts *o = p->o;
	char derr[DUMP_ERRLEN];

	p->out = choose_output(o);
	ob_init(&p->ob, stdout);
	/* a filter that does not compile is a line of the table's output, not an error */
	if (o->filter_table) {
		p->out = OUT_NONE;
		if (!(p->table = filter_table_load(o->filter_table, &p->ob, derr, sizeof derr))) {
			cli_error(derr);
			return 2;
		}
	}
	if (o->write_path && strcmp(o->write_path, "-") == 0 && p->out != OUT_NONE) {
		cli_error("-w - writes the capture to standard output; it cannot also print there");
		return 2;
	}
	if (open_attribution(p) != 0)
		return 2;
	if (o->write_path && open_dumps(p) != 0)
		return 2;
	if (o->nfollows &&
	    !(p->follow = follow_run_create(o->follows, o->nfollows, derr, sizeof derr))) {
		cli_error(derr);
		return 2;
	}
	if (p->out != OUT_NONE || filtering(p) || p->follow) {
		/* -z follow alone needs the stream numbers, not the analysis */
		p->streams =
		    stream_table_create(o->max_streams ? o->max_streams : STREAM_DEFAULT_MAX,
		                        !o->no_analysis && (p->out != OUT_NONE || filtering(p)));
		p->reasm = reasm_create(!o->no_reassembly);
		if (!p->streams || !p->reasm) {
			cli_error("out of memory for the stream table");
			return 2;
		}
	}
	/* packets are dissected once each, in capture order: QUIC connections are followed as
	 * tshark follows them (without the table each datagram is decoded alone) */
	p->d.quic_conns = quic_conns_create();
	p->d.tls_hsr = reasm_tls_hsr(p->reasm); /* NULL without a pass (nothing decoded) */
	p->d.no_fingerprints =
	    !wants_fingerprints(o, p->out) && !filter_table_names(p->table, "ja");
	print_init(&p->pc, o->time_mode, p->tsprec, o->hex);
	if (p->names.column) { /* several sources: the Interface column */
		p->pc.if_names = p->names.list;
		p->pc.n_if = p->names.n;
	}
	if (o->names && p->out == OUT_PRINT) { /* --names: --print only; JSON keeps addresses */
		p->pc.names = names_new(NAMES_MAX_ENTRIES, NAMES_MAX_BYTES);
		p->pc.use_names = true;
		if (!p->pc.names) {
			cli_error("out of memory for the name table");
			return 2;
		}
	}
	if (o->resolve && start_resolver(p) != 0)
		return 2;
	if (p->out == OUT_FIELDS && o->fields->fmt.header)
		fields_header(o->fields, &p->ob);
	return 0;
}

static void request_stop(struct pipeline *p)
{
	if (p->stopping)
		return;
	p->stopping = true;
	p->stop_at_ns = os_monotonic_ns();
	capture_stop(p->cap);
}

static void write_packet(struct pipeline *p, const struct ring_rec *r)
{
	char derr[DUMP_ERRLEN];
	const char *c = p->clen ? p->comment : NULL;
	struct dump_rotate *d =
	    p->ndumps > 1 && r->hdr.ifidx < p->ndumps ? p->dumps[r->hdr.ifidx] : p->dump;
	int wr = d && !p->write_failed
	             ? dump_rotate_write_comment(d, &r->hdr, r->data, c, p->clen, derr)
	             : 0;

	if (wr < 0) {
		cli_error(derr);
		p->write_failed = true;
		request_stop(p);
	} else if (wr == DUMP_ROTATE_DONE) { /* -G with -W: the last file's time is up */
		request_stop(p);
	}
}

/* --processes: the line with the process after it ("... [curl 4242]"), then any hex dump. */
static void print_tagged(struct pipeline *p, const struct ring_rec *r)
{
	bool hex = p->pc.hex;

	p->pc.hex = false;
	print_packet(&p->pc, &p->ob, &r->hdr, &p->d);
	p->pc.hex = hex;
	if (p->ob.len && p->ob.buf[p->ob.len - 1] == '\n')
		p->ob.len--; /* the line just written, still in the buffer */
	ob_str(&p->ob, p->proc_tag);
	ob_str(&p->ob, "\n");
	if (hex)
		print_hex(&p->ob, p->d.data, p->d.caplen);
}

static void print_dissected(struct pipeline *p, const struct ring_rec *r)
{
	if (p->resolver) { /* --resolve: its own lookups are hidden; the line shows what is known */
		if (resolver_own(p->resolver, &p->d.sum)) {
			p->own_hidden++;
			return;
		}
		resolver_collect(p->resolver, p->pc.names);
		resolver_want(p->resolver, p->pc.names, &p->d);
	}
	if (p->dfilter && !p->pipe) /* the printer numbers what it prints (JSON's frame.number);
	                             * -Y keeps the capture's numbers */
		p->pc.number = p->meta.number - 1;
	if (p->out == OUT_FIELDS) /* -T fields: one line of the -e fields */
		fields_line(p->o->fields, &p->ob, &p->meta, &p->d);
	else if (p->out == OUT_JSON)
		print_json(&p->pc, &p->ob, &r->hdr, &p->d);
	else if ((p->attrib || p->comments) && p->o->processes)
		print_tagged(p, r);
	else if (p->pipe)
		print_pipe_packet(p->pipe, &r->hdr, &p->d);
	else
		print_packet(&p->pc, &p->ob, &r->hdr, &p->d);
}

/* The packet's dissection, with its field tree or for the summary line alone; an application
 * PDU past its segment is left to reassembly unless --no-reassembly. */
static void decode(struct pipeline *p, const struct ring_rec *r, bool tree)
{
	int lt = source_linktype(source_of(p, &r->hdr));

	if (!p->o->no_reassembly)
		dissect_pdus(&p->d, tree, lt, r->data, r->hdr.caplen, r->hdr.len);
	else if (tree)
		dissect(&p->d, lt, r->data, r->hdr.caplen, r->hdr.len);
	else
		dissect_summary(&p->d, lt, r->data, r->hdr.caplen, r->hdr.len);
}

/* Stream numbers and analysis; -z follow sees every packet read, whatever -Y keeps (as
 * tshark's follow does). */
static void annotate(struct pipeline *p)
{
	struct stream_mark m;

	stream_annotate_mark(p->streams, &p->d, &p->meta, &m);
	reasm_packet(p->reasm, &p->d, &m, p->meta.number);
	quic_conns_frame(p->d.quic_conns, &p->d, p->meta.number);
	if (p->follow)
		follow_run_packet(p->follow, &p->d, p->meta.number, &m);
}

/* The pcapng comment of process pi (p->comment; its length): the last one is kept, since
 * packets come in runs of one process and formatting costs ~10k instructions (callgrind);
 * the whole struct is compared, so a process whose details were completed since is formatted
 * again. */
static size_t comment_of(struct pipeline *p, const struct proc_info *pi, bool out)
{
	if (p->last_clen && out == p->last_out && memcmp(pi, &p->last_proc, sizeof *pi) == 0)
		return p->last_clen;
	p->last_proc = *pi;
	p->last_out = out;
	p->last_clen = proc_comment_format(pi, out, p->comment, sizeof p->comment);
	return p->last_clen;
}

/* The packet's process, once, after its decode and before the display filter (the Process
 * layer ends the tree, so it goes after the stream annotations): attributed live, or read
 * back from a pcapng file's comment; with pcapng output, the comment to write. */
static void attribute(struct pipeline *p, const struct ring_rec *r, bool show)
{
	const struct proc_info *pi = NULL;
	bool out = false;

	p->clen = 0;
	if (p->attrib) {
		pi = capture_procs_packet(p->attrib, &p->d, p->proc_tag, sizeof p->proc_tag, &out);
	} else if (p->comments) {
		pi = capture_comments_read(p->comments, r->hdr.pos, &out);
		/* no process: "not attributed" where the file says so, else nothing is known */
		if (show && (pi || capture_comments_attributed(p->comments)))
			capture_procs_show(&p->d, pi, out, p->proc_tag, sizeof p->proc_tag);
	}
	if (pi && p->ng_out)
		p->clen = comment_of(p, pi, out);
}

/* -w with nothing shown: no decode but the summary attribution needs (a live capture's
 * pcapng comments); a file's comments are read and written again as they are. */
static void write_only(struct pipeline *p, const struct ring_rec *r)
{
	if (p->attrib)
		dissect_summary(&p->d, source_linktype(source_of(p, &r->hdr)), r->data,
		                r->hdr.caplen, r->hdr.len);
	if (p->attrib || p->comments)
		attribute(p, r, false);
	write_packet(p, r);
}

/* frame.* of the next packet, its interface named where the capture names it. */
static void next_meta(struct pipeline *p, const struct ring_rec *r)
{
	frame_meta_next(&p->clock, &r->hdr, p->tsprec, &p->meta);
	p->meta.if_name = multi_name_of(&p->names, r->hdr.ifidx);
	p->meta.if_known = p->names.ids;
}

/* With -Y every packet is numbered and dissected, and only those that pass are written and
 * shown; -c then counts those (the capture thread's own count is off). Packets the ring
 * still holds after the count was reached are dropped. */
static void handle_filtered(struct pipeline *p, const struct ring_rec *r)
{
	next_meta(p, r);
	if (p->o->count && p->shown >= p->o->count)
		return;
	decode(p, r, true);
	annotate(p);
	attribute(p, r, true);
	if (p->table) {
		filter_table_packet(p->table, &p->d, &p->meta, &p->ob);
	} else if (dfilter_match(p->dfilter, &p->d, &p->meta)) {
		write_packet(p, r);
		if (p->out != OUT_NONE)
			print_dissected(p, r);
		if (p->o->count && ++p->shown >= p->o->count)
			request_stop(p);
	}
	/* --names: from every packet read, shown or not, after it is shown (tshark's one pass
	 * names a packet's addresses from the packets before it) */
	names_learn(p->pc.names, &p->d);
}

static void handle_packet(struct pipeline *p, const struct ring_rec *r)
{
	if (filtering(p)) {
		handle_filtered(p, r);
		return;
	}
	if (p->out == OUT_NONE && !p->follow) {
		write_only(p, r);
		return;
	}
	next_meta(p, r);
	/* no field tree needed for a line (nor the notes) */
	decode(p, r, !(p->out == OUT_PRINT || p->out == OUT_NONE));
	/* --names: the few packets that can carry names are decoded again with their tree */
	if (p->pc.names && !p->d.tree && names_learns_ports(&p->d))
		decode(p, r, true);
	/* the line shows only TCP analysis notes and ICMP echo matches: other streams need not
	 * be tracked for it */
	if (p->follow || p->out != OUT_PRINT || p->d.sum.transport == P_TCP || p->d.sum.echo.proto)
		annotate(p);
	if (p->attrib || p->comments) /* not called to do nothing: ~20 instructions a packet */
		attribute(p, r, true);
	if (p->dump)
		write_packet(p, r); /* after attribute(): with its process as its pcapng comment */
	if (p->out != OUT_NONE)
		print_dissected(p, r);
	names_learn(p->pc.names, &p->d);
}

/* Live and streamed packets are shown as they come; file output is flushed when full. */
static void after_batch(struct pipeline *p)
{
	char derr[DUMP_ERRLEN];

	if (source_kind(p->src) == SOURCE_FILE)
		return;
	if (p->out != OUT_NONE)
		ob_flush(&p->ob);
	for (unsigned i = 0; i < p->ndumps && !p->write_failed; i++) {
		if (dump_rotate_flush(p->dumps[i], derr) < 0) {
			cli_error(derr);
			p->write_failed = true;
			request_stop(p);
		}
	}
}

/* Standard output was closed (| head) or failed: nothing more is read. */
static bool output_failed(const struct pipeline *p)
{
	return p->pipe ? print_pipe_failed(p->pipe) : p->ob.err != 0;
}

static void drain_batch(struct pipeline *p)
{
	struct ring_rec r;

	while (ring_peek(p->ring, &r)) {
		if (p->ifile)
			file_interface(p, &r);
		handle_packet(p, &r);
		ring_pop(p->ring);
		/* Ctrl-C: the reader stops here, not only between batches (reading a file, a
		 * consumer slower than the reader may never see the ring empty); what the ring
		 * holds is still shown */
		if (signals_stop_requested(NULL))
			request_stop(p);
		if (output_failed(p)) { /* stop reading */
			request_stop(p);
			ring_abandon(p->ring);
			return;
		}
	}
	after_batch(p);
}

/* After the output failed nothing more is read; the capture thread is only waited for. */
static bool capture_finished(const struct pipeline *p)
{
	struct capture_counters c;

	capture_counters(p->cap, &c);
	return c.finished;
}

/* Several sources: one that failed is said at once (the others go on), once. */
static void tell_failures(struct pipeline *p)
{
	struct capture_counters c;

	for (unsigned i = 0; i < p->nsrc; i++) {
		if (p->fail_told[i] || capture_source(p->cap, i, &c, p->err) == SRC_OK)
			continue;
		multi_tell_failure(&p->names, i, p->err, c.finished && !p->stopping);
		p->fail_told[i] = true;
	}
}

/* Returns true when the loop should end without joining (a stream stuck in read()). */
static bool consume(struct pipeline *p)
{
	for (;;) {
		if (signals_stop_requested(NULL))
			request_stop(p);
		if (output_failed(p)) {
			if (capture_finished(p))
				return false;
			os_sleep_until_ns(os_monotonic_ns() + 10000000ull);
		} else if (ring_wait(p->ring, p->attrib ? ATTRIB_WAIT_MS : WAIT_MS)) {
			drain_batch(p);
		} else if (ring_drained(p->ring)) {
			return false;
		}
		if (p->nsrc > 1)
			tell_failures(p);
		if (p->stopping && os_monotonic_ns() - p->stop_at_ns > STOP_GRACE_NS)
			return true;
	}
}

static void print_live_stats(const struct capture_counters *c)
{
	/* tcpdump's wording, so scripts (and the benchmark harness) read both alike */
	/* "captured" = handed to the output: what the ring refused never reached the file */
	fprintf(stderr, "%llu packets captured\n",
	        (unsigned long long)(c->received - c->ring_drops));
	fprintf(stderr, "%llu packets received by filter\n",
	        (unsigned long long)c->kernel_received);
	fprintf(stderr, "%llu packets dropped by kernel\n", (unsigned long long)c->kernel_drops);
	if (c->if_drops)
		fprintf(stderr, "%llu packets dropped by interface\n",
		        (unsigned long long)c->if_drops);
	fprintf(stderr, "%llu packets dropped by ring\n", (unsigned long long)c->ring_drops);
}

static int finish_outputs(struct pipeline *p)
{
	char derr[DUMP_ERRLEN];
	int rc = 0;

	for (unsigned i = 0; i < p->ndumps; i++) {
		if (dump_rotate_close(p->dumps[i], derr) < 0 && !p->write_failed) {
			cli_error(derr);
			p->write_failed = true;
		}
	}
	p->dump = NULL;
	p->ndumps = 0;
	if (p->follow && !p->ob.err && follow_run_print(p->follow, &p->ob, derr, sizeof derr) < 0) {
		cli_error(derr);
		rc = 1;
	}
	if ((p->out != OUT_NONE || p->follow || p->table) && ob_flush(&p->ob) < 0 &&
	    p->ob.err != EPIPE) {
		fprintf(stderr, "capscope: writing to standard output failed: %s\n",
		        strerror(p->ob.err));
		rc = 1;
	}
	return p->write_failed ? 1 : rc;
}

/* Whether --print's lines go through print_pipe's thread: reading a file (live and streamed
 * lines are flushed as they come), the plain line alone (no hex dump, names or process tags:
 * they read the packet or tables this thread changes). CAPSCOPE_PRINT_THREAD=0 keeps them
 * on this thread (for comparisons and benchmarks). */
static bool pipe_wanted(const struct pipeline *p)
{
	const char *env = getenv("CAPSCOPE_PRINT_THREAD");

	if (env && strcmp(env, "0") == 0)
		return false;
	return p->out == OUT_PRINT && source_kind(p->src) == SOURCE_FILE && !p->pc.hex &&
	       !p->pc.if_names && !p->pc.names && !p->resolver &&
	       !((p->attrib || p->comments) && p->o->processes);
}

static int run(struct pipeline *p)
{
	struct capture_counters cnt;
	static struct capture_end each[CLI_MAX_IFACES];
	enum source_err st = SRC_OK;
	bool stuck;
	int rc;

	if (p->nsrc > 1)
		p->cap = capture_start_many(
		    p->srcs, p->nsrc, p->ring, capture_ring_share(p->o->ring_bytes),
		    capture_hold_ms(p->o->timeout_ms), p->dfilter ? 0 : p->o->count, p->err);
	else
		p->cap = capture_start(p->src, p->ring, p->dfilter ? 0 : p->o->count, p->err);
	if (!p->cap) {
		cli_error(p->err);
		return 2;
	}
	if (pipe_wanted(p))
		p->pipe = print_pipe_start(&p->pc, &p->ob); /* NULL: printed here */
	/* TCP's Info is formatted by the writer: the decoding thread is the busiest */
	p->d.defer_tcp_info = p->pipe != NULL;
	stuck = consume(p);
	print_pipe_finish(p->pipe); /* every line handed over is in p->ob now */
	p->pipe = NULL;
	p->d.defer_tcp_info = false;
	if (stuck) {
		capture_counters(p->cap, &cnt);
		ring_abandon(p->ring);
	} else {
		st = capture_join_each(p->cap, &cnt, each, p->err);
	}
	/* pcapng's statistics blocks: each source's (a pcap file has none) */
	if (p->dump && source_kind(p->src) == SOURCE_LIVE && p->nsrc == 1)
		dump_rotate_set_stats(p->dump, cnt.kernel_received, cnt.kernel_drops);
	for (unsigned i = 0; p->dump && p->nsrc > 1 && !stuck && i < p->nsrc; i++)
		dump_rotate_set_stats_if(p->ndumps > 1 ? p->dumps[i] : p->dump,
		                         p->ndumps > 1 ? 0 : i, each[i].cnt.kernel_received,
		                         each[i].cnt.kernel_drops);
	rc = finish_outputs(p);
	if (p->nsrc > 1 && !stuck)
		multi_print_stats(&p->names, each, p->nsrc);
	if (live_capture(p))
		print_live_stats(&cnt);
	if (p->attrib)
		capture_procs_summary(p->attrib);
	resolver_summary(p);
	if (st != SRC_OK) {
		if (p->nsrc > 1) { /* each failure was said as it happened; here the ones not yet */
			for (unsigned i = 0; i < p->nsrc; i++)
				if (each[i].st != SRC_OK && !p->fail_told[i])
					multi_tell_failure(&p->names, i, each[i].err, false);
		} else {
			cli_error(p->err);
		}
		rc = 1;
	}
	if (stuck) { /* the reader thread is blocked in read(): leave without joining it */
		fflush(NULL);
		_exit(rc);
	}
	return rc;
}

int cmd_capture(const struct cli_opts *o)
{
	static struct pipeline p; /* large (the dissection and output buffer): not on the stack */
	int rc;

	memset(&p, 0, sizeof p);
	p.o = o;
	frame_clock_init(&p.clock);
	if ((rc = compile_display_filter(&p)) != 0)
		return rc;
	signals_install();
	if ((rc = open_source(&p)) == 0 && (rc = open_outputs(&p)) == 0) {
		p.ring = ring_create(ring_bytes_for(&p), p.err, sizeof p.err);
		rc = p.ring ? run(&p) : (cli_error(p.err), 2);
	}
	for (unsigned i = 0; i < p.ndumps; i++)
		dump_rotate_close(p.dumps[i], p.err);
	if (p.ring)
		ring_destroy(p.ring);
	for (unsigned i = 0; i < p.nsrc; i++)
		source_close(p.srcs[i]);
	capture_comments_close(p.comments);
	pktfile_close(p.ifile);
	dfilter_free(p.dfilter);
	filter_table_free(p.table);
	resolver_free(p.resolver);
	names_free(p.pc.names);
	stream_table_free(p.streams);
	reasm_free(p.reasm);
	follow_run_free(p.follow);
	attrib_close(p.attrib);
	quic_conns_free(p.d.quic_conns);
	return rc;
}
