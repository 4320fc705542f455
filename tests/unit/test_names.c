/* test_names.c - the name table: bounds (count and bytes, least recently used first), a
 * changed name, hostile names kept raw and escaped when shown, table cells (cut with '~')
 * and the generation count, learning from DNS answers (a CNAME chain, a CNAME loop, an mDNS
 * answer) and from DHCP leases (ACK after a named Request, an ACK with no name, a NAK, the
 * bounded table of clients) through the real dissector. */
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"

#define DHCP_LEASES_TEST DHCP_LEASES_MAX
#include "decode/names.h"
#include "decode/names_dhcp.h"
#include "decode/print.h"

static const char *get4(struct names *t, uint32_t a)
{
	static char buf[NAMES_NAME_MAX + 1];
	uint8_t ad[4] = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a};
	size_t n;
	const char *s = names_get(t, ad, 4, &n);

	if (!s)
		return "";
	memcpy(buf, s, n);
	buf[n] = '\0';
	return buf;
}

static void set4(struct names *t, uint32_t a, const char *name)
{
	uint8_t ad[4] = {(uint8_t)(a >> 24), (uint8_t)(a >> 16), (uint8_t)(a >> 8), (uint8_t)a};

	names_set(t, ad, 4, name, strlen(name));
}

static void test_lru_count(void)
{
	struct names *t = names_new(3, 1000);

	set4(t, 1, "one");
	set4(t, 2, "two");
	set4(t, 3, "three");
	CHECK_EQ_STR(get4(t, 1), "one"); /* 1 is now the most recent: 2 goes first */
	set4(t, 4, "four");
	CHECK_EQ_INT(names_count(t), 3);
	CHECK_EQ_STR(get4(t, 2), "");
	CHECK_EQ_STR(get4(t, 1), "one");
	CHECK_EQ_STR(get4(t, 4), "four");
	for (uint32_t i = 10; i < 10000; i++) /* many more than it holds */
		set4(t, i, "x");
	CHECK_EQ_INT(names_count(t), 3);
	names_free(t);
}

static void test_bytes_bound_and_change(void)
{
	struct names *t = names_new(100, 10);

	set4(t, 1, "aaaa");
	set4(t, 2, "bbbb");
	set4(t, 3, "cccc"); /* 12 bytes > 10: the oldest goes */
	CHECK_EQ_STR(get4(t, 1), "");
	CHECK(names_bytes(t) <= 10);
	set4(t, 3, "dd"); /* a changed name replaces the old one */
	CHECK_EQ_STR(get4(t, 3), "dd");
	CHECK_EQ_INT(names_count(t), 2);
	CHECK_EQ_INT(names_bytes(t), 6);
	set4(t, 4, "0123456789abcdef"); /* longer than the whole budget: not kept */
	CHECK_EQ_STR(get4(t, 4), "");
	CHECK(names_bytes(t) <= 10);
	names_free(t);
}

static void test_hostile_name(void)
{
	struct names *t = names_new(10, 4096);
	char big[300], out[ENDPOINT_MAX];
	struct summary s = {.net = P_IPV4, .has_addrs = true, .src = {10, 0, 0, 9}};

	names_set(t, s.src, 4, "\x1b[31mred\x07\n", 10);
	CHECK_EQ_STR(get4(t, 0x0a000009), "\x1b[31mred\x07\n"); /* stored raw */
	names_endpoint(t, &s, true, out);
	CHECK_EQ_STR(out, "\\x1b[31mred\\x07\\x0a"); /* escaped when shown */
	memset(big, 'L', sizeof big);
	names_set(t, s.src, 4, big, sizeof big); /* cut to 255 bytes, shown cut to fit */
	CHECK_EQ_INT(strlen(get4(t, 0x0a000009)), NAMES_NAME_MAX);
	CHECK(names_endpoint(t, &s, true, out) < ENDPOINT_MAX);
	names_free(t);
}

/* DNS messages through dissect(): an Ethernet/IPv4/UDP frame around the DNS bytes. */
static size_t frame(uint8_t *buf, uint16_t sport, const uint8_t *dns, size_t n)
{
	static const uint8_t head[] = {
	    2,    0,  0,    0,    0, 0xb, 2, 0, 0,  0,  0, 0xa, 0x08, 0x00, /* Ethernet */
	    0x45, 0,  0,    0,    0, 0,   0, 0, 64, 17, 0, 0,   10,   0,
	    0,    53, 10,   0,    0, 1,         /* IPv4 */
	    0,    0,  0x13, 0x89, 0, 0,   0, 0, /* UDP */
	};
	memcpy(buf, head, sizeof head);
	buf[16] = (uint8_t)((20 + 8 + n) >> 8);
	buf[17] = (uint8_t)(20 + 8 + n);
	buf[34] = (uint8_t)(sport >> 8);
	buf[35] = (uint8_t)sport;
	buf[38] = (uint8_t)((8 + n) >> 8);
	buf[39] = (uint8_t)(8 + n);
	memcpy(buf + sizeof head, dns, n);
	return sizeof head + n;
}

static size_t put_name(uint8_t *p, const char *dotted)
{
	size_t n = 0;

	while (*dotted) {
		const char *dot = strchr(dotted, '.');
		size_t l = dot ? (size_t)(dot - dotted) : strlen(dotted);
		p[n++] = (uint8_t)l;
		memcpy(p + n, dotted, l);
		n += l;
		dotted += l + (dot != NULL);
	}
	p[n++] = 0;
	return n;
}

/* A response: question qname, then (owner, type, rdata name or address) records. */
static void learn(struct names *t, uint16_t port, const char *qname, int nrr,
                  const char *const *owners, const uint16_t *types, const char *const *data)
{
	static struct dissection d;
	uint8_t dns[1024] = {0, 1, 0x81, 0x80, 0, qname ? 1 : 0, 0, (uint8_t)nrr, 0, 0, 0, 0};
	uint8_t pkt[1200];
	size_t n = 12;

	if (qname) {
		n += put_name(dns + n, qname);
		memcpy(dns + n, "\0\1\0\1", 4);
		n += 4;
	}
	for (int i = 0; i < nrr; i++) {
		size_t rd;
		n += put_name(dns + n, owners[i]);
		uint8_t fixed[10] = {0, (uint8_t)types[i], 0, 1, 0, 0, 0, 60, 0, 0};
		memcpy(dns + n, fixed, 10);
		n += 10;
		if (types[i] == 1) {
			memcpy(dns + n, data[i], 4);
			rd = 4;
		} else {
			rd = put_name(dns + n, data[i]);
		}
		dns[n - 1] = (uint8_t)rd;
		n += rd;
	}
	size_t len = frame(pkt, port, dns, n);
	dissect(&d, 1, pkt, (uint32_t)len, (uint32_t)len);
	CHECK(d.malformed[0] == '\0');
	names_learn(t, &d);
}

static void test_learn_dns(void)
{
	struct names *t = names_new(16, 4096);
	const char *o1[] = {"www.example.org", "web.example.org", "edge.example.net"};
	const uint16_t t1[] = {5, 5, 1};
	const char *d1[] = {"web.example.org", "edge.example.net", "\x0a\x09\x00\x50"};
	const char *o2[] = {"a.loop", "b.loop", "b.loop"};
	const char *d2[] = {"b.loop", "a.loop", "\x0a\x00\x00\x4d"};
	const char *o3[] = {"printer.local"};
	const uint16_t t3[] = {1};
	const char *d3[] = {"\x0a\x00\x00\x2a"};

	learn(t, 53, "www.example.org", 3, o1, t1, d1);
	CHECK_EQ_STR(get4(t, 0x0a090050), "www.example.org"); /* the head of the chain */
	learn(t, 53, "a.loop", 3, o2, t1, d2);
	CHECK_EQ_STR(get4(t, 0x0a00004d), "a.loop"); /* a loop ends (bounded hops) */
	learn(t, 5353, NULL, 1, o3, t3, d3);
	CHECK_EQ_STR(get4(t, 0x0a00002a), "printer.local"); /* mDNS, no question */
	names_free(t);
}

static void test_cell_and_generation(void)
{
	struct names *t = names_new(10, 4096);
	uint8_t a[4] = {10, 0, 0, 1}, b[4] = {10, 0, 0, 2};
	char out[41];
	uint64_t g0 = names_generation(t);

	CHECK_EQ_INT(names_cell(t, a, 4, out, 40), 0);
	CHECK_EQ_STR(out, "");
	names_set(t, a, 4, "short.example", 13);
	CHECK(names_generation(t) != g0);
	g0 = names_generation(t);
	names_set(t, a, 4, "short.example", 13); /* the same name: nothing changed */
	CHECK(names_generation(t) == g0);
	CHECK_EQ_INT(names_cell(t, a, 4, out, 40), 13);
	CHECK_EQ_STR(out, "short.example");
	names_set(t, b, 4, "\x1b[31ma-very-long-name.example.com.with.more", 43);
	CHECK_EQ_INT(names_cell(t, b, 4, out, 20), 20);
	CHECK_EQ_STR(out, "\\x1b[31ma-very-long~"); /* escaped, then cut with '~' */
	names_free(t);
}

/* A DHCP message (op 1 from 0.0.0.0:68, op 2 from 10.0.0.1:67) from client MAC
 * 02:00:00:00:00:<mac>, with yiaddr and the options given (End added). */
static void dhcp(struct names *t, uint8_t type, uint8_t mac, uint32_t yiaddr, const uint8_t *opt,
                 size_t optlen)
{
	static struct dissection d;
	uint8_t msg[400] = {type == 2 || type == 5 || type == 6 ? 2 : 1, 1, 6, 0, 0, 0, 0, 0x42};
	uint8_t pkt[600];
	size_t n = 240;

	msg[16] = (uint8_t)(yiaddr >> 24), msg[17] = (uint8_t)(yiaddr >> 16);
	msg[18] = (uint8_t)(yiaddr >> 8), msg[19] = (uint8_t)yiaddr;
	memcpy(msg + 28, (const uint8_t[]){2, 0, 0, 0, 0, mac}, 6);
	memcpy(msg + 236, "\x63\x82\x53\x63\x35\x01", 6);
	msg[242] = type;
	n = 243;
	if (optlen)
		memcpy(msg + n, opt, optlen);
	n += optlen;
	msg[n++] = 255;
	size_t len = frame(pkt, 68, msg, n);
	pkt[34] = 0, pkt[35] = msg[0] == 1 ? 68 : 67; /* the ports DHCP uses */
	pkt[36] = 0, pkt[37] = msg[0] == 1 ? 67 : 68;
	dissect(&d, 1, pkt, (uint32_t)len, (uint32_t)len);
	CHECK(d.sum.proto == P_DHCP);
	names_learn(t, &d);
}

static void test_learn_dhcp(void)
{
	struct names *t = names_new(16, 4096);
	static const uint8_t host[] = {12, 6, 'l', 'a', 'p', 't', 'o', 'p'};
	static const uint8_t fqdn[] = {12,  2,   'p', 'h', 81,  11,  1,   0,  0,
	                               'p', 'h', '.', 'e', 'x', '.', 'l', 'n'};

	dhcp(t, 3, 1, 0, host, sizeof host); /* Request: laptop */
	CHECK_EQ_INT(names_count(t), 0);     /* not from 0.0.0.0, not yet */
	dhcp(t, 5, 1, 0x0a00000a, NULL, 0);  /* ACK: 10.0.0.10 */
	CHECK_EQ_STR(get4(t, 0x0a00000a), "laptop");
	dhcp(t, 5, 2, 0x0a000014, NULL, 0); /* an ACK for a client that sent no name */
	CHECK_EQ_STR(get4(t, 0x0a000014), "");
	dhcp(t, 1, 3, 0, fqdn, sizeof fqdn); /* Discover with host name and FQDN: the FQDN */
	dhcp(t, 5, 3, 0x0a00001e, NULL, 0);
	CHECK_EQ_STR(get4(t, 0x0a00001e), "ph.ex.ln");
	dhcp(t, 3, 4, 0, host, sizeof host); /* Request, NAK, ACK: the NAK forgot the name */
	dhcp(t, 6, 4, 0, NULL, 0);
	dhcp(t, 5, 4, 0x0a000028, NULL, 0);
	CHECK_EQ_STR(get4(t, 0x0a000028), "");
	for (int i = 0; i < DHCP_LEASES_TEST + 1; i++) /* more clients than remembered */
		dhcp(t, 3, (uint8_t)(100 + i), 0, host, sizeof host);
	dhcp(t, 5, 100, 0x0a000032, NULL, 0); /* the first was forgotten (least recently used) */
	CHECK_EQ_STR(get4(t, 0x0a000032), "");
	dhcp(t, 5, (uint8_t)(100 + DHCP_LEASES_TEST), 0x0a000033, NULL, 0);
	CHECK_EQ_STR(get4(t, 0x0a000033), "laptop");
	names_free(t);
}

/* Port names from /etc/services; vendor names from ieee-data's oui.txt when installed. */
static bool readable(const char *path)
{
	FILE *f = fopen(path, "r");

	if (f)
		fclose(f);
	return f != NULL;
}

static void test_system_lists(void)
{
	static const uint8_t cisco[6] = {0x00, 0x00, 0x0c, 1, 2, 3};
	char out[NAMES_VENDOR_MAX];
	size_t n = names_vendor(cisco, out);

	if (readable("/etc/services")) {
		CHECK_EQ_STR(names_port(53, false), "domain");
		CHECK_EQ_STR(names_port(80, true), "http");
	}
	if (readable("/usr/share/ieee-data/oui.txt")) {
		CHECK_EQ_STR(out, "CiscoSys_01:02:03");
		CHECK_EQ_INT(n, strlen("CiscoSys_01:02:03"));
	} else { /* no list, no vendors */
		CHECK_EQ_INT(n, 0);
	}
}

int main(void)
{
	test_system_lists();
	test_lru_count();
	test_bytes_bound_and_change();
	test_hostile_name();
	test_learn_dns();
	test_cell_and_generation();
	test_learn_dhcp();
	return check_done();
}
