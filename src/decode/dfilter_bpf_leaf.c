/*
 * dfilter_bpf_leaf.c - BPF approximations of one display filter relation, and T, the BPF of
 * "capscope may decode a layer BPF's fixed offsets do not reach" (see dfilter_bpf.c for how
 * they combine into a prefilter).
 *
 * For a relation x, S keeps every packet x keeps (S = S_outer or T) and I keeps only packets x
 * keeps. A relation needs one occurrence of its field, so its S is at most its protocol's
 * presence; a few fields on the outermost headers (addresses, ports, ip.proto, frame.len) have
 * a tighter S_outer. I is written only for the outermost headers, with guards that mirror
 * where capscope's dissectors stop (version, header length, fragment offset, the length that
 * narrows the payload) and that keep every load inside the packet: a BPF load past the end
 * drops the packet even under `not`.
 *
 * Link types: Ethernet and Linux cooked SLL/SLL2 (BPF's `ether proto` reads their protocol),
 * raw IP. On Linux the kernel hands BPF a received frame with its first VLAN tag taken out
 * (libpcap puts it back for capscope), and a cooked socket's BPF `len` lacks the SLL header,
 * so `len` is frame.len minus up to `slack` bytes there, and VLAN fields are left to capscope.
 * NULL/LOOP (capscope reads families BPF's `ip6` does not) and other link types get frame.len
 * only.
 */
#include <pcap/dlt.h>
#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "base/addr.h"
#include "decode/dfilter_int.h"

#define LINKTYPE_RAW 101

struct link {
	int dlt;
	unsigned hdr;   /* bytes before the network header in BPF's view */
	unsigned slack; /* frame.len - BPF len is in [0, slack] */
	bool ether;     /* `ether proto` reads the link's protocol */
};

static const struct link links[] = {
    {DLT_EN10MB, 14, 4, true}, {DLT_LINUX_SLL, 16, 20, true}, {DLT_LINUX_SLL2, 20, 24, true},
    {DLT_RAW, 0, 0, false},    {LINKTYPE_RAW, 0, 0, false},
};

static const struct link *find_link(int dlt)
{
	for (size_t i = 0; i < sizeof links / sizeof links[0]; i++)
		if (links[i].dlt == dlt)
			return &links[i];
	return NULL;
}

/* T on links with an ethertype: every row of dissect.c's ethertype table that nests (VLAN,
 * QinQ, MPLS, PPPoE session, transparent Ethernet bridging), IPv6 behind IPv4's type. */
static const char t_ether[] =
    "ether proto 0x8100 or ether proto 0x88a8 or ether proto 0x9100 or ether proto 0x8847 or "
    "ether proto 0x8848 or ether proto 0x8864 or ether proto 0x6558 or "
    "(ip and ip[0] & 0xf0 == 0x60) or ";
/* T in IP, on every link: IP-in-IP, IPv6-in-IP, GRE, ICMPv6 in IPv4 and ICMP in IPv6 (whose
 * errors quote), ICMP errors (3, 4, 5, 11, 12), ICMPv6 errors (1-4), IPv6 extension headers
 * (0, 43, 44, 51, 60: BPF's ip6 primitives read only the first next-header), VXLAN (4789) and
 * MPLS in UDP (6635) on either port. Next headers 2 and 3 and ICMPv6 type 0 come along with
 * their neighbours, which only widens T. */
static const char t_ip[] =
    "ip proto 4 or ip proto 41 or ip proto 47 or ip proto 58 or "
    "(icmp[0] >= 3 and icmp[0] <= 5) or icmp[0] == 11 or icmp[0] == 12 or "
    "(ip6 and (ip6[6] <= 4 or ip6[6] == 41 or ip6[6] == 43 or ip6[6] == 44 or ip6[6] == 47 or "
    "ip6[6] == 51 or ip6[6] == 60 or (ip6[6] == 58 and ip6[40] <= 4))) or "
    "udp port 4789 or udp port 6635";

static char t_text[2][sizeof t_ether + sizeof t_ip + 4];

const char *df_bpf_nested(int linktype)
{
	const struct link *l = find_link(linktype);
	char *t;

	if (!l)
		return NULL;
	t = t_text[l->ether];
	if (!t[0])
		snprintf(t, sizeof t_text[0], "(%s%s)", l->ether ? t_ether : "", t_ip);
	return t;
}

/* ---- text helpers ---- */

static void set(uint8_t *kind, char *text, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void set(uint8_t *kind, char *text, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(text, DF_BPF_LEAF, fmt, ap);
	va_end(ap);
	*kind = n > 0 && n < DF_BPF_LEAF ? BK_TEXT : BK_TRUE; /* too long: no claim */
}

static void give_up(struct df_bpf_leaf *o, const char *why)
{
	o->s = BK_TRUE;
	o->i = BK_FALSE;
	o->nested = false;
	o->why = why;
}

/* Guards: IPv4 as capscope reads it (version 4, IHL >= 5, 20 bytes in the packet), then with
 * a transport: first fragment, total length >= header + w and inside the packet. */
static void guard4(const struct link *l, unsigned w, char *g, size_t n)
{
	int k =
	    snprintf(g, n, "len >= %u and ip[0] & 0xf0 == 0x40 and ip[0] & 0xf >= 5", l->hdr + 20);

	if (w != ~0u && k > 0 && (size_t)k < n)
		snprintf(g + k, n - (size_t)k,
		         " and ip[6:2] & 0x1fff == 0 and ip[2:2] >= (ip[0] & 0xf) * 4 + %u and "
		         "len - %u >= ip[2:2]",
		         w, l->hdr);
}

static void guard6(const struct link *l, unsigned w, char *g, size_t n)
{
	int k = snprintf(g, n, "len >= %u and ip6[0] & 0xf0 == 0x60", l->hdr + 40);

	if (w != ~0u && k > 0 && (size_t)k < n)
		snprintf(g + k, n - (size_t)k, " and ip6[4:2] >= %u and len - %u >= ip6[4:2]", w,
		         l->hdr + 40);
}

/* I of "IP protocol proto on the outer header, and prim" (prim: a tcp/udp primitive, or
 * NULL). ip6[6] rather than `ip6 proto`, which also takes a fragment header before it. */
static void transport_i(const struct link *l, unsigned w, unsigned proto, const char *prim,
                        struct df_bpf_leaf *o)
{
	char g4[256], g6[160];
	const char *and = prim ? " and " : "";

	guard4(l, w, g4, sizeof g4);
	guard6(l, w, g6, sizeof g6);
	if (!prim)
		prim = "";
	set(&o->i, o->i_text, "((%s and ip[9] == %u%s%s) or (%s and ip6[6] == %u%s%s))", g4, proto,
	    and, prim, g6, proto, and, prim);
}

/* ---- protocol presence ---- */

static void presence_link(const struct link *l, int linktype, enum proto p, struct df_bpf_leaf *o)
{
	bool here = (p == P_ETH && linktype == DLT_EN10MB) ||
	            (p == P_SLL && (linktype == DLT_LINUX_SLL || linktype == DLT_LINUX_SLL2)) ||
	            (p == P_RAW && !l->ether);

	o->s = o->i = here ? BK_TRUE : BK_FALSE;
	o->nested = p == P_ETH; /* Ethernet also inside VXLAN, ERSPAN, bridged GRE */
}

static void presence_ether(const struct link *l, const char *type, struct df_bpf_leaf *o)
{
	if (!l->ether)
		return;
	set(&o->s, o->s_text, "%s", type);
	set(&o->i, o->i_text, "(len >= %u and %s)", l->hdr, type);
}

static void presence_ip(const struct link *l, enum proto p, struct df_bpf_leaf *o)
{
	char g[256];

	if (p == P_IPV4 || p == P_ICMP) {
		guard4(l, p == P_IPV4 ? ~0u : 0, g, sizeof g);
		set(&o->s, o->s_text, "%s", p == P_IPV4 ? "ip" : "(icmp or ip6 proto 1)");
		set(&o->i, o->i_text, p == P_IPV4 ? "(%s)" : "(%s and ip[9] == 1)", g);
	} else if (p == P_IPV6 || p == P_ICMPV6) {
		guard6(l, p == P_IPV6 ? ~0u : 0, g, sizeof g);
		set(&o->s, o->s_text, "%s", p == P_IPV6 ? "ip6" : "(icmp6 or ip proto 58)");
		set(&o->i, o->i_text, p == P_IPV6 ? "(%s)" : "(%s and ip6[6] == 58)", g);
	} else {
		set(&o->s, o->s_text, "%s", p == P_TCP ? "tcp" : "udp");
		transport_i(l, 0, p == P_TCP ? 6 : 17, NULL, o);
	}
}

/* DNS on UDP port 53 whose UDP length capscope accepts (8 up to the IP payload). */
static void presence_dns(const struct link *l, struct df_bpf_leaf *o)
{
	char g[256];

	guard4(l, 8, g, sizeof g);
	set(&o->s, o->s_text, "port 53");
	set(&o->i, o->i_text,
	    "(%s and udp port 53 and udp[4:2] >= 8 and udp[4:2] <= ip[2:2] - (ip[0] & 0xf) * 4)",
	    g);
}

/* S and I of "protocol p is present" on link l. */
static void presence(const struct link *l, int linktype, enum proto p, struct df_bpf_leaf *o)
{
	o->s = o->i = BK_FALSE;
	o->nested = true;
	switch (p) {
	case P_FRAME:
		o->s = o->i = BK_TRUE;
		return;
	case P_ETH:
	case P_SLL:
	case P_SLL2:
	case P_NULL:
	case P_RAW:
		presence_link(l, linktype, p, o);
		return;
	case P_ARP:
		presence_ether(l, "(arp or rarp)", o);
		return;
	case P_PPPOED:
		presence_ether(l, "ether proto 0x8863", o);
		return;
	case P_IPV4:
	case P_IPV6:
	case P_ICMP:
	case P_ICMPV6:
	case P_TCP:
	case P_UDP:
		presence_ip(l, p, o);
		return;
	case P_DNS:
		presence_dns(l, o);
		return;
	case P_QUIC: /* found by content on any port: any UDP datagram may be QUIC */
		presence_ip(l, P_UDP, o);
		o->i = BK_FALSE;
		return;
	case P_VLAN:
		give_up(o, "VLAN tags are taken out of frames before the kernel's BPF sees them");
		return;
	case P_DATA:
	case P_PROCESS: /* beside the packet, from the kernel: never in its bytes */
	case P_NONE:
	case P_COUNT:
		give_up(o, "is not visible to BPF");
		return;
	default: /* GRE, VXLAN, MPLS, PPPoE session, PPP, ERSPAN: only ever nested (in T) */
		return;
	}
}

/* ---- fields ---- */

/* The protocol a field belongs to, from the catalogue (its name's protocol prefix). PPPoE
 * fields name the discovery stage's header: the session stage is in T. */
enum proto df_bpf_key_proto(unsigned key)
{
	const char *name = field_key_name((enum field_key)key);
	const struct field_proto *fp = name ? field_proto_of(name) : NULL;

	if (!fp)
		return P_NONE;
	return fp->proto == P_NONE && strcmp(fp->name, "pppoe") == 0 ? P_PPPOED
	                                                             : (enum proto)fp->proto;
}

/* dns.* fields are also filled for mDNS (5353) and LLMNR (5355), which `dns` is not. */
static void field_presence(const struct link *l, int linktype, unsigned key, struct df_bpf_leaf *o)
{
	enum proto p = df_bpf_key_proto(key);

	if (p == P_FRAME) { /* frame.len is handled apart, exactly; the rest is not in the packet */
		give_up(o, "is not visible to BPF");
		return;
	}
	presence(l, linktype, p, o);
	o->i = BK_FALSE;
	if (p == P_DNS)
		set(&o->s, o->s_text, "(port 53 or port 5353 or port 5355)");
}

void df_bpf_presence(const struct dfilter *df, const struct df_node *left, int linktype,
                     struct df_bpf_leaf *o)
{
	const struct link *l = find_link(linktype);

	o->why = NULL;
	if (!l) {
		give_up(o, "only frame.len reaches BPF on this link type");
		return;
	}
	if (left->kind == DN_BITAND)
		left = &df->nodes[left->a];
	if (left->kind == DN_PROTO)
		presence(l, linktype, (enum proto)left->key, o);
	else if (left->kind == DN_FIELD)
		field_presence(l, linktype, left->key, o);
	else
		give_up(o, "has no BPF form");
	if (left->slice.on || left->kind != DN_PROTO)
		o->i = BK_FALSE; /* a slice or a value: presence alone does not imply it */
}

/* ---- one field == one constant on the outer header ---- */

static bool addr_prim(const struct df_node *f, const struct df_const *c, const uint8_t *pool,
                      char *out, size_t n)
{
	static const char *const dirs[] = {"src ", "dst ", ""};
	unsigned key = f->key, dir = key == K_IP_SRC || key == K_IPV6_SRC   ? 0
	                             : key == K_IP_DST || key == K_IPV6_DST ? 1
	                                                                    : 2;
	bool v6 = f->vtype == FV_IPV6;
	unsigned bytes = v6 ? 16 : 4, bits = c->prefix;
	uint8_t a[16] = {0};
	char text[64];

	if (c->n != bytes || bits > bytes * 8)
		return false;
	for (unsigned i = 0; i < bytes; i++) /* libpcap refuses host bits in a net */
		a[i] = pool[c->off + i] & (uint8_t)(bits >= 8 * (i + 1) ? 0xff
		                                    : bits <= 8 * i     ? 0
		                                                        : 0xff << (8 - bits % 8));
	if (v6)
		addr_ipv6_text(text, a);
	else
		addr_ipv4_text(text, a);
	if (bits == bytes * 8)
		snprintf(out, n, "%s %shost %s", v6 ? "ip6" : "ip", dirs[dir], text);
	else
		snprintf(out, n, "%s %snet %s/%u", v6 ? "ip6" : "ip", dirs[dir], text, bits);
	return true;
}

static bool port_prim(unsigned key, uint64_t lo, uint64_t hi, char *out, size_t n)
{
	bool tcp = key == K_TCP_SRCPORT || key == K_TCP_DSTPORT || key == K_TCP_PORT;
	const char *dir = key == K_TCP_SRCPORT || key == K_UDP_SRCPORT   ? "src "
	                  : key == K_TCP_DSTPORT || key == K_UDP_DSTPORT ? "dst "
	                                                                 : "";

	if (hi > 65535 || lo > hi)
		return false;
	if (lo == hi)
		snprintf(out, n, "%s %sport %llu", tcp ? "tcp" : "udp", dir,
		         (unsigned long long)lo);
	else
		snprintf(out, n, "%s %sportrange %llu-%llu", tcp ? "tcp" : "udp", dir,
		         (unsigned long long)lo, (unsigned long long)hi);
	return true;
}

/* BPF of "field f equals c (or lies in [c, hi])" on the outermost header, or false. */
static bool field_prim(const struct dfilter *df, const struct df_node *f, const struct df_node *lo,
                       const struct df_node *hi, char *out, size_t n)
{
	unsigned key = f->key;

	if (f->kind != DN_FIELD || f->slice.on || lo->kind != DN_LIT || lo->c.neg ||
	    (hi && (hi->kind != DN_LIT || hi->c.neg)))
		return false;
	if (key == K_IP_SRC || key == K_IP_DST || key == K_IP_ADDR || key == K_IPV6_SRC ||
	    key == K_IPV6_DST || key == K_IPV6_ADDR)
		return !hi && addr_prim(f, &lo->c, df->pool, out, n);
	if (key == K_TCP_SRCPORT || key == K_TCP_DSTPORT || key == K_UDP_SRCPORT ||
	    key == K_UDP_DSTPORT || key == K_TCP_PORT || key == K_UDP_PORT)
		return port_prim(key, lo->c.u, hi ? hi->c.u : lo->c.u, out, n);
	if (key == K_IP_PROTO && !hi && lo->c.u <= 255)
		return snprintf(out, n, "ip proto %llu", (unsigned long long)lo->c.u) > 0;
	if ((key == K_ETH_SRC || key == K_ETH_DST || key == K_ETH_ADDR) && !hi && lo->c.n == 6) {
		char mac[24];
		addr_mac_text(mac, df->pool + lo->c.off);
		return snprintf(out, n, "ether %shost %s",
		                key == K_ETH_SRC   ? "src "
		                : key == K_ETH_DST ? "dst "
		                                   : "",
		                mac) > 0;
	}
	return false;
}

/* The guard that makes prim imply the field on capscope's outer header. */
static void field_i(const struct link *l, unsigned key, const char *prim, struct df_bpf_leaf *o)
{
	char g[256];

	if (key == K_ETH_SRC || key == K_ETH_DST || key == K_ETH_ADDR) {
		set(&o->i, o->i_text, "(len >= 12 and %s)", prim);
	} else if (key == K_IP_SRC || key == K_IP_DST || key == K_IP_PROTO || key == K_IP_ADDR) {
		guard4(l, ~0u, g, sizeof g);
		set(&o->i, o->i_text, "(%s and %s)", g, prim);
	} else if (key == K_IPV6_SRC || key == K_IPV6_DST || key == K_IPV6_ADDR) {
		guard6(l, ~0u, g, sizeof g);
		set(&o->i, o->i_text, "(%s and %s)", g, prim);
	} else {
		transport_i(l, 4,
		            key == K_TCP_SRCPORT || key == K_TCP_DSTPORT ? 6
		            : key == K_TCP_PORT                          ? 6
		                                                         : 17,
		            prim, o);
	}
}

bool df_bpf_field_eq(const struct dfilter *df, const struct df_node *f, const struct df_node *lo,
                     const struct df_node *hi, int linktype, struct df_bpf_leaf *o)
{
	const struct link *l = find_link(linktype);
	char prim[160];
	bool eth = f->key == K_ETH_SRC || f->key == K_ETH_DST || f->key == K_ETH_ADDR;

	if (!l || !field_prim(df, f, lo, hi, prim, sizeof prim))
		return false;
	o->nested = true;
	o->why = NULL;
	if (eth && linktype != DLT_EN10MB) {
		o->s = o->i = BK_FALSE; /* Ethernet only nested here */
		return true;
	}
	set(&o->s, o->s_text, "%s", prim);
	field_i(l, f->key, prim, o);
	return true;
}

unsigned df_bpf_len_slack(int linktype)
{
	const struct link *l = find_link(linktype);

	return l ? l->slack : 0;
}
