/*
 * model_streams.c - the monitor's stream marks and chains (see model_streams.h): one pass
 * behind the store (dissect_transport, then the stream table), the per stream chains, and
 * the analysis run again over one stream for the decode pane.
 */
#include "model/model_streams.h"

#include <stdlib.h>
#include <string.h>

#include "base/chunkarr.h"

#include "decode/echo_match.h"
#include "decode/frame_meta.h"
#include "decode/reasm.h"
#include "decode/names.h"
#include "decode/quic_conn.h"
#include "model/model.h"
#include "model/model_internal.h"
#include "model/model_ctxrows.h"
#include "platform/os.h"

/* One packet's mark, packed (the public struct stream_mark is built from it). Store indexes
 * are 64-bit; a mark keeps its links as 32-bit distances, so it stays 12 bytes. */
struct pmark {
	uint32_t number;
	uint32_t next; /* the stream's next packet is this many packets on; 0: none (yet) */
	uint16_t aflags;
	uint8_t bits; /* PM_* */
	uint8_t pad;
};

enum { PM_TCP = 1, PM_UDP = 2, PM_PROTO = 3, PM_DIR = 4 };
#define PM_FLAGS_SHIFT 3 /* SM_FIN, SM_SYN, SM_RST, SM_ACK (1, 2, 4, 16) in bits 3..7 */
/* A packet of no stream (PM_PROTO clear) that is an ICMP/ICMPv6 echo: the TCP flags' bits say
 * which, and `number` holds how far away the other message is (a request's reply, later, once
 * one answered it; a reply's request, earlier), as Wireshark's second pass shows them
 * (echo_match.h). */
enum { PM_ECHO = 8, PM_ECHO_REPLY = 16, PM_ECHO_ANSWERED = 32 };

/* A duplicate ACK's numbers for its Info note ("[TCP Dup ACK 12#3]"); few packets have one. */
struct dupack {
	uint64_t index, frame;
	uint32_t num;
};

/* A TCP stream's totals beside its chain (model_tcp_stream_sum). */
struct tcp_tot {
	uint64_t bytes[2];
	uint32_t packets[2];
	uint32_t retrans;
	int64_t first_ns, last_ns;
	uint8_t fin_dirs; /* bit d: a FIN was sent in direction d */
	bool rst;
};

/* A stream's chain (its first kept and its last packet, linked through the marks), initial
 * RTT and, for TCP, totals. */
struct srec {
	uint64_t first, last;
	int64_t irtt_ns;
	uint32_t number;
	struct tcp_tot tot;
};

/* The streams that still have packets in the store, of one protocol, found by number through
 * an open-addressing hash (slots hold a record's position + 1; 0 is empty). Bounded: a
 * stream whose every packet left with the spill file's ring is forgotten at the next drop
 * (sweep()); at most `max` records at once (4 x --max-streams): past that, a new stream's
 * packets are marked but not chained (counted in `unchained`, a packet each; follow and the
 * TCP streams table do not have them). */
struct srecs {
	struct srec *v;
	size_t n, cap, max;
	uint32_t *hash;
	size_t hcap; /* a power of two, at least twice cap */
	uint64_t unchained;
};

struct vec {
	void *v;
	uint64_t n, cap;
};

#define MS_RECS_PER_STREAM 4 /* records kept at most, per --max-streams */

struct model_streams {
	struct stream_table *t; /* the ingest pass */
	struct dissection *d;   /* its scratch (summary only) */
	struct chunkarr marks;  /* struct pmark per store packet, from the store's first */
	struct vec dups;        /* struct dupack, in index order, from dups_head on */
	uint64_t dups_head;
	struct srecs recs[2]; /* [0] TCP, [1] UDP */
	uint64_t skipped;     /* packets that left before the pass reached them */
	struct ms_counts counts;
	/* rows decoded in context along the pass (QUIC, TCP PDUs), for the list */
	struct model_ctxrows *rows;

	/* model_stream_fields: the last stream run again, up to store index `upto` */
	struct stream_table *rt;
	struct reasm *rr;      /* its TCP PDU reassembly, run along (decode/reasm.h) */
	struct quic_conns *rq; /* and its QUIC connections (a UDP stream's) */
	struct dissection *rd;
	uint8_t *rbuf;
	uint8_t *ibuf; /* the pass's packet bytes */
	int rproto;
	uint32_t rnumber;
	uint64_t rupto; /* MS_NONE: nothing run */

	/* the pass's share of a running live capture's time (see LIVE_DUTY_NS) */
	uint64_t win_start, win_used;

	/* the display filter's pass, with its own reassembly and QUIC connections (as headless
	 * -Y sees the fields: a ClientHello over two segments has its server name) */
	struct stream_table *ft;
	struct reasm *fr;
	struct quic_conns *fq;
	uint64_t fnext;
};

/* The display filter's pass forgets everything (its next packet must be the first). */
static void fpass_free(struct model_streams *s)
{
	stream_table_free(s->ft);
	reasm_free(s->fr);
	quic_conns_free(s->fq);
	s->ft = NULL;
	s->fr = NULL;
	s->fq = NULL;
	s->fnext = 0;
}

static bool vec_room(struct vec *v, size_t size)
{
	if (v->n < v->cap)
		return true;
	uint64_t cap = v->cap ? v->cap * 2 : 4096;
	void *p = realloc(v->v, cap * size);
	if (!p)
		return false;
	v->v = p;
	v->cap = cap;
	return true;
}

static struct model_streams *S(const struct model *m)
{
	return m->streams;
}

static size_t slot_of(const struct srecs *r, uint32_t number)
{
	return (size_t)((number * 2654435761u) & (r->hcap - 1));
}

static struct srec *srec_find(const struct srecs *r, uint32_t number)
{
	if (!r->hcap)
		return NULL;
	for (size_t h = slot_of(r, number);; h = (h + 1) & (r->hcap - 1)) {
		uint32_t k = r->hash[h];
		if (k == 0)
			return NULL;
		if (r->v[k - 1].number == number)
			return &r->v[k - 1];
	}
}

/* The hash again over v[0..n) (after a sweep moved records, or to grow it). */
static bool rehash(struct srecs *r, size_t hcap)
{
	uint32_t *h = hcap == r->hcap ? r->hash : calloc(hcap, sizeof *h);

	if (!h)
		return false;
	if (h == r->hash)
		memset(h, 0, hcap * sizeof *h);
	else
		free(r->hash);
	r->hash = h;
	r->hcap = hcap;
	for (size_t i = 0; i < r->n; i++) {
		size_t k = slot_of(r, r->v[i].number);
		while (h[k])
			k = (k + 1) & (hcap - 1);
		h[k] = (uint32_t)(i + 1);
	}
	return true;
}

/* A new record for stream `number` whose first packet is index; NULL at the bound (counted)
 * or out of memory. */
static struct srec *srec_add(struct srecs *r, uint32_t number, uint64_t index)
{
	if (r->n >= r->max) {
		r->unchained++;
		return NULL;
	}
	if (r->n == r->cap) {
		size_t cap = r->cap ? r->cap * 2 : 1024;
		struct srec *v = realloc(r->v, cap * sizeof *v);
		if (!v)
			return NULL;
		r->v = v;
		r->cap = cap;
	}
	if (r->hcap < 2 * r->cap && !rehash(r, 4 * r->cap))
		return NULL;
	struct srec *e = &r->v[r->n];
	*e = (struct srec){.first = index, .last = index, .number = number};
	size_t k = slot_of(r, number);
	while (r->hash[k])
		k = (k + 1) & (r->hcap - 1);
	r->hash[k] = (uint32_t)++r->n;
	return e;
}

static void srecs_reset(struct srecs *r, size_t max)
{
	r->n = 0;
	r->unchained = 0;
	r->max = max;
	if (r->hash)
		memset(r->hash, 0, r->hcap * sizeof *r->hash);
}

static void srecs_free(struct srecs *r)
{
	free(r->v);
	free(r->hash);
	memset(r, 0, sizeof *r);
}

static size_t srecs_bytes(const struct srecs *r)
{
	return r->cap * sizeof *r->v + r->hcap * sizeof *r->hash;
}

bool model_streams_init(struct model *m)
{
	struct model_streams *s = calloc(1, sizeof *s);

	m->streams = s;
	if (!s)
		return false;
	s->d = calloc(1, sizeof *s->d); /* zeroed dissections: no QUIC connection table */
	s->rd = calloc(1, sizeof *s->rd);
	s->rbuf = malloc(SOURCE_DEFAULT_SNAPLEN);
	s->ibuf = malloc(SOURCE_DEFAULT_SNAPLEN);
	s->rupto = MS_NONE;
	chunkarr_init(&s->marks, sizeof(struct pmark));
	s->rows = model_ctxrows_create();
	if (!s->d || !s->rd || !s->rbuf || !s->ibuf || !s->rows)
		return false;
	model_streams_reset(m);
	return s->t != NULL;
}

void model_streams_free(struct model *m)
{
	struct model_streams *s = S(m);

	if (!s)
		return;
	stream_table_free(s->t);
	stream_table_free(s->rt);
	reasm_free(s->rr);
	quic_conns_free(s->rq);
	model_ctxrows_free(s->rows);
	fpass_free(s);
	chunkarr_free(&s->marks);
	free(s->dups.v);
	srecs_free(&s->recs[0]);
	srecs_free(&s->recs[1]);
	free(s->d);
	free(s->rd);
	free(s->rbuf);
	free(s->ibuf);
	free(s);
	m->streams = NULL;
}

void model_streams_reset(struct model *m)
{
	struct model_streams *s = S(m);

	stream_table_free(s->t);
	s->t = stream_table_create(m->max_streams, true);
	fpass_free(s);
	stream_table_free(s->rt);
	s->rt = NULL;
	s->rupto = MS_NONE;
	model_ctxrows_reset(s->rows);
	chunkarr_reset(&s->marks);
	s->dups.n = s->dups_head = s->skipped = 0;
	for (int p = 0; p < 2; p++)
		srecs_reset(&s->recs[p], m->max_streams * MS_RECS_PER_STREAM);
	memset(&s->counts, 0, sizeof s->counts);
}

static void count_flags(struct ms_counts *c, uint32_t f)
{
	if (!f)
		return;
	c->flagged++;
	c->retrans += (f & TA_ANY_RETRANSMISSION) != 0;
	c->lost += (f & (TA_LOST_PACKET | TA_ACK_LOST_PACKET)) != 0;
	c->dup_ack += (f & TA_DUPLICATE_ACK) != 0;
	c->out_of_order += (f & TA_OUT_OF_ORDER) != 0;
	c->zero_window += (f & TA_ZERO_WINDOW) != 0;
}

static struct pmark *pmark_at(struct model_streams *s, uint64_t index)
{
	return chunkarr_at(&s->marks, index);
}

/* Adds a packet to its TCP stream's totals. */
static void tcp_tot_add(struct srec *e, const struct stream_mark *mk, int64_t ns, uint32_t len)
{
	struct tcp_tot *t = &e->tot;

	if (t->packets[0] + t->packets[1] == 0)
		t->first_ns = ns;
	t->packets[mk->dir]++;
	t->bytes[mk->dir] += len;
	t->retrans += (mk->aflags & TA_ANY_RETRANSMISSION) != 0;
	t->last_ns = ns;
	if (mk->tcp_flags & SM_FIN)
		t->fin_dirs |= (uint8_t)(1u << mk->dir);
	if (mk->tcp_flags & SM_RST)
		t->rst = true;
}

/* Chains packet index to its stream (a new record at its first packet); NULL when it cannot
 * (the bound, out of memory: the packet stays unchained). */
static struct srec *chain_add(struct model_streams *s, const struct stream_mark *mk, uint64_t index)
{
	struct srecs *r = &s->recs[mk->proto == P_UDP];
	struct srec *e = srec_find(r, mk->number);
	struct pmark *last;

	if (!e) {
		if (!(e = srec_add(r, mk->number, index)))
			return NULL;
	} else if (mk->first) {
		/* a new stream under the number of an older one that still has packets held (the
		 * numbers wrapped at 2^32): the record is the new one's; the older packets keep
		 * their marks, but no chain leads to them (follow, the TCP streams table) */
		*e = (struct srec){.first = index, .last = index, .number = mk->number};
		if (s->rproto == mk->proto && s->rnumber == mk->number)
			s->rupto = MS_NONE; /* the decode pane's run was the older stream's */
	} else if (index - e->last <= UINT32_MAX && (last = pmark_at(s, e->last))) {
		last->next = (uint32_t)(index - e->last);
		e->last = index;
	} else {
		/* the last one is 4 billion packets back, or gone: the chain starts again here */
		e->first = e->last = index;
	}
	if (mk->irtt_ns)
		e->irtt_ns = mk->irtt_ns;
	return e;
}

/* The store index of frame number `frame` (index + 1, as model_frame_meta numbers), when it
 * is not after index; UINT64_MAX when it is (or 0: none). */
static uint64_t frame_back(uint64_t index, uint64_t frame)
{
	return frame >= 1 && frame <= index + 1 ? frame - 1 : UINT64_MAX;
}

/* An echo's mark; a reply that answers a request also completes the request's mark. */
static void echo_mark(struct model_streams *s, struct pmark *pm, const struct stream_mark *mk,
                      uint64_t index)
{
	uint64_t req = mk->echo_request ? frame_back(index, mk->echo_request) : UINT64_MAX;
	struct pmark *rq;

	pm->bits = PM_ECHO | (s->d->sum.echo.reply ? PM_ECHO_REPLY : 0);
	/* the mark keeps a 32-bit distance: a request 2^32 packets back is not linked */
	if (req >= index || index - req > UINT32_MAX || !(rq = pmark_at(s, req)))
		return;
	pm->number = (uint32_t)(index - req);
	rq->number = (uint32_t)(index - req);
	rq->bits |= PM_ECHO_ANSWERED;
}

/* Marks store packet `index` (the next one: index == the marks so far) from its bytes. */
static void mark_packet(struct model *m, uint64_t index, const uint8_t *data, uint32_t caplen)
{
	struct model_streams *s = S(m);
	const struct store_pkt *p = store_get(m->store, index);
	struct stream_mark mk = {0};
	struct frame_meta f;
	struct pmark pm = {0, 0, 0, 0, 0}, *slot;
	struct srec *e = NULL;
	int lt = store_linktype_of(m->store, index);

	if (!s->t || index != s->marks.n || !(slot = chunkarr_push(&s->marks)))
		return; /* unmarked from here on: the views show no stream facts */
	dissect_transport(s->d, lt, data, caplen, p->len);
	model_ctxrows_quic(s->rows, index, s->d, lt, data, caplen, p->len);
	/* names: the few packets on a port that carries names are decoded again, whole */
	if (m->names && names_learns_ports(s->d)) {
		dissect(m->ndiss, lt, data, caplen, p->len);
		names_learn(m->names, m->ndiss);
	}
	model_frame_meta(m, index, &f);
	stream_annotate_mark(s->t, s->d, &f, &mk);
	if (mk.proto == P_TCP && !m->no_reassembly)
		model_ctxrows_tcp(s->rows, index, s->d, &mk, lt, data, caplen, p->len);
	if (mk.proto) {
		pm.number = mk.number;
		pm.aflags = mk.aflags;
		pm.bits = (uint8_t)((mk.proto == P_UDP ? PM_UDP : PM_TCP) | (mk.dir ? PM_DIR : 0) |
		                    mk.tcp_flags << PM_FLAGS_SHIFT);
	} else if (s->d->sum.echo.proto)
		echo_mark(s, &pm, &mk, index);
	*slot = pm;
	if (mk.proto)
		e = chain_add(s, &mk, index); /* unchained (the bound): the mark keeps its facts */
	if ((mk.aflags & TA_DUPLICATE_ACK) && vec_room(&s->dups, sizeof(struct dupack)))
		((struct dupack *)s->dups.v)[s->dups.n++] =
		    (struct dupack){index, mk.dupack_frame, mk.dupack_num};
	count_flags(&s->counts, mk.aflags);
	if (mk.proto == P_TCP && e)
		tcp_tot_add(e, &mk, p->ts_ns, p->len);
}

uint64_t model_streams_pending(const struct model *m)
{
	const struct model_streams *s = S(m);
	uint64_t n = m->store ? store_count(m->store) : 0;

	return s && s->t && n > s->marks.n ? n - s->marks.n : 0;
}

/* While a live capture runs, the pass takes at most LIVE_DUTY_NS of each LIVE_WINDOW_NS: at top
 * speed it lags (and catches up when the traffic calms down or the capture stops) rather than
 * keep the UI thread busy and take CPU from the capture and the kernel. */
#define LIVE_WINDOW_NS (100ull * 1000 * 1000)
#define LIVE_DUTY_NS   (20ull * 1000 * 1000)

static bool live_running(const struct model *m)
{
	return m->kind != SOURCE_FILE && m->cap;
}

bool model_streams_due(const struct model *m)
{
	const struct model_streams *s = S(m);

	if (m->ring_behind || (m->kind == SOURCE_FILE && m->cap) || !model_streams_pending(m))
		return false;
	return !live_running(m) || os_monotonic_ns() - s->win_start >= LIVE_WINDOW_NS ||
	       s->win_used < LIVE_DUTY_NS;
}

/* Marks packets for at most budget_ns (within the live share when `share`). */
static bool step(struct model *m, uint64_t budget_ns, bool share)
{
	struct model_streams *s = S(m);
	uint64_t t0 = os_monotonic_ns(), n = 0;
	char err[STORE_ERRLEN];

	if (share && live_running(m)) {
		if (t0 - s->win_start >= LIVE_WINDOW_NS) {
			s->win_start = t0;
			s->win_used = 0;
		}
		if (s->win_used >= LIVE_DUTY_NS)
			return model_streams_pending(m) > 0;
		if (budget_ns > LIVE_DUTY_NS - s->win_used)
			budget_ns = LIVE_DUTY_NS - s->win_used;
	}

	while (model_streams_pending(m)) {
		uint64_t i = s->marks.n;
		const struct store_pkt *p = store_get(m->store, i);
		/* an unreadable packet is marked as no stream's */
		mark_packet(m, i, s->ibuf,
		            store_read(m->store, i, s->ibuf, err) < 0 ? 0 : p->caplen);
		if (s->marks.n == i) /* out of memory: the marks stop here */
			return false;
		if ((++n & 255) == 0 && os_monotonic_ns() - t0 > budget_ns)
			break;
	}
	s->win_used += os_monotonic_ns() - t0;
	return model_streams_pending(m) > 0;
}

void model_streams_number_from(struct model *m, uint64_t n)
{
	if (S(m)->t)
		stream_table_number_from(S(m)->t, n);
}

bool model_streams_step(struct model *m, uint64_t budget_ns)
{
	return step(m, budget_ns, true);
}

void model_streams_finish(struct model *m)
{
	/* the user asked for the stream: no share to keep; stops if memory runs out */
	while (step(m, UINT64_MAX, false) && model_streams_pending(m))
		;
}

void model_streams_truncate(struct model *m, uint64_t n)
{
	struct model_streams *s = S(m);

	/* chains may point past n now: walks stop at the last mark */
	chunkarr_truncate(&s->marks, n);
	while (s->dups.n > s->dups_head && ((struct dupack *)s->dups.v)[s->dups.n - 1].index >= n)
		s->dups.n--;
}

/* The record's chain from its first packet still held (walking the marks, which are still
 * there), or false when none of its packets is. */
static bool chain_from(struct model_streams *s, struct srec *e, uint64_t first)
{
	uint64_t i = e->first;
	const struct pmark *pm;

	if (e->last < first)
		return false;
	while (i < first) {
		if (!(pm = pmark_at(s, i)) || pm->next == 0)
			return false;
		i += pm->next;
	}
	e->first = i;
	return true;
}

/* Forgets the streams none of whose packets is held any more; the others start at their
 * first packet held. O(records + dropped packets), once a drop. */
static void sweep(struct model_streams *s, struct srecs *r, uint64_t first)
{
	size_t k = 0;

	for (size_t i = 0; i < r->n; i++)
		if (chain_from(s, &r->v[i], first))
			r->v[k++] = r->v[i];
	if (k == r->n)
		return;
	r->n = k;
	rehash(r, r->hcap);
}

void model_streams_drop_head(struct model *m, uint64_t first)
{
	struct model_streams *s = S(m);
	struct dupack *d;

	if (!s || first <= s->marks.first)
		return;
	d = s->dups.v;
	sweep(s, &s->recs[0], first);
	sweep(s, &s->recs[1], first);
	while (s->dups_head < s->dups.n && d[s->dups_head].index < first)
		s->dups_head++;
	if (s->dups_head > s->dups.n / 2) { /* the head moves down in O(1) a duplicate ACK */
		memmove(d, d + s->dups_head, (s->dups.n - s->dups_head) * sizeof *d);
		s->dups.n -= s->dups_head;
		s->dups_head = 0;
	}
	model_ctxrows_drop_head(s->rows, first);
	if (s->rupto != MS_NONE && s->rupto < first)
		s->rupto = MS_NONE; /* the decode pane's run starts again from what is held */
	if (s->marks.n < first)
		s->skipped += first - s->marks.n;
	chunkarr_drop_head(&s->marks, first);
}

size_t model_streams_memory(const struct model *m)
{
	const struct model_streams *s = S(m);

	return chunkarr_bytes(&s->marks) + s->dups.cap * sizeof(struct dupack) +
	       srecs_bytes(&s->recs[0]) + srecs_bytes(&s->recs[1]) + model_ctxrows_memory(s->rows);
}

static const struct pmark *pmark_of(const struct model *m, uint64_t index)
{
	const struct model_streams *s = S(m);

	return s ? chunkarr_at(&s->marks, index) : NULL;
}

static const struct dupack *dupack_of(const struct model_streams *s, uint64_t index)
{
	const struct dupack *v = s->dups.v;
	uint64_t lo = s->dups_head, hi = s->dups.n;

	while (lo < hi) {
		uint64_t mid = lo + (hi - lo) / 2;
		if (v[mid].index < index)
			lo = mid + 1;
		else
			hi = mid;
	}
	return lo < s->dups.n && v[lo].index == index ? &v[lo] : NULL;
}

bool model_stream_marked(const struct model *m, uint64_t index)
{
	return S(m) && index < S(m)->marks.n;
}

static const struct srec *rec_of(const struct model *m, int proto, uint64_t number)
{
	const struct model_streams *s = S(m);

	if (!s || (proto != P_TCP && proto != P_UDP) || number > UINT32_MAX)
		return NULL;
	return srec_find(&s->recs[proto == P_UDP], (uint32_t)number);
}

bool model_stream_mark(const struct model *m, uint64_t index, struct stream_mark *out)
{
	const struct pmark *pm = pmark_of(m, index);
	const struct dupack *da;

	memset(out, 0, sizeof *out);
	if (!pm || !(pm->bits & PM_PROTO))
		return false;
	out->number = pm->number;
	out->proto = (pm->bits & PM_PROTO) == PM_UDP ? P_UDP : P_TCP;
	out->dir = (pm->bits & PM_DIR) != 0;
	out->tcp_flags = (uint8_t)(pm->bits >> PM_FLAGS_SHIFT);
	out->aflags = pm->aflags;
	if ((pm->aflags & TA_DUPLICATE_ACK) && (da = dupack_of(S(m), index))) {
		out->dupack_frame = da->frame;
		out->dupack_num = da->num;
	}
	const struct srec *e = rec_of(m, out->proto, pm->number);
	if (e)
		out->irtt_ns = e->irtt_ns;
	return true;
}

uint64_t model_stream_first(const struct model *m, int proto, uint64_t number)
{
	const struct srec *e = rec_of(m, proto, number);

	return e && e->first < S(m)->marks.n ? e->first : MS_NONE;
}

uint64_t model_stream_next(const struct model *m, uint64_t index)
{
	const struct pmark *pm = pmark_of(m, index);

	if (!pm || pm->next == 0 || index + pm->next >= S(m)->marks.n)
		return MS_NONE;
	return index + pm->next;
}

void model_stream_counts(const struct model *m, struct ms_counts *out)
{
	const struct model_streams *s = S(m);
	struct stream_stats st;

	*out = s->counts;
	out->unchained = s->recs[0].unchained + s->recs[1].unchained;
	out->skipped = s->skipped;
	if (!s->t)
		return;
	stream_table_stats(s->t, &st);
	out->streams[0] = st.tcp_streams;
	out->streams[1] = st.udp_streams;
	out->untracked = st.evicted;
}

static void tcp_sum_of(const struct srec *e, struct tcp_stream_sum *out)
{
	const struct tcp_tot *t = &e->tot;

	out->number = e->number;
	out->first_index = e->first;
	for (int d = 0; d < 2; d++) {
		out->packets[d] = t->packets[d];
		out->bytes[d] = t->bytes[d];
	}
	out->first_ns = t->first_ns;
	out->last_ns = t->last_ns;
	out->retrans = t->retrans;
	out->irtt_ns = e->irtt_ns;
	out->state = t->rst             ? TS_RESET
	             : t->fin_dirs == 3 ? TS_CLOSED
	             : t->fin_dirs      ? TS_HALF_CLOSED
	                                : TS_OPEN;
}

bool model_tcp_stream_sum(const struct model *m, uint64_t number, struct tcp_stream_sum *out)
{
	const struct srec *e = rec_of(m, P_TCP, number);

	if (!e || e->first >= S(m)->marks.n)
		return false;
	tcp_sum_of(e, out);
	return true;
}

uint64_t model_tcp_stream_count(const struct model *m)
{
	return S(m) ? S(m)->recs[0].n : 0;
}

bool model_tcp_stream_at(const struct model *m, uint64_t k, struct tcp_stream_sum *out)
{
	const struct model_streams *s = S(m);

	if (!s || k >= s->recs[0].n)
		return false;
	tcp_sum_of(&s->recs[0].v[k], out);
	return true;
}

bool model_stream_bad(const struct model *m, uint64_t index)
{
	const struct pmark *pm = pmark_of(m, index);

	return pm && (pm->aflags & ~(TA_WINDOW_UPDATE | TA_KEEP_ALIVE | TA_KEEP_ALIVE_ACK));
}

/* An echo's second-pass view (echo_match.h) from its mark; false if it is none. A request
 * with no reply is "(no response found!)" only once the pass has marked every packet. */
static bool echo_view_of(const struct model *m, uint64_t index, struct echo_view *v)
{
	const struct pmark *pm = pmark_of(m, index);
	const struct store_pkt *p, *q;

	if (!pm || (pm->bits & PM_PROTO) || !(pm->bits & PM_ECHO))
		return false;
	uint64_t other = UINT64_MAX; /* the other message's store index */

	v->reply = (pm->bits & PM_ECHO_REPLY) != 0;
	if (pm->number && v->reply && pm->number <= index)
		other = index - pm->number;
	else if (pm->number && (pm->bits & PM_ECHO_ANSWERED))
		other = index + pm->number;
	/* the decoder's frame numbers are 32-bit: past 2^32 the note's number wraps */
	v->frame = other == UINT64_MAX ? 0 : (uint32_t)(other + 1);
	v->resp_ns = 0;
	if (v->reply && other != UINT64_MAX && (p = store_get(m->store, index)) &&
	    (q = store_get(m->store, other)))
		v->resp_ns = p->ts_ns - q->ts_ns;
	return v->frame || v->reply || model_streams_pending(m) == 0;
}

void model_stream_notes(const struct model *m, uint64_t index, struct dissection *d)
{
	struct stream_mark mk;
	struct echo_view ev;

	if (model_stream_mark(m, index, &mk) && mk.aflags)
		stream_info_notes(d, &mk);
	else if (echo_view_of(m, index, &ev))
		echo_show(d, &ev);
}

/* The stream number field the run-again table wrote (it numbers from 0) becomes the real one. */
static void renumber(struct dissection *d, const struct stream_mark *mk)
{
	enum field_key k = mk->proto == P_UDP ? K_UDP_STREAM : K_TCP_STREAM;

	for (uint16_t i = 0; i < d->nf; i++)
		if (d->f[i].key == k)
			d->f[i].u = mk->number;
}

/* Moves the fields from `from` on (the stream fields, appended at the end) to the end of the
 * transport layer's own fields, where tshark's tree shows them and the decode pane groups
 * them under TCP or UDP rather than under whatever layer came last (Data, DNS ...). The
 * application layer's bounds for reassembly (d->app_nf, app_end) move with what they hold. */
static void move_under_transport(struct dissection *d, uint16_t from, const struct stream_mark *mk)
{
	enum proto p = mk->proto == P_UDP ? P_UDP : P_TCP;
	uint16_t layer = UINT16_MAX, end, n = (uint16_t)(d->nf - from);
	struct field moved[64];

	for (uint16_t i = 0; i < from; i++)
		if (d->f[i].type == FT_LAYER && d->f[i].proto == p && d->f[i].depth == 0)
			layer = i; /* the innermost one: a tunnel's inner TCP, as the stream's */
	if (layer == UINT16_MAX || n == 0 || n > 64)
		return;
	for (end = (uint16_t)(layer + 1); end < from && d->f[end].depth > 0; end++)
		;
	memcpy(moved, &d->f[from], n * sizeof *moved);
	memmove(&d->f[end + n], &d->f[end], (size_t)(from - end) * sizeof *moved);
	memcpy(&d->f[end], moved, n * sizeof *moved);
	if (d->app_nf >= end) {
		d->app_nf = (uint16_t)(d->app_nf + n);
		d->app_end = (uint16_t)(d->app_end + n);
	}
}

/* Runs the analysis over the stream's packets from `from` up to (not including) `to`, and
 * their TCP PDU reassembly (which needs their application layer: dissect_pdus()). */
static void run_stream(struct model *m, uint64_t from, uint64_t to)
{
	struct model_streams *s = S(m);
	char err[STORE_ERRLEN];
	struct frame_meta f;
	struct stream_mark mk;

	for (uint64_t i = from; i != MS_NONE && i < to; i = model_stream_next(m, i)) {
		const struct store_pkt *p = store_get(m->store, i);
		if (store_read(m->store, i, s->rbuf, err) < 0)
			continue;
		if (m->no_reassembly)
			dissect_transport(s->rd, store_linktype_of(m->store, i), s->rbuf, p->caplen,
			                  p->len);
		else
			dissect_pdus(s->rd, false, store_linktype_of(m->store, i), s->rbuf,
			             p->caplen, p->len);
		model_frame_meta(m, i, &f);
		stream_annotate_mark(s->rt, s->rd, &f, &mk);
		reasm_packet(s->rr, s->rd, &mk, f.number);
		s->rupto = i;
	}
}

/* Runs the analysis (and reassembly) over the stream of packet index up to it, going on from
 * the last run when it stopped earlier in the same stream (the user walking down a stream's
 * packets costs one packet a step); false when the packet has no stream or memory ran out. */
static bool replay_to(struct model *m, uint64_t index, struct stream_mark *mk)
{
	struct model_streams *s = S(m);
	uint64_t from;

	if (!model_stream_mark(m, index, mk))
		return false;
	if (s->rt && s->rupto != MS_NONE && s->rproto == mk->proto && s->rnumber == mk->number &&
	    s->rupto < index) {
		from = model_stream_next(m, s->rupto);
	} else {
		stream_table_free(s->rt);
		reasm_free(s->rr);
		quic_conns_free(s->rq);
		s->rt = stream_table_create(STREAM_MIN_MAX, true);
		s->rr = reasm_create(!m->no_reassembly);
		s->rq = quic_conns_create();
		s->rd->tls_hsr = reasm_tls_hsr(s->rr);
		s->rd->quic_conns = s->rq;
		s->rupto = MS_NONE;
		if (!s->rt || !s->rr || !s->rq)
			return false;
		s->rproto = mk->proto;
		s->rnumber = mk->number;
		from = model_stream_first(m, mk->proto, mk->number);
	}
	run_stream(m, from, index);
	return true;
}

void model_stream_prepare(struct model *m, uint64_t index, struct dissection *d)
{
	struct stream_mark mk;
	bool ok = replay_to(m, index, &mk);

	d->tls_hsr = ok ? reasm_tls_hsr(S(m)->rr) : NULL;
	d->quic_conns = ok ? S(m)->rq : NULL;
}

bool model_stream_row_summary(const struct model *m, uint64_t index, struct summary *sum)
{
	return model_ctxrows_summary(S(m)->rows, index, sum);
}

void model_stream_fields(struct model *m, uint64_t index, struct dissection *d)
{
	struct model_streams *s = S(m);
	struct stream_mark mk;
	struct frame_meta f;

	if (!model_stream_mark(m, index, &mk)) { /* no stream: an ICMP echo has its own marks */
		struct echo_view ev;
		if (echo_view_of(m, index, &ev))
			echo_show(d, &ev);
		return;
	}
	if (!replay_to(m, index, &mk))
		return;
	model_frame_meta(m, index, &f);
	uint16_t nf = d->nf;
	struct stream_mark here;
	stream_annotate_mark(s->rt, d, &f, &here);
	s->rupto = index;
	renumber(d, &mk);
	move_under_transport(d, nf, &mk);
	reasm_packet(s->rr, d, &here, f.number);
}

void model_streams_filter_reset(struct model *m)
{
	fpass_free(S(m));
}

void model_streams_filter_prepare(struct model *m, uint64_t index, struct dissection *d)
{
	struct model_streams *s = S(m);

	if (index == 0 || !s->ft) {
		fpass_free(s);
		s->ft = stream_table_create(m->max_streams, true);
		s->fr = reasm_create(!m->no_reassembly);
		s->fq = quic_conns_create();
		if (!s->ft || !s->fr || !s->fq)
			fpass_free(s);
	}
	/* out of order only after a failed spill write cut the store: no state is touched */
	bool on = s->ft && index >= s->fnext;
	d->tls_hsr = on ? reasm_tls_hsr(s->fr) : NULL;
	d->quic_conns = on ? s->fq : NULL;
}

void model_streams_filter(struct model *m, uint64_t index, struct dissection *d)
{
	struct model_streams *s = S(m);
	struct frame_meta f;
	struct stream_mark mk;

	if (!s->ft || index < s->fnext)
		return;
	model_frame_meta(m, index, &f);
	stream_annotate_mark(s->ft, d, &f, &mk);
	reasm_packet(s->fr, d, &mk, f.number);
	quic_conns_frame(s->fq, d, f.number);
	s->fnext = index + 1;
	/* an echo request's second-pass fields (icmp.resp_in, icmp.no_resp) once the marks know
	 * them, as Wireshark's filters see them; a reply's came from the pass just run */
	struct echo_view ev;
	if (d->sum.echo.proto && !d->sum.echo.reply && echo_view_of(m, index, &ev))
		echo_show(d, &ev);
}
