/*
 * proc_comment.c - a packet's process as pcapng comment text, written and parsed back (see
 * proc_comment.h for the format).
 *
 * Values are written through esc_str(): control bytes, bytes >= 0x80 and the backslash
 * become \xNN and \\, so a process that names itself "x\nPID: 1" cannot forge a line, and
 * the comment is plain ASCII (valid UTF-8, as pcapng requires of comments). Parsing undoes
 * exactly that, so the raw bytes come back as they were read from the kernel. The parser
 * takes hostile text: it reads only text[0..len), cuts values to the struct's sizes and
 * ignores lines it does not know, lines with a NUL byte and numbers that overflow.
 */
#include "procs/proc_comment.h"

#include <stdint.h>
#include <string.h>

#include "base/addr.h"
#include "base/addr_parse.h"
#include "base/escape.h"

#define LINE_MAX_BYTES (PROC_CMDLINE_MAX * 4 + 32) /* the longest escaped line, with its key */

/* Appends "key: " text[0..len) "\n" when the whole line fits in buf[*at..n-1). */
static void put_raw(char *buf, size_t n, size_t *at, const char *key, const char *text, size_t len)
{
	size_t klen = strlen(key), k = klen + 2 + len + 1;

	if (*at + k >= n)
		return;
	char *o = buf + *at;
	memcpy(o, key, klen);
	memcpy(o + klen, ": ", 2);
	memcpy(o + klen + 2, text, len);
	o[k - 1] = '\n';
	*at += k;
	buf[*at] = '\0';
}

/* The same with value escaped (esc_str). */
static void put_line(char *buf, size_t n, size_t *at, const char *key, const char *value)
{
	char line[LINE_MAX_BYTES];
	size_t k = esc_str(line, sizeof line, (const uint8_t *)value, strlen(value));

	put_raw(buf, n, at, key, line, k);
}

static void put_number(char *buf, size_t n, size_t *at, const char *key, uint64_t v)
{
	char num[24];

	put_raw(buf, n, at, key, num, addr_u64_text(num, v));
}

/* "User: name (uid)", or the name alone when the uid is unknown; a '(' of the name is written
 * \x28, so that a user named "bob (12)" is not read back as bob with uid 12. */
static void put_user(char *buf, size_t n, size_t *at, const struct proc_info *p)
{
	char u[PROC_USER_MAX * 4 + 16];
	size_t k = 0;

	for (const char *c = p->user; *c; c++) {
		if (*c == '(') {
			memcpy(u + k, "\\x28", 4);
			k += 4;
		} else {
			k += esc_str(u + k, sizeof u - k, (const uint8_t *)c, 1);
		}
	}
	if (p->uid != UINT32_MAX) {
		memcpy(u + k, " (", 2);
		k += 2 + addr_u64_text(u + k + 2, p->uid);
		u[k++] = ')';
	} else if (k == 0) {
		return;
	}
	put_raw(buf, n, at, "User", u, k);
}

size_t proc_comment_format(const struct proc_info *p, bool out, char *buf, size_t n)
{
	char v[PROC_NAME_MAX * 4 + 32];
	size_t at = 0, k;

	if (n == 0)
		return 0;
	buf[0] = '\0';
	/* the name escaped, then "[pid]" */
	k = esc_str(v, sizeof v - 24, (const uint8_t *)p->name, strlen(p->name));
	v[k++] = '[';
	k += addr_u64_text(v + k, p->pid);
	v[k++] = ']';
	put_raw(buf, n, &at, "Process", v, k);
	put_number(buf, n, &at, "PID", p->pid);
	put_line(buf, n, &at, "Command", p->name);
	put_user(buf, n, &at, p);
	if (p->start)
		put_number(buf, n, &at, "Start", p->start);
	if (p->cmdline[0])
		put_line(buf, n, &at, "Cmdline", p->cmdline);
	if (p->cgroup[0])
		put_line(buf, n, &at, "Cgroup", p->cgroup);
	if (p->container[0])
		put_line(buf, n, &at, "Container", p->container);
	put_raw(buf, n, &at, "Direction", out ? "out" : "in", out ? 3 : 2);
	return at;
}

/* Undoes esc_str() on s[0..len) into out (n bytes, NUL-terminated, cut to fit). "\x00" and
 * malformed escapes are kept as written: a C string cannot hold a NUL. */
static void unescape(const char *s, size_t len, char *out, size_t n)
{
	size_t o = 0;

	for (size_t i = 0; i < len && o + 1 < n; i++) {
		int hi, lo;
		if (s[i] == '\\' && i + 1 < len && s[i + 1] == '\\') {
			out[o++] = '\\';
			i++;
		} else if (s[i] == '\\' && i + 3 < len && s[i + 1] == 'x' &&
		           (hi = addr_hexval(s[i + 2])) >= 0 && (lo = addr_hexval(s[i + 3])) >= 0 &&
		           (hi | lo) != 0) {
			out[o++] = (char)(hi << 4 | lo);
			i += 3;
		} else {
			out[o++] = s[i];
		}
	}
	out[o] = '\0';
}

/* A decimal number filling s[0..len) exactly, at most max; false otherwise. */
static bool parse_uint(const char *s, size_t len, uint64_t max, uint64_t *v)
{
	return addr_digits(s, len, 10, v) && *v <= max;
}

/* "name[pid]": the pid between the last '[' and a final ']'. */
static bool parse_process(const char *s, size_t len, struct proc_info *p)
{
	uint64_t pid;
	size_t open = len;

	if (len < 3 || s[len - 1] != ']')
		return false;
	while (open > 0 && s[open - 1] != '[')
		open--;
	if (open == 0 || !parse_uint(s + open, len - 1 - open, UINT32_MAX, &pid))
		return false;
	p->pid = (uint32_t)pid;
	if (!p->name[0])
		unescape(s, open - 1, p->name, sizeof p->name);
	return true;
}

/* "name (uid)", or a name alone when the uid was unknown. */
static void parse_user(const char *s, size_t len, struct proc_info *p)
{
	uint64_t uid;
	size_t open = len;

	while (open > 0 && s[open - 1] != '(')
		open--;
	if (len > 0 && s[len - 1] == ')' && open >= 2 && s[open - 2] == ' ' &&
	    parse_uint(s + open, len - 1 - open, UINT32_MAX - 1, &uid)) {
		p->uid = (uint32_t)uid;
		len = open - 2;
	}
	unescape(s, len, p->user, sizeof p->user);
}

static bool key_is(const char *s, size_t klen, const char *key)
{
	return klen == strlen(key) && memcmp(s, key, klen) == 0;
}

struct parse_state {
	struct proc_info *p;
	bool *out;
	bool has_pid;
};

/* One "Key: value" line (without its line end). */
static void parse_line(struct parse_state *st, const char *s, size_t len)
{
	const char *colon = memchr(s, ':', len);
	struct proc_info *p = st->p;
	uint64_t v;

	if (!colon || memchr(s, '\0', len) || (size_t)(colon - s) + 2 > len || colon[1] != ' ')
		return;
	size_t klen = (size_t)(colon - s), vlen = len - klen - 2;
	const char *val = colon + 2;
	if (key_is(s, klen, "Process") && parse_process(val, vlen, p))
		st->has_pid = true;
	else if (key_is(s, klen, "PID") && parse_uint(val, vlen, UINT32_MAX, &v))
		p->pid = (uint32_t)v, st->has_pid = true;
	else if (key_is(s, klen, "Command"))
		unescape(val, vlen, p->name, sizeof p->name);
	else if (key_is(s, klen, "User"))
		parse_user(val, vlen, p);
	else if (key_is(s, klen, "Start") && parse_uint(val, vlen, UINT64_MAX, &v))
		p->start = v;
	else if (key_is(s, klen, "Cmdline"))
		unescape(val, vlen, p->cmdline, sizeof p->cmdline);
	else if (key_is(s, klen, "Cgroup"))
		unescape(val, vlen, p->cgroup, sizeof p->cgroup);
	else if (key_is(s, klen, "Container"))
		unescape(val, vlen, p->container, sizeof p->container);
	else if (key_is(s, klen, "Direction"))
		*st->out = vlen == 3 && memcmp(val, "out", 3) == 0;
}

bool proc_comment_is_section(const char *text, size_t len)
{
	return len == sizeof PROC_COMMENT_SECTION - 1 &&
	       memcmp(text, PROC_COMMENT_SECTION, len) == 0;
}

bool proc_comment_parse(const char *text, size_t len, struct proc_info *p, bool *out)
{
	struct parse_state st = {.p = p, .out = out};
	size_t i = 0;

	memset(p, 0, sizeof *p);
	p->uid = UINT32_MAX;
	*out = false;
	while (i < len) {
		const char *nl = memchr(text + i, '\n', len - i);
		size_t end = nl ? (size_t)(nl - text) : len, l = end - i;
		if (l > 0 && text[i + l - 1] == '\r')
			l--;
		parse_line(&st, text + i, l);
		i = end + 1;
	}
	p->how = AH_COMMENT;
	return st.has_pid;
}
