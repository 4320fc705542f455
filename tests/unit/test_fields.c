/* test_fields.c - the field catalogue and -T fields output: names, did-you-mean, -E parsing
 * and its errors, and the line format (occurrences, aliases, quotes, frame.* times). */
#include <pcap/dlt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "check.h"
#include "decode/fields_out.h"

/* Ethernet, IPv4 10.0.0.1 -> 10.0.0.2 (DF), UDP 1000 -> 2000 with 3 bytes of payload. */
static const uint8_t udp_frame[] = {
    0x02, 0,    0,    0,    0,    0x0b, 0x02, 0,    0,  0,  0, 0x0a, 0x08, 0x00, /* eth */
    0x45, 0x00, 0,    31,   0x12, 0x34, 0x40, 0,    64, 17, 0, 0,    10,   0,
    0,    1,    10,   0,    0,    2,                /* ip */
    0x03, 0xe8, 0x07, 0xd0, 0,    11,   0xab, 0xcd, /* udp */
    'a',  'b',  'c',
};

static struct dissection d;

/* The line fields_line() writes for the spec (and -E options), NUL-terminated, in out. */
static void line_of(const char *const *names, const char *const *opts, char *out, size_t n)
{
	static struct fields_spec s;
	static struct outbuf ob;
	struct frame_meta m = {.number = 7,
	                       .ts_sec = 1700000000,
	                       .ts_nsec = 1000,
	                       .rel_nsec = -1500000000,
	                       .delta_nsec = 2000,
	                       .len = 45,
	                       .caplen = 45,
	                       .tsprec = 6};
	char err[200];
	FILE *fp = fmemopen(out, n, "w");

	fields_spec_init(&s);
	for (; *names; names++)
		CHECK_EQ_INT(fields_spec_add(&s, *names, err, sizeof err), 0);
	for (; opts && *opts; opts++)
		CHECK_EQ_INT(fields_format_set(&s.fmt, *opts, err, sizeof err), 0);
	ob_init(&ob, fp);
	if (s.fmt.header)
		fields_header(&s, &ob);
	fields_line(&s, &ob, &m, &d);
	ob_flush(&ob);
	fclose(fp);
}

static void test_catalogue(void)
{
	const struct field_info *fi = field_key_info(field_key_lookup("tcp.flags.syn", 13));

	CHECK(fi != NULL && strcmp(fi->desc, "Syn") == 0 && fi->vtype == FV_BOOL);
	CHECK_EQ_STR(field_ftype_name((enum field_ftype)fi->ftype), "FT_BOOLEAN");
	CHECK_EQ_STR(field_key_name(field_key_suggest("ip.sorce", 8)), "ip.src");
	CHECK_EQ_INT(field_key_suggest("completely.unrelated.name", 25), K_NONE);
	CHECK_EQ_STR(field_proto_of("ipv6.hopopts.nxt")->name, "ipv6.hopopts");
	CHECK_EQ_STR(field_proto_of("ip.src")->name, "ip");
	for (unsigned k = K_NONE + 1; k < K_COUNT; k++) { /* every key has a unique row */
		fi = field_key_info((enum field_key)k);
		CHECK(fi != NULL);
		if (fi && field_key_lookup(fi->name, strlen(fi->name)) != (enum field_key)k)
			CHECK(!"catalogue name looked up to another key");
	}
}

static void test_errors(void)
{
	struct fields_spec s;
	char err[200];

	fields_spec_init(&s);
	CHECK_EQ_INT(fields_spec_add(&s, "ip.sorce", err, sizeof err), -1);
	CHECK_EQ_STR(err, "unknown field \"ip.sorce\" (did you mean ip.src?)");
	CHECK_EQ_INT(fields_spec_add(&s, "zzz\x1b", err, sizeof err), -1);
	CHECK_EQ_STR(err, "unknown field \"zzz\\x1b\" (see capscope --list-fields)");
	CHECK_EQ_INT(s.n, 0);
	CHECK_EQ_INT(fields_format_set(&s.fmt, "occurrence=x", err, sizeof err), -1);
	CHECK(strncmp(err, "invalid -E option 'occurrence=x'", 32) == 0);
	CHECK_EQ_INT(fields_format_set(&s.fmt, "bogus=1", err, sizeof err), -1);
	CHECK_EQ_INT(fields_format_set(&s.fmt, "separator=", err, sizeof err), -1);
	CHECK_EQ_INT(fields_format_set(&s.fmt, "separator=/s", err, sizeof err), 0);
	CHECK_EQ_INT(s.fmt.separator, ' ');
	CHECK_EQ_INT(fields_format_set(&s.fmt, "aggregator=;;", err, sizeof err), 0);
	CHECK_EQ_INT(s.fmt.aggregator, ';'); /* the first character, as tshark */
}

static void test_lines(void)
{
	char out[512];
	const char *basic[] = {"ip.src", "udp.dstport", "ip.addr", "tcp.port", "ip.flags.df",
	                       "ip.id",  "udp.payload", "eth.lg",  NULL};
	const char *times[] = {"frame.number",     "frame.time_epoch", "frame.time_relative",
	                       "frame.time_delta", "frame.len",        NULL};
	const char *quoted[] = {"header=y", "separator=,", "quote=d", "occurrence=l", NULL};
	const char *first[] = {"aggregator=/s", "occurrence=f", NULL};
	const char *agg[] = {"aggregator=/s", "quote=s", NULL};

	dissect(&d, DLT_EN10MB, udp_frame, sizeof udp_frame, sizeof udp_frame);
	line_of(basic, NULL, out, sizeof out);
	CHECK_EQ_STR(out, "10.0.0.1\t2000\t10.0.0.1,10.0.0.2\t\t1\t0x1234\t616263\t1,1\n");
	line_of(times, NULL, out, sizeof out);
	CHECK_EQ_STR(out, "7\t1700000000.000001000\t-1.500000000\t0.000002000\t45\n");
	line_of(basic, quoted, out, sizeof out);
	CHECK_EQ_STR(out,
	             "ip.src,udp.dstport,ip.addr,tcp.port,ip.flags.df,ip.id,udp.payload,eth.lg\n"
	             "\"10.0.0.1\",\"2000\",\"10.0.0.2\",,\"1\",\"0x1234\",\"616263\",\"1\"\n");
	line_of(basic, first, out, sizeof out);
	CHECK_EQ_STR(out, "10.0.0.1\t2000\t10.0.0.1\t\t1\t0x1234\t616263\t1\n");
	line_of(basic, agg, out, sizeof out);
	CHECK_EQ_STR(out,
	             "'10.0.0.1'\t'2000'\t'10.0.0.1 10.0.0.2'\t\t'1'\t'0x1234'\t'616263'\t'1 1'\n");
}

int main(void)
{
	test_catalogue();
	test_errors();
	test_lines();
	return check_done();
}
