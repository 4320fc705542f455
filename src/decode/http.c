/*
 * http.c - HTTP/1.x messages (RFC 9112) on TCP: the request or status line, the header
 * lines, and the body as data.
 *
 *   request:  METHOD SP request-target SP HTTP-version CRLF
 *   response: HTTP-version SP status-code SP reason-phrase CRLF
 *   then:     *( field-name ":" OWS field-value OWS CRLF ) CRLF [ body ]
 *
 * Fields follow tshark 4.0: every header line is an http.request.line (http.response.line)
 * with its line end, shown C-escaped ("Host: a\r\n") as tshark shows it; Host, User-Agent,
 * Content-Type and Content-Length have fields of their own; http.request / http.response
 * mark the message. A segment that does not start with a request or status line is a
 * "Continuation": its bytes are data. Lines end at CRLF, LF or a lone CR, as tshark's
 * tvb_find_line_end; a line without an end runs to the end of the bytes (tshark with
 * desegmentation off does the same). Header lines are bounded (HTTP_MAX_LINES); each is read
 * through the cursor, whose base may be a reassembled buffer rather than the frame.
 *
 * http_pdu_len() says how long a message is (headers to CRLFCRLF, then Content-Length bytes
 * or the chunks of a chunked body: http_chunked.c), for a TCP reassembly layer; a response with
 * neither runs until the server closes (HTTP_UNTIL_CLOSE; RFC 9112 6.3 item 8), unless its status
 * has no body (1xx, 204, 304), as tshark 4.0 reassembles it (http.desegment_body).
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/http_chunked.h"
#include "decode/reasm.h"

#define HTTP_MAX_LINES    256
#define HTTP_MAX_MESSAGES 16

/* The methods tshark's is_http_request_or_reply() knows (RFC 9110, WebDAV, SSDP, ...). */
static const char *const methods[] = {
    "GET",
    "POST",
    "HEAD",
    "PUT",
    "DELETE",
    "OPTIONS",
    "TRACE",
    "CONNECT",
    "PATCH",
    "PROPFIND",
    "PROPPATCH",
    "MKCOL",
    "COPY",
    "MOVE",
    "LOCK",
    "UNLOCK",
    "SEARCH",
    "NOTIFY",
    "M-SEARCH",
    "SUBSCRIBE",
    "UNSUBSCRIBE",
    "REPORT",
    "CHECKOUT",
    "CHECKIN",
    "MERGE",
    "MKACTIVITY",
    "MKWORKSPACE",
    "VERSION-CONTROL",
    "BASELINE-CONTROL",
    "LABEL",
    "UPDATE",
    "ACL",
    "BIND",
    "UNBIND",
    "REBIND",
    "ORDERPATCH",
    "POLL",
    "BMOVE",
    "BCOPY",
    "BDELETE",
    "BPROPFIND",
    "BPROPPATCH",
    "MKCALENDAR",
    "MKREDIRECTREF",
    "UPDATEREDIRECTREF",
    "PURGE",
    "RPC_IN_DATA",
    "RPC_OUT_DATA",
    "RPC_CONNECT",
};

/* NOTIFY (GENA, SSDP) is a notification to tshark: no http.request, no header line fields. */
enum http_kind { HK_NONE, HK_REQUEST, HK_RESPONSE, HK_NOTIFY };

/* One line: [off, off+len) without its end, `eol` bytes of line end (0 at the end). */
struct http_line {
	uint32_t off, len, eol;
};

/* What the headers said, for the body and the Info column. */
struct http_msg {
	enum http_kind kind;
	int64_t clen; /* -1 if no valid Content-Length */
	bool te;      /* a Transfer-Encoding header: Content-Length does not bound the body */
	bool chunked; /* ... naming "chunked" as tshark's dissector reads it */
	uint16_t code;
	uint32_t ctype_off, ctype_len; /* Content-Type's value in the buffer (len 0: none) */
};

/* The next line from c's position; false if no bytes are left. */
static bool next_line(const struct cursor *c, struct http_line *l)
{
	const uint8_t *p = c->base + c->off;
	uint32_t n = cur_left(c), i = 0;

	if (n == 0)
		return false;
	/* memchr, not a byte loop: the heuristic runs this over every TCP payload (TLS records
	 * too), most of which hold no line end at all */
	const uint8_t *lf = memchr(p, '\n', n);
	const uint8_t *cr = memchr(p, '\r', lf ? (size_t)(lf - p) : n);
	i = (uint32_t)((cr ? cr : lf ? lf : p + n) - p);
	l->off = c->off;
	l->len = i;
	l->eol = i == n ? 0 : (p[i] == '\r' && i + 1 < n && p[i + 1] == '\n') ? 2 : 1;
	return true;
}

/* Inline: the prefixes are mostly literals, whose length is then known when compiling (the
 * heuristic asks for every TCP payload no port claims). */
static inline bool has_prefix(const uint8_t *p, uint32_t n, const char *s, bool nocase)
{
	size_t k = strlen(s);

	if (n < k)
		return false;
	for (size_t i = 0; i < k; i++) {
		uint8_t a = p[i], b = (uint8_t)s[i];
		if (nocase && a >= 'A' && a <= 'Z')
			a = (uint8_t)(a + 32);
		if (nocase && b >= 'A' && b <= 'Z')
			b = (uint8_t)(b + 32);
		if (a != b)
			return false;
	}
	return true;
}

/* Is this first line a request ("GET ") or a status line ("HTTP/1.1 ")? */
static enum http_kind first_line_kind(const uint8_t *p, uint32_t n)
{
	if (has_prefix(p, n, "HTTP/", false))
		return HK_RESPONSE;
	if (n == 0 || p[0] < 'A' || p[0] > 'Z') /* no method starts so (TLS records, bodies) */
		return HK_NONE;
	for (size_t i = 0; i < sizeof methods / sizeof methods[0]; i++) {
		size_t k = strlen(methods[i]);
		if (n > k && p[k] == ' ' && has_prefix(p, n, methods[i], false))
			return strcmp(methods[i], "NOTIFY") == 0 ? HK_NOTIFY : HK_REQUEST;
	}
	return HK_NONE;
}

/*
 * tshark's heuristic for TCP (enabled by default): the first line, ended by a line end,
 * starts with "HTTP/1." or ends with it plus one character ("... HTTP/1.1").
 */
bool http_heuristic(const struct cursor *c)
{
	struct http_line l;
	const uint8_t *p = c->base + c->off;

	if (!next_line(c, &l) || l.eol == 0 || l.len == 8)
		return false;
	return has_prefix(p, l.len, "HTTP/1.", true) ||
	       (l.len >= 8 && has_prefix(p + l.len - 8, 8, "HTTP/1.", true));
}

static void add_text(struct dissection *d, const struct cursor *c, uint32_t off, uint32_t len,
                     const char *label, enum field_key key, uint8_t flags)
{
	uint16_t i = fld_add(d, off, len, label, key, FT_STR, 2,
	                     diss_text(d, (const char *)c->base + off, len));

	d->f[i].flags |= flags | FF_CESC;
}

/* A decimal Content-Length, all digits; -1 if it is not one. */
static int64_t parse_len(const uint8_t *p, uint32_t n)
{
	int64_t v = 0;

	if (n == 0 || n > 18)
		return -1;
	for (uint32_t i = 0; i < n; i++) {
		if (p[i] < '0' || p[i] > '9')
			return -1;
		v = v * 10 + (p[i] - '0');
	}
	return v;
}

/* The request or status line: its parts as fields. */
static void start_line(struct dissection *d, const struct cursor *c, const struct http_line *l,
                       struct http_msg *m)
{
	const uint8_t *p = c->base + l->off;
	uint32_t sp1 = 0, sp2;

	while (sp1 < l->len && p[sp1] != ' ')
		sp1++;
	sp2 = sp1 + (sp1 < l->len);
	while (sp2 < l->len && p[sp2] != ' ')
		sp2++;
	if (m->kind != HK_RESPONSE) {
		if (m->kind == HK_REQUEST)
			fld_add(d, l->off, l->len + l->eol, "Request", K_HTTP_REQUEST, FT_BOOL, 2,
			        1);
		add_text(d, c, l->off, sp1, "Request Method", K_HTTP_REQUEST_METHOD, 0);
		if (sp1 < l->len)
			add_text(d, c, l->off + sp1 + 1, sp2 - sp1 - 1, "Request URI",
			         K_HTTP_REQUEST_URI, 0);
		if (sp2 < l->len)
			add_text(d, c, l->off + sp2 + 1, l->len - sp2 - 1, "Request Version",
			         K_HTTP_REQUEST_VERSION, 0);
		return;
	}
	add_text(d, c, l->off, sp1, "Response Version", K_HTTP_RESPONSE_VERSION, 0);
	if (sp1 + 4 <= l->len && (sp1 + 4 == l->len || p[sp1 + 4] == ' ')) {
		int64_t code = parse_len(p + sp1 + 1, 3);
		if (code >= 0) {
			m->code = (uint16_t)code;
			fld_add(d, l->off + sp1 + 1, 3, "Status Code", K_HTTP_RESPONSE_CODE,
			        FT_UINT, 2, m->code);
			if (sp1 + 4 < l->len)
				add_text(d, c, l->off + sp1 + 5, l->len - sp1 - 5,
				         "Response Phrase", K_HTTP_RESPONSE_PHRASE, 0);
		}
	}
}

static const struct {
	const char *name;
	enum field_key key;
	const char *label;
} known_headers[] = {
    {"host", K_HTTP_HOST, "Host"},
    {"user-agent", K_HTTP_USER_AGENT, "User-Agent"},
    {"content-type", K_HTTP_CONTENT_TYPE, "Content-Type"},
    {"content-length", K_HTTP_CONTENT_LENGTH_HEADER, "Content-Length"},
};

/* Does a Transfer-Encoding value name "chunked", as tshark 4.0's http_parse_transfer_coding()
 * reads it: comma-separated codings, "chunked" case-sensitive, nothing read after a second
 * known coding (gzip, deflate ...); the value ends at a NUL (a C string there). */
static bool te_chunked(const uint8_t *p, uint32_t n)
{
	static const char *const codings[] = {"compress", "deflate",    "gzip",
	                                      "identity", "x-compress", "x-gzip"};
	const uint8_t *nul = memchr(p, 0, n);

	if (nul)
		n = (uint32_t)(nul - p);
	bool other = false;
	uint32_t i = 0;

	while (i < n) {
		while (i < n && (p[i] == ' ' || p[i] == '\t' || p[i] == ','))
			i++;
		if (i < n && has_prefix(p + i, n - i, "chunked", false))
			return true;
		if (i >= n || other)
			return false;
		size_t k = 0;
		for (; k < sizeof codings / sizeof codings[0]; k++)
			if (has_prefix(p + i, n - i, codings[k], false))
				break;
		if (k < sizeof codings / sizeof codings[0]) {
			other = true;
			i += (uint32_t)strlen(codings[k]);
			continue;
		}
		while (i < n && p[i] != ',') /* an unknown coding: to the next comma */
			i++;
	}
	return false;
}

/* One header line: the line itself, then the field of a header capscope knows. */
static void header_line(struct dissection *d, const struct cursor *c, const struct http_line *l,
                        struct http_msg *m)
{
	const uint8_t *p = c->base + l->off;
	uint32_t colon = 0, v;

	/* a Continuation's and a notification's header lines have only their own fields */
	if (m->kind == HK_REQUEST || m->kind == HK_RESPONSE)
		add_text(d, c, l->off, l->len + l->eol,
		         m->kind == HK_REQUEST ? "Request line" : "Response line",
		         m->kind == HK_REQUEST ? K_HTTP_REQUEST_LINE : K_HTTP_RESPONSE_LINE,
		         FF_CESC);
	while (colon < l->len && p[colon] != ':')
		colon++;
	if (colon == l->len)
		return;
	for (v = colon + 1; v < l->len && (p[v] == ' ' || p[v] == '\t'); v++)
		;
	for (size_t i = 0; i < sizeof known_headers / sizeof known_headers[0]; i++) {
		if (strlen(known_headers[i].name) != colon ||
		    !has_prefix(p, colon, known_headers[i].name, true))
			continue;
		add_text(d, c, l->off + v, l->len - v, known_headers[i].label, known_headers[i].key,
		         0);
		if (known_headers[i].key == K_HTTP_CONTENT_TYPE) {
			m->ctype_off = l->off + v;
			m->ctype_len = l->len - v;
		} else if (known_headers[i].key == K_HTTP_CONTENT_LENGTH_HEADER) {
			m->clen = parse_len(p + v, l->len - v);
			if (m->clen >= 0)
				fld_add(d, l->off + v, l->len - v, "Content length",
				        K_HTTP_CONTENT_LENGTH, FT_UINT, 3, (uint64_t)m->clen);
		}
	}
	if (colon == 17 && has_prefix(p, colon, "transfer-encoding", true)) {
		m->te = true;
		m->chunked = m->chunked || te_chunked(p + v, l->len - v);
	}
}

/* "GET /path HTTP/1.1 " / "HTTP/1.1 200 OK " as tshark (the line and a space), or
 * "Continuation"; then " (text/plain)" once the headers named a Content-Type, ended, and a body
 * followed. A later message of the same bytes (`more`) appends its text, as tshark's column
 * fence after each message does. */
static void http_summary(struct dissection *d, enum proto p, const struct cursor *c,
                         const struct http_line *l, const struct http_msg *m, bool ended, bool more)
{
	struct sbuf b;

	if (more && !d->quoted && d->sum.proto == p) {
		b = (struct sbuf){d->sum.info, strlen(d->sum.info), sizeof d->sum.info};
	} else {
		if (!sum_begin(d, p))
			return;
		b = sum_info(d);
	}
	if (m->kind == HK_NONE) {
		sb_str(&b, "Continuation");
	} else {
		sb_esc(&b, (const char *)c->base + l->off, l->len);
		sb_str(&b, " ");
	}
	if (ended && m->ctype_len > 0) {
		uint32_t n = 0;
		while (n < m->ctype_len && c->base[m->ctype_off + n] != ';')
			n++;
		sb_str(&b, " (");
		sb_esc(&b, (const char *)c->base + m->ctype_off, n);
		sb_str(&b, ")");
	}
}

/* How the header lines ended. */
enum hl_end {
	HL_EMPTY, /* at the empty line (consumed) */
	HL_BODY,  /* at a line that is no header: the body starts there */
	HL_CUT,   /* at a line without its end (or too many lines): tshark's "Unreassembled" */
};

/* The header lines from c's position, up to the empty line or a line that is not a header
 * (no colon), as tshark parses them with desegmentation off; a Continuation's lines too (an
 * empty first line is its body). Bounded by HTTP_MAX_LINES. */
static enum hl_end header_lines(struct dissection *d, struct cursor *c, struct http_msg *m)
{
	struct http_line l;

	for (unsigned n = 0; n < HTTP_MAX_LINES && next_line(c, &l); n++) {
		if (l.len == 0 && m->kind == HK_NONE && n == 0)
			return HL_BODY;
		if (l.len == 0) {
			cur_skip(c, l.eol);
			return HL_EMPTY;
		}
		if (l.eol == 0 && m->kind == HK_NONE && n == 0)
			return HL_BODY; /* a Continuation of one unended line is all body */
		if (l.eol == 0)
			return HL_CUT;
		if (!memchr(c->base + l.off, ':', l.len))
			return HL_BODY;
		header_line(d, c, &l, m);
		cur_skip(c, l.len + l.eol);
	}
	/* the bytes ended with a whole line: tshark takes the headers as ended */
	return cur_left(c) == 0 ? HL_BODY : HL_CUT;
}

/* A status that has no body without a Content-Length (RFC 9112 6.3: 1xx, 204, 304). */
static bool no_body_status(uint16_t code)
{
	return (code >= 100 && code < 200) || code == 204 || code == 304;
}

/* A chunked body in the n bytes at c (http_chunked.c), inside the HTTP layer: its chunk
 * fields; c moves past what was taken. Returns the dechunked body's length (0: none). */
static uint32_t chunked_body(struct dissection *d, struct cursor *c, uint32_t n, uint16_t layer,
                             struct http_chunked *ch)
{
	struct cursor w = diss_window(c, n);

	http_chunked_dissect(d, &w, 1, ch);
	if (ch->fault) { /* tshark's exception: nothing after it in this message */
		diss_invalid(d, layer, ch->fault_off, 0, "Chunk past the message",
		             "http.chunk_size", ch->fault_size);
		cur_skip(c, n);
		return 0;
	}
	cur_skip(c, ch->used);
	if (ch->used > 0 && !ch->stored && ch->body_len > 0)
		fld_add(d, c->off, 0, "[dechunked body over capscope's bound: not shown]", K_NONE,
		        FT_TEXT, 1, 0);
	return ch->used > 0 ? ch->body_len : 0;
}

/* The dechunked body (in d->alt) as data. */
static void dechunked_data(struct dissection *d, const struct http_chunked *ch)
{
	struct cursor bc;
	bool in_alt = d->in_alt;

	if (!ch->stored || ch->body_len == 0)
		return;
	cur_init(&bc, d->alt, ch->body_off + ch->body_len);
	cur_skip(&bc, ch->body_off);
	d->in_alt = true;
	diss_data(d, &bc);
	d->in_alt = in_alt;
}

/* One message (or a Continuation) as protocol p: HTTP on TCP, SSDP on UDP. A request or
 * status line without its line end is not decoded at all, as in tshark without reassembly.
 * `more`: a later message of the same bytes. Returns true when bytes are left that tshark
 * decodes as a message of their own (after a chunked body that ended before them). */
static bool http_as(struct dissection *d, struct cursor *c, enum proto p, bool more)
{
	struct http_msg m = {HK_NONE, -1, false, false, 0, 0, 0};
	bool fault = false, more_bytes = false;
	struct http_line first = {0, 0, 0};
	enum hl_end end;
	uint16_t layer;
	uint32_t n;

	if (cur_left(c) == 0) /* tshark hands an empty payload to no protocol */
		return false;
	m.kind = first_line_kind(c->base + c->off, cur_left(c));
	layer = diss_layer(d, c, p);
	if (m.kind != HK_NONE) {
		next_line(c, &first);
		start_line(d, c, &first, &m);
		cur_skip(c, first.len + first.eol);
	}
	/* tshark 4.0, desegmentation off: a request's first line without its end leaves the
	 * columns to TCP; a status line without its end is a "Continuation" with the status
	 * fields and http.response; with its end, http.response only once the headers end */
	if (m.kind != HK_NONE && first.eol == 0) {
		struct http_msg cont = {HK_NONE, -1, false, false, 0, 0, 0};
		if (m.kind == HK_RESPONSE)
			fld_add(d, first.off, first.len, "Response", K_HTTP_RESPONSE, FT_BOOL, 2,
			        1);
		diss_layer_end(d, layer, c);
		if (m.kind != HK_REQUEST)
			http_summary(d, p, c, &first, &cont, false, more);
		return false;
	}
	end = header_lines(d, c, &m);
	if (end != HL_CUT && m.kind == HK_RESPONSE)
		fld_add(d, first.off, first.len + first.eol, "Response", K_HTTP_RESPONSE, FT_BOOL,
		        2, 1);
	n = end == HL_CUT ? 0 : cur_left(c);
	/* tshark: with a Transfer-Encoding the Content-Length is not the body's length */
	if (m.clen >= 0 && (uint64_t)m.clen < n && m.kind != HK_NONE && !m.te)
		n = (uint32_t)m.clen;
	if (m.chunked && n > 0 && m.kind != HK_NONE &&
	    !(m.kind == HK_RESPONSE && no_body_status(m.code))) {
		struct http_chunked ch;
		n = chunked_body(d, c, n, layer, &ch);
		diss_layer_end(d, layer, c);
		dechunked_data(d, &ch);
		fault = ch.fault;
		more_bytes = ch.used > 0 && !ch.fault && cur_left(c) > 0;
	} else {
		diss_layer_end(d, layer, c);
		if (n > 0) {
			struct cursor bc = cur_sub(c, n);
			diss_data(d, &bc);
			cur_skip(c, n);
		}
	}
	/* tshark names the Content-Type only for a message with a body (not a 304's) */
	http_summary(d, p, c, &first, &m, end != HL_CUT && n > 0, more);
	if (fault && !d->quoted && d->sum.proto == p) {
		struct sbuf b = {d->sum.info, strlen(d->sum.info), sizeof d->sum.info};
		/* tshark: a message it reassembled (or would have) is malformed, a segment
		 * decoded alone was cut (FragmentBoundsError) */
		sb_str(&b, d->desegment || d->in_alt ? "[Malformed Packet]"
		                                     : "[BoundErrorUnreassembled Packet]");
	}
	return more_bytes;
}

static int64_t message_len(const uint8_t *p, uint32_t n, bool eos);

/* A response that runs until the close, in bytes that end the stream already (the segment
 * carries the FIN, or reassembly took the bytes up to it): decoded here and now, as tshark
 * decodes a FIN segment that holds a whole such response. */
static bool until_close_here(const struct dissection *d)
{
	return d->in_alt || (d->sum.tcp.ok && (d->sum.tcp.flags & 0x01)); /* TH_FIN */
}

/*
 * With reassembly (d->desegment, tshark's default http.desegment_headers and _body): a
 * message that does not end in the segment is left to reasm.c from its first byte, and the
 * messages that do end are decoded one by one in their own windows. Without it, or in bytes
 * cut by the capture, the segment is decoded as it is (one message and its body).
 */
void http_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	bool whole = plen == cur_left(c) || d->in_alt;

	if (!d->desegment || d->quoted || !whole) {
		/* bytes after a chunked body are a message of their own, as tshark decodes them */
		for (unsigned k = 0; k < HTTP_MAX_MESSAGES && http_as(d, c, P_HTTP, k > 0); k++)
			;
		return;
	}
	for (unsigned k = 0; k < HTTP_MAX_MESSAGES && cur_left(c) > 0; k++) {
		int64_t len =
		    message_len(c->base + c->off, cur_left(c), !d->in_alt && until_close_here(d));
		if (len == HTTP_UNTIL_CLOSE && !until_close_here(d)) {
			d->pdu_off = c->off;
			d->pdu_need = REASM_UNTIL_FIN;
			d->pdu_proto = P_HTTP;
			return;
		}
		if (len == HTTP_UNTIL_CLOSE) /* all that is left is the message */
			len = cur_left(c);
		/* after a message, bytes without a line end wait for more in tshark (its header
		 * desegmentation), where nothing is decoded */
		if (len < 0 && k > 0 && !memchr(c->base + c->off, '\n', cur_left(c)) &&
		    !memchr(c->base + c->off, '\r', cur_left(c)))
			return;
		if (len < 0 || k == HTTP_MAX_MESSAGES - 1) { /* no message start: a Continuation */
			http_as(d, c, P_HTTP, k > 0);
			return;
		}
		if ((len == 0 || len > cur_left(c)) && !d->in_alt) {
			d->pdu_off = c->off;
			d->pdu_need = len >= REASM_UNTIL_FIN ? REASM_UNTIL_FIN - 1 : (uint32_t)len;
			d->pdu_proto = P_HTTP;
			return;
		}
		uint32_t n = len == 0 || len > cur_left(c) ? cur_left(c) : (uint32_t)len;
		struct cursor w = diss_window(c, n);
		http_as(d, &w, P_HTTP, k > 0);
		cur_skip(c, n);
	}
}

uint32_t http_eos_len(const uint8_t *p, uint32_t n)
{
	int64_t len = message_len(p, n, true);

	if (len == HTTP_UNTIL_CLOSE || len > (int64_t)n)
		return n;
	return len <= 0 ? REASM_NEED_MORE : (uint32_t)len;
}

bool http_pending_info(struct sbuf *b, const uint8_t *p, uint32_t n)
{
	struct cursor c;
	struct http_line l;

	cur_init(&c, p, n);
	/* tshark's line end: a CR last may still be a CRLF, so the line is not whole yet */
	if (first_line_kind(p, n) == HK_NONE || !next_line(&c, &l) || l.eol == 0 ||
	    (l.eol == 1 && l.off + l.len + 1 == n && p[l.off + l.len] == '\r'))
		return false;
	sb_esc(b, (const char *)p, l.len);
	sb_str(b, " ");
	return true;
}

uint32_t http_reasm_len(const uint8_t *p, uint32_t n)
{
	int64_t len = http_pdu_len(p, n);

	if (len == HTTP_UNTIL_CLOSE)
		return REASM_UNTIL_FIN;
	if (len < 0)
		return REASM_NOT_MINE;
	if (len == 0)
		return REASM_NEED_MORE;
	return len >= REASM_UNTIL_FIN ? REASM_UNTIL_FIN - 1 : (uint32_t)len;
}

/* SSDP (UPnP discovery): HTTP messages in UDP datagrams to port 1900; tshark's "ssdp"
 * protocol, whose fields are http.* as here. */
void ssdp_dissect(struct dissection *d, struct cursor *c, uint32_t plen)
{
	(void)plen;
	http_as(d, c, P_SSDP, false);
}

/* ---- message length, for reassembly ---- */

/* The status code of a status line (first), -1 without one. */
static int64_t status_code(const uint8_t *p, const struct http_line *first)
{
	uint32_t sp = 0;

	while (sp < first->len && p[first->off + sp] != ' ')
		sp++;
	return sp + 4 <= first->len ? parse_len(p + first->off + sp + 1, 3) : -1;
}

/* A response's body runs until the close: its status says it has one (not 1xx, 204 or 304,
 * RFC 9112 6.3; a status line without a code counts as one that has), and it has neither
 * Content-Length nor chunked coding. */
static bool body_until_close(const uint8_t *p, const struct http_line *first,
                             const struct http_msg *m)
{
	int64_t code;

	if (m->kind != HK_RESPONSE || m->clen >= 0 || m->chunked)
		return false;
	code = status_code(p, first);
	return !(code >= 0 && no_body_status((uint16_t)code));
}

/* http_pdu_len(); `eos`: the bytes end the sender's stream (a FIN), where tshark 4.0
 * reassembles the headers but no body (try_desegment_body), so the message is the body
 * bytes there are (a chunked body: as far as its chunks go). */
static int64_t message_len(const uint8_t *p, uint32_t n, bool eos)
{
	struct cursor c;
	struct http_line l, first = {0, 0, 0};
	struct http_msg m = {HK_NONE, -1, false, false, 0, 0, 0};
	unsigned lines = 0;

	cur_init(&c, p, n);
	m.kind = first_line_kind(p, n);
	if (m.kind == HK_NONE)
		return -1;
	while (next_line(&c, &l) && lines++ <= HTTP_MAX_LINES) {
		if (l.eol == 0)
			return 0;
		cur_skip(&c, l.len + l.eol);
		if (lines == 1) {
			first = l;
			continue;
		}
		if (l.len == 0) {
			/* tshark reassembles no body of a status that has none (1xx, 204, 304) */
			if (m.chunked && !(m.kind == HK_RESPONSE && status_code(p, &first) >= 0 &&
			                   no_body_status((uint16_t)status_code(p, &first)))) {
				int64_t b = eos ? http_chunked_used(p + c.off, cur_left(&c))
				                : http_chunked_len(p + c.off, cur_left(&c));
				return b < 0 ? 0 : (int64_t)c.off + b;
			}
			if (body_until_close(p, &first, &m))
				return HTTP_UNTIL_CLOSE;
			if (eos && m.clen > (int64_t)cur_left(&c))
				return n;
			return (int64_t)c.off + (m.clen > 0 ? m.clen : 0);
		}
		if (has_prefix(p + l.off, l.len, "content-length:", true)) {
			uint32_t v = 15;
			while (v < l.len && (p[l.off + v] == ' ' || p[l.off + v] == '\t'))
				v++;
			m.clen = parse_len(p + l.off + v, l.len - v);
		}
		/* tshark's reassembly (req_resp_hdrs.c): "chunked" first in the value, any case */
		if (has_prefix(p + l.off, l.len, "transfer-encoding:", true)) {
			uint32_t v = 18;
			while (v < l.len && (p[l.off + v] == ' ' || p[l.off + v] == '\t'))
				v++;
			if (has_prefix(p + l.off + v, l.len - v, "chunked", true))
				m.chunked = true;
		}
	}
	return lines > HTTP_MAX_LINES ? -1 : 0;
}

int64_t http_pdu_len(const uint8_t *p, uint32_t n)
{
	return message_len(p, n, false);
}
