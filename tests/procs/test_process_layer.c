/*
 * test_process_layer.c - the decode layer "Process" (decode/process.c) through the catalogue:
 * dissect_process() on a decoded UDP packet adds process.* fields that display filters
 * (process.name == "curl", process.unattributed) and -T fields read, with hostile names kept
 * raw in the tree and escaped in the value text; and the BPF prefilter leaves them to capscope.
 */
#include <stdio.h>
#include <string.h>

#include "check.h"
#include "decode/dfilter.h"
#include "decode/dissect.h"
#include "decode/fields_out.h"
#include "decode/print.h"
#include "decode/process.h"

/* Ethernet + IPv4 + UDP 198.18.0.1:40000 -> 198.18.0.2:9000, 4 bytes of payload. */
static const unsigned char pkt[] = {
    0,    1,    2,    3,    4, 5,  0,    1, 2,  3,  4, 6, 0x08, 0x00,                      /* eth */
    0x45, 0,    0,    32,   0, 1,  0x40, 0, 64, 17, 0, 0, 198,  18,   0, 1, 198, 18, 0, 2, /* ip */
    0x9c, 0x40, 0x23, 0x28, 0, 12, 0,    0,                                                /* udp */
    'd',  'a',  't',  'a'};

static struct dissection d;

static bool matches(const char *expr)
{
	char err[DFILTER_ERRLEN];
	struct frame_meta m = {.number = 1, .len = sizeof pkt, .caplen = sizeof pkt};
	struct dfilter *f = dfilter_compile(expr, err, sizeof err, NULL);
	bool r;

	if (!f) {
		check_context(err);
		CHECK(!"display filter compiles");
		return false;
	}
	r = dfilter_match(f, &d, &m);
	dfilter_free(f);
	return r;
}

static const struct field *find(enum field_key k)
{
	for (unsigned i = 0; i < d.nf; i++)
		if (d.f[i].key == k)
			return &d.f[i];
	return NULL;
}

static void test_attributed(void)
{
	struct proc_info p = {.pid = 4242, .uid = 0, .start = 99};
	char text[128];

	snprintf(p.name, sizeof p.name, "curl");
	snprintf(p.user, sizeof p.user, "root");
	snprintf(p.cmdline, sizeof p.cmdline, "curl -s http://198.18.0.2/\x1b[31m");
	dissect(&d, 1, pkt, sizeof pkt, sizeof pkt);
	dissect_process(&d, &p, true);
	CHECK(find(K_PROCESS_PID) && find(K_PROCESS_PID)->u == 4242);
	CHECK(find(K_PROCESS_CGROUP) == NULL); /* unknown: left out */
	CHECK(find(K_PROCESS_UNATTRIBUTED) == NULL);
	CHECK(d.f[d.nf - 1].key == K_PROCESS_DIRECTION);
	field_value_text(&d, find(K_PROCESS_CMDLINE), text, sizeof text);
	CHECK_EQ_STR(text, "curl -s http://198.18.0.2/\\x1b[31m"); /* escaped for a terminal */
	CHECK(matches("process.name == \"curl\""));
	CHECK(matches("process.pid == 4242 && process.direction == \"out\" && udp"));
	CHECK(!matches("process.name == \"wget\""));
	CHECK(!matches("process.unattributed"));
	CHECK(matches("process"));
}

/* What --json and -T fields (process.name, .pid, .unattributed) write for the packet
 * dissected last. */
static void outputs(char *json, size_t jn, char *fields, size_t fn)
{
	static struct outbuf ob;
	static struct fields_spec spec;
	struct print_ctx pc;
	struct pkt_hdr h = {.caplen = sizeof pkt, .len = sizeof pkt};
	struct frame_meta m = {.number = 1, .len = sizeof pkt, .caplen = sizeof pkt};
	char err[128];
	FILE *f;

	f = fmemopen(json, jn, "w");
	ob_init(&ob, f);
	print_init(&pc, TM_EPOCH, 9, false);
	print_json(&pc, &ob, &h, &d);
	ob_drain(&ob);
	fclose(f);
	fields_spec_init(&spec);
	CHECK(fields_spec_add(&spec, "process.name", err, sizeof err) == 0);
	CHECK(fields_spec_add(&spec, "process.pid", err, sizeof err) == 0);
	CHECK(fields_spec_add(&spec, "process.unattributed", err, sizeof err) == 0);
	f = fmemopen(fields, fn, "w");
	ob_init(&ob, f);
	fields_line(&spec, &ob, &m, &d);
	ob_drain(&ob);
	fclose(f);
}

static void test_outputs(void)
{
	static char json[8192], fields[256];
	struct proc_info p = {.pid = 4242, .uid = 0};

	snprintf(p.name, sizeof p.name, "cu\"rl");
	dissect(&d, 1, pkt, sizeof pkt, sizeof pkt);
	dissect_process(&d, &p, false);
	outputs(json, sizeof json, fields, sizeof fields);
	CHECK(strstr(json, "\"process.pid\":4242") != NULL);
	CHECK(strstr(json, "\"process.name\":\"cu\\\"rl\"") != NULL);
	CHECK(strstr(json, "\"process.direction\":\"in\"") != NULL);
	CHECK_EQ_STR(fields, "cu\"rl\t4242\t\n");
	dissect(&d, 1, pkt, sizeof pkt, sizeof pkt);
	dissect_process(&d, NULL, false);
	outputs(json, sizeof json, fields, sizeof fields);
	CHECK(strstr(json, "\"process.unattributed\"") != NULL);
	CHECK(strstr(json, "\"process.pid\"") == NULL);
	CHECK_EQ_STR(fields, "\t\t1\n");
}

static void test_unattributed(void)
{
	char bpf[512];
	char err[DFILTER_ERRLEN];
	struct dfilter *f;

	dissect(&d, 1, pkt, sizeof pkt, sizeof pkt);
	dissect_process(&d, NULL, false);
	CHECK(find(K_PROCESS_UNATTRIBUTED) != NULL);
	CHECK(find(K_PROCESS_PID) == NULL);
	CHECK(matches("process.unattributed"));
	CHECK(!matches("process.name == \"curl\""));
	/* the kernel's BPF never sees a process: the prefilter gives up, capscope filters */
	f = dfilter_compile("process.name == \"curl\"", err, sizeof err, NULL);
	CHECK(f && !dfilter_to_bpf(f, 1, bpf, sizeof bpf));
	dfilter_free(f);
}

int main(void)
{
	test_attributed();
	test_unattributed();
	test_outputs();
	return check_done();
}
