/*
 * remote_cmd.c - remote_cmd.h: the ssh:// address, the far shell's commands and ssh's
 * argument vector. The far command is a short sh script handed to `/bin/sh -c` (whatever the login
 * shell is: csh and fish read a single-quoted word as sh does), so the script's own syntax
 * never meets the user's shell. User text enters it only as single-quoted words.
 */
#include "capture/remote_cmd.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr_parse.h"

static int fail(char *err, size_t n, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(err, n, fmt, ap);
	va_end(ap);
	return -1;
}

bool remote_url_is(const char *name)
{
	return name && strncmp(name, REMOTE_PREFIX, strlen(REMOTE_PREFIX)) == 0;
}

/* Printable ASCII without blanks, and not what ssh would read as an option. */
static bool plain_word(const char *s, size_t n, const char *also_bad)
{
	if (n == 0 || s[0] == '-')
		return false;
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] <= ' ' || (unsigned char)s[i] >= 0x7f ||
		    strchr(also_bad, s[i]))
			return false;
	return true;
}

static bool copy_part(char *dst, size_t cap, const char *s, size_t n)
{
	if (n >= cap)
		return false;
	memcpy(dst, s, n);
	dst[n] = '\0';
	return true;
}

/* host[:port] or [v6][:port] in s[0..n). */
static int parse_host(const char *s, size_t n, struct remote_url *u, char *err, size_t errlen)
{
	const char *host = s, *colon;
	size_t hn;
	uint8_t a6[16];

	if (n > 0 && s[0] == '[') {
		const char *close = memchr(s, ']', n);
		if (!close || !addr_ipv6_parse(s + 1, (size_t)(close - s - 1), a6))
			return fail(err, errlen, "remote address: '[' must hold an IPv6 address");
		host = s + 1, hn = (size_t)(close - s - 1);
		colon = close + 1 < s + n ? close + 1 : NULL;
		if (colon && *colon != ':')
			return fail(err, errlen,
			            "remote address: ']' must end the host or come before :PORT");
	} else {
		colon = memchr(s, ':', n);
		hn = colon ? (size_t)(colon - s) : n;
	}
	/* a bracketed host was checked as an IPv6 address, whose ':' a name may not have */
	if ((host == s && !plain_word(host, hn, "@/[]:'\"\\`$;&|<>(){}*?!#~")) ||
	    !copy_part(u->host, sizeof u->host, host, hn))
		return fail(err, errlen,
		            "remote address: a host name (letters, digits, '.', '-', '_'; not"
		            " starting with '-') is needed after ssh://");
	if (colon) {
		size_t pn = (size_t)(s + n - colon - 1);
		uint64_t port = 0;
		if (!addr_digits(colon + 1, pn, 10, &port) || port < 1 || port > 65535 || pn > 5)
			return fail(err, errlen,
			            "remote address: the port must be a number from 1 to 65535");
		copy_part(u->port, sizeof u->port, colon + 1, pn);
	}
	return 0;
}

/* The adapter: any text without control bytes, not naming a remote address again. */
static int parse_adapter(const char *a, struct remote_url *u, char *err, size_t errlen)
{
	size_t n = strlen(a);

	for (size_t i = 0; i < n; i++)
		if ((unsigned char)a[i] < ' ' || a[i] == 0x7f)
			return fail(err, errlen,
			            "remote address: the adapter name has a control byte");
	if (strstr(a, "://"))
		return fail(err, errlen, "remote address: the adapter cannot be another address");
	if (!copy_part(u->adapter, sizeof u->adapter, a, n))
		return fail(err, errlen, "remote address: the adapter name is too long");
	return 0;
}

int remote_url_parse(const char *s, bool need_adapter, struct remote_url *u, char *err, size_t n)
{
	const char *auth, *slash, *at;
	size_t an;

	memset(u, 0, sizeof *u);
	if (!remote_url_is(s))
		return fail(err, n, "a remote address starts with ssh://");
	auth = s + strlen(REMOTE_PREFIX);
	slash = strchr(auth, '/');
	an = slash ? (size_t)(slash - auth) : strlen(auth);
	at = memchr(auth, '@', an);
	if (at) {
		size_t un = (size_t)(at - auth);
		if (!plain_word(auth, un, "@/:'\"\\`$;&|<>(){}*?!#~") ||
		    !copy_part(u->user, sizeof u->user, auth, un))
			return fail(err, n, "remote address: a bad user name before '@'");
		an -= un + 1;
		auth = at + 1;
	}
	if (parse_host(auth, an, u, err, n) < 0)
		return -1;
	if (need_adapter && (!slash || !slash[1]))
		return fail(err, n,
		            "remote address: say the adapter: ssh://[user@]host[:port]/ADAPTER"
		            " (capscope -D ssh://host lists them)");
	if (!need_adapter && slash && slash[1])
		return fail(err, n, "remote address: a host alone here: ssh://[user@]host[:port]");
	return slash && slash[1] ? parse_adapter(slash + 1, u, err, n) : 0;
}

void remote_url_host_text(const struct remote_url *u, char *out, size_t n)
{
	bool v6 = strchr(u->host, ':') != NULL;

	snprintf(out, n, "%s%s%s%s%s%s%s", REMOTE_PREFIX, u->user, u->user[0] ? "@" : "",
	         v6 ? "[" : "", u->host, v6 ? "]" : "", u->port[0] ? ":" : "");
	if (u->port[0] && strlen(out) + strlen(u->port) < n)
		strcat(out, u->port);
}

bool remote_quote(char *out, size_t n, const char *s)
{
	size_t len = strlen(out), need = 2;

	for (const char *p = s; *p; p++)
		need += *p == '\'' ? 4 : 1;
	if (len + need + 1 > n)
		return false;
	char *w = out + len;
	*w++ = '\'';
	for (const char *p = s; *p; p++) {
		if (*p == '\'') {
			memcpy(w, "'\\''", 4);
			w += 4;
		} else {
			*w++ = *p;
		}
	}
	*w++ = '\'';
	*w = '\0';
	return true;
}

/* Appends fixed script text; false when it does not fit. */
static bool add(char *out, size_t n, const char *text)
{
	size_t len = strlen(out), k = strlen(text);

	if (len + k + 1 > n)
		return false;
	memcpy(out + len, text, k + 1);
	return true;
}

/* The tool's options after "$p": capscope's and tcpdump's differ only in -U and
 * immediate mode's spelling. */
static bool tool_args(char *out, size_t n, const struct remote_capture *c, bool tcpdump)
{
	char num[32];
	bool ok = add(out, n, tcpdump ? " -U -w - -i \"$i\"" : " -i \"$i\" -w -");

	if (c->snaplen > 0) {
		snprintf(num, sizeof num, " -s %d", c->snaplen);
		ok = ok && add(out, n, num);
	}
	if (!c->promisc)
		ok = ok && add(out, n, " -p");
	if (c->immediate)
		ok = ok && add(out, n, tcpdump ? " --immediate-mode" : " --immediate");
	return ok && add(out, n, " -- ${x:+\"$x\"}");
}

/* The sh script: f (the filter) and i (the adapter) as quoted words; x the filter with the
 * far side's own session left out (SSH_CONNECTION: client address, client port, server
 * address, server port); p the tool found; on a failure, the far adapters' names. */
static bool capture_script(char *s, size_t n, const struct remote_url *u,
                           const struct remote_capture *c)
{
	bool ok = add(s, n, "set -f; f=") && remote_quote(s, n, c->filter ? c->filter : "") &&
	          add(s, n, "; i=") && remote_quote(s, n, u->adapter) &&
	          add(s, n, c->sudo ? "; s='sudo -n'" : "; s=") &&
	          add(s, n,
	              "; set -- $SSH_CONNECTION; x=$f; if [ $# -eq 4 ]; then"
	              " x=\"not (host $1 and host $3 and tcp port $2 and tcp port $4)\";"
	              " if [ -n \"$f\" ]; then x=\"($f) and $x\"; fi; fi;"
	              " if p=$(command -v capscope); then $s \"$p\"") &&
	          tool_args(s, n, c, false) &&
	          add(s, n, "; elif p=$(command -v tcpdump); then $s \"$p\"") &&
	          tool_args(s, n, c, true) &&
	          add(s, n,
	              "; else echo '" REMOTE_MARK_NOTOOL "' >&2; exit 127; fi; r=$?;"
	              " if [ $r -ne 0 ]; then echo '" REMOTE_MARK_ADAPTERS "'"
	              " $($s \"$p\" -D 2>/dev/null | sed -n 's/^[0-9]*\\. *\\([^ ]*\\).*/\\1/p'"
	              " | head -n 64) >&2; fi; exit $r");
	return ok;
}

int remote_capture_cmd(const struct remote_url *u, const struct remote_capture *c, char *out,
                       size_t n, char *err, size_t errlen)
{
	char *script = malloc(n);
	bool ok;

	if (!script)
		return fail(err, errlen, "out of memory");
	script[0] = out[0] = '\0';
	ok = capture_script(script, n, u, c) && add(out, n, "exec /bin/sh -c ") &&
	     remote_quote(out, n, script);
	free(script);
	return ok ? 0
	          : fail(err, errlen,
	                 "the filter or adapter name is too long for a remote capture");
}

int remote_list_cmd(bool sudo, char *out, size_t n)
{
	char script[1024] = "";
	bool ok;

	out[0] = '\0';
	ok = add(script, sizeof script, sudo ? "s='sudo -n';" : "s=;") &&
	     add(script, sizeof script,
	         " if p=$(command -v capscope); then $s \"$p\" -D; r=$?;"
	         " elif p=$(command -v tcpdump); then $s \"$p\" -D; r=$?; echo '" REMOTE_MARK_ADDRS
	         "'; ip -o addr show 2>/dev/null; else echo '" REMOTE_MARK_NOTOOL "' >&2; r=127;"
	         " fi; exit $r") &&
	     add(out, n, "exec /bin/sh -c ") && remote_quote(out, n, script);
	return ok ? 0 : -1;
}

/* One word of cmd from *p into store at *used; false on an unbalanced quote or no room. */
static bool split_word(const char **p, char *store, size_t n, size_t *used)
{
	const char *s = *p;
	char quote = 0;

	while (*s && (quote || (*s != ' ' && *s != '\t' && *s != '\n'))) {
		char ch = *s++;
		if (quote == '\'' && ch == '\'') {
			quote = 0;
			continue;
		}
		if (quote == '"' && ch == '"') {
			quote = 0;
			continue;
		}
		if (!quote && (ch == '\'' || ch == '"')) {
			quote = ch;
			continue;
		}
		if (quote == '"' && ch == '\\' && (*s == '"' || *s == '\\'))
			ch = *s++;
		if (*used + 1 >= n)
			return false;
		store[(*used)++] = ch;
	}
	*p = s;
	if (quote || *used >= n)
		return false;
	store[(*used)++] = '\0';
	return true;
}

int remote_split_words(const char *cmd, char **argv, size_t max, char *store, size_t n, char *err,
                       size_t errlen)
{
	size_t used = 0, words = 0;

	for (const char *p = cmd;;) {
		p += strspn(p, " \t\n");
		if (!*p)
			break;
		if (words + 1 >= max)
			return fail(err, errlen, "CAPSCOPE_SSH_COMMAND has too many words");
		argv[words++] = store + used;
		if (!split_word(&p, store, n, &used))
			return fail(err, errlen,
			            "CAPSCOPE_SSH_COMMAND: an unbalanced quote, or too long");
	}
	if (words == 0)
		return fail(err, errlen, "CAPSCOPE_SSH_COMMAND is empty");
	argv[words] = NULL;
	return (int)words;
}

int remote_ssh_argv(const char *ssh_command, const struct remote_url *u, const char *far_cmd,
                    char **argv, size_t max, char *store, size_t n, char *err, size_t errlen)
{
	/* the URL's pieces are kept in u: argv points into it, as into store */
	const char *ours[] = {"-o", "BatchMode=yes", "-T"};
	int w = remote_split_words(ssh_command && *ssh_command ? ssh_command : "ssh", argv, max,
	                           store, n, err, errlen);
	size_t k;

	if (w < 0)
		return -1;
	k = (size_t)w;
	if (k + 3 + 4 + 3 + 1 > max)
		return fail(err, errlen, "CAPSCOPE_SSH_COMMAND has too many words");
	for (size_t i = 0; i < 3; i++)
		argv[k++] = (char *)ours[i];
	if (u->user[0]) {
		argv[k++] = "-l";
		argv[k++] = (char *)u->user;
	}
	if (u->port[0]) {
		argv[k++] = "-p";
		argv[k++] = (char *)u->port;
	}
	argv[k++] = "--";
	argv[k++] = (char *)u->host;
	argv[k++] = (char *)far_cmd;
	argv[k] = NULL;
	return 0;
}
