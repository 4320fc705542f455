/*
 * fuzz_dfilter.c - libFuzzer harness for display filters: the input is filter text. Each run
 * compiles it (lexer, parser, checker, literal conversion, regex compilation) and, when it
 * compiles, matches it against a few fixed packets dissected once (DNS over UDP/IPv4 with a
 * VLAN tag, TCP over IPv6, ARP) and asks for its BPF translation, so a bad read, an
 * unbounded recursion or a leak anywhere shows up under the sanitizers.
 */
#include <pcap/dlt.h>
#include <stdlib.h>
#include <string.h>

#include "decode/dfilter.h"
#include "decode/dissect.h"

static const uint8_t dns_vlan[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0,  0, 0,  0,    0x0a,
                                   0x81, 0x00, 0x00, 0x64, 0x08, 0x00, 0x45, 0,  0, 45, 0,    1,
                                   0x40, 0,    64,   17,   0,    0,    10,   0,  0, 1,  192,  168,
                                   1,    255,  0x9c, 0x40, 0,    53,   0,    25, 0, 0,  0x12, 0x34,
                                   0x01, 0x00, 0,    1,    0,    0,    0,    0,  0, 0,  3,    'w',
                                   'w',  'w',  0,    0,    1,    0,    1};
static const uint8_t tcp6[] = {
    0x02, 0, 0, 0, 0,  0x0b, 0x02, 0,    0,    0,    0,    0x0a, 0x86, 0xdd, 0x60,
    0,    0, 0, 0, 20, 6,    64,   0x20, 0x01, 0x0d, 0xb8, 0,    0,    0,    0,
    0,    0, 0, 0, 0,  0,    0,    1,    0xfe, 0x80, 0,    0,    0,    0,    0,
    0,    0, 0, 0, 0,  0,    0,    0,    2,    0x9c, 0x40, 0,    80,   0,    0,
    0,    1, 0, 0, 0,  0,    0x50, 0x02, 0xff, 0xff, 0,    0,    0,    0};
static const uint8_t arp[] = {0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0x02, 0, 0, 0, 0,
                              0x0a, 0x08, 0x06, 0,    1,    0x08, 0,    6, 4, 0, 1,
                              0x02, 0,    0,    0,    0,    0x0a, 10,   0, 0, 1, 0,
                              0,    0,    0,    0,    0,    10,   0,    0, 2};

static struct dissection diss[3];
static struct frame_meta meta[3];

static void setup(void)
{
	const uint8_t *pk[3] = {dns_vlan, tcp6, arp};
	const uint32_t len[3] = {sizeof dns_vlan, sizeof tcp6, sizeof arp};

	for (int i = 0; i < 3; i++) {
		dissect(&diss[i], DLT_EN10MB, pk[i], len[i], len[i] + 4 * (i == 2));
		meta[i].number = (uint64_t)i + 1;
		meta[i].rel_nsec = i * 1500000000ll;
		meta[i].len = len[i];
		meta[i].caplen = len[i];
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static bool ready;
	char err[DFILTER_ERRLEN], bpf[1024];
	char *text = malloc(size + 1);
	struct dfilter *df;

	if (!ready) {
		setup();
		ready = true;
	}
	if (!text)
		return 0;
	memcpy(text, data, size);
	text[size] = '\0';
	df = dfilter_compile(text, err, sizeof err, NULL);
	if (df) {
		for (int i = 0; i < 3; i++)
			dfilter_match(df, &diss[i], &meta[i]);
		dfilter_to_bpf(df, DLT_EN10MB, bpf, sizeof bpf);
		dfilter_free(df);
	} else if (strncmp(err, "display filter", 14) != 0) {
		__builtin_trap(); /* every error is one line naming the column */
	}
	free(text);
	return 0;
}
