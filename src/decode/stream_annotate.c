/*
 * stream_annotate.c - stream_annotate() (stream.h): the packet's stream key from its summary,
 * the record from the table, the TCP verdict, and the fields and Info notes tshark shows for
 * them. The fields are synthetic (length 0 at the end of the transport header's layer node) and
 * go after every decoded field, in tshark's tree order among themselves.
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/echo_match.h"
#include "decode/stream_int.h"

/* The analysis flags with their field and Info note, in the order tshark adds them (its
 * notes are each put in front of the Info text, so the last one added reads first). */
static const struct {
	uint32_t flag;
	enum field_key key;
	const char *note; /* NULL: the duplicate ACK's note, built from its numbers */
} aflags[] = {
    {TA_RETRANSMISSION, K_TCP_ANALYSIS_RETRANSMISSION, "[TCP Retransmission] "},
    {TA_FAST_RETRANSMISSION, K_TCP_ANALYSIS_FAST_RETRANSMISSION, "[TCP Fast Retransmission] "},
    {TA_SPURIOUS_RETRANSMISSION, K_TCP_ANALYSIS_SPURIOUS_RETRANSMISSION,
     "[TCP Spurious Retransmission] "},
    {TA_OUT_OF_ORDER, K_TCP_ANALYSIS_OUT_OF_ORDER, "[TCP Out-Of-Order] "},
    {TA_LOST_PACKET, K_TCP_ANALYSIS_LOST_SEGMENT, "[TCP Previous segment not captured] "},
    {TA_ACK_LOST_PACKET, K_TCP_ANALYSIS_ACK_LOST_SEGMENT, "[TCP ACKed unseen segment] "},
    {TA_WINDOW_UPDATE, K_TCP_ANALYSIS_WINDOW_UPDATE, "[TCP Window Update] "},
    {TA_WINDOW_FULL, K_TCP_ANALYSIS_WINDOW_FULL, "[TCP Window Full] "},
    {TA_KEEP_ALIVE, K_TCP_ANALYSIS_KEEP_ALIVE, "[TCP Keep-Alive] "},
    {TA_KEEP_ALIVE_ACK, K_TCP_ANALYSIS_KEEP_ALIVE_ACK, "[TCP Keep-Alive ACK] "},
    {TA_DUPLICATE_ACK, K_TCP_ANALYSIS_DUPLICATE_ACK, NULL},
    {TA_ZERO_WINDOW_PROBE, K_TCP_ANALYSIS_ZERO_WINDOW_PROBE, "[TCP ZeroWindowProbe] "},
    {TA_ZERO_WINDOW, K_TCP_ANALYSIS_ZERO_WINDOW, "[TCP ZeroWindow] "},
    {TA_ZERO_WINDOW_PROBE_ACK, K_TCP_ANALYSIS_ZERO_WINDOW_PROBE_ACK, "[TCP ZeroWindowProbeAck] "},
    {TA_REUSED_PORTS, K_TCP_ANALYSIS_REUSED_PORTS, "[TCP Port numbers reused] "},
};

#define NFLAGS (sizeof aflags / sizeof aflags[0])

/* The packet's stream key and direction from its summary; false if it has no TCP/UDP ports. */
static bool key_of(const struct dissection *d, struct stream_key *k, int *dir)
{
	const struct summary *s = &d->sum;
	size_t alen = s->net == P_IPV4 ? 4 : s->net == P_IPV6 ? 16 : 6;
	int c;

	if ((s->transport != P_TCP && s->transport != P_UDP) || !s->has_ports || !s->has_addrs ||
	    (s->transport == P_TCP && !s->tcp.ok) || (s->transport == P_UDP && !s->udp_ok))
		return false;
	memset(k, 0, sizeof *k);
	k->proto = (uint8_t)s->transport;
	k->alen = (uint8_t)alen;
	c = memcmp(s->src, s->dst, alen);
	*dir = c > 0 || (c == 0 && s->sport > s->dport);
	memcpy(k->addr[*dir], s->src, alen);
	memcpy(k->addr[!*dir], s->dst, alen);
	k->port[*dir] = s->sport;
	k->port[!*dir] = s->dport;
	return true;
}

/* Where the synthetic fields point: the end of the transport layer's header. */
static uint32_t anchor(const struct dissection *d, enum proto p)
{
	for (uint16_t i = d->nf; i-- > 0;)
		if (d->f[i].type == FT_LAYER && d->f[i].proto == p && d->f[i].depth == 0)
			return d->f[i].off + d->f[i].len;
	return 0;
}

static void add(struct dissection *d, uint32_t off, const char *label, enum field_key k,
                enum field_type type, unsigned depth, uint64_t u)
{
	uint16_t i = fld_add(d, off, 0, label, k, type, depth, u);

	d->f[i].proto = P_TCP;
}

/* The flags subtree (tshark's tcp.analysis.flags and what it holds). */
static void add_flags(struct dissection *d, uint32_t off, const struct tcp_verdict *v)
{
	add(d, off, "TCP Analysis Flags", K_TCP_ANALYSIS_FLAGS, FT_PRESENT, 2, 0);
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(v->flags & aflags[i].flag))
			continue;
		add(d, off, aflags[i].note ? aflags[i].note : "[TCP Dup ACK]", aflags[i].key,
		    FT_PRESENT, 3, 0);
		if (aflags[i].flag & (TA_FAST_RETRANSMISSION | TA_SPURIOUS_RETRANSMISSION))
			add(d, off, "[TCP Retransmission]", K_TCP_ANALYSIS_RETRANSMISSION,
			    FT_PRESENT, 3, 0);
		if (aflags[i].flag == TA_DUPLICATE_ACK) {
			add(d, off, "Duplicate ACK #", K_TCP_ANALYSIS_DUPLICATE_ACK_NUM, FT_UINT, 3,
			    v->dupack_num);
			add(d, off, "Duplicate to the ACK in frame",
			    K_TCP_ANALYSIS_DUPLICATE_ACK_FRAME, FT_UINT, 3, v->dupack_frame);
		}
	}
}

/* tshark's "SEQ/ACK analysis" subtree: only for a packet it made a tcp_acked record for. */
static void add_analysis(struct dissection *d, uint32_t off, const struct stream_rec *r,
                         const struct tcp_verdict *v)
{
	if (!v->has_ta)
		return;
	add(d, off, "SEQ/ACK analysis", K_TCP_ANALYSIS, FT_PRESENT, 1, 0);
	if (v->acks_frame) {
		add(d, off, "This is an ACK to the segment in frame", K_TCP_ANALYSIS_ACKS_FRAME,
		    FT_UINT, 2, v->acks_frame);
		if (v->ack_rtt_ns)
			add(d, off, "The RTT to ACK the segment was", K_TCP_ANALYSIS_ACK_RTT,
			    FT_RELTIME, 2, (uint64_t)v->ack_rtt_ns);
	}
	if (r->first_rtt_ns)
		add(d, off, "iRTT", K_TCP_ANALYSIS_INITIAL_RTT, FT_RELTIME, 2,
		    (uint64_t)r->first_rtt_ns);
	if (v->bytes_in_flight)
		add(d, off, "Bytes in flight", K_TCP_ANALYSIS_BYTES_IN_FLIGHT, FT_UINT, 2,
		    v->bytes_in_flight);
	if (v->flags)
		add_flags(d, off, v);
}

static void add_tcp_fields(struct dissection *d, const struct stream_rec *r,
                           const struct tcp_verdict *v, int64_t ns, int64_t prev_ns)
{
	uint32_t off = anchor(d, P_TCP);

	add(d, off, "Stream index", K_TCP_STREAM, FT_UINT, 1, r->number);
	add(d, off, "Sequence number", K_TCP_SEQ, FT_UINT, 1, v->rel_seq);
	if (!v->raw)
		add(d, off, "Next sequence number", K_TCP_NXTSEQ, FT_UINT, 1, v->rel_nxtseq);
	add(d, off, "Acknowledgment number", K_TCP_ACK, FT_UINT, 1, v->rel_ack);
	add(d, off, "Calculated window size", K_TCP_WINDOW_SIZE, FT_UINT, 1, v->win_calc);
	add(d, off, "Time since first frame in this TCP stream", K_TCP_TIME_RELATIVE, FT_RELTIME, 1,
	    (uint64_t)(ns - r->first_ns));
	add(d, off, "Time since previous frame in this TCP stream", K_TCP_TIME_DELTA, FT_RELTIME, 1,
	    (uint64_t)(ns - prev_ns));
	add_analysis(d, off, r, v);
}

/* Puts note in front of the Info text (cut at its end when full). */
static void info_prepend(struct dissection *d, const char *note)
{
	char *info = d->sum.info;
	size_t n = strlen(note), have;

	dissect_info_write(d); /* TCP's, if left for --print's writer */
	have = strnlen(info, sizeof d->sum.info - 1);

	if (n >= sizeof d->sum.info)
		return;
	if (have + n >= sizeof d->sum.info)
		have = sizeof d->sum.info - 1 - n;
	memmove(info + n, info, have);
	memcpy(info, note, n);
	info[n + have] = '\0';
}

/* "[TCP Dup ACK 12#1] " */
static void dupack_note(char *out, size_t n, uint64_t frame, uint32_t num)
{
	struct sbuf b = {out, 0, n};

	out[0] = '\0';
	sb_str(&b, "[TCP Dup ACK ");
	sb_u64(&b, frame);
	sb_str(&b, "#");
	sb_u32(&b, num);
	sb_str(&b, "] ");
}

static void add_info_notes(struct dissection *d, uint32_t flags, uint64_t dupack_frame,
                           uint32_t dupack_num)
{
	char dup[48];

	if (!flags) /* nearly every segment: no walk over the table */
		return;
	for (size_t i = 0; i < NFLAGS; i++) {
		if (!(flags & aflags[i].flag))
			continue;
		if (!aflags[i].note)
			dupack_note(dup, sizeof dup, dupack_frame, dupack_num);
		info_prepend(d, aflags[i].note ? aflags[i].note : dup);
	}
}

void stream_info_notes(struct dissection *d, const struct stream_mark *mk)
{
	add_info_notes(d, mk->aflags, mk->dupack_frame, mk->dupack_num);
}

static void annotate_tcp(struct stream_table *t, struct dissection *d, const struct stream_key *k,
                         int dir, const struct frame_meta *m, struct stream_mark *out)
{
	const struct sum_tcp *h = &d->sum.tcp;
	int64_t ns = m->ts_sec * 1000000000 + m->ts_nsec;
	struct tcp_pkt p = {h->seq,    h->ack,    h->seglen, h->flags, h->win,
	                    h->wscale, m->number, ns,        h->sacked};
	struct tcp_verdict v;
	bool reused;
	struct stream_rec *r = stream_find(t, k, dir, &p, ns, &reused);
	int64_t prev_ns = r->last_ns;

	memset(&v, 0, sizeof v);
	if (reused)
		v.flags |= TA_REUSED_PORTS;
	if (!h->has_seglen)
		stream_tcp_raw(r, &p, &v, stream_analysis_on(t));
	else if (stream_analysis_on(t))
		stream_tcp_analyze(r, dir, &p, &v);
	else
		stream_tcp_relative(r, dir, &p, &v);
	r->last_ns = ns;
	/* Options cut by the capture: tshark 4.0 analysed the segment but threw before it added
	 * the SEQ/ACK tree and its Info notes (tcpdump beep-oobr); the state still counts it. */
	if (h->opts_cut)
		v.has_ta = false;
	if (d->tree)
		add_tcp_fields(d, r, &v, ns, prev_ns);
	if (!h->opts_cut)
		add_info_notes(d, v.flags, v.dupack_frame, v.dupack_num);
	out->number = r->number;
	out->first = r->fresh;
	r->fresh = false;
	out->dir = dir != r->first_dir;
	out->tcp_flags = (uint8_t)(h->flags & (SM_FIN | SM_SYN | SM_RST | SM_ACK));
	out->aflags = (uint16_t)v.flags;
	out->seglen = h->seglen;
	out->dupack_frame = v.dupack_frame;
	out->dupack_num = v.dupack_num;
	out->irtt_ns = r->first_rtt_ns;
}

void stream_annotate_mark(struct stream_table *t, struct dissection *d, const struct frame_meta *m,
                          struct stream_mark *out)
{
	struct stream_key k;
	int dir;

	memset(out, 0, sizeof *out);
	if (d->sum.echo.proto) { /* ICMP echoes have no stream: matched instead */
		struct echo_mark em;
		echo_annotate(stream_echo_table(t), d, m->number,
		              m->ts_sec * 1000000000 + m->ts_nsec, &em);
		out->echo_request = em.request_frame;
		return;
	}
	if (!key_of(d, &k, &dir))
		return;
	out->proto = k.proto;
	if (k.proto == P_TCP) {
		annotate_tcp(t, d, &k, dir, m, out);
		return;
	}
	int64_t ns = m->ts_sec * 1000000000 + m->ts_nsec;
	struct stream_rec *r = stream_find(t, &k, dir, NULL, ns, &(bool){false});
	out->number = r->number;
	out->first = r->fresh;
	r->fresh = false;
	out->dir = dir != r->first_dir;
	if (d->tree)
		fld_add(d, anchor(d, P_UDP), 0, "Stream index", K_UDP_STREAM, FT_UINT, 1,
		        r->number);
}

void stream_annotate(struct stream_table *t, struct dissection *d, const struct frame_meta *m)
{
	struct stream_mark ignored;

	stream_annotate_mark(t, d, m, &ignored);
}
