/*
 * model_spill.c - the temporary pcap file that holds a live capture's or a stream's packets
 * for the views to read back (see model.h): opening it, stopping the capture when it cannot
 * take more (a full disk) while keeping every listed packet readable, and keeping the file
 * when the session hangs up.
 */
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "capture/dump.h"
#include "capture/save.h"
#include "base/pathname.h"
#include "capture/pktfile.h"
#include "decode/timefmt.h"
#include "model/model.h"
#include "model/model_internal.h"
#include "model/model_procs.h"
#include "model/model_resolve.h"
#include "model/model_streams.h"
#include "platform/os.h"

/* Live captures and streams are spilled to a private temporary pcap file, which the store
 * reads back: memory stays at the index's size however long the capture runs. Several
 * sources: pcapng, an interface per source (their link types may differ); its ring writes
 * over the packet blocks only. */
int model_open_spill(struct model *m)
{
	char err[DUMP_ERRLEN];
	struct dump_iface more[MODEL_MAX_SOURCES];
	struct dump_section sec = {.if_name = m->srcs[0].name, .more = more};
	bool ng = m->nsrc > 1;
	int tsprec = 6;

	for (unsigned i = 0; i < m->nsrc; i++)
		if (source_tsprec(m->srcs[i].src) == 9)
			tsprec = 9;
	for (unsigned i = 1; i < m->nsrc; i++)
		more[sec.n_more++] =
		    (struct dump_iface){m->srcs[i].name, source_linktype(m->srcs[i].src),
		                        source_snaplen(m->srcs[i].src)};
	if (os_temp_file(m->spill_path, sizeof m->spill_path, "capscope-spill",
	                 ng ? ".pcapng" : ".pcap") < 0) {
		model_set_error(m, "cannot create a temporary file for the capture (check TMPDIR)");
		return -1;
	}
	m->spill = dump_open_fmt(m->spill_path, ng ? DUMP_PCAPNG : DUMP_PCAP, ng ? &sec : NULL,
	                         source_linktype(m->src), source_snaplen(m->src), tsprec, err);
	if (!m->spill) {
		model_set_error(m, err);
		return -1;
	}
	return 0;
}

/* Keeps only the packets whose bytes are all in the spill file (a failed write may have
 * left the last ones out), so that every packet listed can still be read and saved. */
static void trim_to_spill(struct model *m)
{
	uint64_t n = store_count(m->store), size;
	const struct store_pkt *p;

	if (os_file_size(m->spill_path, &size) != 0)
		size = 0;
	while (n > 0 && (p = store_get(m->store, n - 1)) &&
	       p->pos + PKTFILE_REC_HDR_BYTES + p->caplen > size)
		n--;
	store_truncate(m->store, n);
	model_streams_truncate(m, n);
	model_procs_truncate(m, n);
	model_resolve_truncate(m, n);
	while (m->rows.n > 0 && model_row_index(m, m->rows.n - 1) >= n)
		m->rows.n--;
	if (m->visible_total > n)
		m->visible_total = n;
	if (m->refilter_next > n)
		m->refilter_next = n;
	if (m->selected >= m->rows.n)
		m->selected = m->rows.n ? m->rows.n - 1 : 0;
	m->decoded_index = UINT64_MAX;
}

/* Packets can no longer be kept: rather than list packets it cannot show or save, the
 * capture stops, what waits in the ring is dropped, and the packets kept so far stay. */
void model_stop_keeping(struct model *m, const char *why)
{
	struct ring_rec r;
	char msg[MODEL_MSG_MAX];

	if (strncmp(why, "capscope: ", 10) == 0)
		why += 10;
	/* the reason last: a long message loses its middle in the status bar */
	snprintf(msg, sizeof msg, "capture stopped, the packets kept so far stay: %.400s", why);
	model_stop(m);
	while (ring_peek(m->ring, &r))
		ring_pop(m->ring);
	if (m->spill) { /* the failed writer cannot flush: read what the file holds */
		store_follow_writer(m->store, NULL);
		trim_to_spill(m);
	}
	model_set_error(m, msg);
	m->state = CS_ERROR;
}

/* Ends a live capture or stream without losing what it already read: the capture thread is
 * asked to stop and the ring drained into the store (bounded by 2 s: a stream can be stuck
 * in read()), then the rest is abandoned. */
void model_finish_capture(struct model *m)
{
	uint64_t deadline = os_monotonic_ns() + 2000000000ull;

	if (!m->cap)
		return;
	capture_stop(m->cap);
	while (m->cap && os_monotonic_ns() < deadline) {
		ring_wait(m->ring, 50);
		model_pump(m, 50000000ull);
	}
	model_stop(m);
}

bool model_has_unkept(const struct model *m)
{
	return m->spill && m->store && store_count(m->store) > 0;
}

/* The packets the ring holds, in order, into a new file in dir (else beside the temporary
 * file, which is then removed as on any exit); several sources' as pcapng, an interface
 * each. */
static int keep_ring(struct model *m, const char *dir, const char *stamp, char *path, size_t n)
{
	uint64_t first = store_first(m->store), packets, bytes;
	const char *names[MODEL_MAX_SOURCES], *ext = m->nsrc > 1 ? "pcapng" : "pcap";
	struct save_sel sel = {.first = first, .n = store_count(m->store) - first};
	char err[SAVE_ERRLEN], spill_dir[sizeof m->spill_path];
	int snaplen = m->src ? source_snaplen(m->src) : SOURCE_DEFAULT_SNAPLEN;

	for (unsigned i = 0; i < m->nsrc; i++)
		names[i] = m->srcs[i].name;
	sel.if_names = m->nsrc > 1 ? names : NULL;
	if (dir && snprintf(path, n, "%s/capscope-kept-%s.%s", dir, stamp, ext) < (int)n &&
	    save_run(m->store, &sel, path, snaplen, &packets, &bytes, err) == 0)
		return 1;
	path_dir(m->spill_path, spill_dir, sizeof spill_dir);
	if (snprintf(path, n, "%s/capscope-kept-%s.%s", spill_dir, stamp, ext) < (int)n &&
	    save_run(m->store, &sel, path, snaplen, &packets, &bytes, err) == 0)
		return 1;
	return -1;
}

int model_keep_packets(struct model *m, const char *dir, char *path, size_t n)
{
	char err[DUMP_ERRLEN], stamp[32] = "now", spill_dir[sizeof m->spill_path];
	const char *ext = m->nsrc > 1 ? ".pcapng" : ".pcap";
	struct tm tm;

	if (!model_has_unkept(m))
		return 0;
	model_finish_capture(m);
	store_follow_writer(m->store, NULL);
	if (dump_close(m->spill, err) < 0)
		model_set_error(m, err); /* what reached the file stays readable */
	m->spill = NULL;
	if (timefmt_tm((int64_t)time(NULL), false, &tm))
		strftime(stamp, sizeof stamp, "%Y%m%d-%H%M%S", &tm);
	if (m->spill_round > 0) /* the ring wrote over the file: its records are out of order */
		return keep_ring(m, dir, stamp, path, n);
	/* In dir when a rename can move it there (the same file system); else beside it.
	 * Several sources' spill file is pcapng, and named so. */
	if (!dir || snprintf(path, n, "%s/capscope-kept-%s%s", dir, stamp, ext) >= (int)n ||
	    os_rename_replace(m->spill_path, path) != 0) {
		path_dir(m->spill_path, spill_dir, sizeof spill_dir);
		if (snprintf(path, n, "%s/capscope-kept-%s%s", spill_dir, stamp, ext) >= (int)n ||
		    os_rename_replace(m->spill_path, path) != 0)
			return -1;
	}
	m->spill_path[0] = '\0'; /* no longer ours to remove */
	return 1;
}

/* Everything kept per packet follows the store's first packet: the list drops the rows
 * before it, the per-packet arrays their entries (stream marks, process tags, --resolve's
 * own packets), and the passes that read packets in order (refilter, conversations, the
 * stream pass) go on from it. */
static void follow_first(struct model *m, uint64_t first)
{
	model_rows_drop_head(m, first);
	model_streams_drop_head(m, first);
	model_procs_drop_head(m, first);
	model_resolve_drop_head(m, first);
	if (m->refilter_next < first)
		m->refilter_next = first;
	if (m->visible_total < first)
		m->visible_total = first;
	if (m->conv_upto < first)
		m->conv_upto = first;
}

/* The oldest packets up to `first` leave the spill file, and with it memory (see
 * follow_first). */
static void drop_head(struct model *m, uint64_t first)
{
	if (first <= store_first(m->store))
		return;
	store_drop_head(m->store, first);
	follow_first(m, first);
}

void model_number_from(struct model *m, uint64_t n)
{
	if (!m->store || store_count(m->store) != 0)
		return;
	store_number_from(m->store, n);
	m->spill_round = n;
	follow_first(m, n);
}

/* Packets of the last round (written before the rewind that began this one) whose records
 * start before `upto` are about to be written over. When one is, those of the next 1/32 of
 * the bound go with it, so that the list's rows move once per batch rather than once per
 * packet (each move shifts the row array). */
static void drop_overwritten(struct model *m, uint64_t upto)
{
	uint64_t first = store_first(m->store), slack = m->spill_max / 32;
	const struct store_pkt *p = store_get(m->store, first);

	if (first >= m->spill_round || !p || p->pos >= upto)
		return;
	while (first < m->spill_round && (p = store_get(m->store, first)) && p->pos < upto + slack)
		first++;
	drop_head(m, first);
}

uint64_t model_spill_room(struct model *m, uint64_t rec_bytes, char *why)
{
	/* past the file header: pcapng's interface blocks (several sources) stay, so that the
	 * store and the saves read every interface after a wrap as before it */
	uint64_t pos = dump_bytes(m->spill), start = dump_head_bytes(m->spill);

	if (m->spill_max == 0 || pos + rec_bytes <= m->spill_max) {
		if (m->spill_round > store_first(m->store))
			drop_overwritten(m, pos + rec_bytes);
		return pos;
	}
	if (m->spill_stop || start + rec_bytes > m->spill_max) {
		/* what was written is kept: flushed, so that the stop keeps every packet */
		if (dump_flush(m->spill, why) == 0)
			snprintf(why, DUMP_ERRLEN,
			         "the temporary file reached --spill-max (%llu bytes)",
			         (unsigned long long)m->spill_max);
		return UINT64_MAX;
	}
	/* the ring: back to the start; what older rounds left at the file's end goes first */
	if (dump_rewind(m->spill, start, why) < 0)
		return UINT64_MAX;
	drop_head(m, m->spill_round);
	m->spill_round = store_count(m->store);
	store_writer_rewound(m->store);
	drop_overwritten(m, start + rec_bytes);
	return start;
}
