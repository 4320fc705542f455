/*
 * fuzz_privsep.c - libFuzzer harness for the capture helper's protocol parsers
 * (capture/privsep_proto.c): the first byte picks what reads the rest, as each side of the
 * channel reads it: 0 a request (the helper's ps_req_parse), 1 an adapter list, 2 an open
 * answer (the main process's ps_get_adapters, ps_get_opened), 3 a data pipe's records
 * (ps_rec_check over the bytes, as source_helper.c walks them). A read out of bounds, a leak
 * or a parsed value outside the documented ranges shows up as a crash.
 */
#include <stdlib.h>
#include <string.h>

#include "capture/privsep_proto.h"

static void request(const uint8_t *p, size_t n)
{
	static struct ps_req q;

	if (!ps_req_parse(p, n, &q))
		return;
	if (q.id >= PS_MAX_SRC || strlen(q.text) > PS_STR_MAX)
		__builtin_trap();
	if (q.type == PS_OPEN && (q.open.snaplen > PS_MAX_SNAP || q.open.name[0] == '\0'))
		__builtin_trap();
}

static void adapters(const uint8_t *p, size_t n)
{
	struct adapter_list l;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (!ps_get_adapters(&r, &l)) {
		if (l.n || l.v)
			__builtin_trap();
		return;
	}
	for (size_t i = 0; i < l.n; i++) {
		if (!l.v[i].name || l.v[i].naddrs > PS_MAX_ADDRS)
			__builtin_trap();
		free(l.v[i].name);
		free(l.v[i].description);
		free(l.v[i].addrs);
	}
	free(l.v);
}

static void opened(const uint8_t *p, size_t n)
{
	struct ps_opened o;
	struct ps_rd r;

	ps_rd_init(&r, p, n);
	if (ps_get_opened(&r, &o) && (o.id >= PS_MAX_SRC || o.snaplen > PS_MAX_SNAP))
		__builtin_trap();
}

static void records(const uint8_t *p, size_t n)
{
	struct ps_rec h;
	size_t off = 0;

	while (n - off >= PS_REC_LEN && ps_rec_check(p + off, 65535, &h)) {
		if (h.kind == PS_REC_PACKET && (h.caplen > 65535 || h.len < h.caplen))
			__builtin_trap();
		if (h.caplen > n - off - PS_REC_LEN)
			break;
		off += PS_REC_LEN + h.caplen;
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	switch (data[0] % 4) {
	case 0:
		request(data + 1, size - 1);
		break;
	case 1:
		adapters(data + 1, size - 1);
		break;
	case 2:
		opened(data + 1, size - 1);
		break;
	default:
		records(data + 1, size - 1);
	}
	return 0;
}
