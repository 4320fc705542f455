/*
 * model_quic.c - the monitor's QUIC connections and the list's QUIC summaries (see
 * model_quic.h): a sorted vector of (store index, Protocol, Info offset) and the Info texts.
 */
#include "model/model_quic.h"

#include <stdlib.h>
#include <string.h>

#include "decode/quic_conn.h"

struct qsum {
	uint64_t index;
	uint32_t text; /* offset of the NUL-terminated Info in q->text */
	uint16_t proto;
};

struct model_quic {
	struct quic_conns *conns;
	struct dissection *d;
	struct qsum *sums;
	size_t nsums, capsums;
	char *text;
	size_t ntext, captext;
};

struct model_quic *model_quic_create(void)
{
	struct model_quic *q = calloc(1, sizeof *q);

	if (!q)
		return NULL;
	q->conns = quic_conns_create();
	q->d = calloc(1, sizeof *q->d);
	if (!q->conns || !q->d) {
		model_quic_free(q);
		return NULL;
	}
	q->d->quic_conns = q->conns;
	return q;
}

void model_quic_free(struct model_quic *q)
{
	if (!q)
		return;
	quic_conns_free(q->conns);
	free(q->d);
	free(q->sums);
	free(q->text);
	free(q);
}

void model_quic_reset(struct model_quic *q)
{
	if (!q)
		return;
	memset(q->conns, 0, sizeof *q->conns);
	q->nsums = 0;
	q->ntext = 0;
}

/* Room for one more summary of n text bytes, within the bound. */
static bool room(struct model_quic *q, size_t n)
{
	if (q->nsums * sizeof *q->sums + q->ntext + n > MODEL_QUIC_MAX_BYTES)
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

/* Whether the datagram may be QUIC: a long header (its first bit), or a conversation the
 * table took as QUIC (a short header's). Most UDP is neither and is not decoded again. */
static bool maybe_quic(const struct model_quic *q, const struct summary *s, const uint8_t *data)
{
	return s->transport == P_UDP && s->has_payload && s->payload_len > 0 &&
	       ((data[s->payload_off] & 0x80) || quic_conv_is(q->conns, s));
}

void model_quic_packet(struct model_quic *q, uint64_t index, const struct dissection *td,
                       int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	size_t n;

	if (!q || !maybe_quic(q, &td->sum, data))
		return;
	dissect_summary(q->d, linktype, data, caplen, len);
	/* a frame number is only needed for fragment fields, which a summary does not keep */
	quic_conns_frame(q->conns, q->d, (uint32_t)(index + 1));
	if (q->d->sum.proto != P_QUIC)
		return;
	n = strnlen(q->d->sum.info, sizeof q->d->sum.info - 1) + 1;
	if (!room(q, n))
		return;
	memcpy(q->text + q->ntext, q->d->sum.info, n);
	q->sums[q->nsums++] = (struct qsum){index, (uint32_t)q->ntext, q->d->sum.proto};
	q->ntext += n;
}

bool model_quic_summary(const struct model_quic *q, uint64_t index, struct summary *sum)
{
	size_t lo = 0, hi = q ? q->nsums : 0;

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
