/*
 * test_dissect.c - every dissector on a well-formed packet built here, then the same packet
 * cut at every caplen (no crash, "truncated <layer>" while a header is cut, every field
 * inside caplen), then lying headers from the synthetic corpus rebuilt in C.
 */
#include <pcap/dlt.h>
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/dissect.h"
#include "decode/dissector.h"
#include "decode/print.h"

static struct dissection d;

/* ---- packet building ---- */

struct pkt {
	uint8_t b[4200];
	uint32_t n;
};

static void put(struct pkt *p, const void *src, uint32_t n)
{
	memcpy(p->b + p->n, src, n);
	p->n += n;
}

static void put8(struct pkt *p, unsigned v)
{
	p->b[p->n++] = (uint8_t)v;
}

static void put16(struct pkt *p, unsigned v)
{
	put8(p, v >> 8);
	put8(p, v);
}

static void put32(struct pkt *p, uint32_t v)
{
	put16(p, v >> 16);
	put16(p, v & 0xffff);
}

static void set16(struct pkt *p, uint32_t at, unsigned v)
{
	p->b[at] = (uint8_t)(v >> 8);
	p->b[at + 1] = (uint8_t)v;
}

static const uint8_t mac_dst[6] = {0x02, 0, 0, 0, 0, 0x02};
static const uint8_t mac_src[6] = {0x02, 0, 0, 0, 0xab, 0x01};
static const uint8_t ip_a[4] = {10, 0, 0, 1};
static const uint8_t ip_b[4] = {10, 0, 0, 2};
static const uint8_t ip6_a[16] = {0x20, 0x01, 0x0d, 0xb8, [15] = 1};
static const uint8_t ip6_b[16] = {0xfe, 0x80, [11] = 0xff, [12] = 0xfe, [15] = 2};

static void eth(struct pkt *p, unsigned type)
{
	put(p, mac_dst, 6);
	put(p, mac_src, 6);
	put16(p, type);
}

/* IPv4 header with no options; returns where the total length is, to patch. */
static uint32_t ipv4(struct pkt *p, unsigned proto, unsigned paylen)
{
	uint32_t at = p->n;

	put8(p, 0x45);
	put8(p, 0);
	put16(p, 20 + paylen);
	put16(p, 0x1234);
	put16(p, 0);
	put8(p, 64);
	put8(p, proto);
	put16(p, 0);
	put(p, ip_a, 4);
	put(p, ip_b, 4);
	return at;
}

static void ipv6(struct pkt *p, unsigned nh, unsigned paylen)
{
	put32(p, 0x60000000);
	put16(p, paylen);
	put8(p, nh);
	put8(p, 64);
	put(p, ip6_a, 16);
	put(p, ip6_b, 16);
}

static void udp(struct pkt *p, unsigned sport, unsigned dport, unsigned paylen)
{
	put16(p, sport);
	put16(p, dport);
	put16(p, 8 + paylen);
	put16(p, 0);
}

/* A DNS query for example.com type A, 29 bytes. */
static void dns_query(struct pkt *p)
{
	put16(p, 0x1234);
	put16(p, 0x0100);
	put16(p, 1);
	put16(p, 0);
	put16(p, 0);
	put16(p, 0);
	put(p, "\7example\3com\0", 13);
	put16(p, 1);
	put16(p, 1);
}

/* ---- inspecting a dissection ---- */

static const struct field *key(enum field_key k)
{
	for (uint16_t i = 0; i < d.nf; i++)
		if (d.f[i].key == k)
			return &d.f[i];
	return NULL;
}

static int count_key(enum field_key k)
{
	int n = 0;

	for (uint16_t i = 0; i < d.nf; i++)
		n += d.f[i].key == k;
	return n;
}

/* The value text of the first field with key k, or "(absent)". */
static const char *val(enum field_key k)
{
	static char buf[512];
	const struct field *f = key(k);

	if (!f)
		return "(absent)";
	field_value_text(&d, f, buf, sizeof(buf));
	return buf;
}

static void run(int lt, const struct pkt *p)
{
	dissect(&d, lt, p->b, p->n, p->n);
}

/* An Ethernet packet captured to caplen bytes only. */
static void run_cut(const struct pkt *p, uint32_t caplen)
{
	dissect(&d, DLT_EN10MB, p->b, caplen, p->n);
}

/* Invariants that hold for any input: fields inside caplen, sane counts and text. */
static void check_invariants(uint32_t caplen)
{
	bool inside = true;
	char buf[64];

	CHECK(d.nf <= DISS_MAX_FIELDS);
	for (uint16_t i = 0; i < d.nf; i++) {
		inside &= d.f[i].off <= caplen && d.f[i].len <= caplen - d.f[i].off;
		field_value_text(&d, &d.f[i], buf, sizeof(buf));
	}
	CHECK(inside);
	CHECK(memchr(d.malformed, '\0', sizeof(d.malformed)) != NULL);
	CHECK(memchr(d.sum.info, '\0', sizeof(d.sum.info)) != NULL);
}

/*
 * Dissects p cut at every caplen. bounds[] lists header ends in increasing order with the
 * layer cut there: a caplen below bounds[i].end (and at or above the previous end) must
 * give "truncated <layer>"; at or past the last end, the packet must decode cleanly.
 */
struct bound {
	uint32_t end;
	const char *layer;
};

static void sweep(int lt, const struct pkt *p, const struct bound *b, size_t nb)
{
	char ctx[64], want[64];

	for (uint32_t cap = 0; cap <= p->n; cap++) {
		size_t i = 0;
		while (i < nb && cap >= b[i].end)
			i++;
		snprintf(ctx, sizeof(ctx), "caplen %u of %u", cap, p->n);
		check_context(ctx);
		dissect(&d, lt, p->b, cap, p->n);
		check_invariants(cap);
		if (i < nb) {
			snprintf(want, sizeof(want), "truncated %s", b[i].layer);
			CHECK_EQ_STR(d.malformed, want);
		} else {
			CHECK_EQ_STR(d.malformed, "");
		}
	}
	check_context(NULL);
}

/* ---- well-formed packets, each with its truncation sweep ---- */

static void test_eth_ipv4_udp_dns(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {34, "ip"}, {42, "udp"}, {71, "dns"}};

	eth(&p, 0x0800);
	ipv4(&p, 17, 8 + 29);
	udp(&p, 40000, 53, 29);
	dns_query(&p);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_ETH_DST), "02:00:00:00:00:02");
	CHECK_EQ_STR(val(K_ETH_SRC), "02:00:00:00:ab:01");
	CHECK_EQ_STR(val(K_ETH_TYPE), "0x0800");
	CHECK_EQ_STR(val(K_IP_SRC), "10.0.0.1");
	CHECK_EQ_STR(val(K_IP_DST), "10.0.0.2");
	CHECK_EQ_STR(val(K_IP_PROTO), "17");
	CHECK_EQ_STR(val(K_IP_TTL), "64");
	CHECK_EQ_STR(val(K_IP_LEN), "57");
	CHECK_EQ_STR(val(K_IP_FRAG_OFFSET), "0");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "40000");
	CHECK_EQ_STR(val(K_UDP_DSTPORT), "53");
	CHECK_EQ_STR(val(K_UDP_LENGTH), "37");
	CHECK_EQ_STR(val(K_DNS_ID), "0x1234");
	CHECK_EQ_STR(val(K_DNS_QRY_NAME), "example.com");
	CHECK_EQ_STR(val(K_DNS_QRY_TYPE), "1");
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->off, 34);
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->len, 2);
	CHECK_EQ_INT(key(K_IP_SRC)->off, 26);
	CHECK_EQ_INT(key(K_IP_SRC)->len, 4);
	CHECK_EQ_INT(key(K_DNS_QRY_NAME)->off, 54);
	CHECK_EQ_INT(key(K_DNS_QRY_NAME)->len, 13);
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->proto, P_UDP);
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->depth, 1);
	CHECK_EQ_INT(d.f[0].type, FT_LAYER);
	CHECK_EQ_STR(proto_name(P_ICMPV6), "ICMPv6");
	/* summary */
	CHECK_EQ_INT(d.sum.proto, P_DNS);
	CHECK_EQ_INT(d.sum.net, P_IPV4);
	CHECK(d.sum.has_addrs && d.sum.has_ports);
	CHECK(memcmp(d.sum.src, ip_a, 4) == 0 && memcmp(d.sum.dst, ip_b, 4) == 0);
	CHECK_EQ_INT(d.sum.sport, 40000);
	CHECK_EQ_INT(d.sum.dport, 53);
	CHECK_EQ_STR(d.sum.info, "Standard query 0x1234 A example.com");
	/* DNS over UDP over IPv4 still prints the UDPdump line (the transport decides) */
	CHECK_EQ_INT(d.sum.transport, P_UDP);
	{
		char line[SUMMARY_MAX];
		summary_text(&d, line);
		CHECK_EQ_STR(line, "len:71 10.0.0.1.40000 -> 10.0.0.2.53");
	}
	sweep(DLT_EN10MB, &p, b, 4);
}

static void test_udp_data_and_ip_window(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {34, "ip"}, {42, "udp"}};

	eth(&p, 0x0800);
	ipv4(&p, 17, 12);
	udp(&p, 1000, 9, 4);
	put32(&p, 0xdeadbeef);
	put(&p, "\0\0\0\0\0\0", 6); /* Ethernet padding: outside the IP total length */
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "length 4");
	CHECK_EQ_INT(d.sum.proto, P_UDP);
	/* the data layer: its bytes, then data.len */
	CHECK_EQ_INT(d.f[d.nf - 2].type, FT_BYTES);
	CHECK_EQ_INT(d.f[d.nf - 2].len, 4);
	CHECK_EQ_STR(val(K_DATA_LEN), "4");
	sweep(DLT_EN10MB, &p, b, 3);
}

static void test_vlan_stack(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"},  {18, "vlan"}, {22, "vlan"},
	                                 {26, "vlan"}, {46, "ip"},   {54, "udp"}};

	eth(&p, 0x88a8);
	put16(&p, 100);
	put16(&p, 0x8100);
	put16(&p, 0x2000 | 200);
	put16(&p, 0x9100);
	put16(&p, 300);
	put16(&p, 0x0800);
	ipv4(&p, 17, 8);
	udp(&p, 1, 2, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	/* tshark names the 802.1ad S-tag ieee8021ad.id: only the 802.1Q-style tags are vlan.id */
	CHECK_EQ_INT(count_key(K_VLAN_ID), 2);
	CHECK_EQ_STR(val(K_VLAN_ID), "200");
	CHECK_EQ_STR(val(K_ETH_TYPE), "0x88a8");
	CHECK_EQ_STR(val(K_IP_DST), "10.0.0.2");
	CHECK_EQ_INT(key(K_VLAN_ID)->off, 18);
	sweep(DLT_EN10MB, &p, b, 6);
}

static void test_eth_8023_and_unknown(void)
{
	struct pkt p = {0};

	eth(&p, 0x0026); /* 802.3 length: LLC follows */
	put(&p, "\x42\x42\x03", 3);
	for (int i = 0; i < 35; i++)
		put8(&p, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_ETH_TYPE), "(absent)");
	CHECK_EQ_INT(d.sum.proto, P_ETH);
	CHECK_EQ_INT(d.sum.net, P_NONE);
	CHECK(d.sum.has_addrs && memcmp(d.sum.src, mac_src, 6) == 0);
	CHECK_EQ_STR(d.sum.info, "802.3 length 38, length 52");
	p.n = 0;
	eth(&p, 0x88cc);
	put32(&p, 1);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "ethertype 0x88cc, length 18");
	dissect(&d, DLT_EN10MB, p.b, 13, 18);
	CHECK_EQ_STR(d.malformed, "truncated eth");
	CHECK(d.sum.has_addrs);
	dissect(&d, DLT_EN10MB, p.b, 11, 18);
	CHECK(!d.sum.has_addrs);
	/* tcpdump's l2tp-avp-overflow frame 7: 8 bytes captured. The source MAC does not fit,
	 * so nothing after it may be read (the type was once taken from bytes 6-7). */
	dissect(&d, DLT_EN10MB, p.b, 8, 18);
	CHECK_EQ_STR(d.malformed, "truncated eth");
	CHECK_EQ_STR(val(K_ETH_DST), "02:00:00:00:00:02");
	CHECK_EQ_STR(val(K_ETH_SRC), "(absent)");
	CHECK_EQ_STR(val(K_ETH_TYPE), "(absent)");
}

static void test_sll_sll2(void)
{
	struct pkt p = {0};
	static const struct bound b1[] = {{16, "sll"}, {36, "ip"}, {44, "udp"}};
	static const struct bound b2[] = {{20, "sll2"}, {40, "ip"}, {48, "udp"}};

	put16(&p, 0);
	put16(&p, 1);
	put16(&p, 6);
	put(&p, mac_src, 6);
	put16(&p, 0);
	put16(&p, 0x0800);
	ipv4(&p, 17, 8);
	udp(&p, 5, 6, 0);
	run(DLT_LINUX_SLL, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_UDP_DSTPORT), "6");
	CHECK_EQ_INT(d.f[1].proto, P_SLL);
	sweep(DLT_LINUX_SLL, &p, b1, 3);

	p.n = 0;
	put16(&p, 0x0800);
	put16(&p, 0);
	put32(&p, 3);
	put16(&p, 1);
	put8(&p, 4);
	put8(&p, 6);
	put(&p, mac_src, 6);
	put16(&p, 0);
	ipv4(&p, 17, 8);
	udp(&p, 5, 6, 0);
	run(DLT_LINUX_SLL2, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_IP_SRC), "10.0.0.1");
	sweep(DLT_LINUX_SLL2, &p, b2, 3);
}

static void test_null_loop_raw(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{4, "null"}, {24, "ip"}, {32, "udp"}};
	static const uint32_t fams[] = {0x02000000, 0x00000002, 0x0a000000,
	                                0x18000000, 0x1c000000, 0x1e000000};

	for (size_t i = 0; i < sizeof(fams) / sizeof(fams[0]); i++) {
		bool v6 = i >= 2;
		p.n = 0;
		put32(&p, fams[i]);
		if (v6)
			ipv6(&p, 17, 8);
		else
			ipv4(&p, 17, 8);
		udp(&p, 7, 8, 0);
		run(DLT_NULL, &p);
		CHECK_EQ_STR(d.malformed, "");
		CHECK_EQ_STR(val(K_UDP_SRCPORT), "7");
		CHECK_EQ_INT(d.sum.net, v6 ? P_IPV6 : P_IPV4);
		run(DLT_LOOP, &p);
		CHECK_EQ_STR(val(K_UDP_DSTPORT), "8");
	}
	p.n = 0;
	put32(&p, 2);
	ipv4(&p, 17, 8);
	udp(&p, 7, 8, 0);
	sweep(DLT_LOOP, &p, b, 3);
	/* raw IP, by every name a raw-IP link type goes by */
	run(DLT_RAW, &p); /* the family word makes it neither IPv4 nor IPv6 */
	CHECK_EQ_STR(val(K_IP_SRC), "(absent)");
	memmove(p.b, p.b + 4, p.n - 4);
	p.n -= 4;
	run(DLT_RAW, &p);
	CHECK_EQ_STR(val(K_IP_SRC), "10.0.0.1");
	run(101, &p);
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "7");
	run(DLT_IPV4, &p);
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "7");
	CHECK(dissect_linktype_supported(DLT_IPV6));
	CHECK(!dissect_linktype_supported(65000));
	CHECK(!dissect_linktype_supported(-1));
	run(65000, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_INT(d.f[d.nf - 2].type, FT_BYTES);
}

static void arp(struct pkt *p, unsigned op)
{
	put16(p, 1);
	put16(p, 0x0800);
	put8(p, 6);
	put8(p, 4);
	put16(p, op);
	put(p, mac_src, 6);
	put(p, ip_a, 4);
	put(p, op == 1 ? (const uint8_t *)"\0\0\0\0\0\0" : mac_dst, 6);
	put(p, ip_b, 4);
}

static void test_arp(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {42, "arp"}};

	eth(&p, 0x0806);
	arp(&p, 1);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_ARP_OPCODE), "1");
	CHECK_EQ_INT(d.sum.proto, P_ARP);
	CHECK_EQ_INT(d.sum.net, P_NONE);
	CHECK_EQ_STR(d.sum.info, "who-has 10.0.0.2 tell 10.0.0.1");
	sweep(DLT_EN10MB, &p, b, 2);
	p.n = 0;
	eth(&p, 0x0806);
	arp(&p, 2);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "reply 10.0.0.1 is-at 02:00:00:00:ab:01");
	/* P27: hlen and plen 255 with 40 bytes: truncated, nothing read past caplen */
	p.b[18] = 255;
	p.b[19] = 255;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "truncated arp");
	check_invariants(p.n);
}

static void test_ipv4_options_and_fragments(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {38, "ip"}, {46, "udp"}};

	eth(&p, 0x0800);
	ipv4(&p, 17, 4 + 8);
	p.b[14] = 0x46;
	p.n -= 0;                       /* options go after the addresses */
	put(&p, "\x94\x04\x00\x00", 4); /* router alert (length 4) */
	set16(&p, 16, 24 + 8);
	udp(&p, 1, 2, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->off, 38);
	sweep(DLT_EN10MB, &p, b, 3);
	/* an option length past the option area: marked, the payload still decodes */
	p.b[35] = 9;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ip.opt.len 9");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "1");

	/* P09: a later fragment is not handed to UDP */
	p.n = 0;
	eth(&p, 0x0800);
	ipv4(&p, 17, 16);
	set16(&p, 20, 100);
	udp(&p, 1, 2, 8);
	put32(&p, 0);
	put32(&p, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(val(K_IP_FRAG_OFFSET), "100"); /* tshark -T fields prints the raw value */
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "(absent)");
	CHECK_EQ_STR(d.sum.info, "fragment offset 800, proto 17");
	/* a first fragment (MF) is: its UDP length may exceed the fragment */
	set16(&p, 20, 0x2000);
	set16(&p, 38, 1000);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_UDP_LENGTH), "1000");
}

static void test_ipv6_ext_chain(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"},  {54, "ipv6"}, {62, "ipv6"},
	                                 {70, "ipv6"}, {78, "ipv6"}, {86, "udp"}};

	eth(&p, 0x86dd);
	ipv6(&p, 0, 8 + 8 + 8 + 8 + 3);
	put8(&p, 60); /* hop-by-hop -> dest opts */
	put8(&p, 0);
	put(&p, "\1\4\0\0\0\0", 6);
	put8(&p, 44); /* dest opts -> fragment */
	put8(&p, 0);
	put(&p, "\1\4\0\0\0\0", 6);
	put8(&p, 17); /* first fragment -> UDP */
	put8(&p, 0);
	put16(&p, 0);
	put32(&p, 7);
	udp(&p, 1234, 54, 3);
	put(&p, "abc", 3);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_IPV6_SRC), "2001:db8::1");
	CHECK_EQ_STR(val(K_IPV6_DST), "fe80::ff:fe00:2");
	CHECK_EQ_STR(val(K_IPV6_NXT), "0");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "1234");
	CHECK_EQ_INT(key(K_UDP_SRCPORT)->off, 78);
	CHECK_EQ_INT(d.sum.net, P_IPV6);
	CHECK(memcmp(d.sum.src, ip6_a, 16) == 0);
	sweep(DLT_EN10MB, &p, b, 6);

	/* a later fragment stops the chain */
	set16(&p, 72, 8 << 3);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "(absent)");
	set16(&p, 72, 0);
	/* P20: an extension header longer than the payload length */
	p.b[55] = 255;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ipv6.ext_len 2048");
	/* P18: payload length 0 without a jumbo option: an empty payload, as tshark does */
	p.n = 0;
	eth(&p, 0x86dd);
	ipv6(&p, 17, 0);
	udp(&p, 1, 2, 4);
	put32(&p, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "truncated udp");
	CHECK_EQ_STR(val(K_IPV6_NXT), "17");
}

static void tcp(struct pkt *p, unsigned flags, const char *opts, unsigned optlen)
{
	put16(p, 49152);
	put16(p, 80);
	put32(p, 1);
	put32(p, 2);
	put16(p, (unsigned)((5 + optlen / 4) << 12) | flags);
	put16(p, 512);
	put16(p, 0);
	put16(p, 0);
	put(p, opts, optlen);
}

static void test_tcp(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {34, "ip"}, {86, "tcp"}};
	static const char opts[] =
	    "\x02\x04\x05\xb4\x04\x02\x08\x0a\0\0\0\1\0\0\0\0\x01\x03\x03\x07"
	    "\x05\x0a\0\0\0\1\0\0\0\2\x01\x00";

	eth(&p, 0x0800);
	ipv4(&p, 6, 20 + 32 + 5);
	tcp(&p, 0x012, opts, 32);
	put(&p, "hello", 5);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_TCP_SRCPORT), "49152");
	CHECK_EQ_STR(val(K_TCP_DSTPORT), "80");
	CHECK_EQ_STR(val(K_TCP_FLAGS), "0x0012");
	CHECK_EQ_INT(key(K_TCP_FLAGS)->off, 46);
	CHECK_EQ_INT(key(K_TCP_FLAGS)->len, 2);
	CHECK_EQ_STR(val(K_TCP_SEQ_RAW), "1");
	CHECK_EQ_STR(val(K_TCP_ACK_RAW), "2");
	/* port 80 carries HTTP: "hello" is no request or status line, so, as tshark shows it,
	 * an HTTP Continuation */
	CHECK_EQ_STR(d.sum.info, "Continuation");
	CHECK_EQ_INT(d.sum.proto, P_HTTP);
	CHECK_EQ_INT(d.sum.transport, P_TCP);
	{
		char line[SUMMARY_MAX];
		summary_text(&d, line);
		CHECK_EQ_STR(line, "10.0.0.1.49152 -> 10.0.0.2.80 HTTP len:91 Continuation");
	}
	sweep(DLT_EN10MB, &p, b, 3);

	p.n = 0;
	eth(&p, 0x0800);
	ipv4(&p, 6, 20);
	tcp(&p, 0x0ff, "", 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "Flags [FSRP.UEW], seq 1, ack 2, win 512, length 0");
	set16(&p, 46, 0x5000);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "Flags [none], seq 1, win 512, length 0");
	/* P14: data offset 15 with a 20-byte header */
	set16(&p, 46, 0xf002);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "truncated tcp");
	/* data offset below 5 */
	set16(&p, 46, 0x4002);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid tcp.hdr_len 4");
	/* P15: option length 0; P17: option length past the option area */
	p.n = 0;
	eth(&p, 0x0800);
	ipv4(&p, 6, 24);
	tcp(&p, 0x002, "\x08\x00\x00\x00", 4);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid tcp.option_len 0");
	CHECK_EQ_STR(val(K_TCP_FLAGS), "0x0002");
	p.b[54] = 5;
	p.b[55] = 40;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid tcp.option_len 40");
	p.b[55] = 1;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid tcp.option_len 1");
}

static void test_icmp(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {34, "ip"}, {42, "icmp"}};

	eth(&p, 0x0800);
	ipv4(&p, 1, 8 + 4);
	put16(&p, 0x0800);
	put16(&p, 0);
	put16(&p, 1);
	put16(&p, 2);
	put32(&p, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_ICMP_TYPE), "8");
	CHECK_EQ_STR(val(K_ICMP_CODE), "0");
	CHECK_EQ_STR(d.sum.info, "Echo (ping) request  id=0x0001, seq=2/512, ttl=64");
	sweep(DLT_EN10MB, &p, b, 3);
	/* the monitor's stream pass (no Info text): the padding of the Info must not wait for
	 * text that is never written (it looped forever once) */
	dissect_transport(&d, DLT_EN10MB, p.b, p.n, p.n);
	CHECK_EQ_STR(d.sum.info, "");
	CHECK(d.sum.proto == P_ICMP);

	/* an error quoting a UDP packet: the summary stays ICMP, the quoted fields follow */
	p.n = 0;
	eth(&p, 0x0800);
	ipv4(&p, 1, 8 + 28);
	put16(&p, 0x0303);
	put16(&p, 0);
	put32(&p, 0);
	ipv4(&p, 17, 100);
	p.b[p.n - 8] = 192;
	udp(&p, 5353, 33434, 92);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_INT(d.sum.proto, P_ICMP);
	CHECK_EQ_STR(d.sum.info, "Destination unreachable (Port unreachable)");
	CHECK(!d.sum.has_ports);
	CHECK_EQ_INT(d.sum.transport, P_NONE);   /* the quoted UDP is not the transport */
	CHECK_EQ_STR(val(K_IP_SRC), "10.0.0.1"); /* outermost first */
	CHECK_EQ_INT(count_key(K_IP_SRC), 2);
	CHECK_EQ_STR(val(K_UDP_DSTPORT), "33434");
	CHECK(key(K_UDP_DSTPORT) > key(K_ICMP_TYPE));
	CHECK(key(K_UDP_DSTPORT)->depth > key(K_ICMP_TYPE)->depth);
	/* quoted packets are cut by design: shown truncated, but not a malformed packet */
	p.n -= 4;
	set16(&p, 16, 20 + 8 + 24);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "5353");
}

static void icmp6_hdr(struct pkt *p, unsigned type, unsigned code)
{
	put8(p, type);
	put8(p, code);
	put16(p, 0);
}

static void test_icmp6(void)
{
	struct pkt p = {0};
	static const struct bound b[] = {{14, "eth"}, {54, "ipv6"}, {78, "icmpv6"}};

	eth(&p, 0x86dd);
	ipv6(&p, 58, 24);
	icmp6_hdr(&p, 135, 0);
	put32(&p, 0);
	put(&p, ip6_b, 16);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_ICMPV6_TYPE), "135");
	CHECK_EQ_STR(val(K_ICMPV6_CODE), "0");
	CHECK_EQ_STR(d.sum.info, "Neighbor Solicitation for fe80::ff:fe00:2");
	sweep(DLT_EN10MB, &p, b, 3);

	p.n = 0;
	eth(&p, 0x86dd);
	ipv6(&p, 58, 8);
	icmp6_hdr(&p, 128, 0);
	put16(&p, 7);
	put16(&p, 9);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.sum.info, "Echo (ping) request id=0x0007, seq=9, hop limit=64");

	p.n = 0;
	eth(&p, 0x86dd);
	ipv6(&p, 58, 8 + 48);
	icmp6_hdr(&p, 1, 4);
	put32(&p, 0);
	ipv6(&p, 17, 8);
	udp(&p, 9, 10, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_INT(d.sum.proto, P_ICMPV6);
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "9");
	CHECK_EQ_INT(count_key(K_IPV6_SRC), 2);
}

/* Ethernet + IPv4 + UDP to port 53 around a DNS message built by the caller. */
static void dns_frame(struct pkt *p, const struct pkt *msg)
{
	p->n = 0;
	eth(p, 0x0800);
	ipv4(p, 17, 8 + msg->n);
	udp(p, 53, 40000, msg->n);
	put(p, msg->b, msg->n);
}

static void dns_hdr(struct pkt *m, unsigned flags, unsigned qd, unsigned an)
{
	m->n = 0;
	put16(m, 0xbeef);
	put16(m, flags);
	put16(m, qd);
	put16(m, an);
	put32(m, 0);
}

static void test_dns(void)
{
	struct pkt p, m;

	/* a second question compressed to the first: both decoded, the first wins */
	dns_hdr(&m, 0x8180, 2, 0);
	put(&m, "\3www\7example\3com\0\0\x1c\0\1", 21);
	put(&m, "\3ftp\xc0\x10\0\1\0\1", 10);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_DNS_QRY_NAME), "www.example.com");
	CHECK_EQ_STR(val(K_DNS_QRY_TYPE), "28");
	CHECK_EQ_INT(count_key(K_DNS_QRY_NAME), 2);
	/* the second name, then its length, label count, type and class */
	CHECK_EQ_STR(d.text + d.f[d.nf - 5].u, "ftp.example.com");
	CHECK_EQ_INT(d.f[d.nf - 5].len, 6);
	CHECK_EQ_STR(d.sum.info,
	             "Standard query response 0xbeef AAAA www.example.com A ftp.example.com");

	/* the root name, and untrusted bytes: escaped in the value and in the summary */
	dns_hdr(&m, 0x0100, 1, 0);
	put(&m, "\0\0\2\0\1", 5);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(val(K_DNS_QRY_NAME), "<Root>");
	dns_hdr(&m, 0x0100, 1, 0);
	put(&m, "\5\x1b[31m\3a\\\0\0\0\1\0\1", 16);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(val(K_DNS_QRY_NAME), "\\x1b[31m.a\\\\\\x00");
	CHECK_EQ_STR(d.sum.info, "Standard query 0xbeef A \\x1b[31m.a\\\\\\x00");

	/* P34: two names pointing at each other; a self-pointer */
	dns_hdr(&m, 0x0100, 2, 0);
	put(&m, "\xc0\x12\0\1\0\1\xc0\x0c\0\1\0\1", 12);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid dns.name_ptr 12");
	check_invariants(p.n);
	dns_hdr(&m, 0x0100, 1, 0);
	put(&m, "\1a\xc0\x0c\0\1\0\1", 8);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid dns.name_ptr 12");
	/* the name ends in place after its pointer: type and class are still read (as tshark) */
	CHECK_EQ_STR(val(K_DNS_QRY_NAME), "(absent)");
	CHECK_EQ_STR(val(K_DNS_QRY_TYPE), "1");
	/* a pointer past the message */
	p.b[p.n - 5] = 0xff;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid dns.name_ptr 12");
	CHECK_EQ_STR(val(K_DNS_QRY_TYPE), "1");
	/* ... and a cut type after it is a truncation, the invalid name stays the reason */
	run_cut(&p, p.n - 3);
	CHECK_EQ_STR(d.malformed, "invalid dns.name_ptr 12");
	CHECK_EQ_STR(val(K_DNS_QRY_TYPE), "(absent)");
	check_invariants(p.n - 3);

	/* a name over 255 bytes, and many questions: bounded */
	dns_hdr(&m, 0x0100, 65535, 0);
	for (int i = 0; i < 5; i++) {
		put8(&m, 63);
		for (int j = 0; j < 63; j++)
			put8(&m, 'a');
	}
	put8(&m, 0);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid dns.name_len 12");
	dns_hdr(&m, 0x0100, 65535, 0);
	for (int i = 0; i < 200; i++)
		put(&m, "\0\0\1\0\1", 5);
	dns_frame(&p, &m);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK(count_key(K_DNS_QRY_NAME) <= 8);

	/* truncation sweep over a query */
	{
		static const struct bound b[] = {{14, "eth"}, {34, "ip"}, {42, "udp"}, {71, "dns"}};
		dns_hdr(&m, 0x0100, 1, 0);
		put(&m, "\7example\3com\0\0\1\0\1", 17);
		dns_frame(&p, &m);
		sweep(DLT_EN10MB, &p, b, 4);
	}
}

/* ---- lying headers ---- */

static void test_lying_ipv4_udp(void)
{
	struct pkt p = {0};

	eth(&p, 0x0800);
	ipv4(&p, 17, 8 + 4);
	udp(&p, 1, 9, 4);
	put32(&p, 0);
	/* P02 and IHL 4 */
	p.b[14] = 0x40;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ip.hdr_len 0");
	p.b[14] = 0x44;
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ip.hdr_len 4");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "(absent)");
	p.b[14] = 0x45;
	/* total length below the header */
	set16(&p, 16, 10);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ip.len 10");
	/* total length beyond the capture (the wire frame was longer): fine while nothing
	 * needs the missing bytes */
	set16(&p, 16, 1000);
	set16(&p, 38, 980);
	dissect(&d, DLT_EN10MB, p.b, p.n, 14 + 1000);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_UDP_LENGTH), "980");
	CHECK_EQ_STR(d.sum.info, "length 972");
	/* ... and truncated when a layer does (DNS needs its 12-byte header) */
	set16(&p, 36, 53);
	dissect(&d, DLT_EN10MB, p.b, p.n, 14 + 1000);
	CHECK_EQ_STR(d.malformed, "truncated dns");
	/* beyond the frame's wire length: a lie, marked, and what exists is still decoded
	 * (tcpdump: "truncated-ip - 966 bytes missing!", tshark: "exceeds packet length") */
	set16(&p, 36, 9);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ip.len 1000");
	CHECK_EQ_STR(val(K_UDP_LENGTH), "980");
	CHECK_EQ_INT(d.sum.transport, P_UDP);
	/* P12: UDP length 0; UDP length beyond the IP payload */
	set16(&p, 16, 32);
	set16(&p, 38, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid udp.length 0");
	CHECK_EQ_STR(val(K_UDP_LENGTH), "0");
	set16(&p, 38, 13);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid udp.length 13");
	/* TSO: total length 0 takes the frame's length, as tshark shows it */
	set16(&p, 38, 12);
	set16(&p, 16, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "");
	CHECK_EQ_STR(val(K_IP_LEN), "32");
	/* the same for an IPv6 payload length (tshark: "exceeds framing length") */
	p.n = 0;
	eth(&p, 0x86dd);
	ipv6(&p, 17, 1000);
	udp(&p, 1, 2, 1);
	put8(&p, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "invalid ipv6.plen 1000");
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "1");
	dissect(&d, DLT_EN10MB, p.b, p.n, 14 + 40 + 1000);
	CHECK_EQ_STR(d.malformed, "");
}

/* P32: IPv6 in IPv6, 100 deep. */
static void test_nesting_ipv6(void)
{
	static struct pkt p;

	p.n = 0;
	eth(&p, 0x86dd);
	for (int i = 0; i < 100; i++)
		ipv6(&p, 41, (unsigned)(100 - i) * 40 - 40 + 8);
	p.b[p.n - 34] = 17;
	udp(&p, 40000, 9, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "nesting too deep");
	CHECK_EQ_INT(count_key(K_IPV6_SRC), DISS_MAX_NEST);
	CHECK_EQ_STR(val(K_UDP_SRCPORT), "(absent)");
	check_invariants(p.n);
}

/* P30: ICMP errors quoting ICMP errors, 10 deep. */
static void test_nesting_icmp(void)
{
	static struct pkt p;

	p.n = 0;
	eth(&p, 0x0800);
	for (int i = 0; i < 10; i++) {
		ipv4(&p, 1, (unsigned)(10 - i) * 28 - 20 + 8);
		put16(&p, 0x0301);
		put16(&p, 0);
		put32(&p, 0);
	}
	ipv4(&p, 17, 8);
	udp(&p, 1, 2, 0);
	run(DLT_EN10MB, &p);
	CHECK_EQ_STR(d.malformed, "nesting too deep");
	CHECK_EQ_INT(d.sum.proto, P_ICMP);
	CHECK(count_key(K_ICMP_TYPE) < 10);
	check_invariants(p.n);
}

/* The longest extension header chain the decoder walks still leaves room for the transport
 * (the corpus has such a packet: tshark decodes its UDP header, and so must we). */
static void test_long_ext_chain(void)
{
	static struct pkt p;

	p.n = 0;
	eth(&p, 0x86dd);
	ipv6(&p, 0, 8 * 127 + 8);
	for (int i = 0; i < 127; i++)
		put(&p, "\0\0\1\4\0\0\0\0", 8);
	udp(&p, 1, 2, 0);
	p.b[p.n - 16] = 17;
	run(DLT_EN10MB, &p);
	CHECK(!d.fields_full);
	CHECK_EQ_INT(count_key(K_UDP_SRCPORT), 1);
	check_invariants(p.n);
}

/* A full field array drops fields, never overflows: the last slot is scratch that callers
 * may still write to. */
static void test_fields_full(void)
{
	static struct pkt p;

	p.n = 0;
	eth(&p, 0x0800);
	ipv4(&p, 17, 8);
	udp(&p, 1, 2, 0);
	run(DLT_EN10MB, &p);
	for (int i = 0; i < DISS_MAX_FIELDS + 10; i++) {
		uint16_t k = fld_add(&d, 0, 1, "filler", K_NONE, FT_UINT, 1, (uint64_t)i);
		d.f[k].width = 1; /* a caller writing to the slot it got */
	}
	CHECK(d.fields_full);
	CHECK_EQ_INT(d.nf, DISS_MAX_FIELDS - 1);
	check_invariants(p.n);
}

/* Random corruption of the packets above: invariants hold, sanitizers stay quiet. */
static void test_mutations(void)
{
	struct pkt base = {0}, p;
	uint32_t seed = 12345;

	eth(&base, 0x8100);
	put16(&base, 5);
	put16(&base, 0x0800);
	ipv4(&base, 17, 8 + 29);
	udp(&base, 53, 53, 29);
	dns_query(&base);
	for (int round = 0; round < 20000; round++) {
		p = base;
		for (int k = 0; k < 1 + round % 6; k++) {
			seed = seed * 1103515245u + 12345u;
			p.b[(seed >> 8) % p.n] = (uint8_t)(seed >> 20);
		}
		seed = seed * 1103515245u + 12345u;
		dissect(&d, round % 3 ? DLT_EN10MB : DLT_RAW, p.b, (seed >> 8) % (p.n + 1), p.n);
		check_invariants((seed >> 8) % (p.n + 1));
	}
}

/* diss_port() stops at the first larger port: the tables must stay sorted. */
static void test_port_tables_sorted(void)
{
	CHECK(diss_port_tables_sorted());
}

int main(void)
{
	test_port_tables_sorted();
	test_eth_ipv4_udp_dns();
	test_udp_data_and_ip_window();
	test_vlan_stack();
	test_eth_8023_and_unknown();
	test_sll_sll2();
	test_null_loop_raw();
	test_arp();
	test_ipv4_options_and_fragments();
	test_ipv6_ext_chain();
	test_tcp();
	test_icmp();
	test_icmp6();
	test_dns();
	test_lying_ipv4_udp();
	test_nesting_ipv6();
	test_nesting_icmp();
	test_long_ext_chain();
	test_fields_full();
	test_mutations();
	return check_done();
}
