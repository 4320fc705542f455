/*
 * test_adapter.c - address text (IPv4, RFC 5952 IPv6) and adapter lookup by name or number.
 * Uses hand-built lists: never opens an adapter.
 */
#include <stdio.h>
#include <string.h>

#include "capture/adapter.h"
#include "check.h"

static void v6(const char *want, const uint16_t g[8])
{
	uint8_t a[16];
	char buf[64];
	int i;

	for (i = 0; i < 8; i++)
		a[2 * i] = (uint8_t)(g[i] >> 8), a[2 * i + 1] = (uint8_t)g[i];
	adapter_addr_text(6, a, buf, sizeof(buf));
	CHECK_EQ_STR(buf, want);
}

static void test_addr_text(void)
{
	static const uint8_t v4[4] = {192, 168, 0, 255};
	char buf[64], small[8];

	adapter_addr_text(4, v4, buf, sizeof(buf));
	CHECK_EQ_STR(buf, "192.168.0.255");
	adapter_addr_text(4, v4, small, sizeof(small));
	CHECK_EQ_STR(small, "192.168"); /* cut, still terminated */
	adapter_addr_text(0, v4, buf, sizeof(buf));
	CHECK_EQ_STR(buf, "");
	v6("::", (const uint16_t[8]){0});
	v6("::1", (const uint16_t[8]){0, 0, 0, 0, 0, 0, 0, 1});
	v6("1::", (const uint16_t[8]){1, 0, 0, 0, 0, 0, 0, 0});
	v6("2001:db8::1", (const uint16_t[8]){0x2001, 0xdb8, 0, 0, 0, 0, 0, 1});
	v6("2001:db8:0:1:1:1:1:1", (const uint16_t[8]){0x2001, 0xdb8, 0, 1, 1, 1, 1, 1});
	v6("2001:db8::1:0:0:1", (const uint16_t[8]){0x2001, 0xdb8, 0, 0, 1, 0, 0, 1});
	v6("2001:0:0:1::1", (const uint16_t[8]){0x2001, 0, 0, 1, 0, 0, 0, 1});
	v6("fe80::abcd:ef", (const uint16_t[8]){0xfe80, 0, 0, 0, 0, 0, 0xabcd, 0xef});
	v6("2001:db8:aaaa:bbbb:cccc:dddd:eeee:ffff",
	   (const uint16_t[8]){0x2001, 0xdb8, 0xaaaa, 0xbbbb, 0xcccc, 0xdddd, 0xeeee, 0xffff});
	v6("::ffff:10.0.0.1", (const uint16_t[8]){0, 0, 0, 0, 0, 0xffff, 0x0a00, 0x0001});
	v6("1:0:1:0:1:0:1:0", (const uint16_t[8]){1, 0, 1, 0, 1, 0, 1, 0});
}

static void test_find(void)
{
	struct adapter v[3] = {{.name = "eth0"}, {.name = "2"}, {.name = "lo"}};
	struct adapter_list l = {v, 3};

	CHECK(adapter_find(&l, "eth0") == &v[0]);
	CHECK(adapter_find(&l, "lo") == &v[2]);
	CHECK(adapter_find(&l, "1") == &v[0]);
	CHECK(adapter_find(&l, "2") == &v[1]); /* a name wins over a number */
	CHECK(adapter_find(&l, "3") == &v[2]);
	CHECK(adapter_find(&l, "0") == NULL);
	CHECK(adapter_find(&l, "4") == NULL);
	CHECK(adapter_find(&l, "") == NULL);
	CHECK(adapter_find(&l, "1x") == NULL);
	CHECK(adapter_find(&l, "99999999999999999999999") == NULL);
}

static void test_netmask(void)
{
	struct adapter_addr addrs[2] = {
	    {.family = 6, .has_netmask = true},
	    {.family = 4, .has_netmask = true, .netmask = {255, 255, 0}}};
	struct adapter a = {.name = "x", .addrs = addrs, .naddrs = 2};
	uint32_t m = adapter_ipv4_netmask(&a);

	CHECK_EQ_INT(memcmp(&m, addrs[1].netmask, 4), 0);
	a.naddrs = 1;
	CHECK_EQ_INT(adapter_ipv4_netmask(&a), 0);
	CHECK_EQ_STR(adapter_conn_name(AD_CONN_CONNECTED), "connected");
}

int main(void)
{
	test_addr_text();
	test_find();
	test_netmask();
	return check_done();
}
