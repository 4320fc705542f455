/*
 * test_repro.c - reproducers found by the fuzzer, kept forever (tcpdump's habit). Each one is
 * a packet that once broke an invariant; the test checks the invariant on it again: every
 * field's byte range lies inside the captured bytes, and the decode is marked malformed.
 */
#include <pcap/dlt.h>
#include <string.h>

#include "check.h"
#include "decode/dissect.h"

struct repro {
	const char *what;
	int linktype;
	const uint8_t *bytes;
	uint32_t len;
};

/* TCP option kind 2 (MSS) whose length byte is the last captured byte: the invalid-length
 * node claimed two bytes, one past caplen (fuzz crash-27c68f64). */
static const uint8_t tcp_opt_at_end[] = {
    0x02, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x02, 0x00, 0x00, 0x00, 0x00, 0x0b, 0x08, 0x00, 0x45,
    0x00, 0x00, 0x3c, 0x00, 0x00, 0x40, 0x00, 0x40, 0x06, 0xfa, 0xe0, 0x5d, 0xb8, 0xd8, 0x22,
    0x0a, 0x00, 0x00, 0x01, 0x00, 0x50, 0xc7, 0x34, 0x00, 0x00, 0x13, 0x88, 0x00, 0x00, 0x03,
    0xe9, 0xa0, 0x12, 0xfe, 0x88, 0x26, 0xaa, 0x00, 0x00, 0x02, 0x04, 0x05, 0xb4, 0x04, 0x05,
    0xb4, 0x04, 0x02, 0x08, 0x0a, 0x00, 0x00, 0x00, 0x00, 0x64, 0x01, 0x03, 0x03, 0x07};

static const struct repro repros[] = {
    {"tcp option length at the last byte", DLT_EN10MB, tcp_opt_at_end, sizeof tcp_opt_at_end},
};

int main(void)
{
	static struct dissection d;

	for (size_t r = 0; r < sizeof repros / sizeof repros[0]; r++) {
		const struct repro *p = &repros[r];
		check_context(p->what);
		dissect(&d, p->linktype, p->bytes, p->len, p->len);
		for (uint16_t i = 0; i < d.nf; i++)
			CHECK((uint64_t)d.f[i].off + d.f[i].len <= p->len);
		CHECK(d.malformed[0] != '\0');
	}
	return check_done();
}
