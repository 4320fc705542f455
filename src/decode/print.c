/* print.c - the one-line text output of a packet, with its hex dump under -x (see print.h;
 * JSON Lines are json.c, the hex lines hex.c). */
#include "decode/print.h"

#include <stdio.h>
#include <string.h>

#include "base/addr.h"
#include "decode/names.h"

void print_init(struct print_ctx *p, enum time_mode mode, int tsprec, bool hex)
{
	timefmt_init(&p->tf, mode, tsprec);
	p->tsprec = tsprec == 9 ? 9 : 6;
	p->hex = hex;
	p->number = 0;
	p->names = NULL;
	p->use_names = false;
}

static size_t put_str(char *out, const char *s)
{
	size_t n = strlen(s);
	memcpy(out, s, n);
	return n;
}

static size_t net_addr_text(const struct summary *s, const uint8_t *a, char *out)
{
	switch (s->net) {
	case P_IPV4:
		return addr_ipv4_text(out, a);
	case P_IPV6:
		return addr_ipv6_text(out, a);
	default:
		return addr_mac_text(out, a);
	}
}

size_t summary_endpoint(const struct summary *s, bool source, char *out)
{
	size_t n;

	if (!s->has_addrs) {
		out[0] = '\0';
		return 0;
	}
	n = net_addr_text(s, source ? s->src : s->dst, out);
	if (s->has_ports) {
		out[n++] = '.';
		n += addr_u64_text(out + n, source ? s->sport : s->dport);
	}
	out[n] = '\0';
	return n;
}

/* The WinPcap tutorial's UDPdump line, after its timestamp: every packet whose innermost
 * (not quoted) transport is UDP carried directly in IPv4, whatever the UDP payload (DNS too). */
static bool is_udp_over_ipv4(const struct summary *s)
{
	return s->net == P_IPV4 && s->has_ports && s->transport == P_UDP;
}

/* One endpoint, named (names_endpoint) when `named`, or "-" without addresses. */
static size_t endpoint(const struct summary *s, bool source, bool named, struct names *t, char *out)
{
	if (!s->has_addrs)
		return put_str(out, "-");
	return named ? names_endpoint(t, s, source, out) : summary_endpoint(s, source, out);
}

/* The line after its timestamp from the summary, the frame length and the malformed reason
 * ("" if none): all a --print line needs of a packet (print_pipe.c sends no more). */
static size_t summary_with(const struct summary *s, uint32_t len, const char *malformed, bool named,
                           struct names *t, char *out)
{
	size_t n = 0;

	if (is_udp_over_ipv4(s)) {
		n += put_str(out, "len:");
		n += addr_u64_text(out + n, len);
		out[n++] = ' ';
	}
	n += endpoint(s, true, named, t, out + n);
	n += put_str(out + n, " -> ");
	n += endpoint(s, false, named, t, out + n);
	if (!is_udp_over_ipv4(s)) {
		out[n++] = ' ';
		n += put_str(out + n, proto_name(s->proto));
		n += put_str(out + n, " len:");
		n += addr_u64_text(out + n, len);
		if (s->info[0]) {
			out[n++] = ' ';
			size_t il = strnlen(s->info, sizeof s->info);
			memcpy(out + n, s->info, il);
			n += il;
		}
	}
	if (malformed[0]) { /* truncated or invalid stays visible, as tcpdump's [|udp] */
		size_t ml = strnlen(malformed, DISS_MALFORMED_MAX);
		out[n++] = ' ';
		out[n++] = '[';
		memcpy(out + n, malformed, ml);
		n += ml;
		out[n++] = ']';
	}
	out[n] = '\0';
	return n;
}

size_t summary_text(const struct dissection *d, char *out)
{
	return summary_with(&d->sum, d->len, d->malformed, false, NULL, out);
}

size_t summary_text_named(const struct dissection *d, struct names *t, char *out)
{
	return summary_with(&d->sum, d->len, d->malformed, true, t, out);
}

void print_line(struct print_ctx *p, struct outbuf *ob, int64_t sec, uint32_t nsec, uint32_t len,
                const struct summary *s, const char *malformed)
{
	char *o = ob_reserve(ob, TIMEFMT_MAX + SUMMARY_MAX + 2);
	size_t n = timefmt_write(&p->tf, o, sec, nsec);

	o[n++] = ' ';
	n += summary_with(s, len, malformed, p->use_names, p->names, o + n);
	o[n++] = '\n';
	ob_commit(ob, n);
	p->number++;
}

/* The Interface column: the source's name and a space after the time (the time's own space
 * comes after it, so the line reads "TIME cs1 SRC → DST ..."). */
static void print_interface(const struct print_ctx *p, struct outbuf *ob, uint32_t ifidx)
{
	char *o;

	if (!p->if_names)
		return;
	if (ifidx < p->n_if) {
		ob_str(ob, p->if_names[ifidx]);
	} else {
		o = ob_reserve(ob, 16);
		ob_commit(ob, (size_t)snprintf(o, 16, "#%u", ifidx));
	}
	ob_char(ob, ' ');
}

void print_packet(struct print_ctx *p, struct outbuf *ob, const struct pkt_hdr *h,
                  const struct dissection *d)
{
	char *o;
	size_t n;

	if (!p->if_names) {
		print_line(p, ob, h->ts_sec, h->ts_nsec, d->len, &d->sum, d->malformed);
	} else { /* the time, the interface, then the rest of the line as print_line's */
		o = ob_reserve(ob, TIMEFMT_MAX + 1);
		n = timefmt_write(&p->tf, o, h->ts_sec, h->ts_nsec);
		o[n++] = ' ';
		ob_commit(ob, n);
		print_interface(p, ob, h->ifidx);
		o = ob_reserve(ob, SUMMARY_MAX + 1);
		n = summary_with(&d->sum, d->len, d->malformed, p->use_names, p->names, o);
		o[n++] = '\n';
		ob_commit(ob, n);
		p->number++;
	}
	if (p->hex)
		print_hex(ob, d->data, d->caplen);
}
