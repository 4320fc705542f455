/* test_text.c - the text paths untrusted bytes take to a terminal: escaping, the hex dump,
 * address and timestamp text, JSON strings and the output buffer. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "base/addr.h"
#include "base/escape.h"
#include "decode/outbuf.h"
#include "decode/print.h"
#include "decode/timefmt.h"

static void test_escape(void)
{
	char out[64];
	const uint8_t in[] = {'a', 0x1b, '[', '2', 'J', 0x07, '\\', 0x9b, 0x7f, 0xff, 'z'};

	esc_str(out, sizeof out, in, sizeof in);
	CHECK_EQ_STR(out, "a\\x1b[2J\\x07\\\\\\x9b\\x7f\\xffz");
	CHECK_EQ_INT(esc_len(in, sizeof in), strlen(out));
	/* never cuts an escape in half, always terminates */
	esc_str(out, 4, in, sizeof in);
	CHECK_EQ_STR(out, "a");
	esc_str(out, 1, in, sizeof in);
	CHECK_EQ_STR(out, "");
	CHECK_EQ_STR(esc_cstr(out, sizeof out, "tab\there"), "tab\\x09here");
	for (int b = 0; b < 256; b++) /* the hex dump's ASCII column */
		if (esc_ascii((uint8_t)b) != (b >= 0x20 && b <= 0x7e ? b : '.'))
			CHECK(!"esc_ascii");
}

static void test_hex_line(void)
{
	uint8_t data[20];
	char line[HEXLINE_MAX + 1];

	for (int i = 0; i < 20; i++)
		data[i] = (uint8_t)(i == 3 ? 0x1b : 0x41 + i);
	hex_line(line, data, 20, 0);
	CHECK_EQ_STR(line,
	             "0000  41 42 43 1b 45 46 47 48  49 4a 4b 4c 4d 4e 4f 50  ABC.EFGHIJKLMNOP");
	size_t ascii_col = strlen(line) - 16;
	hex_line(line, data, 20, 16);
	CHECK(strncmp(line, "0010  51 52 53 54  ", 19) == 0);
	CHECK_EQ_INT(strlen(line) - 4, ascii_col); /* a short last line keeps the ASCII column */
	CHECK_EQ_STR(line + ascii_col, "QRST");
}

static void test_addr(void)
{
	static const struct {
		uint8_t a[16];
		const char *text;
	} v6[] = {
	    {{0x20, 0x01, 0x0d, 0xb8, [15] = 1}, "2001:db8::1"},
	    {{[15] = 1}, "::1"},
	    {{0}, "::"},
	    {{0xfe, 0x80}, "fe80::"},
	    {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 0, 1}, "2001:db8:0:1:0:1:0:1"},
	    {{0x20, 0x01, 0x0d, 0xb8, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1}, "2001:db8::1:0:0:1"},
	    {{[10] = 0xff, [11] = 0xff, 192, 0, 2, 1}, "::ffff:192.0.2.1"},
	    {{0x20, 0x01, 0x0d, 0xb8, 0xab, 0xcd, [15] = 0x0f}, "2001:db8:abcd::f"},
	};
	char t[ADDR_TEXT_MAX];
	const uint8_t v4[4] = {192, 0, 2, 255}, mac[6] = {0x02, 0, 0x5e, 0xAB, 0xcd, 0xEF};

	for (size_t i = 0; i < sizeof v6 / sizeof v6[0]; i++) {
		addr_ipv6_text(t, v6[i].a);
		CHECK_EQ_STR(t, v6[i].text);
	}
	addr_ipv4_text(t, v4);
	CHECK_EQ_STR(t, "192.0.2.255");
	addr_mac_text(t, mac);
	CHECK_EQ_STR(t, "02:00:5e:ab:cd:ef");
	addr_u64_text(t, UINT64_MAX);
	CHECK_EQ_STR(t, "18446744073709551615");
}

static void test_time(void)
{
	struct timefmt tf;
	char t[TIMEFMT_MAX];

	timefmt_epoch(t, 1700000000, 1234, 6);
	CHECK_EQ_STR(t, "1700000000.000001");
	timefmt_epoch(t, 1700000000, 1234, 9);
	CHECK_EQ_STR(t, "1700000000.000001234");
	timefmt_epoch(t, -2, 500000000, 6); /* -1.5 s */
	CHECK_EQ_STR(t, "-1.500000");
	timefmt_init(&tf, TM_UTC, 6);
	timefmt_write(&tf, t, 1700000000, 999999999);
	CHECK_EQ_STR(t, "22:13:20.999999");
	timefmt_write(&tf, t, 1700000001, 0); /* the per-second cache moves on */
	CHECK_EQ_STR(t, "22:13:21.000000");
	timefmt_init(&tf, TM_EPOCH, 9);
	timefmt_write(&tf, t, 1, 5);
	CHECK_EQ_STR(t, "1.000000005");
}

static void test_json_and_outbuf(void)
{
	static struct outbuf ob;
	char *text = NULL;
	size_t len = 0;
	FILE *fp = open_memstream(&text, &len);

	ob_init(&ob, fp);
	json_str(&ob, "a\"b\\c\x01", 6);
	ob_char(&ob, ' ');
	ob_u64(&ob, 42);
	for (int i = 0; i < 100000; i++) /* more than the buffer holds: drains in between */
		ob_str(&ob, "0123456789");
	CHECK_EQ_INT(ob_flush(&ob), 0);
	fclose(fp);
	CHECK(strncmp(text, "\"a\\\"b\\\\c\\u0001\" 42", 18) == 0);
	CHECK_EQ_INT(len, 18 + 1000000);
	free(text);

	fp = fopen("/dev/full", "w"); /* a write error is kept and reported once */
	if (fp) {
		ob_init(&ob, fp);
		for (int i = 0; i < 100000; i++)
			ob_str(&ob, "0123456789");
		CHECK_EQ_INT(ob_flush(&ob), -1);
		CHECK(ob.err != 0);
		fclose(fp);
	}
}

int main(void)
{
	test_escape();
	test_hex_line();
	test_addr();
	test_time();
	test_json_and_outbuf();
	return check_done();
}
