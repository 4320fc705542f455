/* model.c - the UI-free state behind the views (see model.h). */
#include "model/model.h"
#include "model/model_internal.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "capture/dump.h"
#include "base/name_escape.h"
#include "decode/frame_meta.h"
#include "decode/names.h"
#include "model/model_procs.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"
#include "platform/os.h"

struct model *model_create(void)
{
	struct model *m = calloc(1, sizeof *m);

	if (!m)
		return NULL;
	m->pkt = malloc(SOURCE_DEFAULT_SNAPLEN);
	m->conv = conv_create();
	m->fdiss = calloc(1, sizeof *m->fdiss); /* zeroed: no QUIC connection table */
	if (!m->pkt || !m->conv || !m->fdiss) {
		free(m->pkt);
		free(m->fdiss);
		conv_destroy(m->conv);
		free(m);
		return NULL;
	}
	m->max_streams = STREAM_DEFAULT_MAX;
	m->spill_max = MODEL_SPILL_DEFAULT_MAX;
	m->names = names_new(NAMES_MAX_ENTRIES, NAMES_MAX_BYTES);
	m->ndiss = malloc(sizeof *m->ndiss);
	if (!m->names || !m->ndiss || !model_streams_init(m) || !model_procs_init(m)) {
		model_destroy(m);
		return NULL;
	}
	m->decoded_index = UINT64_MAX;
	m->follow = true;
	m->prefs = (struct capture_prefs){SOURCE_DEFAULT_SNAPLEN, true, SOURCE_DEFAULT_TIMEOUT_MS,
	                                  0, RING_DEFAULT_BYTES >> 20};
	return m;
}

void model_destroy(struct model *m)
{
	if (!m)
		return;
	model_close(m);
	model_streams_free(m);
	model_procs_free(m);
	model_resolve_free(m);
	names_free(m->names);
	free(m->ndiss);
	conv_destroy(m->conv);
	free(m->pkt);
	free(m->fdiss);
	free(m);
}

void model_set_error(struct model *m, const char *msg)
{
	size_t n = 0;

	while (n < sizeof m->error - 1 && msg[n])
		n++;
	memcpy(m->error, msg, n);
	m->error[n] = '\0';
}

void model_rows_reset(struct model *m)
{
	free(m->rows.idx);
	memset(&m->rows, 0, sizeof m->rows);
	m->selected = 0;
	m->decoded_index = UINT64_MAX;
}

void model_stop(struct model *m)
{
	char err[SOURCE_ERRLEN];

	if (!m->cap)
		return;
	capture_stop(m->cap);
	ring_abandon(m->ring);
	if (model_join_capture(m, err) != SRC_OK && m->nsrc == 1)
		model_set_error(m, err);
	if (m->state == CS_RUNNING)
		m->state = CS_STOPPED;
}

void model_close(struct model *m)
{
	char err[DUMP_ERRLEN];

	model_stop(m);
	model_tee_stop(m, err);
	if (m->spill)
		dump_close(m->spill, err);
	m->spill = NULL;
	if (m->spill_path[0])
		remove(m->spill_path);
	m->spill_path[0] = '\0';
	ring_destroy(m->ring);
	m->ring = NULL;
	for (unsigned i = 0; i < m->nsrc; i++)
		source_close(m->srcs[i].src);
	memset(m->srcs, 0, sizeof m->srcs);
	m->nsrc = 0;
	m->src = NULL;
	store_destroy(m->store);
	m->store = NULL;
	model_clear_filter(m);
	model_rows_reset(m);
	conv_reset(m->conv);
	if (m->streams)
		model_streams_reset(m);
	model_procs_close(m);
	model_resolve_reset(m);
	if (m->names && names_count(m->names) > 0) { /* a new capture learns anew */
		names_free(m->names);
		m->names = names_new(NAMES_MAX_ENTRIES, NAMES_MAX_BYTES);
	}
	m->conv_upto = 0;
	m->spill_round = 0;
	m->visible_total = 0;
	m->state = CS_NONE;
	m->refiltering = false;
	m->seen_shims = 0;
}

int model_open(struct model *m, const struct source_opts *o, const char *filter)
{
	return model_open_many(m, o, 1, filter);
}

int model_open_many(struct model *m, const struct source_opts *o, unsigned n, const char *filter)
{
	char err[SOURCE_ERRLEN];
	struct filter_verdict chk;

	model_close(m);
	m->error[0] = '\0';
	if (n == 0 || n > MODEL_MAX_SOURCES || (n > 1 && o[0].kind != SOURCE_LIVE)) {
		snprintf(m->error, sizeof m->error,
		         n > 1 && o[0].kind != SOURCE_LIVE ? "only live adapters open together"
		                                           : "at most %u adapters at once",
		         MODEL_MAX_SOURCES);
		m->state = CS_ERROR;
		return -1;
	}
	if (model_open_sources(m, o, n) < 0) {
		m->state = CS_ERROR;
		return -1;
	}
	if (o->kind == SOURCE_LIVE) { /* the options dialog starts from what runs */
		m->prefs.snaplen = o->snaplen > 0 ? o->snaplen : SOURCE_DEFAULT_SNAPLEN;
		m->prefs.promisc = o->promisc;
		m->prefs.timeout_ms = o->timeout_ms > 0 ? o->timeout_ms : SOURCE_DEFAULT_TIMEOUT_MS;
		m->prefs.buffer_kib = m->opts.buffer_kib;
	}
	if ((m->nsrc > 1 || !source_rereadable(m->src)) && model_open_spill(m) < 0)
		return -1;
	if (model_open_store(m, o) < 0)
		return -1;
	model_procs_open(m);
	if (filter && filter[0] && !model_set_filter(m, filter, &chk)) {
		snprintf(m->error, sizeof m->error, "bad filter: %.480s", chk.msg);
		return -1;
	}
	if (o->kind == SOURCE_LIVE && model_kernel_filters(m, err) != SRC_OK) {
		model_set_error(m, err);
		return -1;
	}
	/* Live captures and streams follow the newest packet; a file opens at its first, as in
	 * termshark and Wireshark. */
	m->follow = o->kind != SOURCE_FILE;
	return model_start_capture(m, o->kind == SOURCE_FILE ? RING_FILE_BYTES
	                                                     : (size_t)m->prefs.ring_mib << 20);
}

bool model_busy(struct model *m)
{
	/* ring_wait(r, 0) also arms the wake-up descriptor when the ring is empty, which must
	 * happen before every poll() */
	if (m->refiltering || (m->conv_on && m->store && m->conv_upto < store_count(m->store)))
		return true;
	if (model_streams_due(m))
		return true;
	return m->ring && ring_wait(m->ring, 0);
}

struct os_wake *model_wake(const struct model *m)
{
	return m->ring ? ring_wake(m->ring) : NULL;
}

/* The SHIM_* header an Ethernet frame starts with, or 0. */
static unsigned shim_of(int linktype, const struct ring_rec *r)
{
	if (linktype != 1 || r->hdr.caplen < 14) /* DLT_EN10MB */
		return 0;
	switch ((uint16_t)(r->data[12] << 8 | r->data[13])) {
	case 0x8100:
	case 0x88a8:
	case 0x9100:
		return SHIM_VLAN;
	case 0x8847:
	case 0x8848:
		return SHIM_MPLS;
	case 0x8864:
		return SHIM_PPPOE;
	default:
		return 0;
	}
}

/* The rows' offsets from rows.base are 32-bit (4 bytes a row, as before numbers went past
 * 2^32): when a row would be too far from the base, the base moves up to the first row; -1
 * if even that is too far (over 2^32 packets kept: never with --spill-max). */
static int rows_rebase(struct model *m, uint64_t index)
{
	uint32_t shift = m->rows.n ? m->rows.idx[0] : 0;

	if (index - (m->rows.base + shift) > UINT32_MAX)
		return -1;
	for (uint64_t i = 0; i < m->rows.n; i++)
		m->rows.idx[i] -= shift;
	m->rows.base += shift;
	return 0;
}

static int rows_push(struct model *m, uint64_t index)
{
	if (m->rows.n == 0)
		m->rows.base = index;
	/* every packet from rows.base on shows: no array */
	if (!m->rows.idx && m->filter_kind == FK_NONE) {
		m->rows.n = index + 1 - m->rows.base;
		return 0;
	}
	if (index - m->rows.base > UINT32_MAX && rows_rebase(m, index) < 0)
		return -1;
	if (m->rows.n == m->rows.cap) {
		uint64_t cap = m->rows.cap ? m->rows.cap * 2 : 4096;
		uint32_t *v = realloc(m->rows.idx, cap * sizeof *v);
		if (!v)
			return -1;
		m->rows.idx = v;
		m->rows.cap = cap;
	}
	m->rows.idx[m->rows.n++] = (uint32_t)(index - m->rows.base);
	return 0;
}

void model_frame_meta(const struct model *m, uint64_t index, struct frame_meta *f)
{
	const struct store_pkt *p = store_get(m->store, index);
	int64_t first = store_first_ts(m->store);
	int64_t prev = store_ts_before(m->store, index);

	f->number = index + 1;
	f->ts_sec = p->ts_ns / 1000000000;
	f->ts_nsec = (uint32_t)(p->ts_ns % 1000000000);
	if (p->ts_ns < 0 && f->ts_nsec) { /* floor division for times before 1970 */
		f->ts_sec--;
		f->ts_nsec = (uint32_t)(p->ts_ns % 1000000000 + 1000000000);
	}
	f->rel_nsec = p->ts_ns - first;
	f->delta_nsec = p->ts_ns - prev;
	f->len = p->len;
	f->caplen = p->caplen;
	f->tsprec = store_tsprec(m->store);
	/* live: the adapter captured on, as tshark names it (frame.interface_id/_name) */
	f->if_known = m->kind == SOURCE_LIVE;
	f->if_id = 0;
	f->if_name = f->if_known ? model_packet_interface(m, index, &f->if_id) : NULL;
}

/* Whether a display filter takes store packet `index` (its bytes in data). */
static bool display_match(struct model *m, uint64_t index, const struct pkt_hdr *h,
                          const uint8_t *data)
{
	struct frame_meta f;

	model_streams_filter_prepare(m, index, m->fdiss);
	dissect_pdus(m->fdiss, true, store_linktype_of(m->store, index), data, h->caplen, h->len);
	model_streams_filter(m, index, m->fdiss);
	model_procs_dissect(m, index, m->fdiss);
	model_frame_meta(m, index, &f);
	return dfilter_match(m->dfilter, m->fdiss, &f);
}

/* The rows as an array of offsets from rows.base (every packet from it showed so far, so none
 * was left out): from here on a packet may be left out without a filter. */
static int rows_materialize(struct model *m)
{
	uint64_t cap = m->rows.n * 2 > 4096 ? m->rows.n * 2 : 4096;

	if (m->rows.idx || m->filter_kind != FK_NONE)
		return 0;
	if (m->rows.n > (uint64_t)UINT32_MAX + 1)
		return -1;
	m->rows.idx = malloc(cap * sizeof *m->rows.idx);
	if (!m->rows.idx)
		return -1;
	for (uint64_t i = 0; i < m->rows.n; i++)
		m->rows.idx[i] = (uint32_t)i;
	m->rows.cap = cap;
	return 0;
}

void model_rows_drop_head(struct model *m, uint64_t first)
{
	uint64_t k;

	if (m->rows.n == 0)
		return;
	if (!m->rows.idx) { /* every packet from the base shows: the base moves up */
		k = first <= m->rows.base ? 0 : first - m->rows.base;
		k = k < m->rows.n ? k : m->rows.n;
		m->rows.base += k;
	} else {
		k = model_row_of_at_or_after(m, first);
		if (k == 0)
			return;
		memmove(m->rows.idx, m->rows.idx + k, (m->rows.n - k) * sizeof *m->rows.idx);
	}
	m->rows.n -= k;
	m->selected = m->selected >= k ? m->selected - k : 0;
	if (m->decoded_index < first)
		m->decoded_index = UINT64_MAX;
}

/* A packet enters the display when it passes the filter and is not one of --resolve's own
 * lookups. */
void model_show_packet(struct model *m, uint64_t index, const struct pkt_hdr *h,
                       const uint8_t *data)
{
	if (model_resolve_hidden(m, index) && rows_materialize(m) == 0) {
		m->visible_total = index + 1;
		return;
	}
	bool shown = m->filter_kind == FK_BPF       ? model_bpf_match(m, index, h, data)
	             : m->filter_kind == FK_DISPLAY ? display_match(m, index, h, data)
	                                            : true;

	if (shown)
		rows_push(m, index);
	m->visible_total = index + 1;
}

/* A write-while-capturing error: shown at once, the file is closed, the capture goes on. */
static void tee_failed(struct model *m, const char *msg)
{
	char ignored[DUMP_ERRLEN];

	if (strncmp(msg, "capscope: ", 10) == 0)
		msg += 10;
	snprintf(m->error, sizeof m->error, "capture goes on, file closed: %.400s", msg);
	dump_close(m->tee, ignored);
	m->tee = NULL;
}

/* Takes one packet from the ring; false, with the reason in why, when it could not be kept
 * (the spill file's disk is full, or memory ran out). */
static bool take_record(struct model *m, const struct ring_rec *r, char *why)
{
	char err[DUMP_ERRLEN];
	uint64_t pos = r->hdr.pos;

	if (m->spill) {
		pos = model_spill_room(m, dump_record_bytes(m->spill, r->hdr.caplen, 0), why);
		if (pos == UINT64_MAX || dump_write(m->spill, &r->hdr, r->data, why) < 0)
			return false;
	}
	if (m->tee && dump_write(m->tee, &r->hdr, r->data, err) == 0)
		m->tee_packets++;
	else if (m->tee)
		tee_failed(m, err);
	if (store_append(m->store, &r->hdr, pos) < 0) {
		snprintf(why, DUMP_ERRLEN, "out of memory for the packet index");
		return false;
	}
	m->seen_shims |= shim_of(store_linktype_of(m->store, store_count(m->store) - 1), r);
	/* before the display filter, which may ask for process.pid */
	model_procs_tag(m, store_count(m->store) - 1, &r->hdr, r->data);
	if (m->conv_on && m->conv_upto == store_count(m->store) - 1) {
		conv_add(m->conv, store_linktype_of(m->store, m->conv_upto), &r->hdr, r->data);
		m->conv_upto++;
	}
	/* before the display: an own lookup packet never shows */
	model_resolve_take(m, store_count(m->store) - 1, &r->hdr, r->data);
	if (!m->paused && !m->refiltering)
		model_show_packet(m, store_count(m->store) - 1, &r->hdr, r->data);
	return true;
}

/* A live capture that failed while reading (the adapter went away: deleted, unplugged,
 * down): what happened to the packets and what to do come first, as the status bar cuts a
 * long message's middle; the source's reason (libpcap's, e.g. "The interface disappeared")
 * ends it. */
static void live_read_failed(struct model *m, const char *err)
{
	char msg[MODEL_MSG_MAX];

	if (strncmp(err, "capscope: ", 10) == 0)
		err += 10;
	snprintf(msg, sizeof msg, "capture stopped, its packets stay (Ctrl-R restarts): %.440s",
	         err);
	model_set_error(m, msg);
}

/* A remote link that ended (the state says "disconnected"): what to do first, as the
 * status bar cuts a long message's middle, then the source's line with what ssh said. */
static void remote_disconnected(struct model *m, const char *err)
{
	char msg[MODEL_MSG_MAX];

	if (strncmp(err, "capscope: ", 10) == 0)
		err += 10;
	snprintf(msg, sizeof msg, "the packets stay, Ctrl-R reconnects: %.440s", err);
	model_set_error(m, msg);
}

static void check_finished(struct model *m)
{
	if (m->cap && ring_drained(m->ring)) {
		char err[SOURCE_ERRLEN];
		enum source_err st = model_join_capture(m, err);
		if (st == SRC_ERR_DISCONNECTED && m->nsrc == 1) {
			remote_disconnected(m, err);
			m->state = CS_DISCONNECTED;
		} else if (st != SRC_OK && m->nsrc == 1) {
			if (m->kind == SOURCE_LIVE)
				live_read_failed(m, err);
			else
				model_set_error(m, err);
			m->state = CS_ERROR;
		} else { /* several: each source's end is its own (m->srcs[i].state) */
			m->state = m->kind == SOURCE_LIVE ? CS_STOPPED : CS_DONE;
		}
	}
}

bool model_pump(struct model *m, uint64_t budget_ns)
{
	uint64_t t0 = os_monotonic_ns(), before = m->rows.n, n = 0;
	struct ring_rec r;
	char why[DUMP_ERRLEN];

	if (!m->ring) {
		m->ring_behind = false;
		return false;
	}
	ring_wait(m->ring, 0); /* consumes the wake-up that made the descriptor readable */
	model_procs_now(m, t0);
	while (ring_peek(m->ring, &r)) {
		if (!take_record(m, &r, why)) {
			model_stop_keeping(m, why);
			break;
		}
		ring_pop(m->ring);
		if ((++n & 255) == 0 && os_monotonic_ns() - t0 > budget_ns)
			break;
	}
	m->ring_behind = m->ring && ring_peek(m->ring, &r);
	check_finished(m);
	return n > 0 && (m->rows.n != before || m->paused);
}

uint64_t model_row_index(const struct model *m, uint64_t row)
{
	return m->rows.base + (m->rows.idx ? m->rows.idx[row] : row);
}

uint64_t model_row_of_at_or_after(const struct model *m, uint64_t index)
{
	uint64_t lo = 0, hi = m->rows.n;

	if (!m->rows.idx)
		return index <= m->rows.base              ? 0
		       : index - m->rows.base < m->rows.n ? index - m->rows.base
		                                          : m->rows.n;
	while (lo < hi) { /* rows are in store order */
		uint64_t mid = lo + (hi - lo) / 2;
		if (m->rows.base + m->rows.idx[mid] < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo;
}

void model_select(struct model *m, uint64_t row)
{
	if (m->rows.n == 0)
		return;
	m->selected = row < m->rows.n ? row : m->rows.n - 1;
}

/* Packet index's bytes into buf, dissected into d with nothing added. */
/* `pdus`: an application PDU past its segment is left to reassembly (the decode pane's
 * packet, which model_stream_fields() then completes); a list row decodes each packet alone. */
static bool decode_plain(struct model *m, uint64_t index, struct dissection *d, uint8_t *buf,
                         bool pdus)
{
	const struct store_pkt *p = store_get(m->store, index);
	char err[STORE_ERRLEN];

	if (!p || store_read(m->store, index, buf, err) < 0) {
		if (p)
			model_set_error(m, err);
		dissect(d, store_linktype_of(m->store, index), buf, 0, 0);
		return false;
	}
	if (pdus && !m->no_reassembly)
		dissect_pdus(d, true, store_linktype_of(m->store, index), buf, p->caplen, p->len);
	else
		dissect(d, store_linktype_of(m->store, index), buf, p->caplen, p->len);
	return true;
}

bool model_decode(struct model *m, uint64_t index, struct dissection *d, uint8_t *buf)
{
	bool ok = decode_plain(m, index, d, buf, false);

	/* a row alone knows no connection and no PDU before it: the stream pass's row, notes
	 * and all, where it differs */
	if (ok && !model_stream_row_summary(m, index, &d->sum))
		model_stream_notes(m, index, d);
	return ok;
}

uint64_t model_row_of(const struct model *m, uint64_t index)
{
	uint64_t row = model_row_of_at_or_after(m, index);

	return row < m->rows.n && model_row_index(m, row) == index ? row : UINT64_MAX;
}

bool model_select_packet(struct model *m, uint64_t index)
{
	uint64_t row = model_row_of(m, index);

	if (row == UINT64_MAX)
		return false;
	m->follow = false;
	model_select(m, row);
	return true;
}

const struct dissection *model_selected(struct model *m)
{
	uint64_t index;

	if (!m->store || m->rows.n == 0)
		return NULL;
	index = model_row_index(m, m->selected);
	/* decoded again once the stream pass has reached it, for its stream fields */
	if (index != m->decoded_index || (!m->decoded_marked && model_stream_marked(m, index))) {
		model_stream_prepare(m, index, &m->diss);
		if (decode_plain(m, index, &m->diss, m->pkt, true)) {
			model_stream_fields(m, index, &m->diss);
			model_procs_dissect(m, index, &m->diss);
		}
		m->decoded_index = index;
		m->decoded_marked = model_stream_marked(m, index);
	}
	return &m->diss;
}

void model_toggle_mark(struct model *m, uint64_t row)
{
	if (row >= m->rows.n)
		return;
	uint64_t i = model_row_index(m, row);
	store_set_mark(m->store, i, !store_marked(m->store, i));
}

int64_t model_rate_now(const struct model *m)
{
	uint64_t n = m->store ? store_count(m->store) : 0;

	if (m->kind == SOURCE_LIVE && m->cap)
		return (int64_t)time(NULL);
	return n ? store_get(m->store, n - 1)->ts_ns / 1000000000 + 1 : 0;
}

void model_tick(struct model *m, uint64_t now_ns)
{
	uint64_t n = m->store ? store_count(m->store) : 0;
	char err[DUMP_ERRLEN];

	/* The written file trails the capture by at most a tick; flushing per batch of packets
	 * taken cost a write() each, enough to make the ring overflow at top speed. Stopping
	 * the write (or a signal) flushes the rest. */
	if (m->tee && dump_flush(m->tee, err) < 0)
		tee_failed(m, err);
	if (m->cap)
		capture_counters(m->cap, &m->counters);
	if (m->cap && m->nsrc > 1)
		model_poll_sources(m);
	if (m->rate_t0_ns && now_ns > m->rate_t0_ns)
		m->pps = (double)(n - m->rate_n0) * 1e9 / (double)(now_ns - m->rate_t0_ns);
	m->rate_t0_ns = now_ns;
	m->rate_n0 = n;
}

int model_tee_start(struct model *m, const char *path, char *err)
{
	char ignored[DUMP_ERRLEN];
	struct dump_iface more[MODEL_MAX_SOURCES];
	enum dump_format fmt = dump_format_for(path, false);

	if (!m->src) {
		snprintf(err, DUMP_ERRLEN, "no capture is open");
		return -1;
	}
	if (m->nsrc > 1 && fmt != DUMP_PCAPNG) { /* pcap has no place for the interface */
		snprintf(err, DUMP_ERRLEN,
		         "several sources are written as pcapng: name the file *.pcapng");
		return -1;
	}
	model_tee_stop(m, ignored);
	struct dump_section sec = {
	    .if_name = source_kind(m->src) == SOURCE_LIVE ? source_name(m->src) : NULL,
	    .more = more};

	for (unsigned i = 1; i < m->nsrc; i++) /* an interface per source, as the spill */
		more[sec.n_more++] =
		    (struct dump_iface){m->srcs[i].name, source_linktype(m->srcs[i].src),
		                        source_snaplen(m->srcs[i].src)};
	m->tee = dump_open_fmt(path, fmt, &sec, source_linktype(m->src), source_snaplen(m->src),
	                       m->store ? store_tsprec(m->store) : source_tsprec(m->src), err);
	if (!m->tee)
		return -1;
	name_escape(path, m->tee_label, sizeof m->tee_label);
	m->tee_packets = 0;
	return 0;
}

int model_tee_stop(struct model *m, char *err)
{
	int rc;

	if (!m->tee)
		return 0;
	rc = dump_close(m->tee, err);
	m->tee = NULL;
	return rc;
}

void model_memory(const struct model *m, struct model_memory *out)
{
	out->store = m->store ? store_memory(m->store) : 0;
	out->rows = m->rows.cap * sizeof *m->rows.idx;
	out->streams = model_streams_memory(m);
	out->procs = model_procs_memory(m);
	out->total = out->store + out->rows + out->streams + out->procs;
}

void model_conv_enable(struct model *m)
{
	m->conv_on = true;
}

bool model_conv_step(struct model *m, uint64_t budget_ns)
{
	uint64_t t0 = os_monotonic_ns(), total = m->store ? store_count(m->store) : 0;
	char err[STORE_ERRLEN];

	if (!m->conv_on)
		return false;
	while (m->conv_upto < total) {
		const struct store_pkt *p = store_get(m->store, m->conv_upto);
		struct pkt_hdr h = {
		    .ts_sec = p->ts_ns / 1000000000, .caplen = p->caplen, .len = p->len};
		h.ts_nsec = (uint32_t)(p->ts_ns - h.ts_sec * 1000000000);
		if (store_read(m->store, m->conv_upto, m->pkt, err) < 0)
			h.caplen = 0; /* unreadable: counted, but with no headers */
		conv_add(m->conv, store_linktype_of(m->store, m->conv_upto), &h, m->pkt);
		m->conv_upto++;
		if ((m->conv_upto & 1023) == 0 && os_monotonic_ns() - t0 > budget_ns)
			break;
	}
	m->decoded_index = UINT64_MAX; /* m->pkt was reused */
	return m->conv_upto < total;
}
