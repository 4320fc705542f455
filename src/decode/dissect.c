/*
 * dissect.c - the entry point, the dispatch tables and the field helpers every dissector
 * uses (see dissect.h for the contract, dissector.h for the internal API).
 *
 * Dispatch is by const tables: a new protocol is one file and one row. Link types are the
 * DLT_ values pcap_datalink() returns, plus LINKTYPE_RAW (101) for callers that pass the
 * file's link type unmapped. DLT_IPV4 goes through the raw-IP version check, as in tshark,
 * because files exist whose "IPv4" link type carries IPv6; DLT_IPV6 is IPv6 only, as there.
 */
#include <pcap/dlt.h>
#include <stddef.h>
#include <string.h>

#include "base/addr.h"
#include "decode/dissector.h"
#include "decode/tls.h"

#define LINKTYPE_RAW 101

struct diss_row {
	uint32_t key;
	void (*fn)(struct dissection *d, struct cursor *c, uint32_t plen);
};

static const struct diss_row link_rows[] = {
    {DLT_EN10MB, eth_dissect}, {DLT_LINUX_SLL, sll_dissect}, {DLT_LINUX_SLL2, sll2_dissect},
    {DLT_RAW, raw_dissect},    {LINKTYPE_RAW, raw_dissect},  {DLT_IPV4, raw_dissect},
    {DLT_IPV6, raw6_dissect},  {DLT_NULL, null_dissect},     {DLT_LOOP, loop_dissect},
};

/* GRE's protocol type is an ethertype, so GRE hands off through this table too (gre.c keeps
 * the types only GRE carries). 0x6558, transparent Ethernet bridging, is here as in tshark. */
static const struct diss_row ethertype_rows[] = {
    {0x0800, ipv4_dissect},   {0x86dd, ipv6_dissect},   {0x0806, arp_dissect},
    {0x8035, arp_dissect},    {0x8100, vlan_dissect},   {0x88a8, vlan_ad_dissect},
    {0x9100, vlan_dissect},   {0x8847, mpls_dissect},   {0x8848, mpls_dissect},
    {0x8863, pppoed_dissect}, {0x8864, pppoes_dissect}, {0x6558, diss_inner_eth},
};

static const struct diss_row ipproto_rows[] = {
    {1, icmp_dissect}, {6, tcp_dissect},   {17, udp_dissect}, {58, icmp6_dissect},
    {4, ipv4_dissect}, {41, ipv6_dissect}, {47, gre_dissect}, {143, eth_dissect},
};

/* The port tables are sorted by port: port_row() stops at the first larger one.
 * 5355 is LLMNR, DNS's format on another port (tshark shows it with dns.* fields).
 * 6635 is MPLS in UDP (RFC 7510). */
static const struct diss_row udp_port_rows[] = {
    {53, dns_dissect},     {67, dhcp_dissect},    {68, dhcp_dissect},   {123, ntp_dissect},
    {546, dhcpv6_dissect}, {547, dhcpv6_dissect}, {1900, ssdp_dissect}, {4789, vxlan_dissect},
    {5353, dns_dissect},   {5355, dns_dissect},   {6635, mpls_dissect},
};

/* DNS, and tshark's HTTP ports (tshark -G decodes) */
static const struct diss_row tcp_port_rows[] = {
    {53, dns_tcp_dissect}, {80, http_dissect},      {631, http_dissect},  {1900, http_dissect},
    {2710, http_dissect},  {2869, http_dissect},    {3128, http_dissect}, {3132, http_dissect},
    {3689, http_dissect},  {5353, dns_tcp_dissect}, {5985, http_dissect}, {8080, http_dissect},
    {8088, http_dissect},  {11371, http_dissect},
};

struct proto_desc {
	const char *name;   /* list column and tree title */
	const char *abbrev; /* "truncated udp" */
	const char *trunc;  /* the truncation node */
	const char *filter; /* tshark's protocol filter name (tshark -G protocols), "" if none */
};

static const struct proto_desc protos[P_COUNT] = {
    [P_NONE] = {"", "", "[|?]", ""},
    [P_FRAME] = {"Frame", "frame", "[|frame]", "frame"},
    [P_ETH] = {"Ethernet", "eth", "[|eth]", "eth"},
    [P_VLAN] = {"802.1Q", "vlan", "[|vlan]", "vlan"},
    [P_SLL] = {"SLL", "sll", "[|sll]", "sll"},
    [P_SLL2] = {"SLL2", "sll2", "[|sll2]", "sll"},
    [P_NULL] = {"Null", "null", "[|null]", "null"},
    [P_RAW] = {"Raw", "raw", "[|raw]", "raw"},
    [P_ARP] = {"ARP", "arp", "[|arp]", "arp"},
    [P_IPV4] = {"IPv4", "ip", "[|ip]", "ip"},
    [P_IPV6] = {"IPv6", "ipv6", "[|ipv6]", "ipv6"},
    [P_UDP] = {"UDP", "udp", "[|udp]", "udp"},
    [P_TCP] = {"TCP", "tcp", "[|tcp]", "tcp"},
    [P_ICMP] = {"ICMP", "icmp", "[|icmp]", "icmp"},
    [P_ICMPV6] = {"ICMPv6", "icmpv6", "[|icmpv6]", "icmpv6"},
    [P_DNS] = {"DNS", "dns", "[|dns]", "dns"},
    [P_GRE] = {"GRE", "gre", "[|gre]", "gre"},
    [P_VXLAN] = {"VXLAN", "vxlan", "[|vxlan]", "vxlan"},
    [P_MPLS] = {"MPLS", "mpls", "[|mpls]", "mpls"},
    [P_PPPOED] = {"PPPoED", "pppoed", "[|pppoed]", "pppoed"},
    [P_PPPOES] = {"PPPoES", "pppoes", "[|pppoes]", "pppoes"},
    [P_PPP] = {"PPP", "ppp", "[|ppp]", "ppp"},
    [P_ERSPAN] = {"ERSPAN", "erspan", "[|erspan]", "erspan"},
    [P_DHCP] = {"DHCP", "dhcp", "[|dhcp]", "dhcp"},
    [P_BOOTP] = {"BOOTP", "dhcp", "[|dhcp]", "dhcp"},
    [P_DHCPV6] = {"DHCPv6", "dhcpv6", "[|dhcpv6]", "dhcpv6"},
    [P_NTP] = {"NTP", "ntp", "[|ntp]", "ntp"},
    [P_HTTP] = {"HTTP", "http", "[|http]", "http"},
    [P_SSDP] = {"SSDP", "ssdp", "[|ssdp]", "ssdp"},
    [P_QUIC] = {"QUIC", "quic", "[|quic]", "quic"},
    [P_TLS] = {"TLS", "tls", "[|tls]", "tls"},
    [P_TLS_COL_SSL] = {"SSL", "tls", "[|tls]", ""},
    [P_TLS_COL_SSLV3] = {"SSLv3", "tls", "[|tls]", ""},
    [P_TLS_COL_TLSV1] = {"TLSv1", "tls", "[|tls]", ""},
    [P_TLS_COL_TLSV11] = {"TLSv1.1", "tls", "[|tls]", ""},
    [P_TLS_COL_TLSV12] = {"TLSv1.2", "tls", "[|tls]", ""},
    [P_TLS_COL_TLSV13] = {"TLSv1.3", "tls", "[|tls]", ""},
    [P_DATA] = {"Data", "data", "[|data]", "data"},
    [P_PROCESS] = {"Process", "process", "[|process]", "process"},
};

static const struct proto_desc *desc(enum proto p)
{
	return &protos[(unsigned)p < P_COUNT ? p : P_NONE];
}

const char *proto_name(enum proto p)
{
	return desc(p)->name;
}

const char *proto_filter_name(enum proto p)
{
	return desc(p)->filter;
}

const char *diss_abbrev(enum proto p)
{
	return desc(p)->abbrev;
}

static const struct diss_row *find_row(const struct diss_row *t, size_t n, uint32_t key)
{
	for (size_t i = 0; i < n; i++)
		if (t[i].key == key)
			return &t[i];
	return NULL;
}

#define FIND(t, key) find_row(t, sizeof(t) / sizeof(t[0]), key)

bool dissect_linktype_supported(int linktype)
{
	return linktype >= 0 && FIND(link_rows, (uint32_t)linktype) != NULL;
}

/* Linear over the few protocols: called when a display filter is compiled. SLL and SLL2 share
 * tshark's name "sll"; the first row with the name is returned. */
enum proto proto_lookup(const char *name, size_t n)
{
	for (unsigned p = P_NONE + 1; p < P_COUNT; p++) {
		const char *s = protos[p].filter;
		if (strlen(s) == n && n > 0 && memcmp(s, name, n) == 0)
			return (enum proto)p;
	}
	return P_NONE;
}

/* DNS on these ports is another protocol to tshark ("mdns", "llmnr"), whose "dns" filter
 * does not match it, though the fields are dns.* as here. */
static const struct {
	uint16_t port;
	const char *filter;
} dns_port_filters[] = {{5353, "mdns"}, {5355, "llmnr"}};

uint16_t diss_app_port(const struct dissection *d)
{
	uint16_t lo = d->sum.sport < d->sum.dport ? d->sum.sport : d->sum.dport;
	uint16_t hi = d->sum.sport < d->sum.dport ? d->sum.dport : d->sum.sport;

	if (!d->sum.has_ports)
		return 0;
	return FIND(udp_port_rows, lo) ? lo : hi; /* the one diss_port() chose */
}

static const char *layer_filter_name(const struct dissection *d, enum proto p)
{
	uint16_t port;

	if (p != P_DNS || !d->sum.has_ports)
		return desc(p)->filter;
	port = diss_app_port(d);
	for (size_t k = 0; k < sizeof dns_port_filters / sizeof dns_port_filters[0]; k++)
		if (dns_port_filters[k].port == port)
			return dns_port_filters[k].filter;
	return desc(p)->filter;
}

bool proto_layer_is(const struct dissection *d, enum proto layer, enum proto wanted)
{
	const char *want = desc(wanted)->filter;

	return want[0] != '\0' && strcmp(layer_filter_name(d, layer), want) == 0;
}

/* ---- layers, truncation, invalid values ---- */

uint16_t diss_layer(struct dissection *d, const struct cursor *c, enum proto p)
{
	uint16_t i = fld_add(d, c->off, 0, desc(p)->name, K_NONE, FT_LAYER, 0, 0);

	d->f[i].proto = (uint16_t)p;
	return i;
}

void diss_layer_end(struct dissection *d, uint16_t layer, const struct cursor *c)
{
	struct field *f = &d->f[layer];

	f->len = c->off > f->off ? c->off - f->off : 0;
}

static void set_malformed(struct dissection *d, const char *a, const char *b, const char *num)
{
	size_t n = 0;
	const char *parts[3] = {a, b, num};

	if (d->malformed[0])
		return;
	for (int k = 0; k < 3; k++)
		for (const char *s = parts[k]; s && *s && n < sizeof(d->malformed) - 1; s++)
			d->malformed[n++] = *s;
	d->malformed[n] = '\0';
}

void diss_trunc(struct dissection *d, uint16_t layer, const struct cursor *c)
{
	enum proto p = (enum proto)d->f[layer].proto;
	uint16_t i;

	diss_layer_end(d, layer, c);
	d->f[layer].flags |= FF_TRUNCATED;
	i = fld_add(d, c->off, 0, desc(p)->trunc, K_NONE, FT_TEXT, 1, 0);
	d->f[i].flags |= FF_TRUNCATED;
	if (!d->quoted)
		set_malformed(d, "truncated ", desc(p)->abbrev, NULL);
}

void diss_invalid(struct dissection *d, uint16_t layer, uint32_t off, uint32_t len,
                  const char *label, const char *what, uint32_t value)
{
	char num[24];
	uint16_t i;

	d->f[layer].flags |= FF_INVALID;
	i = fld_add(d, off, len, label, K_NONE, FT_UINT, 1, value);
	d->f[i].flags |= FF_INVALID;
	num[0] = ' ';
	addr_u64_text(num + 1, value);
	set_malformed(d, "invalid ", what, num);
}

bool diss_nest(struct dissection *d, const struct cursor *c)
{
	uint16_t i;

	if (d->nest < DISS_MAX_NEST) {
		d->nest++;
		return true;
	}
	i = fld_add(d, c->off, 0, "[nesting too deep]", K_NONE, FT_TEXT, 0, 0);
	d->f[i].flags |= FF_INVALID;
	set_malformed(d, "nesting too deep", NULL, NULL);
	return false;
}

struct cursor diss_window(const struct cursor *c, uint32_t n)
{
	struct cursor w = cur_sub(c, n);

	w.truncated = false;
	return w;
}

/* ---- hand-offs ---- */

void diss_data(struct dissection *d, struct cursor *c)
{
	uint32_t n = cur_left(c);
	uint16_t layer;

	if (n == 0)
		return;
	layer = diss_layer(d, c, P_DATA);
	fld_bytes(d, c, n, "Data", K_DATA_DATA, 1);
	fld_add(d, c->off - n, 0, "Length", K_DATA_LEN, FT_UINT, 1, n);
	diss_layer_end(d, layer, c);
}

uint32_t diss_plen_after(uint32_t plen, uint32_t used)
{
	if (plen == DISS_PLEN_UNKNOWN)
		return plen;
	return plen > used ? plen - used : 0;
}

void diss_ethertype(struct dissection *d, struct cursor *c, uint16_t type, uint32_t plen)
{
	const struct diss_row *r = FIND(ethertype_rows, type);

	if (r)
		r->fn(d, c, plen);
	else
		diss_data(d, c);
}

void diss_inner_eth(struct dissection *d, struct cursor *c, uint32_t plen)
{
	if (diss_nest(d, c))
		eth_dissect(d, c, plen);
}

void diss_ipproto(struct dissection *d, struct cursor *c, uint8_t proto, uint32_t plen)
{
	const struct diss_row *r = FIND(ipproto_rows, proto);

	if (r)
		r->fn(d, c, plen);
	else
		diss_data(d, c);
}

/* The port dissectors of application layers, which dissect_transport() leaves out (the
 * others, tunnels, lead to the innermost transport and are kept). */
static bool is_application(void (*fn)(struct dissection *, struct cursor *, uint32_t))
{
	return fn == dns_dissect || fn == dns_tcp_dissect || fn == dhcp_dissect ||
	       fn == dhcpv6_dissect || fn == ntp_dissect || fn == http_dissect ||
	       fn == ssdp_dissect;
}

/* Application protocols on any TCP port, recognised by their first bytes (tshark's heuristic
 * dissectors), tried when no port row matched. */
static const struct {
	bool (*looks)(const struct cursor *c);
	void (*fn)(struct dissection *d, struct cursor *c, uint32_t plen);
} tcp_heur_rows[] = {
    {tls_looks, tls_dissect},
};

/* The row of port lo, else of port hi (lo <= hi), else NULL, in a table sorted by port: each
 * search stops at the first larger key. Every TCP and UDP packet asks, and most match neither
 * (an ephemeral port above every row, and one such as 443 below most). */
static const struct diss_row *port_row(const struct diss_row *t, size_t n, uint32_t lo, uint32_t hi)
{
	size_t i = 0;

	while (i < n && t[i].key < lo)
		i++;
	if (i < n && t[i].key == lo)
		return &t[i];
	if (n == 0 || hi > t[n - 1].key) /* above every row: most ephemeral ports */
		return NULL;
	while (i < n && t[i].key < hi)
		i++;
	return i < n && t[i].key == hi ? &t[i] : NULL;
}

static bool sorted(const struct diss_row *t, size_t n)
{
	for (size_t i = 1; i < n; i++)
		if (t[i - 1].key >= t[i].key)
			return false;
	return true;
}

bool diss_port_tables_sorted(void)
{
	return sorted(udp_port_rows, sizeof udp_port_rows / sizeof udp_port_rows[0]) &&
	       sorted(tcp_port_rows, sizeof tcp_port_rows / sizeof tcp_port_rows[0]);
}

static bool tcp_heuristic(struct dissection *d, struct cursor *c, uint32_t plen)
{
	for (size_t i = 0; i < sizeof tcp_heur_rows / sizeof tcp_heur_rows[0]; i++) {
		if (!tcp_heur_rows[i].looks(c))
			continue;
		if (!d->lean)
			tcp_heur_rows[i].fn(d, c, plen);
		return true;
	}
	return false;
}

bool diss_port(struct dissection *d, struct cursor *c, enum proto transport, uint16_t sport,
               uint16_t dport, uint32_t plen)
{
	bool udp = transport == P_UDP;
	const struct diss_row *t = udp ? udp_port_rows : tcp_port_rows;
	size_t n = udp ? sizeof(udp_port_rows) / sizeof(udp_port_rows[0])
	               : sizeof(tcp_port_rows) / sizeof(tcp_port_rows[0]);
	const struct diss_row *r =
	    port_row(t, n, sport < dport ? sport : dport, sport < dport ? dport : sport);

	if (!r && !udp && http_heuristic(c)) { /* tshark's heuristic, on by default */
		if (!d->lean)
			http_dissect(d, c, plen);
		return true;
	}
	if (!r)
		return !udp && tcp_heuristic(d, c, plen);
	if (!(d->lean && is_application(r->fn)))
		r->fn(d, c, plen);
	return true;
}

/* ---- entry point ---- */

static void dissect_packet(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
                           uint32_t len)
{
	const struct diss_row *r = linktype >= 0 ? FIND(link_rows, (uint32_t)linktype) : NULL;
	struct cursor c;

	d->data = data;
	d->caplen = caplen;
	d->len = len;
	d->linktype = linktype;
	d->nf = 0;
	d->fields_full = false;
	memset(d->text, 0, DISS_TEXT_EMPTY + 1);
	d->ntext = DISS_TEXT_EMPTY + 1;
	/* the Info's bytes after its NUL are never read: not cleared for every packet */
	memset(&d->sum, 0, offsetof(struct summary, info) + 1);
	d->sum.info_later = NULL;
	d->sum.info_arg[0] = d->sum.info_arg[1] = 0;
	d->nest = 0;
	d->quoted = 0;
	d->malformed[0] = '\0';
	d->alt = NULL;
	d->alt_len = 0;
	d->in_alt = false;
	d->pdu_off = UINT32_MAX;
	d->pdu_need = 0;
	d->pdu_proto = P_NONE;
	d->app_nf = 0;
	d->tls_version = 0;
	d->tls_last_ver = 0;
	d->tls_layer = 0;
	d->tls_auth_ver = 0;
	d->tls_stop = 0;
	d->tls_session_ver = 0;
	d->seq_base = NULL;
	cur_init(&c, data, caplen);
	d->f[diss_layer(d, &c, P_FRAME)].len = caplen;
	d->sum.proto = P_FRAME;
	if (r)
		r->fn(d, &c, len);
	else
		diss_data(d, &c);
	if (!(d->defer_tcp_info && sum_info_is_tcp(d)))
		sum_info_flush(d);
	d->app_end = d->nf;
}

bool dissect_info_deferred(const struct dissection *d)
{
	return sum_info_is_tcp(d);
}

void dissect_info_write(struct dissection *d)
{
	sum_info_flush(d);
}

void dissect_pdus(struct dissection *d, bool tree, int linktype, const uint8_t *data,
                  uint32_t caplen, uint32_t len)
{
	d->tree = tree;
	d->lean = false;
	d->desegment = true;
	dissect_packet(d, linktype, data, caplen, len);
}

void dissect(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen, uint32_t len)
{
	d->desegment = false;
	d->tree = true;
	d->lean = false;
	dissect_packet(d, linktype, data, caplen, len);
}

void dissect_summary(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
                     uint32_t len)
{
	d->desegment = false;
	d->tree = false;
	d->lean = false;
	dissect_packet(d, linktype, data, caplen, len);
}

void dissect_transport(struct dissection *d, int linktype, const uint8_t *data, uint32_t caplen,
                       uint32_t len)
{
	d->desegment = false;
	d->tree = false;
	d->lean = true;
	dissect_packet(d, linktype, data, caplen, len);
}
