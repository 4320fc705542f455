/*
 * summary.c - the one-line summary for the packet list (struct summary in dissect.h).
 *
 * Each layer that is not inside a quoted packet overwrites the summary, so the innermost
 * decoded layer wins. Info text is built with the small appenders below instead of
 * snprintf: this runs once per packet on the --print path.
 */
#include <string.h>

#include "base/addr.h"
#include "decode/dissector.h"
#include "base/escape.h"

bool sum_begin(struct dissection *d, enum proto p)
{
	if (d->quoted)
		return false;
	d->sum.proto = (uint16_t)p;
	d->sum.info[0] = '\0';
	d->sum.info_later = NULL;
	return true;
}

void sum_info_later(struct dissection *d, void (*fn)(struct dissection *d), uint32_t a0,
                    uint32_t a1)
{
	d->sum.info[0] = '\0';
	if (d->lean) /* dissect_transport(): no text at all */
		return;
	d->sum.info_later = fn;
	d->sum.info_arg[0] = a0;
	d->sum.info_arg[1] = a1;
}

void sum_info_flush(struct dissection *d)
{
	void (*fn)(struct dissection * d) = d->sum.info_later;

	d->sum.info_later = NULL;
	if (fn)
		fn(d);
}

void sum_addrs(struct dissection *d, enum proto net, const uint8_t *src, const uint8_t *dst)
{
	if (d->quoted)
		return;
	d->sum.net = (uint16_t)net;
	memset(d->sum.src, 0, sizeof(d->sum.src));
	memset(d->sum.dst, 0, sizeof(d->sum.dst));
	/* constant sizes: a few moves, not two memcpy() calls (this runs twice a packet) */
	if (net == P_IPV4) {
		memcpy(d->sum.src, src, 4);
		memcpy(d->sum.dst, dst, 4);
	} else if (net == P_IPV6) {
		memcpy(d->sum.src, src, 16);
		memcpy(d->sum.dst, dst, 16);
	} else {
		memcpy(d->sum.src, src, 6);
		memcpy(d->sum.dst, dst, 6);
	}
	d->sum.has_addrs = true;
	d->sum.has_ports = false;
	d->sum.transport = P_NONE;
	d->sum.tcp.ok = false;
	d->sum.udp_ok = false;
	d->sum.has_payload = false;
}

void sum_payload(struct dissection *d, const struct cursor *pay)
{
	if (d->quoted)
		return;
	d->sum.has_payload = true;
	d->sum.payload_off = pay->off;
	d->sum.payload_len = cur_left(pay);
}

void sum_ports(struct dissection *d, enum proto transport, uint16_t sport, uint16_t dport)
{
	if (d->quoted)
		return;
	d->sum.transport = (uint16_t)transport;
	d->sum.sport = sport;
	d->sum.dport = dport;
	d->sum.has_ports = true;
}

struct sbuf sum_info(struct dissection *d)
{
	/* dissect_transport(): a buffer with no room, so the text is not even formatted */
	struct sbuf b = {d->sum.info, 0, d->lean ? 0 : sizeof(d->sum.info)};

	d->sum.info_later = NULL;
	b.p[0] = '\0';
	return b;
}

void sb_mem(struct sbuf *b, const char *s, size_t n)
{
	size_t room = b->cap - 1 - b->len;

	if (n > room)
		n = room;
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

void sb_cut(struct sbuf *b, const char *s)
{
	while (b->len + 1 < b->cap && *s)
		b->p[b->len++] = *s++;
	b->p[b->len] = '\0';
}

void sb_u32(struct sbuf *b, uint32_t v)
{
	/* in place when it fits (10 digits and the NUL), as it nearly always does */
	if (b->cap && b->cap - b->len >= 11) {
		b->len += addr_u64_text(b->p + b->len, v);
		return;
	}
	char t[24];
	if (b->cap)
		sb_mem(b, t, addr_u64_text(t, v));
}

void sb_u64(struct sbuf *b, uint64_t v)
{
	char t[24];

	if (b->cap)
		sb_mem(b, t, addr_u64_text(t, v));
}

void sb_hex(struct sbuf *b, uint32_t v, unsigned width)
{
	static const char hexdig[] = "0123456789abcdef";
	char t[12] = "0x";

	if (!b->cap)
		return;
	if (width > 8)
		width = 8;
	for (unsigned i = 0; i < width; i++)
		t[2 + i] = hexdig[(v >> (4 * (width - 1 - i))) & 15];
	sb_mem(b, t, 2 + width);
}

void sb_ipv4(struct sbuf *b, const uint8_t a[4])
{
	char t[ADDR_TEXT_MAX];

	if (b->cap)
		sb_mem(b, t, addr_ipv4_text(t, a));
}

void sb_ipv6(struct sbuf *b, const uint8_t a[16])
{
	char t[ADDR_TEXT_MAX];

	if (b->cap)
		sb_mem(b, t, addr_ipv6_text(t, a));
}

void sb_mac(struct sbuf *b, const uint8_t a[6])
{
	char t[ADDR_TEXT_MAX];

	if (b->cap)
		sb_mem(b, t, addr_mac_text(t, a));
}

void sb_esc(struct sbuf *b, const char *s, size_t n)
{
	if (!b->cap)
		return;
	b->len += esc_str(b->p + b->len, b->cap - b->len, (const uint8_t *)s, n);
}

void sb_named(struct sbuf *b, const char *const *names, size_t n, unsigned v, const char *unknown)
{
	if (v < n && names[v]) {
		sb_str(b, names[v]);
		return;
	}
	sb_str(b, unknown);
	sb_str(b, " (");
	sb_u32(b, v);
	sb_str(b, ")");
}
