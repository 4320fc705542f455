/*
 * remote_explain.c - remote_explain.h. The patterns are OpenSSH's, sudo's, tcpdump's
 * (libpcap's) and capscope's own messages, and the far script's marks (remote_cmd.h).
 */
#include "capture/remote_explain.h"

#include <stdio.h>
#include <string.h>

#include "base/escape.h"
#include "capture/remote_cmd.h"

#define LINE_MAX_SHOWN 200

static const struct {
	enum remote_why why;
	const char *needle;
} patterns[] = {
    /* first the far script's own marks, then the most specific texts */
    {RW_NOTOOL, REMOTE_MARK_NOTOOL},
    {RW_HOSTKEY, "Host key verification failed"},
    {RW_HOSTKEY, "REMOTE HOST IDENTIFICATION HAS CHANGED"},
    {RW_HOSTKEY, "No ED25519 host key is known"},
    {RW_AUTH, "Permission denied ("},
    {RW_AUTH, "Too many authentication failures"},
    {RW_CONNECT, "Connection refused"},
    {RW_CONNECT, "Connection timed out"},
    {RW_CONNECT, "timed out"},
    {RW_CONNECT, "No route to host"},
    {RW_CONNECT, "Network is unreachable"},
    {RW_CONNECT, "Could not resolve hostname"},
    {RW_CONNECT, "Name or service not known"},
    {RW_SUDO, "sudo: a password is required"},
    {RW_SUDO, "sudo: a terminal is required"},
    {RW_SUDO, "is not in the sudoers file"},
    {RW_SUDO, "sudo: not found"},
    {RW_PERM, "You don't have permission to capture"},
    {RW_PERM, "no permission to capture"},
    {RW_PERM, "Operation not permitted"},
    {RW_NODEV, "No such device"},
    {RW_NODEV, "no such adapter"},
    {RW_NODEV, "doesn't exist"},
};

enum remote_why remote_classify(const char *text)
{
	for (size_t i = 0; i < sizeof patterns / sizeof patterns[0]; i++)
		if (strstr(text, patterns[i].needle))
			return patterns[i].why;
	return RW_OTHER;
}

/* The line [s, e) escaped into out. */
static void escape_span(const char *s, const char *e, char *out, size_t n)
{
	size_t len = (size_t)(e - s);

	if (len > LINE_MAX_SHOWN)
		len = LINE_MAX_SHOWN;
	esc_str(out, n, (const uint8_t *)s, len);
}

void remote_last_line(const char *text, char *out, size_t n)
{
	const char *end = text + strlen(text);

	out[0] = '\0';
	while (end > text) {
		const char *e = end, *s;
		while (e > text && (e[-1] == '\n' || e[-1] == '\r' || e[-1] == ' '))
			e--;
		s = e;
		while (s > text && s[-1] != '\n')
			s--;
		if (e > s && strncmp(s, REMOTE_MARK_ADAPTERS, strlen(REMOTE_MARK_ADAPTERS)) != 0) {
			escape_span(s, e, out, n);
			return;
		}
		end = s;
	}
}

/* The far adapters' names the script listed after a failed capture, escaped, or "". */
static void far_adapters(const char *text, char *out, size_t n)
{
	const char *m = strstr(text, REMOTE_MARK_ADAPTERS), *e;

	out[0] = '\0';
	if (!m)
		return;
	m += strlen(REMOTE_MARK_ADAPTERS);
	m += strspn(m, " ");
	e = m + strcspn(m, "\n");
	while (e > m && e[-1] == ' ')
		e--;
	if (e > m)
		escape_span(m, e, out, n);
}

enum source_err remote_explain(const char *host, const char *adapter, const char *text, int status,
                               char *out, size_t n)
{
	char last[LINE_MAX_SHOWN * 4 + 8], names[LINE_MAX_SHOWN * 4 + 8], ad[1100];

	remote_last_line(text, last, sizeof last);
	esc_cstr(ad, sizeof ad, adapter);
	switch (remote_classify(text)) {
	case RW_HOSTKEY:
		snprintf(out, n,
		         "%s: host key verification failed (unknown or changed host key):"
		         " check it with ssh once, then try again",
		         host);
		return SRC_ERR_OTHER;
	case RW_AUTH:
		snprintf(out, n,
		         "%s: permission denied: the login was refused (capscope never asks"
		         " for a password: use a key or ssh-agent): %s",
		         host, last);
		return SRC_ERR_PERM;
	case RW_CONNECT:
		snprintf(out, n, "%s: cannot connect: %s", host, last);
		return SRC_ERR_OTHER;
	case RW_NOTOOL:
		snprintf(out, n,
		         "%s: neither capscope nor tcpdump is installed (in PATH) there:"
		         " install tcpdump on that host",
		         host);
		return SRC_ERR_OTHER;
	case RW_SUDO:
		snprintf(out, n,
		         "%s: sudo -n there needs a password or is not allowed: allow the"
		         " capture tool without one (NOPASSWD), or give it capture rights"
		         " (setcap): %s",
		         host, last);
		return SRC_ERR_PERM;
	case RW_PERM:
		snprintf(out, n,
		         "%s: no permission to capture there: use --remote-sudo, or give"
		         " tcpdump capture rights there (setcap cap_net_raw,cap_net_admin=eip"
		         " on it): %s",
		         host, last);
		return SRC_ERR_PERM;
	case RW_NODEV:
		far_adapters(text, names, sizeof names);
		snprintf(out, n, "%s: no adapter '%s' there; its adapters: %s", host, ad,
		         names[0] ? names : "(capscope -D on the host lists them)");
		return SRC_ERR_NODEV;
	case RW_OTHER:
	default:
		break;
	}
	if (status >= 0)
		snprintf(out, n, "%s: ssh exited with status %d%s%s", host, status,
		         last[0] ? ": " : "", last);
	else
		snprintf(out, n, "%s: %s", host, last[0] ? last : "the connection ended");
	return SRC_ERR_OTHER;
}
