/*
 * model.h - the state the views show, with no curses in it: the open source (or several
 * live ones, merged) and its capture thread, the packet store, the displayed (filtered)
 * rows, the selection and the decoded selected packet, counters and the last error.
 *
 * Threads: everything here runs on the UI thread. The capture thread is reached only
 * through the ring (model_pump drains it) and capture_counters().
 */
#ifndef CAPSCOPE_MODEL_H
#define CAPSCOPE_MODEL_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/capture_thread.h"
#include "capture/filter.h"
#include "capture/source.h"
#include "capture/store.h"
#include "decode/conv.h"
#include "decode/dfilter.h"
#include "decode/dissect.h"
#include "decode/names.h"

/* CS_DISCONNECTED: a remote source's link ended (SRC_ERR_DISCONNECTED); its packets stay and
 * a restart reconnects. */
enum cap_state { CS_NONE, CS_RUNNING, CS_STOPPED, CS_DONE, CS_ERROR, CS_DISCONNECTED };
enum time_col { TC_RELATIVE, TC_ABSOLUTE, TC_DELTA, TC_COUNT };
/* The packet list's Process column: PC_AUTO shows it while packets are attributed. */
enum proc_col { PC_AUTO, PC_ON, PC_OFF };

/* The monitor's kernel buffer when -B is not given: 4 x the headless default
 * (SOURCE_DEFAULT_BUFFER_KIB). The monitor captures in its own process (unsplit, for process
 * attribution), where the UI thread's decoding and drawing share the process's CPU with the
 * capture thread; on a busy machine the capture thread then waits longer for a core than a
 * headless capture's helper, and at 100k pps (~65 MB/s) 16 MiB holds only ~0.25 s of
 * traffic. 64 MiB holds ~1 s: in one soak run at load ~26 on 2 cores the kernel drops fell
 * from 710,339 (-B 16384) to 58,233 (docs/BENCHMARKS.md, soak2). Kernel memory, for the
 * capture's life. */
#define MODEL_LIVE_BUFFER_KIB 65536

/* Options for the next live capture (the Capture > Options dialog; the adapter picker and
 * restarts use them). */
struct capture_prefs {
	int snaplen;
	bool promisc;
	int timeout_ms;
	int buffer_kib;    /* 0: MODEL_LIVE_BUFFER_KIB */
	unsigned ring_mib; /* the ring between the capture thread and the UI */
};

#define MODEL_MSG_MAX 512

/* Headers between Ethernet and IP that libpcap's plain "ip", "tcp"... filters do not look
 * past unless the filter names them first ("vlan and ip", "mpls and ip", "pppoes and ip"). */
enum { SHIM_VLAN = 1, SHIM_MPLS = 2, SHIM_PPPOE = 4 };

/* The two filter languages the filter bar takes: libpcap's BPF and tshark's display filters. */
enum filter_kind { FK_NONE, FK_BPF, FK_DISPLAY };

#define FILTER_VERDICT_MAX 600

/* What a filter text is and whether it compiles, as the filter bar checks it while the user
 * types. Text valid as BPF is BPF (what the monitor always took, and what libpcap users
 * type); otherwise a valid display filter is one; otherwise the message is the display
 * filter's when the text looks like one (a field name such as "ip.src"), else libpcap's. */
struct filter_verdict {
	enum filter_kind kind; /* when ok (FK_NONE: the empty text) */
	bool ok;
	int column;                   /* 0-based column of the problem, or -1 */
	char msg[FILTER_VERDICT_MAX]; /* why not (terminal-safe); when ok, for a display filter
	                                on a live capture, where it runs (see filter_note) */
};

/* The shown rows: row r is store packet base + idx[r] (base + r while idx is NULL: every
 * packet from base on shows). Offsets are 32-bit to keep a row at 4 bytes while store
 * numbers are 64-bit (model.c rebases them when needed). */
struct model_rows {
	uint32_t *idx; /* offsets from base of the shown packets, in store order, or NULL */
	uint64_t base; /* store index of row 0's packet (or of where it would be) */
	uint64_t n;    /* shown rows */
	uint64_t cap;
};

struct model_resolve;

/* Several sources at once (-i A -i B, or adapters marked in the picker): at most this many. */
#define MODEL_MAX_SOURCES 8u
#define MODEL_LABEL_MAX   256

/* One source of the capture: what the status bar says of it and what a restart reopens. */
struct model_source {
	struct source *src;          /* NULL when it failed to open */
	struct source_opts opts;     /* how it was opened; opts.name points at name */
	char name[MODEL_LABEL_MAX];  /* the adapter as given (raw), for restarts */
	char label[MODEL_LABEL_MAX]; /* escaped: the Interface column, frame.interface_name */
	enum cap_state state;
	struct capture_counters counters;
	char error[MODEL_MSG_MAX]; /* why it failed or disconnected (escaped, one line) */
};

struct model {
	/* source: with several, src is the first's and kind/opts are the first's; srcs[i] is the
	 * source of the packets stamped ifidx i (their order as given) */
	struct source *src;
	struct model_source srcs[MODEL_MAX_SOURCES];
	unsigned nsrc; /* 0 with nothing open; 1 for a file, a stream or one adapter */
	struct capture *cap;
	struct ring *ring;
	struct dump *spill; /* live and stream sources: every packet, for reading back */
	char spill_path[512];
	/* --spill-max: the spill file's bound in bytes (0: none); at it the oldest packets
	 * leave it as a ring (store_first() says from which one the list starts), or with
	 * --spill-full stop (spill_stop) the capture stops (model_spill.c) */
	uint64_t spill_max;
	bool spill_stop;
	uint64_t spill_round; /* store index of the first packet written since the last wrap */
	struct store *store;
	enum source_kind kind;
	char source_label[256]; /* escaped adapter name or file path */
	enum cap_state state;
	struct capture_counters counters;
	char error[MODEL_MSG_MAX]; /* last error, shown in the status bar */
	struct source_opts opts;   /* how the live source was opened (for restarts) */
	struct capture_prefs prefs;

	/* write while capturing: every packet taken is also written here (see model_tee_start) */
	struct dump *tee;
	char tee_label[256]; /* escaped path */
	uint64_t tee_packets;

	/* display */
	struct model_rows rows;
	char filter_text[512]; /* the applied filter, BPF or display ("" = none) */
	enum filter_kind filter_kind;
	struct filter *filter; /* FK_BPF: compiled (for the first source's link type) */
	/* FK_BPF with several sources: the program for source i's link type where it differs
	 * (NULL: `filter`), or if_bpf_none[i] when the expression means nothing there */
	struct filter *if_bpf[MODEL_MAX_SOURCES];
	bool if_bpf_none[MODEL_MAX_SOURCES];
	struct dfilter *dfilter; /* FK_DISPLAY: compiled */
	/* FK_DISPLAY: its BPF prefilter (dfilter_to_bpf), which a live capture also runs in the
	 * kernel, or "" when it has none; filter_note says which ("also in the kernel as BPF (a
	 * prefilter; ...): ...", "runs in capscope only: ..."; several sources whose link types
	 * make them differ: "also in the kernel, per source: cs1: ...; any: none"). */
	char kernel_expr[8192];
	char filter_note[300];
	/* started with -Y: text that reads as both (udp, tcp port 80 reads only as BPF) is taken as
	 * a display filter, as headless -Y takes it (a display filter's udp also keeps VLAN-tagged
	 * and tunnelled UDP, BPF's does not); otherwise BPF first, the capture filter's language */
	bool display_first;
	struct dissection *fdiss; /* FK_DISPLAY: scratch for testing one packet */
	uint64_t refilter_next;   /* next store index to test while refiltering */
	bool refiltering;
	uint64_t visible_total; /* store packets the display has taken in (stops while paused) */
	bool paused;
	bool follow;       /* the list follows the newest packet */
	uint64_t selected; /* row index (< rows.n), valid when rows.n > 0 */
	enum time_col time_col;
	/* names learned from the capture (names.h), as the stream pass indexes packets; the
	 * packet list and the conversations show them instead of addresses when show_names */
	struct names *names;
	struct dissection *ndiss; /* scratch: a packet that may carry names, with its tree */
	bool show_names;
	/* --resolve / key N (model_resolve.h): reverse lookups, and the store indices of their
	 * own packets, which the list leaves out; servers from --resolve-server (NULL: the
	 * system's resolver) */
	struct model_resolve *resolve;
	const char *resolve_servers;
	unsigned seen_shims;     /* SHIM_* headers some packet had: plain 'ip' filters miss them */
	struct conv_table *conv; /* conversations and protocols of every stored packet */
	bool conv_on;            /* the conversations view was shown: keep conv up to date */
	uint64_t conv_upto;      /* store packets counted in conv so far */
	bool ssh_excluded;       /* our own SSH session is filtered out of live capture */
	char ssh_filter[256];

	/* streams: every stored packet's tcp.stream/udp.stream and TCP analysis flags, and the
	 * chains of each stream's packets (model_streams.h) */
	struct model_streams *streams;
	size_t max_streams; /* stream records kept at once (--max-streams; STREAM_DEFAULT_MAX) */
	bool no_reassembly; /* --no-reassembly: the decode pane shows no reassembled TCP PDU */

	/* processes: each stored packet's process and the per-process totals of a live capture
	 * (model_procs.h); the options are read when a source opens */
	struct model_procs *procs;
	bool no_processes; /* --no-processes: no attribution */
	bool no_ebpf;      /* --no-ebpf: netlink + /proc only */
	enum proc_col proc_col;

	/* the selected packet, decoded */
	uint64_t decoded_index; /* store index of `diss`, or UINT64_MAX */
	bool decoded_marked;    /* the stream pass had reached it: its stream fields are in */
	struct dissection diss;
	uint8_t *pkt; /* its bytes (SOURCE_DEFAULT_SNAPLEN) */

	bool ring_behind; /* the last pump left records in the ring (its budget ran out) */

	/* rates */
	uint64_t rate_t0_ns, rate_n0;
	double pps;
};

/* --spill-max's default: 1 GiB of disk, and with it the memory of about 9 million packets
 * of 100 bytes (about 44 bytes each: index, marks, stream mark, process tag, row) */
#define MODEL_SPILL_DEFAULT_MAX (1ull << 30)

struct model *model_create(void);
void model_destroy(struct model *m);

/* Opens a capture file ("-" = stdin stream) or starts a live capture; the previous source is
 * closed first. Returns 0, or -1 with a one-line message in m->error. */
int model_open(struct model *m, const struct source_opts *o, const char *filter);
/* The same for n (1..MODEL_MAX_SOURCES) live sources at once (local and/or remote), merged
 * by timestamp into the one list; the spill file is pcapng with an interface per source.
 * A source that fails to open fails the whole (m->error names it). */
int model_open_many(struct model *m, const struct source_opts *o, unsigned n, const char *filter);
/* The escaped name of packet `index`'s source (the Interface column), and its index. */
const char *model_packet_interface(const struct model *m, uint64_t index, unsigned *ifidx);
void model_close(struct model *m);
/* Stops a live capture (the packets stay). */
void model_stop(struct model *m);
/* A new live capture on the same adapter(s) with m->prefs and the current filter. Returns 0,
 * or -1 with m->error (also when the source is not a live adapter). */
int model_restart(struct model *m);
/* True when a source's link ended (CS_DISCONNECTED): model_reconnect() brings it back. */
bool model_disconnected(const struct model *m);
/* True when a source is down: its link ended, or one of several failed (its adapter went
 * away, a remote one did not start) while the capture was not stopped as a whole (a full
 * spill file: CS_ERROR). model_reconnect() brings it back alone. */
bool model_source_down(const struct model *m);
/* Reconnects the disconnected source(s), restarts the failed one(s) of several, and captures
 * on, into the same list: the packets stay and numbering goes on. The sources that are down
 * open first: when one cannot (its adapter is not back), -1 with m->error and the others go
 * on untouched. Then the others go on too (local adapters are kept open, so their kernel
 * buffers hold what comes meanwhile; remote ones reconnect). Returns 0, or -1 with m->error
 * (after the first step, the capture stays stopped and Ctrl-R tries again). */
int model_reconnect(struct model *m);
/* A live capture's or a stream's packets outlive the program (the session hung up): the
 * capture ends after taking in what it already read, and the temporary file becomes
 * capscope-kept-DATE-TIME.pcap (.pcapng with several sources) in dir, or beside the
 * temporary file when it cannot move there. Returns 1 with its path, 0 when there is
 * nothing to keep, -1 when it stays put. */
int model_keep_packets(struct model *m, const char *dir, char *path, size_t n);
/* True when packets exist only in the temporary file (what model_keep_packets keeps). */
bool model_has_unkept(const struct model *m);

/* Write while capturing: from now on every packet taken from the ring is also written to
 * path (created or truncated; link type, snap length and precision of the source). A write
 * error stops the writing at once (m->error says why) and the capture goes on. Returns 0, or
 * -1 with err (DUMP_ERRLEN bytes). model_tee_stop flushes and closes the file (also done by
 * model_close); it returns -1 with err if the last writes failed. */
int model_tee_start(struct model *m, const char *path, char *err);
int model_tee_stop(struct model *m, char *err);

/* Moves packets from the ring into the store for at most budget_ns. Returns true if the
 * display changed. */
bool model_pump(struct model *m, uint64_t budget_ns);
/* True while work is pending that should not wait for an event (a ring with records
 * left after a pump's budget, or a refilter). */
bool model_busy(struct model *m);
/* The wake-up that new packets signal (for os_wait_input), or NULL. */
struct os_wake *model_wake(const struct model *m);

/* Rows and selection */
uint64_t model_row_index(const struct model *m, uint64_t row); /* store index of a row */
/* The first row whose store index is >= index (rows.n when none is). */
uint64_t model_row_of_at_or_after(const struct model *m, uint64_t index);
void model_select(struct model *m, uint64_t row);
/* Decodes the selected packet if it changed, with its stream fields (tcp.stream, relative
 * numbers, SEQ/ACK analysis); NULL when nothing is selected. */
const struct dissection *model_selected(struct model *m);
/* Decodes packet `index` of the store into d using buf, its Info with the TCP analysis notes
 * of its mark; returns false on a read error. */
bool model_decode(struct model *m, uint64_t index, struct dissection *d, uint8_t *buf);

/* What text is as a filter for the open source (see struct filter_verdict). */
void model_check_filter(const struct model *m, const char *text, struct filter_verdict *v);
/* Applies expr (checked as model_check_filter does) and starts refiltering the loaded
 * packets. On a live adapter a BPF filter also becomes the kernel filter, and so does the
 * BPF prefilter of a display filter when it has one. Returns false with v filled. */
bool model_set_filter(struct model *m, const char *expr, struct filter_verdict *v);
/* The BPF the applied filter runs as in the kernel of a live capture: the BPF text, a
 * display filter's BPF prefilter, or "" (none). The first source's: one of another link type
 * has its own prefilter (model_source_kernel_expr). */
const char *model_kernel_expr(const struct model *m);
/* Refilters for at most budget_ns; returns true while more remains. */
bool model_refilter_step(struct model *m, uint64_t budget_ns);
void model_refilter_cancel(struct model *m);
/* Fraction done (0..1) of the running refilter. */
double model_refilter_progress(const struct model *m);

/* Over SSH: keeps the program's own session out of live captures. `conn` is the value of
 * SSH_CONNECTION ("client port server port"); returns false if it does not parse. The
 * exclusion starts on when `exclude` (no user filter was given) and applies to live sources
 * opened afterwards. */
bool model_ssh_init(struct model *m, const char *conn, bool exclude);
/* Includes or excludes the SSH session again (live: a new kernel filter at once). */
void model_ssh_toggle(struct model *m);

void model_toggle_mark(struct model *m, uint64_t row);
void model_set_paused(struct model *m, bool paused);
/* Starts keeping the conversation tables (the first time the conversations view shows):
 * packets already stored are counted by model_conv_step(), new ones as they arrive. Until
 * then the per-packet path does no conversation work at all. */
void model_conv_enable(struct model *m);
/* Counts stored packets not yet in the tables for at most budget_ns; true while more remain. */
bool model_conv_step(struct model *m, uint64_t budget_ns);

/* The row showing store packet index, or UINT64_MAX when the filter hides it. */
uint64_t model_row_of(const struct model *m, uint64_t index);
/* Selects the row of store packet index (the list stops following the newest); false when
 * the filter hides it. */
bool model_select_packet(struct model *m, uint64_t index);

/* "Now" in capture-clock seconds for the tables' rates over the last whole second
 * (conversations, processes): the wall clock while a live capture runs, else the second after
 * the newest packet's. */
int64_t model_rate_now(const struct model *m);

/* Bytes of memory the model holds per packet and per stream, each part (the soak test's
 * bound: with the spill file's ring these follow the packets held, not the packets taken). */
struct model_memory {
	size_t store;   /* the packet index and marks (store.h) */
	size_t rows;    /* the list's row offsets */
	size_t streams; /* stream marks, stream records, duplicate ACK and context rows */
	size_t procs;   /* process tags */
	size_t total;
};
void model_memory(const struct model *m, struct model_memory *out);

/* Refreshes counters and the packets/s estimate (call about once a second). */
void model_tick(struct model *m, uint64_t now_ns);

#endif
