/*
 * null.c - BSD loopback headers (DLT_NULL, DLT_LOOP) and raw IP (DLT_RAW).
 * https://www.tcpdump.org/linktypes/LINKTYPE_NULL.html
 *
 *   +------------------------------+---------
 *   | address family (4)           | IPv4 or IPv6 packet
 *   +------------------------------+---------
 *
 * DLT_NULL stores the family in the capturing host's byte order, DLT_LOOP in network
 * order; files move between hosts, so both read the order that gives a small value (as
 * tcpdump does). AF_INET6 differs per OS: 10 Linux, 23 Windows, 24 NetBSD/OpenBSD,
 * 28 FreeBSD, 30 macOS; all are accepted.
 */
#include "decode/dissector.h"

#define NULL_HDR_LEN 4

struct af_row {
	uint32_t family;
	void (*fn)(struct dissection *d, struct cursor *c, uint32_t plen);
};

static const struct af_row af_rows[] = {
    {2, ipv4_dissect},  {10, ipv6_dissect}, {23, ipv6_dissect},
    {24, ipv6_dissect}, {28, ipv6_dissect}, {30, ipv6_dissect},
};

static void family_dissect(struct dissection *d, struct cursor *c, uint32_t plen, enum proto p)
{
	uint16_t layer = diss_layer(d, c, p);
	uint32_t off = c->off;
	uint32_t fam = cur_be32(c);
	struct cursor pay;

	if (c->truncated) {
		diss_trunc(d, layer, c);
		return;
	}
	diss_layer_end(d, layer, c);
	pay = cur_rest(c);
	plen = plen > NULL_HDR_LEN ? plen - NULL_HDR_LEN : 0;
	if ((fam & 0xffff0000u) && (fam & 0xffffu)) {
		/* Both halves set: not a family but an EtherType in the low half (tshark). */
		d->f[fld_add(d, off + 2, 2, "Type", K_NULL_TYPE, FT_HEX, 1, fam & 0xffff)].width =
		    4;
		diss_ethertype(d, &pay, (uint16_t)fam, plen);
		return;
	}
	if (fam & 0xffff0000u) /* written little-endian */
		fam = (fam >> 24) | ((fam >> 8) & 0xff00) | ((fam << 8) & 0xff0000) | (fam << 24);
	fld_add(d, off, NULL_HDR_LEN, "Family", K_NULL_FAMILY, FT_UINT, 1, fam);
	for (size_t i = 0; i < sizeof(af_rows) / sizeof(af_rows[0]); i++) {
		if (af_rows[i].family == fam) {
			af_rows[i].fn(d, &pay, plen);
			return;
		}
	}
	diss_data(d, &pay);
}

void null_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	family_dissect(d, c, plen, P_NULL);
}

void loop_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	family_dissect(d, c, plen, P_NULL);
}

/* Raw IP: no header at all; the version nibble picks IPv4 or IPv6. */
void raw_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	uint16_t layer = diss_layer(d, c, P_RAW);
	struct cursor pay = cur_rest(c);
	struct cursor peek = cur_rest(c);
	uint8_t v = cur_u8(&peek) >> 4;

	diss_layer_end(d, layer, c);
	if (v == 4)
		ipv4_dissect(d, &pay, plen);
	else if (v == 6)
		ipv6_dissect(d, &pay, plen);
	else
		diss_data(d, &pay);
}

/* LINKTYPE_IPV6: tshark 4.0 hands it to IPv6 whatever the version nibble says, so a packet
 * with another version is a bad IPv6 header there (tcpdump LINKTYPE_IPV6_invalid), not the
 * IPv4 packet it holds (LINKTYPE_IPV4 takes IPv6 in: tshark's IPv4 does that itself). */
void raw6_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	/* no "raw" layer either: tshark shows none for this link type */
	ipv6_dissect(d, c, plen);
}
