/*
 * test_dfilter.c - display filters (decode/dfilter.h) on a dissection built here field by
 * field: every operator and value type, tshark 4.0's multi-occurrence semantics, parse and
 * type errors with their exact column and message, and hostile filters (deep nesting, huge
 * literals, a catastrophic regex on a long payload, non-UTF-8 bytes, NULs), and the BPF
 * prefilters built from their over- and under-approximations (exact texts, and the reasons
 * when there is none).
 *
 * `test_dfilter --bpf EXPR [DLT]` prints EXPR's prefilter ("bpf: ..." or "none: reason") and
 * exits; `test_dfilter --bpf-lines DLT` does the same for every line of standard input (one
 * process for a whole table): tests/dfilter/bpf_prefilter.py compares tcpdump with it against
 * capscope -Y.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "check.h"
#include "decode/dfilter.h"
#include "decode/dfilter_int.h"
#include "decode/dissector.h"

static struct dissection d;
static struct frame_meta meta;
static uint8_t pkt[1600];

static uint16_t add(uint16_t key, enum field_type type, uint32_t off, uint32_t len, uint64_t u,
                    enum proto proto)
{
	uint16_t i = d.nf++;

	memset(&d.f[i], 0, sizeof d.f[i]);
	d.f[i].key = key;
	d.f[i].type = (uint8_t)type;
	d.f[i].off = off;
	d.f[i].len = len;
	d.f[i].u = u;
	d.f[i].proto = (uint16_t)proto;
	d.f[i].depth = type == FT_LAYER ? 0 : 1;
	return i;
}

static void put(uint32_t off, const void *bytes, uint32_t n)
{
	memcpy(pkt + off, bytes, n);
}

/* Ethernet / IPv4 10.0.0.1 -> 192.168.1.255 / UDP 40000 -> 53 / DNS "www.Example.com",
 * then a payload of 1400 'a' bytes and a 'b'. */
static void build(void)
{
	static const uint8_t dst[6] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff};
	static const uint8_t src[6] = {0x02, 0, 0, 0, 0, 0x0a};
	static const uint8_t ip_src[4] = {10, 0, 0, 1}, ip_dst[4] = {192, 168, 1, 255};
	const char name[] = "www.Example.com";

	memset(&d, 0, sizeof d);
	memset(pkt, 0, sizeof pkt);
	put(0, dst, 6);
	put(6, src, 6);
	put(26, ip_src, 4);
	put(30, ip_dst, 4);
	memset(pkt + 60, 'a', 1400);
	pkt[1460] = 'b';
	d.data = pkt;
	d.caplen = d.len = 1461;
	d.ntext = DISS_TEXT_EMPTY + 1;
	add(K_NONE, FT_LAYER, 0, d.caplen, 0, P_FRAME);
	add(K_NONE, FT_LAYER, 0, 14, 0, P_ETH);
	add(K_ETH_DST, FT_MAC, 0, 6, 0, P_ETH);
	add(K_ETH_SRC, FT_MAC, 6, 6, 0, P_ETH);
	add(K_ETH_TYPE, FT_HEX, 12, 2, 0x0800, P_ETH);
	add(K_NONE, FT_LAYER, 14, 20, 0, P_IPV4);
	add(K_IP_TTL, FT_UINT, 22, 1, 64, P_IPV4);
	add(K_IP_LEN, FT_UINT, 16, 2, 1447, P_IPV4);
	add(K_IP_SRC, FT_IPV4, 26, 4, 0, P_IPV4);
	add(K_IP_DST, FT_IPV4, 30, 4, 0, P_IPV4);
	add(K_NONE, FT_LAYER, 34, 8, 0, P_UDP);
	add(K_UDP_SRCPORT, FT_UINT, 34, 2, 40000, P_UDP);
	add(K_UDP_DSTPORT, FT_UINT, 36, 2, 53, P_UDP);
	add(K_NONE, FT_LAYER, 42, 18, 0, P_DNS);
	add(K_DNS_QRY_NAME, FT_STR, 54, 17, diss_text(&d, name, strlen(name)), P_DNS);
	add(K_NONE, FT_LAYER, 60, 1401, 0, P_DATA);
	d.sum.has_ports = true;
	d.sum.sport = 40000;
	d.sum.dport = 53;
	meta.number = 7;
	meta.rel_nsec = 1500000000;
	meta.delta_nsec = 1000;
	meta.ts_sec = 1700000000;
	meta.len = 1500;
	meta.caplen = 1461;
}

/* 1 match, 0 no match, -1 the filter did not compile. */
static int run(const char *expr)
{
	char err[DFILTER_ERRLEN];
	struct dfilter *df = dfilter_compile(expr, err, sizeof err, NULL);
	int r;

	if (!df) {
		check_context(err);
		return -1;
	}
	r = dfilter_match(df, &d, &meta);
	dfilter_free(df);
	return r;
}

#define MATCH(e)    CHECK_EQ_INT(run(e), 1)
#define NO_MATCH(e) CHECK_EQ_INT(run(e), 0)

static void rejects(const char *expr, const char *want, int want_col)
{
	char err[DFILTER_ERRLEN] = "";
	int col = -1;
	struct dfilter *df = dfilter_compile(expr, err, sizeof err, &col);

	CHECK(df == NULL);
	dfilter_free(df);
	CHECK_EQ_STR(err, want);
	CHECK_EQ_INT(col, want_col);
}

static void test_operators(void)
{
	MATCH("");
	MATCH("  ");
	MATCH("udp.dstport == 53");
	MATCH("udp.dstport eq 53");
	NO_MATCH("udp.dstport != 53");
	MATCH("udp.dstport ne 54");
	MATCH("ip.len > 1000 && ip.len gt 1000 && ip.len >= 1447 && ip.len ge 1447");
	MATCH("ip.ttl < 65 and ip.ttl lt 65 and ip.ttl <= 64 and ip.ttl le 64");
	NO_MATCH("ip.ttl < 64");
	MATCH("eth.type == 0x800 && eth.type == 2048 && eth.type == 04000");
	MATCH("ip.ttl == 0b1000000 && ip.ttl == '@'");
	NO_MATCH("ip.ttl == -64");
	MATCH("ip.ttl != -64");
	MATCH("udp.srcport & 0x40 && udp.srcport & 0x9c40 == 0x9c40");
	NO_MATCH("udp.dstport & 2");
	MATCH("udp.dstport in {80, 443, 50..60}");
	NO_MATCH("udp.dstport in {80, 443}");
	MATCH("udp.dstport not in {80, 443}");
	MATCH("udp.srcport > udp.dstport");
	MATCH("udp && !tcp && not icmp && (dns || arp)");
	MATCH("udp or udp and tcp");
	NO_MATCH("(udp or udp) and tcp");
}

static void test_multi_occurrence(void)
{
	MATCH("ip.addr == 10.0.0.1");
	NO_MATCH("ip.addr != 10.0.0.1"); /* 4.0: != is "all not equal" */
	MATCH("ip.addr !== 10.0.0.1");   /* any not equal */
	MATCH("ip.addr ~= 10.0.0.1");
	NO_MATCH("ip.addr === 10.0.0.1"); /* all equal */
	MATCH("ip.addr any_eq 10.0.0.1 && ip.addr any_ne 10.0.0.1");
	NO_MATCH("ip.addr all_ne 10.0.0.1 || ip.addr all_eq 10.0.0.1");
	MATCH("any ip.addr == 10.0.0.1");
	NO_MATCH("all ip.addr == 10.0.0.1");
	NO_MATCH("tcp.port != 80"); /* absent: no occurrence, so not "all not equal" */
	MATCH("count(ip.addr) == 2 && count(udp) == 1 && count(tcp.port) == 0");
}

static void test_addresses_and_bytes(void)
{
	MATCH("ip.src == 10.0.0.0/8 && ip.dst == 192.168.1.0/24 && ip.addr == 192.168.0.0/16");
	NO_MATCH("ip.src == 11.0.0.0/8");
	MATCH("ip.src < 10.0.0.2 && ip.dst > 10.0.0.1/8");
	MATCH("eth.dst == ff:ff:ff:ff:ff:ff && eth.src == 02-00-00-00-00-0a");
	MATCH("eth.src == 0200.0000.000a && eth.src == 02.00.00.00.00.0A");
	MATCH("eth.src[0:3] == 02:00:00 && eth.src[1-2] == 00:00 && eth.src[:4] == 02:00:00:00");
	MATCH("eth.src[-1] == 0a && eth.src[5:] == 0a && eth.src[-2:2] == 00:0a");
	NO_MATCH("eth.src[6] == 00");
	MATCH("eth.dst[0] & 01 && eth.src[0] & 02 == 02");
	MATCH("frame[0:2] == ffff && frame[26:4] == 0a:00:00:01");
	MATCH("ip.src[0] == 0a && !(ip.src[0] == 10)");
	MATCH("frame contains 61:61:62 && udp contains \"aab\" && !(eth contains \"zz\")");
	MATCH("len(eth.src) == 6 && len(ip) == 20 && len(udp) == 8 && len(frame) == 1461");
	MATCH("eth.addr == 02:00:00:00:00:0a && eth.src in {02:00:00:00:00:0a}");
}

static void test_strings_and_times(void)
{
	MATCH("dns.qry.name == \"www.Example.com\" && dns.qry.name == www.Example.com");
	NO_MATCH("dns.qry.name == \"www.example.com\"");
	MATCH("dns.qry.name contains \"Exam\" && !(dns.qry.name contains \"exam\")");
	MATCH("dns.qry.name matches \"^WWW\\\\.example\""); /* caseless by default */
	NO_MATCH("dns.qry.name matches \"(?-i)^WWW\"");
	MATCH("dns.qry.name matches r\"\\.com$\"");
	MATCH("lower(dns.qry.name) == \"www.example.com\" && upper(dns.qry.name) contains \"EXA\"");
	MATCH("dns.qry.name == \"\\x77ww.Example.com\" && dns.qry.name == \"\\167ww.Example.com\"");
	MATCH("dns.qry.name > \"www\" && dns.qry.name < \"wwx\" && len(dns.qry.name) == 15");
	MATCH("dns.qry.name in {\"a\", \"www.Example.com\"}");
	MATCH("frame.number == 7 && frame.len == 1500 && frame.cap_len < frame.len");
	MATCH("frame.time_relative == 1.5 && frame.time_relative > 1 && frame.time_delta < 0.001");
	MATCH("frame.time_epoch >= 1700000000 && frame.time_epoch < 1700000000.5");
	MATCH("frame.time_relative in {1.4..1.6}");
}

static void test_errors(void)
{
	rejects("ip.sorce == 10.0.0.1",
	        "display filter column 1: unknown field \"ip.sorce\" (did you mean ip.src?)", 1);
	rejects(
	    "udp && tcp.srcprot == 1",
	    "display filter column 8: unknown field \"tcp.srcprot\" (did you mean tcp.srcport?)",
	    8);
	rejects("ip.src ==",
	        "display filter column 10: unexpected end of filter (expected a field, "
	        "a protocol or a value)",
	        10);
	rejects("(udp",
	        "display filter column 5: unexpected end of filter (expected \")\" or an "
	        "operator)",
	        5);
	rejects("udp.port in {53 80}",
	        "display filter column 17: \"80\" was unexpected here (expected "
	        "\",\" or \"}\" (tshark 4.0 separates members with commas))",
	        17);
	rejects("udp ^^ tcp", "display filter column 5: unexpected character '^'", 5);
	rejects("ip.src == 10.1", "display filter column 11: \"10.1\" is not a valid IPv4 address",
	        11);
	rejects("ip.src == 1.2.3.4/33",
	        "display filter column 11: a network prefix of 33 bits is longer than 32", 11);
	rejects("eth.src == 02:00:00",
	        "display filter column 12: \"02:00:00\" is not a MAC address "
	        "(six bytes)",
	        12);
	rejects("ip.src == eth.src",
	        "display filter column 1: \"ip.src\" (an IPv4 address) and "
	        "\"eth.src\" (a MAC address) cannot be compared",
	        1);
	rejects("udp.port[0] == 1",
	        "display filter column 1: \"udp.port\" is an unsigned integer and cannot be sliced",
	        1);
	rejects("upper(eth.src) == \"A\"",
	        "display filter column 7: upper() takes a string field, not a MAC address", 7);
	rejects("dns.qry.name matches \"[\"",
	        "display filter column 22: bad regular expression: "
	        "missing terminating ] for character class (at "
	        "offset 1 of the expression)",
	        22);
	rejects("53 == udp.port",
	        "display filter column 1: the left side of a comparison must be a "
	        "field or a function, not \"53\"",
	        1);
	rejects("udp.srcport == \"53\"",
	        "display filter column 16: an integer cannot be converted from a string", 16);
	rejects("frame contains \"abc", "display filter column 16: this string never closes", 16);
	rejects("dns.qry.name == \"\\q\"",
	        "display filter column 18: invalid escape sequence in a string", 18);
	rejects("nosuch(ip.src)",
	        "display filter column 1: unknown function \"nosuch\" (capscope has "
	        "len, lower, upper and count)",
	        1);
}

static char *repeat(const char *head, const char *unit, size_t times, const char *tail)
{
	size_t hn = strlen(head), un = strlen(unit), tn = strlen(tail);
	char *s = malloc(hn + un * times + tn + 1);

	memcpy(s, head, hn);
	for (size_t i = 0; i < times; i++)
		memcpy(s + hn + i * un, unit, un);
	memcpy(s + hn + un * times, tail, tn + 1);
	return s;
}

static void test_hostile(void)
{
	char *s;
	clock_t t0;

	s = repeat("", "(", 100000, "udp"); /* refused before parsing: too long */
	rejects(s, "display filter column 1: the filter is longer than 65536 bytes", 1);
	free(s);
	s = repeat("", "(", 60000, "udp"); /* refused while parsing: too deep */
	rejects(s, "display filter column 65: nested more than 64 levels deep", 65);
	free(s);
	s = repeat("", "!", 60000, "udp");
	rejects(s, "display filter column 65: nested more than 64 levels deep", 65);
	free(s);
	s = repeat("frame contains \"", "A", 1 << 20, "\"");
	rejects(s, "display filter column 1: the filter is longer than 65536 bytes", 1);
	free(s);
	s = repeat("frame contains \"", "a", 60000, "\"");
	NO_MATCH(s); /* a large literal still compiles and matches in bounded time */
	free(s);
	s = repeat("udp", " && udp", 3000, ""); /* long chains evaluate in a loop */
	MATCH(s);
	free(s);
	s = repeat("udp", " || udp", 9000, "");
	rejects(s, "display filter column 28673: the filter is too long (more than 8192 terms)",
	        28673);
	free(s);
	t0 = clock();
	NO_MATCH("frame matches \"(a+)+$\""); /* exponential backtracking, cut by the limits */
	NO_MATCH("data matches \"(a|aa)+c\"");
	CHECK((double)(clock() - t0) / CLOCKS_PER_SEC < 2.0);
	rejects("ip.src == \xff\xfe", "display filter column 11: unexpected byte 0xff", 11);
	MATCH("udp\0 garbage after a NUL is not part of the C string");
	MATCH("frame contains \"\\x00\\x00\" && frame contains \"\\0\\0\"");
	MATCH("!(frame contains \"\xc3\x28\")"); /* invalid UTF-8 is just bytes */
}

/* The prefilter of expr on linktype, into out; false when there is none (out: the reason). */
static bool prefilter(const char *expr, int linktype, char *out, size_t n)
{
	char err[DFILTER_ERRLEN];
	struct dfilter *df = dfilter_compile(expr, err, sizeof err, NULL);
	bool ok = df && dfilter_to_bpf(df, linktype, out, n);

	CHECK(df != NULL);
	dfilter_free(df);
	return ok;
}

/* S/I construction: exact texts. "T" in a wanted text stands for df_bpf_nested(linktype). */
static void test_bpf_exact(void)
{
	static const struct {
		int dlt;
		const char *expr, *want;
	} rows[] = {
	    {12, "frame.len > 100", "len >= 101"},
	    {1, "frame.len > 100", "len >= 97"},   /* a VLAN tag the kernel took out */
	    {113, "frame.len > 100", "len >= 81"}, /* and a cooked header */
	    {1, "frame.len == 60", "(len >= 56 and len <= 60)"},
	    {12, "frame.len in {60, 100..200}", "(len == 60 or (len >= 100 and len <= 200))"},
	    {12, "frame.len != 60", "not (len == 60)"},
	    {1, "frame.len > 100 && !(frame.len > 1000)", "(len >= 97 and not (len >= 1001))"},
	    {1, "ip.src == 198.18.0.1", "(ip src host 198.18.0.1 or T)"},
	    {1, "ip.addr == 10.1.2.3/8", "(ip net 10.0.0.0/8 or T)"},
	    {1, "ip.src == 198.18.0.1 && udp", "((ip src host 198.18.0.1 and udp) or T)"},
	    {1, "ip.src == 1.2.3.4 || frame.len > 1000",
	     "((ip src host 1.2.3.4 or len >= 997) or T)"},
	    {1, "frame.len > 100 && ip.src == 1.2.3.4",
	     "(len >= 97 and (ip src host 1.2.3.4 or T))"},
	    {1, "udp.dstport in {53, 6000..6010}",
	     "((udp dst port 53 or udp dst portrange 6000-6010) or T)"},
	    {1, "!ip", "not (len >= 34 and ip[0] & 0xf0 == 0x40 and ip[0] & 0xf >= 5)"},
	    {1, "!(eth.src == 02:00:00:00:00:01)",
	     "not (len >= 12 and ether src host 02:00:00:00:00:01)"},
	    {12, "!(ip.proto == 17)",
	     "not (len >= 20 and ip[0] & 0xf0 == 0x40 and ip[0] & 0xf >= 5 and ip proto 17)"},
	    {1, "ip.addr != 1.2.3.4",
	     "((ip or T) and not (len >= 34 and ip[0] & 0xf0 == 0x40 and ip[0] & 0xf >= 5 and "
	     "ip host 1.2.3.4))"},
	    {1, "gre", "T"},
	    {1, "dns.qry.name contains \"x\"", "((port 53 or port 5353 or port 5355) or T)"},
	    {1, "sll", "len < 0"},
	    {0, "frame.len > 100", "len >= 101"},
	};
	char out[8192], want[8192];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		const char *t = strchr(rows[i].want, 'T');
		if (t)
			snprintf(want, sizeof want, "%.*s%s%s", (int)(t - rows[i].want),
			         rows[i].want, df_bpf_nested(rows[i].dlt), t + 1);
		else
			snprintf(want, sizeof want, "%s", rows[i].want);
		CHECK(prefilter(rows[i].expr, rows[i].dlt, out, sizeof out));
		CHECK_EQ_STR(out, want);
	}
}

static void test_bpf_none(void)
{
	static const struct {
		int dlt;
		const char *expr, *why;
	} rows[] = {
	    {1, "frame.number == 1", "\"frame.number\" is not visible to BPF"},
	    {1, "vlan.id == 5",
	     "\"vlan.id\" VLAN tags are taken out of frames before the kernel's "
	     "BPF sees them"},
	    {1, "len(dns.qry.name) > 5", "\"len(dns.qry.name)\" has no BPF form"},
	    {1, "!(dns.qry.name == \"a\")", "the prefilter would keep every packet"},
	    {1, "frame.len > 100 || frame.number == 3", "\"frame.number\" is not visible to BPF"},
	    {0, "ip.src == 1.2.3.4", "\"ip.src\" only frame.len reaches BPF on this link type"},
	    {1, "", "the prefilter would keep every packet"},
	};
	char out[512];

	for (size_t i = 0; i < sizeof rows / sizeof rows[0]; i++) {
		CHECK(!prefilter(rows[i].expr, rows[i].dlt, out, sizeof out));
		CHECK_EQ_STR(out, rows[i].why);
	}
	/* past the buffer: no prefilter, and says so */
	CHECK(!prefilter("ip.src == 1.2.3.4", 1, out, 64));
	CHECK_EQ_STR(out, "the prefilter would be longer than 63 bytes");
}

/* --bpf EXPR [DLT]: the prefilter on that link type (Ethernet if none), for the tcpdump
 * comparison script. */
static int print_bpf(const char *expr, int linktype)
{
	char out[8192], err[DFILTER_ERRLEN];
	struct dfilter *df = dfilter_compile(expr, err, sizeof err, NULL);
	bool ok;

	if (!df) {
		printf("error: %s\n", err);
		return 0;
	}
	ok = dfilter_to_bpf(df, linktype, out, sizeof out);
	printf("%s: %s\n", ok ? "bpf" : "none", out);
	dfilter_free(df);
	return 0;
}

/* --bpf-lines DLT: print_bpf for every line of standard input, a line each, flushed. */
static int print_bpf_lines(int linktype)
{
	char line[4096];

	while (fgets(line, sizeof line, stdin)) {
		line[strcspn(line, "\n")] = '\0';
		print_bpf(line, linktype);
		fflush(stdout);
	}
	return 0;
}

int main(int argc, char **argv)
{
	if ((argc == 3 || argc == 4) && strcmp(argv[1], "--bpf") == 0)
		return print_bpf(argv[2], argc == 4 ? atoi(argv[3]) : 1);
	if (argc == 3 && strcmp(argv[1], "--bpf-lines") == 0)
		return print_bpf_lines(atoi(argv[2]));
	build();
	test_bpf_exact();
	test_bpf_none();
	test_operators();
	test_multi_occurrence();
	test_addresses_and_bytes();
	test_strings_and_times();
	test_errors();
	test_hostile();
	return check_done();
}
