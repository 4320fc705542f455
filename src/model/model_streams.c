/*
 * model_streams.c - the monitor's stream marks and chains (see model_streams.h): one pass
 * behind the store (dissect_transport, then the stream table), the per stream chains, and
 * the analysis run again over one stream for the decode pane.
 */
#include "model/model_streams.h"

#include <stdlib.h>
#include <string.h>

#include "decode/echo_match.h"
#include "decode/frame_meta.h"
#include "decode/reasm.h"
#include "decode/names.h"
#include "decode/quic_conn.h"
#include "model/model.h"
#include "model/model_internal.h"
#include "model/model_ctxrows.h"
#include "platform/os.h"

/* One packet's mark, packed (the public struct stream_mark is built from it). */
struct pmark {
	uint32_t number;
	uint32_t next; /* store index of the stream's next packet, or UINT32_MAX */
	uint16_t aflags;
	uint8_t bits; /* PM_* */
	uint8_t pad;
};

enum { PM_TCP = 1, PM_UDP = 2, PM_PROTO = 3, PM_DIR = 4 };
#define PM_FLAGS_SHIFT 3 /* SM_FIN, SM_SYN, SM_RST, SM_ACK (1, 2, 4, 16) in bits 3..7 */
/* A packet of no stream (PM_PROTO clear) that is an ICMP/ICMPv6 echo: the TCP flags' bits say
 * which, and `number` holds the other message's frame (a request's reply once one answered
 * it, a reply's request), as Wireshark's second pass shows them (echo_match.h). */
enum { PM_ECHO = 8, PM_ECHO_REPLY = 16, PM_ECHO_ANSWERED = 32 };

#define NIL32 UINT32_MAX

/* A duplicate ACK's numbers for its Info note ("[TCP Dup ACK 12#3]"); few packets have one. */
struct dupack {
	uint32_t index, frame, num;
};

/* A stream number's chain and initial RTT. */
struct chain {
	uint32_t first, last;
	int64_t irtt_ns;
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

struct vec {
	void *v;
	uint64_t n, cap;
};

struct model_streams {
	struct stream_table *t; /* the ingest pass */
	struct dissection *d;   /* its scratch (summary only) */
	struct vec marks;       /* struct pmark per store packet */
	struct vec dups;        /* struct dupack, in index order */
	struct vec chains[2];   /* struct chain per stream number: [0] TCP, [1] UDP */
	struct vec tcp_tot;     /* struct tcp_tot per tcp.stream, beside chains[0] */
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
	free(s->marks.v);
	free(s->dups.v);
	free(s->chains[0].v);
	free(s->chains[1].v);
	free(s->tcp_tot.v);
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
	s->marks.n = s->dups.n = s->chains[0].n = s->chains[1].n = s->tcp_tot.n = 0;
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

/* Adds packet index to its TCP stream's totals. */
static void tcp_tot_add(struct model_streams *s, const struct stream_mark *mk, int64_t ns,
                        uint32_t len)
{
	struct vec *v = &s->tcp_tot;
	struct tcp_tot *t;

	while (mk->number >= v->n) {
		if (!vec_room(v, sizeof(struct tcp_tot)))
			return;
		((struct tcp_tot *)v->v)[v->n++] =
		    (struct tcp_tot){{0, 0}, {0, 0}, 0, ns, ns, 0, 0};
	}
	t = &((struct tcp_tot *)v->v)[mk->number];
	t->packets[mk->dir]++;
	t->bytes[mk->dir] += len;
	t->retrans += (mk->aflags & TA_ANY_RETRANSMISSION) != 0;
	t->last_ns = ns;
	if (mk->tcp_flags & SM_FIN)
		t->fin_dirs |= (uint8_t)(1u << mk->dir);
	if (mk->tcp_flags & SM_RST)
		t->rst = true;
}

/* Chains packet index to its stream; false when out of memory (the packet stays unchained). */
static bool chain_add(struct model_streams *s, const struct stream_mark *mk, uint32_t index)
{
	struct vec *v = &s->chains[mk->proto == P_UDP];
	struct chain *c;

	while (mk->number >= v->n) { /* numbers come in order: this runs once a new stream */
		if (!vec_room(v, sizeof(struct chain)))
			return false;
		((struct chain *)v->v)[v->n++] = (struct chain){NIL32, NIL32, 0};
	}
	c = &((struct chain *)v->v)[mk->number];
	if (c->last != NIL32)
		((struct pmark *)s->marks.v)[c->last].next = index;
	else
		c->first = index;
	c->last = index;
	if (mk->irtt_ns)
		c->irtt_ns = mk->irtt_ns;
	return true;
}

/* An echo's mark; a reply that answers a request also completes the request's mark. */
static void echo_mark(struct model_streams *s, struct pmark *pm, const struct stream_mark *mk,
                      uint64_t index)
{
	uint64_t req = (uint64_t)mk->echo_request - 1; /* frame numbers are indexes + 1 */

	pm->bits = PM_ECHO | (s->d->sum.echo.reply ? PM_ECHO_REPLY : 0);
	if (!mk->echo_request || req >= index)
		return;
	pm->number = mk->echo_request;
	((struct pmark *)s->marks.v)[req].number = (uint32_t)index + 1;
	((struct pmark *)s->marks.v)[req].bits |= PM_ECHO_ANSWERED;
}

/* Marks store packet `index` (the next one: index == the marks so far) from its bytes. */
static void mark_packet(struct model *m, uint64_t index, const uint8_t *data, uint32_t caplen)
{
	struct model_streams *s = S(m);
	const struct store_pkt *p = store_get(m->store, index);
	struct stream_mark mk = {0};
	struct frame_meta f;
	struct pmark pm = {0, NIL32, 0, 0, 0};

	if (!s->t || index != s->marks.n || index >= NIL32 ||
	    !vec_room(&s->marks, sizeof(struct pmark)))
		return; /* unmarked from here on: the views show no stream facts */
	dissect_transport(s->d, store_linktype(m->store), data, caplen, p->len);
	model_ctxrows_quic(s->rows, index, s->d, store_linktype(m->store), data, caplen, p->len);
	/* names: the few packets on a port that carries names are decoded again, whole */
	if (m->names && names_learns_ports(s->d)) {
		dissect(m->ndiss, store_linktype(m->store), data, caplen, p->len);
		names_learn(m->names, m->ndiss);
	}
	model_frame_meta(m, index, &f);
	stream_annotate_mark(s->t, s->d, &f, &mk);
	if (mk.proto == P_TCP && !m->no_reassembly)
		model_ctxrows_tcp(s->rows, index, s->d, &mk, store_linktype(m->store), data, caplen,
		                  p->len);
	if (mk.proto) {
		pm.number = mk.number;
		pm.aflags = mk.aflags;
		pm.bits = (uint8_t)((mk.proto == P_UDP ? PM_UDP : PM_TCP) | (mk.dir ? PM_DIR : 0) |
		                    mk.tcp_flags << PM_FLAGS_SHIFT);
	} else if (s->d->sum.echo.proto)
		echo_mark(s, &pm, &mk, index);
	((struct pmark *)s->marks.v)[s->marks.n++] = pm;
	if (mk.proto && !chain_add(s, &mk, (uint32_t)index))
		((struct pmark *)s->marks.v)[index].bits = 0;
	if ((mk.aflags & TA_DUPLICATE_ACK) && vec_room(&s->dups, sizeof(struct dupack)))
		((struct dupack *)s->dups.v)[s->dups.n++] =
		    (struct dupack){(uint32_t)index, mk.dupack_frame, mk.dupack_num};
	count_flags(&s->counts, mk.aflags);
	if (mk.proto == P_TCP)
		tcp_tot_add(s, &mk, p->ts_ns, p->len);
}

uint64_t model_streams_pending(const struct model *m)
{
	const struct model_streams *s = S(m);
	uint64_t n = m->store ? store_count(m->store) : 0;

	return s && s->t && n > s->marks.n && s->marks.n < NIL32 ? n - s->marks.n : 0;
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
	if (s->marks.n > n)
		s->marks.n = n;
	while (s->dups.n && ((struct dupack *)s->dups.v)[s->dups.n - 1].index >= n)
		s->dups.n--;
}

static const struct pmark *pmark_of(const struct model *m, uint64_t index)
{
	const struct model_streams *s = S(m);

	return s && index < s->marks.n ? &((const struct pmark *)s->marks.v)[index] : NULL;
}

static const struct dupack *dupack_of(const struct model_streams *s, uint64_t index)
{
	const struct dupack *v = s->dups.v;
	uint64_t lo = 0, hi = s->dups.n;

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
	const struct vec *v = &S(m)->chains[out->proto == P_UDP];
	if (pm->number < v->n)
		out->irtt_ns = ((const struct chain *)v->v)[pm->number].irtt_ns;
	return true;
}

uint64_t model_stream_first(const struct model *m, int proto, uint64_t number)
{
	const struct model_streams *s = S(m);
	const struct vec *v;

	if (!s || (proto != P_TCP && proto != P_UDP))
		return MS_NONE;
	v = &s->chains[proto == P_UDP];
	if (number >= v->n)
		return MS_NONE;
	uint32_t i = ((const struct chain *)v->v)[number].first;
	return i == NIL32 || i >= s->marks.n ? MS_NONE : i;
}

uint64_t model_stream_next(const struct model *m, uint64_t index)
{
	const struct pmark *pm = pmark_of(m, index);

	if (!pm || pm->next == NIL32 || pm->next >= S(m)->marks.n)
		return MS_NONE;
	return pm->next;
}

void model_stream_counts(const struct model *m, struct ms_counts *out)
{
	const struct model_streams *s = S(m);
	struct stream_stats st;

	*out = s->counts;
	if (!s->t)
		return;
	stream_table_stats(s->t, &st);
	out->streams[0] = st.tcp_streams;
	out->streams[1] = st.udp_streams;
	out->untracked = st.evicted;
}

bool model_tcp_stream_sum(const struct model *m, uint64_t number, struct tcp_stream_sum *out)
{
	const struct model_streams *s = S(m);
	uint64_t first = model_stream_first(m, P_TCP, number);

	if (first == MS_NONE || number >= s->tcp_tot.n)
		return false;
	const struct tcp_tot *t = &((const struct tcp_tot *)s->tcp_tot.v)[number];
	out->first_index = first;
	for (int d = 0; d < 2; d++) {
		out->packets[d] = t->packets[d];
		out->bytes[d] = t->bytes[d];
	}
	out->first_ns = t->first_ns;
	out->last_ns = t->last_ns;
	out->retrans = t->retrans;
	out->irtt_ns = ((const struct chain *)s->chains[0].v)[number].irtt_ns;
	out->state = t->rst             ? TS_RESET
	             : t->fin_dirs == 3 ? TS_CLOSED
	             : t->fin_dirs      ? TS_HALF_CLOSED
	                                : TS_OPEN;
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
	v->reply = (pm->bits & PM_ECHO_REPLY) != 0;
	v->frame = v->reply || (pm->bits & PM_ECHO_ANSWERED) ? pm->number : 0;
	v->resp_ns = 0;
	if (v->reply && v->frame && (p = store_get(m->store, index)) &&
	    (q = store_get(m->store, v->frame - 1)))
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
			dissect_transport(s->rd, store_linktype(m->store), s->rbuf, p->caplen,
			                  p->len);
		else
			dissect_pdus(s->rd, false, store_linktype(m->store), s->rbuf, p->caplen,
			             p->len);
		model_frame_meta(m, i, &f);
		stream_annotate_mark(s->rt, s->rd, &f, &mk);
		reasm_packet(s->rr, s->rd, &mk, (uint32_t)f.number);
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
	reasm_packet(s->rr, d, &here, (uint32_t)f.number);
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
	reasm_packet(s->fr, d, &mk, (uint32_t)f.number);
	quic_conns_frame(s->fq, d, (uint32_t)f.number);
	s->fnext = index + 1;
	/* an echo request's second-pass fields (icmp.resp_in, icmp.no_resp) once the marks know
	 * them, as Wireshark's filters see them; a reply's came from the pass just run */
	struct echo_view ev;
	if (d->sum.echo.proto && !d->sum.echo.reply && echo_view_of(m, index, &ev))
		echo_show(d, &ev);
}
