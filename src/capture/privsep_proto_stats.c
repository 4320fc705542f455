/*
 * privsep_proto_stats.c - statistics mode's messages in the capture helper's protocol
 * (privsep_proto.h, PS_STATS_*): --stats and the monitor's rate graph count in the helper,
 * which holds the adapter; the main process reads the closed intervals back. Pure functions
 * over buffers, checked as untrusted on both sides (tests/fuzz/fuzz_privsep.c).
 */
#include "capture/privsep_proto.h"

#include <string.h>

/* A record's length is the interval or less; a little more is a late close (grace). */
#define MAX_DUR_NS (2ull * STATS_MAX_INTERVAL_MS * 1000000ull)

void ps_req_stats_open(struct ps_buf *b, uint16_t seq, const struct stats_opts *o)
{
	ps_begin(b, PS_STATS_OPEN, seq);
	ps_put_str(b, o->iface);
	ps_put_u32(b, (uint32_t)o->interval_ms);
	ps_put_u32(b, (uint32_t)(o->buffer_kib > 0 ? o->buffer_kib : 0));
	ps_put_u8(b, o->promisc);
	ps_put_str(b, o->filter);
}

void ps_get_stats_open(struct ps_rd *r, struct ps_stats_open *o, char *text, size_t cap)
{
	ps_get_str(r, o->iface, sizeof o->iface);
	o->interval_ms = (int32_t)ps_get_u32(r);
	o->buffer_kib = (int32_t)ps_get_u32(r);
	o->promisc = ps_get_u8(r) != 0;
	ps_get_str(r, text, cap);
	if (o->iface[0] == '\0' || o->interval_ms < STATS_MIN_INTERVAL_MS ||
	    o->interval_ms > STATS_MAX_INTERVAL_MS || o->buffer_kib < 0 ||
	    o->buffer_kib > PS_MAX_BUFKIB)
		r->bad = true;
}

void ps_req_stats_read(struct ps_buf *b, uint16_t seq, uint32_t id, uint64_t after)
{
	ps_begin(b, PS_STATS_READ, seq);
	ps_put_u64(b, after);
	ps_put_u32(b, id);
}

void ps_put_stats_batch(struct ps_buf *b, const struct ps_stats_batch *sb)
{
	ps_put_u8(b, sb->failed);
	ps_put_str(b, sb->failed ? sb->err : "");
	ps_put_u32(b, sb->n);
	for (uint32_t i = 0; i < sb->n && i < PS_STATS_BATCH; i++) {
		const struct stats_rec *rec = &sb->rec[i];

		ps_put_u64(b, rec->seq);
		ps_put_u64(b, (uint64_t)rec->end_ns);
		ps_put_u64(b, rec->dur_ns);
		ps_put_u64(b, rec->packets);
		ps_put_u64(b, rec->bytes);
		ps_put_u64(b, rec->drops);
	}
}

/* Sequence numbers only grow (no gap is required: the helper's history may have let older
 * ones go), lengths stay within two of the longest intervals. */
static void get_rec(struct ps_rd *r, uint64_t after, struct stats_rec *rec)
{
	rec->seq = ps_get_u64(r);
	rec->end_ns = (int64_t)ps_get_u64(r);
	rec->dur_ns = ps_get_u64(r);
	rec->packets = ps_get_u64(r);
	rec->bytes = ps_get_u64(r);
	rec->drops = ps_get_u64(r);
	if (rec->seq <= after || rec->dur_ns > MAX_DUR_NS)
		r->bad = true;
}

bool ps_get_stats_batch(struct ps_rd *r, uint64_t after, struct ps_stats_batch *sb)
{
	uint8_t failed = ps_get_u8(r);

	ps_get_str(r, sb->err, sizeof sb->err);
	sb->n = ps_get_u32(r);
	if (failed > 1 || sb->n > PS_STATS_BATCH)
		r->bad = true;
	sb->failed = failed == 1;
	for (uint32_t i = 0; i < sb->n && !r->bad; i++) {
		get_rec(r, after, &sb->rec[i]);
		after = sb->rec[i].seq;
	}
	if (!ps_rd_ok(r)) {
		sb->n = 0;
		sb->failed = false;
		sb->err[0] = '\0';
		return false;
	}
	return true;
}
