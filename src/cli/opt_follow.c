/*
 * opt_follow.c - tshark's -z follow,PROTO,MODE,STREAM (see options.h): PROTO tcp or udp,
 * MODE ascii, hex or raw, STREAM a tcp.stream/udp.stream number or ADDR:PORT,ADDR:PORT
 * (IPv6 in brackets). Checked while parsing, so a typo ends the run before a packet is read.
 * tshark's chunk range (a fifth part) is not taken.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr_parse.h"
#include "base/escape.h"
#include "cli/options.h"
#include "decode/dissect.h"
#include "decode/follow_out.h"

#define FOLLOW_SYNTAX "follow,tcp|udp,ascii|hex|raw,STREAM"

static int bad(const char *arg, const char *why, char *err, size_t errlen)
{
	char esc[96];

	snprintf(err, errlen, "invalid -z '%s': %s", esc_cstr(esc, sizeof esc, arg), why);
	return 2;
}

/* The next comma-separated part of *s: [start, *len); advances *s past the comma. */
static const char *part(const char **s, size_t *len)
{
	const char *p = *s, *comma = strchr(p, ',');

	*len = comma ? (size_t)(comma - p) : strlen(p);
	*s = comma ? comma + 1 : p + *len;
	return p;
}

static bool is(const char *p, size_t n, const char *word)
{
	return strlen(word) == n && memcmp(p, word, n) == 0;
}

/* "10.0.0.1:80" or "[2001:db8::1]:443"; net gets P_IPV4 or P_IPV6. */
static bool endpoint(const char *p, size_t n, uint16_t *net, uint8_t addr[16], uint16_t *port)
{
	const char *colon;
	uint64_t v;

	if (n > 0 && p[0] == '[') {
		const char *close = memchr(p, ']', n);
		if (!close || close + 1 >= p + n || close[1] != ':' ||
		    !addr_ipv6_parse(p + 1, (size_t)(close - p - 1), addr))
			return false;
		*net = P_IPV6;
		colon = close + 1;
	} else {
		colon = memchr(p, ':', n);
		memset(addr, 0, 16);
		if (!colon || !addr_ipv4_parse(p, (size_t)(colon - p), addr))
			return false;
		*net = P_IPV4;
	}
	if (!addr_digits(colon + 1, (size_t)(p + n - colon - 1), 10, &v) || v > 65535)
		return false;
	*port = (uint16_t)v;
	return true;
}

/* STREAM: a number, or two endpoints of one address family. */
static int stream_part(const char *arg, const char *s, struct follow_spec *f, char *err,
                       size_t errlen)
{
	size_t n0, n1;
	const char *p0 = part(&s, &n0), *p1;
	uint16_t net1;
	uint64_t v;

	if (!memchr(p0, ':', n0)) {
		if (*s)
			return bad(arg, "chunk ranges after the stream number are not supported",
			           err, errlen);
		if (!addr_digits(p0, n0, 10, &v) || v > UINT32_MAX)
			return bad(arg,
			           "STREAM is a stream number (0 to 4294967295) or "
			           "ADDR:PORT,ADDR:PORT",
			           err, errlen);
		f->by_index = true;
		f->index = (uint32_t)v;
		return 0;
	}
	p1 = part(&s, &n1);
	if (!endpoint(p0, n0, &f->net, f->addr[0], &f->port[0]) ||
	    !endpoint(p1, n1, &net1, f->addr[1], &f->port[1]))
		return bad(arg, "an endpoint is ADDR:PORT (IPv6: [ADDR]:PORT), two of them", err,
		           errlen);
	if (net1 != f->net)
		return bad(arg, "the two endpoints mix IPv4 and IPv6", err, errlen);
	if (*s)
		return bad(arg, "chunk ranges after the endpoints are not supported", err, errlen);
	return 0;
}

static int parse_follow(const char *arg, struct follow_spec *f, char *err, size_t errlen)
{
	const char *s = arg, *p;
	size_t n;

	memset(f, 0, sizeof *f);
	p = part(&s, &n);
	if (!is(p, n, "follow"))
		return bad(arg, "capscope has -z " FOLLOW_SYNTAX " only", err, errlen);
	p = part(&s, &n);
	if (is(p, n, "tcp") || is(p, n, "udp"))
		f->proto = is(p, n, "tcp") ? P_TCP : P_UDP;
	else
		return bad(arg, "capscope follows tcp and udp streams", err, errlen);
	p = part(&s, &n);
	if (is(p, n, "ascii") || is(p, n, "hex") || is(p, n, "raw"))
		f->mode = is(p, n, "ascii") ? FOLLOW_ASCII
		          : is(p, n, "hex") ? FOLLOW_HEX
		                            : FOLLOW_RAW;
	else
		return bad(arg, "the mode is ascii, hex or raw", err, errlen);
	if (!*s)
		return bad(arg, "say which stream: " FOLLOW_SYNTAX, err, errlen);
	return stream_part(arg, s, f, err, errlen);
}

int cli_follow_option(const char *arg, struct cli_opts *o, char *err, size_t errlen)
{
	struct follow_spec f, *grown;
	int rc = parse_follow(arg, &f, err, errlen);

	if (rc)
		return rc;
	if (o->nfollows >= CLI_MAX_FOLLOWS)
		return bad(arg, "too many -z options", err, errlen);
	grown = realloc(o->follows, (o->nfollows + 1) * sizeof *grown);
	if (!grown) {
		snprintf(err, errlen, "out of memory");
		return 2;
	}
	o->follows = grown;
	o->follows[o->nfollows++] = f;
	return 0;
}
