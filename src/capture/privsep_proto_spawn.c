/*
 * privsep_proto_spawn.c - the messages of ssh run by the capture helper (privsep_proto.h,
 * PS_SPAWN and PS_SPAWN_WAIT): the main process names what it wants run (a remote listing or
 * capture, an ssh:// address, a filter, the options), the helper checks it as untrusted
 * input with the same address parser the main process used (remote_cmd.h) before anything
 * is built or run. Pure functions over buffers (tests/fuzz/fuzz_privsep.c drives them).
 */
#include "capture/privsep_proto.h"

#include <string.h>

#include "capture/remote_request.h"

enum { SPAWN_SUDO = 1, SPAWN_PROMISC = 2, SPAWN_IMMEDIATE = 4, SPAWN_FLAGS = 7 };

void ps_req_spawn(struct ps_buf *b, uint16_t seq, const struct remote_request *rq)
{
	const struct remote_capture *c = &rq->cap;
	const char *filter = c->filter ? c->filter : "";

	ps_begin(b, PS_SPAWN, seq);
	ps_put_u8(b, (uint8_t)rq->what);
	ps_put_u8(b, (uint8_t)((c->sudo ? SPAWN_SUDO : 0) | (c->promisc ? SPAWN_PROMISC : 0) |
	                       (c->immediate ? SPAWN_IMMEDIATE : 0)));
	ps_put_u32(b, (uint32_t)c->snaplen);
	/* ps_put_str would cut a longer text: a request that does not fit is not sent */
	if (strlen(rq->url) > PS_URL_MAX || strlen(filter) > PS_STR_MAX)
		b->bad = true;
	ps_put_str(b, rq->url);
	ps_put_str(b, filter);
}

void ps_get_spawn(struct ps_rd *r, struct ps_spawn *o, char *filter, size_t cap)
{
	uint8_t flags;
	struct remote_url u;
	char e[300];

	o->what = ps_get_u8(r);
	flags = ps_get_u8(r);
	o->snaplen = (int32_t)ps_get_u32(r);
	ps_get_str(r, o->url, sizeof o->url);
	ps_get_str(r, filter, cap);
	o->sudo = flags & SPAWN_SUDO;
	o->promisc = flags & SPAWN_PROMISC;
	o->immediate = flags & SPAWN_IMMEDIATE;
	if (r->bad || (o->what != REMOTE_WHAT_LIST && o->what != REMOTE_WHAT_CAPTURE) ||
	    flags > SPAWN_FLAGS || o->snaplen < 0 || o->snaplen > PS_MAX_SNAP ||
	    (o->what == REMOTE_WHAT_LIST && (filter[0] || o->snaplen || flags & ~SPAWN_SUDO)) ||
	    remote_url_parse(o->url, o->what == REMOTE_WHAT_CAPTURE, &u, e, sizeof e) < 0)
		r->bad = true;
}

void ps_put_spawn_wait(struct ps_buf *b, bool ended, int32_t status)
{
	ps_put_u8(b, ended);
	ps_put_u32(b, (uint32_t)status);
}

bool ps_get_spawn_wait(struct ps_rd *r, bool *ended, int32_t *status)
{
	uint8_t e = ps_get_u8(r);

	*status = (int32_t)ps_get_u32(r);
	*ended = e == 1;
	return ps_rd_ok(r) && e <= 1 && *status >= -1 && *status <= 255 && (e || *status == 0);
}
