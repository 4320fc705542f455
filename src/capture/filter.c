/*
 * filter.c - BPF compile, validate and match (see filter.h).
 *
 * libpcap's syntax errors carry no position, so the column is found by compiling growing
 * word prefixes: the first word after the longest prefix that compiles is where the
 * expression goes wrong. Messages that quote a word ("unknown host 'foo'") point at it.
 */
#include "capture/filter.h"

#include <pcap/pcap.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"

#define MAX_WORDS 64

struct filter {
	struct bpf_program prog;
};

static bool compile(pcap_t *dead, const char *expr, struct bpf_program *prog)
{
	return pcap_compile(dead, prog, expr, 1, PCAP_NETMASK_UNKNOWN) == 0;
}

/* Start offsets of the words of expr; returns how many. */
static int word_starts(const char *expr, int *starts)
{
	int n = 0;

	for (int i = 0; expr[i] && n < MAX_WORDS; i++)
		if (expr[i] != ' ' && (i == 0 || expr[i - 1] == ' '))
			starts[n++] = i;
	return n;
}

/* Column of a word quoted in libpcap's message ('foo'), if it occurs in expr. */
static int quoted_column(const char *expr, const char *msg)
{
	const char *a = strchr(msg, '\'');
	const char *b = a ? strchr(a + 1, '\'') : NULL;
	char word[128];

	if (!b || b - a - 1 <= 0 || (size_t)(b - a - 1) >= sizeof word)
		return -1;
	memcpy(word, a + 1, (size_t)(b - a - 1));
	word[b - a - 1] = '\0';
	const char *at = strstr(expr, word);
	return at ? (int)(at - expr) : -1;
}

/* An unclosed '(' is reported at the end, where the ')' is missing; a stray ')' where it
 * stands. Returns -1 when the parentheses balance. */
static int paren_column(const char *expr)
{
	int depth = 0, i;

	for (i = 0; expr[i]; i++) {
		depth += expr[i] == '(' ? 1 : expr[i] == ')' ? -1 : 0;
		if (depth < 0)
			return i;
	}
	return depth > 0 ? i : -1;
}

static int prefix_column(pcap_t *dead, const char *expr)
{
	int starts[MAX_WORDS], n = word_starts(expr, starts), good = 0;
	size_t len = strlen(expr);
	char *buf = malloc(len + 1);
	struct bpf_program prog;

	if (!buf)
		return -1;
	for (int k = 1; k <= n; k++) {
		size_t end = k < n ? (size_t)starts[k] : len;
		memcpy(buf, expr, end);
		buf[end] = '\0';
		if (compile(dead, buf, &prog)) {
			pcap_freecode(&prog);
			good = k;
		}
	}
	free(buf);
	return good < n ? starts[good] : (int)len;
}

static pcap_t *open_dead(int linktype, int snaplen)
{
	return pcap_open_dead(linktype, snaplen > 0 ? snaplen : 262144);
}

struct filter *filter_compile(const char *expr, int linktype, int snaplen, struct filter_check *out)
{
	pcap_t *dead = open_dead(linktype, snaplen);
	struct filter *f = calloc(1, sizeof *f);

	out->ok = false;
	out->column = -1;
	out->msg[0] = '\0';
	if (!dead || !f) {
		strcpy(out->msg, "out of memory");
		goto fail;
	}
	if (!compile(dead, expr, &f->prog)) {
		esc_cstr(out->msg, sizeof out->msg, pcap_geterr(dead));
		out->column = quoted_column(expr, out->msg);
		if (out->column < 0)
			out->column = paren_column(expr);
		if (out->column < 0)
			out->column = prefix_column(dead, expr);
		goto fail;
	}
	out->ok = true;
	pcap_close(dead);
	return f;
fail:
	free(f);
	if (dead)
		pcap_close(dead);
	return NULL;
}

void filter_check(const char *expr, int linktype, int snaplen, struct filter_check *out)
{
	filter_free(filter_compile(expr, linktype, snaplen, out));
}

bool filter_match(const struct filter *f, const struct pkt_hdr *h, const uint8_t *data)
{
	struct pcap_pkthdr ph;

	ph.ts.tv_sec = h->ts_sec; /* only the filter reads it, and BPF never looks at time */
	ph.ts.tv_usec = h->ts_nsec / 1000;
	ph.caplen = h->caplen;
	ph.len = h->len;
	return pcap_offline_filter(&f->prog, &ph, data) != 0;
}

void filter_free(struct filter *f)
{
	if (!f)
		return;
	pcap_freecode(&f->prog);
	free(f);
}
