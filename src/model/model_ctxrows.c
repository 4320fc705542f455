/*
 * model_ctxrows.c - the monitor's QUIC connections and the list's QUIC summaries (see
 * model_ctxrows.h): a sorted vector of (store index, Protocol, Info offset) and the Info texts.
 */
#include "model/model_ctxrows.h"

#include <stdlib.h>
#include <string.h>

#include "decode/quic_conn.h"
#include "decode/reasm.h"

struct qsum {
	uint64_t index;
	uint32_t text; /* offset of the NUL-terminated Info in q->text */
	uint16_t proto;
};

struct model_ctxrows {
	struct quic_conns *conns;
	struct dissection *d;
	struct reasm *reasm;   /* TCP PDUs along the pass, as headless reassembles them */
	struct dissection *td; /* its scratch */
	struct dissection *ad; /* a row decoded alone, as the list would (no context) */
	struct qsum *sums;
	size_t head, nsums, capsums; /* sums[head..nsums) are held */
	char *text;
	size_t ntext, captext;
};

struct model_ctxrows *model_ctxrows_create(void)
{
	struct model_ctxrows *q = calloc(1, sizeof *q);

	if (!q)
		return NULL;
	q->conns = quic_conns_create();
	q->d = calloc(1, sizeof *q->d);
	q->td = calloc(1, sizeof *q->td);
	q->ad = calloc(1, sizeof *q->ad);
	q->reasm = reasm_create(true);
	if (!q->conns || !q->d || !q->td || !q->ad || !q->reasm) {
		model_ctxrows_free(q);
		return NULL;
	}
	q->d->quic_conns = q->conns;
	q->td->tls_hsr = reasm_tls_hsr(q->reasm);
	return q;
}

void model_ctxrows_free(struct model_ctxrows *q)
{
	if (!q)
		return;
	quic_conns_free(q->conns);
	free(q->d);
	free(q->td);
	free(q->ad);
	reasm_free(q->reasm);
	free(q->sums);
	free(q->text);
	free(q);
}

void model_ctxrows_reset(struct model_ctxrows *q)
{
	if (!q)
		return;
	memset(q->conns, 0, sizeof *q->conns);
	struct reasm *r = reasm_create(true);
	if (r) { /* else the old state goes on: rows of a stale stream, never memory unsafety */
		reasm_free(q->reasm);
		q->reasm = r;
		q->td->tls_hsr = reasm_tls_hsr(r);
	}
	q->head = q->nsums = 0;
	q->ntext = 0;
}

void model_ctxrows_drop_head(struct model_ctxrows *q, uint64_t first)
{
	size_t k, base;

	if (!q)
		return;
	while (q->head < q->nsums && q->sums[q->head].index < first)
		q->head++;
	if (q->head == 0 || q->head < q->nsums / 2)
		return;
	k = q->head;
	base = k < q->nsums ? q->sums[k].text : q->ntext;
	memmove(q->sums, q->sums + k, (q->nsums - k) * sizeof *q->sums);
	q->nsums -= k;
	q->head = 0;
	memmove(q->text, q->text + base, q->ntext - base);
	q->ntext -= base;
	for (size_t i = 0; i < q->nsums; i++)
		q->sums[i].text -= (uint32_t)base;
}

size_t model_ctxrows_memory(const struct model_ctxrows *q)
{
	return q ? q->capsums * sizeof *q->sums + q->captext : 0;
}

/* Room for one more summary of n text bytes, within the bound. */
static bool room(struct model_ctxrows *q, size_t n)
{
	if (q->nsums * sizeof *q->sums + q->ntext + n > MODEL_CTXROWS_MAX_BYTES)
		return false;
	if (q->nsums == q->capsums) {
		size_t cap = q->capsums ? q->capsums * 2 : 1024;
		struct qsum *s = realloc(q->sums, cap * sizeof *s);
		if (!s)
			return false;
		q->sums = s;
		q->capsums = cap;
	}
	if (q->ntext + n > q->captext) {
		size_t cap = q->captext ? q->captext : 16384;
		while (cap < q->ntext + n)
			cap *= 2;
		char *t = realloc(q->text, cap);
		if (!t)
			return false;
		q->text = t;
		q->captext = cap;
	}
	return true;
}

/* Keeps sum's Protocol and Info as packet index's row (indexes come in increasing order). */
static void keep(struct model_ctxrows *q, uint64_t index, const struct summary *sum)
{
	size_t n = strnlen(sum->info, sizeof sum->info - 1) + 1;

	if (!room(q, n))
		return;
	memcpy(q->text + q->ntext, sum->info, n);
	q->text[q->ntext + n - 1] = '\0';
	q->sums[q->nsums++] = (struct qsum){index, (uint32_t)q->ntext, sum->proto};
	q->ntext += n;
}

/* Whether the datagram may be QUIC: a long header (its first bit), or a conversation the
 * table took as QUIC (a short header's). Most UDP is neither and is not decoded again. */
static bool maybe_quic(const struct model_ctxrows *q, const struct summary *s, const uint8_t *data)
{
	return s->transport == P_UDP && s->has_payload && s->payload_len > 0 &&
	       ((data[s->payload_off] & 0x80) || quic_conv_is(q->conns, s));
}

void model_ctxrows_quic(struct model_ctxrows *q, uint64_t index, const struct dissection *td,
                        int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	if (!q || !maybe_quic(q, &td->sum, data))
		return;
	dissect_summary(q->d, linktype, data, caplen, len);
	/* a frame number is only needed for fragment fields, which a summary does not keep */
	quic_conns_frame(q->conns, q->d, index + 1);
	if (q->d->sum.proto != P_QUIC)
		return;
	keep(q, index, &q->d->sum);
}

void model_ctxrows_tcp(struct model_ctxrows *q, uint64_t index, const struct dissection *td,
                       const struct stream_mark *mk, int linktype, const uint8_t *data,
                       uint32_t caplen, uint32_t len)
{
	if (!q || mk->proto != P_TCP || td->sum.transport != P_TCP ||
	    (!(td->sum.has_payload && td->sum.payload_len > 0) && !(mk->tcp_flags & SM_FIN)))
		return;
	/* the row as headless prints it: the analysis notes, then reassembly (which may rewrite
	 * the Info and put the notes back) */
	dissect_pdus(q->td, false, linktype, data, caplen, len);
	if (mk->aflags)
		stream_info_notes(q->td, mk);
	reasm_packet(q->reasm, q->td, mk, index + 1);
	/* the row as the list shows it without this: decoded alone, the notes in front */
	dissect_summary(q->ad, linktype, data, caplen, len);
	if (mk->aflags)
		stream_info_notes(q->ad, mk);
	if (q->td->sum.proto == q->ad->sum.proto && strcmp(q->td->sum.info, q->ad->sum.info) == 0)
		return;
	keep(q, index, &q->td->sum);
}

bool model_ctxrows_summary(const struct model_ctxrows *q, uint64_t index, struct summary *sum)
{
	size_t lo = q ? q->head : 0, hi = q ? q->nsums : 0;

	while (lo < hi) { /* the pass adds indexes in increasing order */
		size_t mid = lo + (hi - lo) / 2;
		if (q->sums[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (!q || lo >= q->nsums || q->sums[lo].index != index)
		return false;
	sum->proto = q->sums[lo].proto;
	strncpy(sum->info, q->text + q->sums[lo].text, sizeof sum->info - 1);
	sum->info[sizeof sum->info - 1] = '\0';
	return true;
}
