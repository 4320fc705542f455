/*
 * tcp.c - Transmission Control Protocol (RFC 9293; options RFC 7323, RFC 2018).
 *
 *    0                   1                   2                   3
 *   +-------------------------------+-------------------------------+
 *   |          Source Port          |       Destination Port        |
 *   +-------------------------------+-------------------------------+
 *   |                        Sequence Number                        |
 *   |                    Acknowledgment Number                      |
 *   +-------+-----+-----------------+-------------------------------+
 *   |  Data |     |C|E|U|A|P|R|S|F|                               |
 *   | Offset| Rsv |W|C|R|C|S|S|Y|I|            Window             |
 *   +-------+-----+-----------------+-------------------------------+
 *   |           Checksum            |         Urgent Pointer        |
 *   |                    Options (doff*4 - 20)                      |
 *   +---------------------------------------------------------------+
 */
#include "base/addr.h"
#include "decode/dissector.h"

#define TCP_MIN_HDR  20
#define TCP_MAX_OPTS 40

/* Flag bits, highest first as tshark lists them; `letter` is tcpdump's, in its order. */
static const struct {
	uint16_t bit;
	const char *label;
	enum field_key key;
} tcp_flags[] = {
    {0xe00, "Reserved", K_TCP_FLAGS_RES}, {0x100, "Accurate ECN", K_TCP_FLAGS_AE},
    {0x80, "CWR", K_TCP_FLAGS_CWR},       {0x40, "ECE", K_TCP_FLAGS_ECE},
    {0x20, "Urgent", K_TCP_FLAGS_URG},    {0x10, "ACK", K_TCP_FLAGS_ACK},
    {0x08, "Push", K_TCP_FLAGS_PUSH},     {0x04, "Reset", K_TCP_FLAGS_RESET},
    {0x02, "SYN", K_TCP_FLAGS_SYN},       {0x01, "FIN", K_TCP_FLAGS_FIN},
};

static const struct {
	uint16_t bit;
	char letter;
} tcpdump_flags[] = {
    {0x01, 'F'}, {0x02, 'S'}, {0x04, 'R'}, {0x08, 'P'},
    {0x10, '.'}, {0x20, 'U'}, {0x40, 'E'}, {0x80, 'W'},
};

static const char *const opt_names[] = {
    [0] = "End of Option List", [1] = "No-Operation",   [2] = "Maximum segment size",
    [3] = "Window scale",       [4] = "SACK permitted", [5] = "SACK",
    [8] = "Timestamps",
};

/* A SACK option's blocks (RFC 2018): what they span, summed as tshark does for its bytes in
 * flight (stream_tcp.c); a last block cut short counts nothing. */
static void tcp_sack(struct dissection *d, struct cursor *o, uint8_t len)
{
	uint32_t sum = 0;

	for (uint8_t left = len - 2u; left >= 8; left -= 8) {
		uint32_t l = cur_be32(o), r = cur_be32(o);
		sum += r - l;
	}
	cur_skip(o, (len - 2u) % 8);
	if (!d->quoted && !o->truncated)
		d->sum.tcp.sacked = sum;
}

/* The value of one option of `len` bytes (kind and length read): MSS, window scale (and the
 * multiplier tshark derives from it), timestamps; others are skipped. */
static void tcp_option_value(struct dissection *d, struct cursor *o, uint8_t kind, uint8_t len)
{
	uint32_t off = o->off;

	if (kind == 2 && len == 4) {
		fld_u16(d, o, "MSS value", K_TCP_OPTIONS_MSS_VAL, 3);
	} else if (kind == 3 && len == 3) {
		uint8_t shift = fld_u8(d, o, "Shift count", K_TCP_OPTIONS_WSCALE_SHIFT, 3);
		if (!d->quoted && !o->truncated)
			d->sum.tcp.wscale = (int8_t)(shift & 0x7f);
		fld_add(d, off, 1, "Multiplier", K_TCP_OPTIONS_WSCALE_MULTIPLIER, FT_UINT, 3,
		        1u << (shift < 14 ? shift : 14));
	} else if (kind == 5) {
		tcp_sack(d, o, len);
	} else if (kind == 8 && len == 10) {
		fld_u32(d, o, "Timestamp value", K_TCP_OPTIONS_TIMESTAMP_TSVAL, 3);
		fld_u32(d, o, "Timestamp echo reply", K_TCP_OPTIONS_TIMESTAMP_TSECR, 3);
	} else {
		cur_skip(o, len - 2u);
	}
}

/* Walks the options: a length below 2 or past the option area ends the walk. After an end of
 * list, tshark shows each zero padding byte as one more end of list and stops at a non-zero
 * one ("Non-zero header padding"), and so does this. */
static void tcp_options(struct dissection *d, struct cursor *o, uint16_t layer)
{
	bool eol = false;

	if (cur_left(o) > 0)
		fld_add(d, o->off, cur_left(o), "Options", K_TCP_OPTIONS, FT_BYTES, 1, 0);
	for (int n = 0; n < TCP_MAX_OPTS && cur_left(o) > 0; n++) {
		uint32_t off = o->off;
		uint8_t kind = cur_u8(o), len = 1;
		const char *name = kind < 9 && opt_names[kind] ? opt_names[kind] : "Option";

		if (eol && kind != 0)
			return;
		eol = kind == 0;
		if (kind <= 1) { /* end of list (each padding byte after it too), no-operation */
			fld_add(d, off, 1, name, K_TCP_OPTION_KIND, FT_UINT, 2, kind);
			continue;
		}
		len = cur_u8(o);
		if (o->truncated || len < 2 || len - 2u > cur_left(o)) {
			diss_invalid(d, layer, off, 2, "Bad option length", "tcp.option_len", len);
			return;
		}
		fld_add(d, off, len, name, K_TCP_OPTION_KIND, FT_UINT, 2, kind);
		fld_add(d, off + 1, 1, "Length", K_TCP_OPTION_LEN, FT_UINT, 3, len);
		tcp_option_value(d, o, kind, len);
	}
}

/* tcp_options() for a summary, which records no field: the same walk, keeping only what the
 * summary holds (the window scale, the SACK blocks' span) and the verdict on a bad length. */
static void tcp_options_summary(struct dissection *d, struct cursor *o, uint16_t layer)
{
	bool eol = false;

	for (int n = 0; n < TCP_MAX_OPTS && cur_left(o) > 0; n++) {
		uint32_t off = o->off;
		uint8_t kind = cur_u8(o), len;

		if (eol && kind != 0)
			return;
		eol = kind == 0;
		if (kind <= 1)
			continue;
		len = cur_u8(o);
		if (o->truncated || len < 2 || len - 2u > cur_left(o)) {
			diss_invalid(d, layer, off, 2, "Bad option length", "tcp.option_len", len);
			return;
		}
		if (kind == 3 && len == 3 && !d->quoted)
			d->sum.tcp.wscale = (int8_t)(o->base[o->off] & 0x7f);
		if (kind == 5)
			tcp_sack(d, o, len);
		else
			o->off += len - 2u; /* in the window: checked above */
	}
}

/* Copies s without its NUL; inline, so a literal's length is known when compiling. */
static inline size_t put(char *out, const char *s)
{
	size_t n = strlen(s);

	memcpy(out, s, n);
	return n;
}

/* TCP's Info is written straight into the Info buffer, which always has room for it (no
 * appender's checks: this runs for every TCP segment whose Info is TCP's). */
_Static_assert(sizeof(((struct summary *)0)->info) >= TCP_INFO_MAX, "TCP Info fits");

size_t tcp_info_text(char *o, const struct sum_tcp *t)
{
	size_t n = 0, nflags;

	n += put(o + n, "Flags [");
	nflags = n;
	for (size_t i = 0; i < sizeof(tcpdump_flags) / sizeof(tcpdump_flags[0]); i++)
		if (t->flags & tcpdump_flags[i].bit)
			o[n++] = tcpdump_flags[i].letter;
	if (n == nflags)
		n += put(o + n, "none");
	n += put(o + n, "], seq ");
	n += addr_u64_text(o + n, t->seq);
	if (t->flags & 0x10) {
		n += put(o + n, ", ack ");
		n += addr_u64_text(o + n, t->ack);
	}
	n += put(o + n, ", win ");
	n += addr_u64_text(o + n, t->win);
	n += put(o + n, ", length ");
	return n + addr_u64_text(o + n, t->seglen); /* and the NUL */
}

/* tcpdump's line from the innermost TCP header (d->sum.tcp): sum_info_later()'s formatter,
 * and tcp_info_again()'s. */
static void tcp_info(struct dissection *d)
{
	d->sum.info_later = NULL;
	d->sum.info[0] = '\0';
	if (d->lean) /* dissect_transport() formats no text */
		return;
	tcp_info_text(d->sum.info, &d->sum.tcp);
}

bool sum_info_is_tcp(const struct dissection *d)
{
	return d->sum.info_later == tcp_info;
}

void tcp_info_again(struct dissection *d)
{
	if (sum_begin(d, P_TCP))
		tcp_info(d);
}

/* Data offset and flags word: returns the header length, 0 if missing or invalid. */
static uint32_t tcp_offflags(struct dissection *d, struct cursor *c, uint16_t layer,
                             uint16_t *flags)
{
	uint32_t off = c->off;
	uint16_t w = cur_be16(c);

	if (c->truncated)
		return 0;
	*flags = w & 0x0fff;
	fld_add(d, off, 1, "Header length", K_TCP_HDR_LEN, FT_UINT, 1, (w >> 12) * 4u);
	d->f[fld_add(d, off, 2, "Flags", K_TCP_FLAGS, FT_HEX, 1, *flags)].width = 4;
	for (size_t i = 0; i < sizeof(tcp_flags) / sizeof(tcp_flags[0]); i++)
		fld_add(d, off, 2, tcp_flags[i].label, tcp_flags[i].key, FT_BOOL, 2,
		        (*flags & tcp_flags[i].bit) != 0);
	if ((w >> 12) < 5) {
		diss_invalid(d, layer, off, 1, "Bad header length", "tcp.hdr_len", w >> 12);
		return 0;
	}
	return (w >> 12) * 4u;
}

/* The fixed header's values. */
struct tcp_fixed {
	uint16_t sport, dport, flags, win;
	uint32_t seq, ack;
};

/* The fixed header read field by field (each recorded in a tree): returns the header length,
 * 0 when it is cut or invalid (marked so, nothing more to decode). */
static uint32_t tcp_fixed_fields(struct dissection *d, struct cursor *c, uint16_t layer,
                                 struct tcp_fixed *h)
{
	uint32_t hdr;

	h->sport = fld_u16(d, c, "Source port", K_TCP_SRCPORT, 1);
	h->dport = fld_u16(d, c, "Destination port", K_TCP_DSTPORT, 1);
	if (!c->truncated && d->quoted == 0 && sum_begin(d, P_TCP))
		sum_ports(d, P_TCP, h->sport, h->dport);
	/* Inside an ICMP error tshark 4.0 has no sequence analysis: it shows the number as it is
	 * as tcp.seq, and no tcp.seq_raw (pcapplusplus IcmpPackets, a header cut after it). */
	h->seq = d->quoted ? fld_u32(d, c, "Sequence number", K_TCP_SEQ, 1)
	                   : fld_u32(d, c, "Sequence number (raw)", K_TCP_SEQ_RAW, 1);
	h->ack = fld_u32(d, c, "Acknowledgment number (raw)", K_TCP_ACK_RAW, 1);
	hdr = tcp_offflags(d, c, layer, &h->flags);
	if (hdr == 0 && !c->truncated)
		return 0;
	h->win = fld_u16(d, c, "Window", K_TCP_WINDOW_SIZE_VALUE, 1);
	fld_hex(d, c, 2, 4, "Checksum", K_TCP_CHECKSUM, 1);
	fld_u16(d, c, "Urgent pointer", K_TCP_URGENT_POINTER, 1);
	if (c->truncated) {
		diss_trunc(d, layer, c);
		return 0;
	}
	return hdr;
}

static inline uint16_t be16_at(const uint8_t *p)
{
	return (uint16_t)(p[0] << 8 | p[1]);
}

static inline uint32_t be32_at(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* tcp_fixed_fields() for a summary (no field is recorded) of a header that is not quoted and
 * was captured whole, nearly every one: one bounds check for all its reads, the same values,
 * summary and verdict on the header length. */
static uint32_t tcp_fixed_summary(struct dissection *d, struct cursor *c, uint16_t layer,
                                  struct tcp_fixed *h)
{
	const uint8_t *p = cur_take(c, TCP_MIN_HDR);
	uint16_t w = be16_at(p + 12);

	h->sport = be16_at(p);
	h->dport = be16_at(p + 2);
	if (sum_begin(d, P_TCP))
		sum_ports(d, P_TCP, h->sport, h->dport);
	h->seq = be32_at(p + 4);
	h->ack = be32_at(p + 8);
	h->flags = w & 0x0fff;
	h->win = be16_at(p + 14);
	if ((w >> 12) < 5) {
		c->off -= TCP_MIN_HDR - 14; /* where tcp_offflags() stops */
		diss_invalid(d, layer, (uint32_t)(p + 12 - c->base), 1, "Bad header length",
		             "tcp.hdr_len", w >> 12);
		return 0;
	}
	return (w >> 12) * 4u;
}

void tcp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_TCP);
	uint16_t sport, dport, flags, win;
	uint32_t seq, ack, hdr;
	struct cursor opts, pay;
	struct tcp_fixed h = {0};

	if (!d->tree && !d->quoted && !c->truncated && cur_has(c, TCP_MIN_HDR))
		hdr = tcp_fixed_summary(d, c, layer, &h);
	else
		hdr = tcp_fixed_fields(d, c, layer, &h);
	if (hdr == 0)
		return;
	sport = h.sport;
	dport = h.dport;
	flags = h.flags;
	win = h.win;
	seq = h.seq;
	ack = h.ack;
	/* No length from below (a first IP fragment): tshark 4.0 has no segment length there
	 * (pinfo->fragmented), as for a segment shorter than its header: no tcp.len, and neither
	 * relative numbers nor analysis (tests/gen tcpa-noseglen). The bytes there are count for
	 * the Info text. A header quoted in an ICMP error still gets tcp.len. */
	bool seglen = plen != DISS_PLEN_UNKNOWN && plen >= hdr;
	if (plen == DISS_PLEN_UNKNOWN)
		plen = TCP_MIN_HDR + cur_left(c);
	/* tshark's tcp.len: what the layer below declared, less the header */
	if (seglen || d->quoted)
		fld_add(d, c->off, 0, "Segment length", K_TCP_LEN, FT_UINT, 1,
		        plen > hdr ? plen - hdr : 0);
	if (!d->quoted)
		d->sum.tcp = (struct sum_tcp){
		    seq, ack, plen > hdr ? plen - hdr : 0, flags, win, -1, true, 0, seglen, false};
	/* d->sum.tcp holds what the line shows (set just above when not quoted) */
	if (sum_begin(d, P_TCP))
		sum_info_later(d, tcp_info, 0, 0);
	opts = diss_window(c, hdr - TCP_MIN_HDR);
	if (!cur_skip(c, hdr - TCP_MIN_HDR)) {
		/* tshark throws in the options, before it adds its SEQ/ACK analysis tree */
		if (!d->quoted)
			d->sum.tcp.opts_cut = true;
		diss_trunc(d, layer, c);
		return;
	}
	if (d->tree)
		tcp_options(d, &opts, layer);
	else
		tcp_options_summary(d, &opts, layer);
	diss_layer_end(d, layer, c);
	pay = cur_rest(c);
	sum_payload(d, &pay);
	if (cur_left(&pay) > 0)
		fld_add(d, pay.off, cur_left(&pay), "Payload", K_TCP_PAYLOAD, FT_BYTES, 1, 0);
	if (!d->quoted) /* where reasm.c finds the application layer */
		d->app_nf = d->nf;
	if (!diss_port(d, &pay, P_TCP, sport, dport, plen > hdr ? plen - hdr : 0))
		diss_data(d, &pay);
}
