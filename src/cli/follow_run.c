/*
 * follow_run.c - the -z follow requests of a headless run (follow_run.h): stream selection,
 * formatted chunks kept in temporary files, the blocks printed at the end.
 */
#include "cli/follow_run.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "decode/follow.h"
#include "decode/follow_out.h"

struct follow_run;

struct follow_req {
	const struct follow_spec *spec;
	struct follow *f;
	struct follow_out fo;
	FILE *spill; /* this stream's formatted chunks; created with the first one */
	struct follow_run *run;
};

struct follow_run {
	struct follow_req *req;
	unsigned n;
	/* formats chunks on their way to a spill file; drained when another request writes */
	struct outbuf *scratch;
	int err; /* errno of the first failed temporary file */
};

struct follow_run *follow_run_create(const struct follow_spec *specs, unsigned n, char *err,
                                     size_t errlen)
{
	struct follow_run *r = calloc(1, sizeof *r);

	if (!r || !(r->req = calloc(n ? n : 1, sizeof *r->req)) ||
	    !(r->scratch = malloc(sizeof *r->scratch)))
		goto oom;
	ob_init(r->scratch, NULL);
	for (r->n = 0; r->n < n; r->n++) {
		struct follow_req *q = &r->req[r->n];
		q->spec = &specs[r->n];
		q->run = r;
		follow_out_init(&q->fo, (enum follow_mode)q->spec->mode);
		if (!(q->f = follow_create(q->spec->proto)))
			goto oom;
	}
	return r;
oom:
	snprintf(err, errlen, "out of memory for -z follow");
	follow_run_free(r);
	return NULL;
}

void follow_run_free(struct follow_run *r)
{
	if (!r)
		return;
	for (unsigned i = 0; r->req && i < r->n; i++) {
		follow_free(r->req[i].f);
		if (r->req[i].spill)
			fclose(r->req[i].spill);
	}
	free(r->req);
	free(r->scratch);
	free(r);
}

static void on_chunk(void *ctx, const struct follow_chunk *c)
{
	struct follow_req *q = ctx;
	struct outbuf *ob = q->run->scratch;

	if (c->unplaced || q->run->err) /* tshark prints no data it could not place */
		return;
	if (!q->spill && !(q->spill = tmpfile())) {
		q->run->err = errno ? errno : EIO;
		return;
	}
	if (ob->fp != q->spill) {
		ob_drain(ob);
		ob->fp = q->spill;
	}
	follow_out_chunk(&q->fo, ob, c);
	if (ob->err)
		q->run->err = ob->err;
}

static bool endpoint_is(const uint8_t *a, uint16_t port, const uint8_t *want, uint16_t wport,
                        size_t n)
{
	return port == wport && memcmp(a, want, n) == 0;
}

static bool matches(const struct follow_spec *s, const struct dissection *d,
                    const struct stream_mark *m)
{
	const struct summary *u = &d->sum;
	size_t n = s->net == P_IPV6 ? 16 : 4;

	if (s->by_index)
		return m->proto == s->proto && m->number == s->index;
	if (u->transport != s->proto || u->net != s->net || !u->has_ports)
		return false;
	return (endpoint_is(u->src, u->sport, s->addr[0], s->port[0], n) &&
	        endpoint_is(u->dst, u->dport, s->addr[1], s->port[1], n)) ||
	       (endpoint_is(u->src, u->sport, s->addr[1], s->port[1], n) &&
	        endpoint_is(u->dst, u->dport, s->addr[0], s->port[0], n));
}

void follow_run_packet(struct follow_run *r, const struct dissection *d, uint64_t frame,
                       const struct stream_mark *m)
{
	if (d->sum.transport != P_TCP && d->sum.transport != P_UDP)
		return;
	for (unsigned i = 0; i < r->n; i++)
		if (matches(r->req[i].spec, d, m))
			follow_packet(r->req[i].f, d, frame, on_chunk, &r->req[i]);
}

/* "ip.src eq 10.0.0.1 and tcp.srcport eq 80" for endpoint i as `dir` ("src", "dst"). */
static void endpoint_filter(const struct follow_spec *s, int i, const char *dir, char *out,
                            size_t cap)
{
	char a[ADDR_TEXT_MAX];
	const char *t = s->proto == P_UDP ? "udp" : "tcp";

	if (s->net == P_IPV6)
		addr_ipv6_text(a, s->addr[i]);
	else
		addr_ipv4_text(a, s->addr[i]);
	snprintf(out, cap, "%s.%s eq %s and %s.%sport eq %u", s->net == P_IPV6 ? "ipv6" : "ip", dir,
	         a, t, dir, (unsigned)s->port[i]);
}

/* tshark's Filter line: the stream number, or the address pair both ways. */
static void filter_text(const struct follow_spec *s, char *out, size_t cap)
{
	char e[4][128];

	if (s->by_index) {
		snprintf(out, cap, "%s.stream eq %u", s->proto == P_UDP ? "udp" : "tcp",
		         (unsigned)s->index);
		return;
	}
	endpoint_filter(s, 0, "src", e[0], sizeof e[0]);
	endpoint_filter(s, 1, "dst", e[1], sizeof e[1]);
	endpoint_filter(s, 1, "src", e[2], sizeof e[2]);
	endpoint_filter(s, 0, "dst", e[3], sizeof e[3]);
	snprintf(out, cap, "((%s) and (%s)) or ((%s) and (%s))", e[0], e[1], e[2], e[3]);
}

static int copy_spill(FILE *fp, struct outbuf *ob)
{
	char buf[1 << 16];
	size_t k;

	if (fflush(fp) != 0 || fseek(fp, 0, SEEK_SET) != 0)
		return -1;
	while ((k = fread(buf, 1, sizeof buf, fp)) > 0)
		ob_mem(ob, buf, k);
	return ferror(fp) ? -1 : 0;
}

int follow_run_print(struct follow_run *r, struct outbuf *ob, char *err, size_t errlen)
{
	char filter[640];

	for (unsigned i = 0; i < r->n; i++)
		follow_finish(r->req[i].f, on_chunk, &r->req[i]);
	ob_drain(r->scratch);
	if (r->scratch->err && !r->err)
		r->err = r->scratch->err;
	for (unsigned i = r->n; i-- > 0 && !r->err;) { /* tshark prints the last -z first */
		struct follow_req *q = &r->req[i];
		filter_text(q->spec, filter, sizeof filter);
		follow_out_header(&q->fo, ob, q->f, filter);
		if (q->spill && copy_spill(q->spill, ob) < 0)
			r->err = errno ? errno : EIO;
		follow_out_footer(ob);
	}
	if (!r->err)
		return 0;
	snprintf(err, errlen, "-z follow: a temporary file failed: %s", strerror(r->err));
	return -1;
}
