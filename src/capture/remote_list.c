/*
 * remote_list.c - remote_list_parse(): `tcpdump -D` lines ("1.eth0 (desc) [Up, Running,
 * Connected]"), the mark line, then `ip -o addr show` lines ("2: eth0    inet 10.0.0.2/24 brd
 * 10.0.0.255 scope global eth0\ ..."); or capscope -D's text ("1. eth0 (desc)", then indented
 * "flags: up, running" and "inet A  netmask M  broadcast B" lines). Lines that do not parse
 * are skipped.
 */
#include "capture/remote_list.h"

#include <stdlib.h>
#include <string.h>

#include "base/addr_parse.h"
#include "capture/remote_cmd.h"

#define FIELD_MAX 255

struct span {
	const char *s;
	size_t n;
};

static char *dup_span(const char *s, size_t n)
{
	char *d;

	if (n > FIELD_MAX)
		n = FIELD_MAX;
	d = malloc(n + 1);
	if (d) {
		memcpy(d, s, n);
		d[n] = '\0';
	}
	return d;
}

/* word in f, ignoring ASCII case (tcpdump says "Up", capscope "up") */
static bool has(struct span f, const char *word)
{
	size_t k = strlen(word);

	for (size_t i = 0; i + k <= f.n; i++) {
		size_t j = 0;
		while (j < k && (f.s[i + j] | 0x20) == (word[j] | 0x20))
			j++;
		if (j == k)
			return true;
	}
	return false;
}

/* "[Up, Running, Loopback, Connected]", or capscope's "flags: up, running, connected" */
static void flags_of(struct span f, struct adapter *a)
{
	a->flags = (has(f, "Up") ? AD_UP : 0) | (has(f, "Running") ? AD_RUNNING : 0) |
	           (has(f, "Loopback") ? AD_LOOPBACK : 0) | (has(f, "Wireless") ? AD_WIRELESS : 0);
	a->conn = has(f, "Disconnected")     ? AD_CONN_DISCONNECTED
	          : has(f, "Connected")      ? AD_CONN_CONNECTED
	          : has(f, "Not applicable") ? AD_CONN_NA
	                                     : AD_CONN_UNKNOWN;
}

/* One `tcpdump -D` line ("1.eth0 (desc) [Up]") or capscope -D's first line of an adapter
("1. eth0 (desc)"); false when it is not one (or out of memory: *oom). */
static bool adapter_line(struct span ln, struct adapter *a, bool *oom)
{
	size_t i = 0, name_end;
	const char *open;
	bool has_desc;

	while (i < ln.n && ln.s[i] >= '0' && ln.s[i] <= '9')
		i++;
	if (i == 0 || i >= ln.n || ln.s[i] != '.')
		return false;
	ln.s += i + 1, ln.n -= i + 1;
	while (ln.n && ln.s[0] == ' ')
		ln.s++, ln.n--;
	name_end = 0;
	while (name_end < ln.n && ln.s[name_end] != ' ')
		name_end++;
	if (name_end == 0)
		return false;
	memset(a, 0, sizeof *a);
	a->linktype = -1;
	if (ln.n && ln.s[ln.n - 1] == ']' &&
	    (open = memchr(ln.s + name_end, '[', ln.n - name_end))) {
		flags_of((struct span){open, (size_t)(ln.s + ln.n - open)}, a);
		ln.n = (size_t)(open - ln.s);
		while (ln.n > name_end && ln.s[ln.n - 1] == ' ')
			ln.n--;
	}
	a->name = dup_span(ln.s, name_end);
	has_desc =
	    ln.n > name_end + 2 && ln.s[name_end + 1] == '(' && ln.s[ln.n - 1] == ')' &&
	    !has((struct span){ln.s + name_end, ln.n - name_end}, "(No description available)");
	if (has_desc)
		a->description = dup_span(ln.s + name_end + 2, ln.n - name_end - 3);
	*oom = !a->name || (has_desc && !a->description);
	return true;
}

static struct span next_word(struct span *rest)
{
	struct span w;

	while (rest->n && (*rest->s == ' ' || *rest->s == '\t'))
		rest->s++, rest->n--;
	w.s = rest->s;
	w.n = 0;
	while (w.n < rest->n && w.s[w.n] != ' ' && w.s[w.n] != '\t')
		w.n++;
	rest->s += w.n, rest->n -= w.n;
	return w;
}

static void prefix_mask(int fam, unsigned bits, uint8_t *m)
{
	unsigned len = fam == 4 ? 4 : 16;

	memset(m, 0, 16);
	for (unsigned i = 0; i < len && bits; i++) {
		unsigned take = bits >= 8 ? 8 : bits;
		m[i] = (uint8_t)(0xff00u >> take);
		bits -= take;
	}
}

/* "ADDR/PREFIX" (or ADDR alone) of family fam into out; the mask when a prefix is given. */
static bool addr_word(struct span w, int fam, uint8_t *out, bool *has_mask, uint8_t *mask)
{
	const char *slash = memchr(w.s, '/', w.n);
	size_t an = slash ? (size_t)(slash - w.s) : w.n;
	uint64_t bits = 0;
	bool ok = fam == 4 ? addr_ipv4_parse(w.s, an, out) : addr_ipv6_parse(w.s, an, out);

	*has_mask = false;
	if (!ok)
		return false;
	if (slash && addr_digits(slash + 1, w.n - an - 1, 10, &bits) &&
	    bits <= (fam == 4 ? 32u : 128u)) {
		prefix_mask(fam, (unsigned)bits, mask);
		*has_mask = true;
	}
	return true;
}

static struct adapter *find(struct adapter_list *l, struct span name)
{
	const char *at = memchr(name.s, '@', name.n); /* "veth0@if5" */

	if (at)
		name.n = (size_t)(at - name.s);
	for (size_t i = 0; i < l->n; i++)
		if (strlen(l->v[i].name) == name.n && memcmp(l->v[i].name, name.s, name.n) == 0)
			return &l->v[i];
	return NULL;
}

static bool addr_rest(struct span ln, struct adapter *a, struct adapter_addr *ad);

/* One `ip -o addr` line into its adapter's addresses. False only when out of memory. */
static bool addr_line(struct span ln, struct adapter_list *l)
{
	struct span idx = next_word(&ln), name = next_word(&ln), fam = next_word(&ln);
	struct adapter *a;
	struct adapter_addr ad = {0};

	if (!idx.n || idx.s[idx.n - 1] != ':' || name.n == 0 || !(a = find(l, name)))
		return true;
	ad.family = fam.n == 4 && memcmp(fam.s, "inet", 4) == 0    ? 4
	            : fam.n == 5 && memcmp(fam.s, "inet6", 5) == 0 ? 6
	                                                           : 0;
	if (!ad.family || a->naddrs >= REMOTE_LIST_MAX_ADDRS ||
	    !addr_word(next_word(&ln), ad.family, ad.addr, &ad.has_netmask, ad.netmask))
		return true;
	return addr_rest(ln, a, &ad);
}

static bool word_is(struct span w, const char *text)
{
	return w.n == strlen(text) && memcmp(w.s, text, w.n) == 0;
}

/* The words after an address: ip's "brd B" and "peer D", capscope's "netmask M",
 * "broadcast B" and "destination D"; then the address joins its adapter's (false: no
 * memory). */
static bool addr_rest(struct span ln, struct adapter *a, struct adapter_addr *ad)
{
	struct span w;
	uint8_t scratch[16];
	bool dummy;

	while ((w = next_word(&ln)).n) {
		struct span v = next_word(&ln);
		if (word_is(w, "brd") || word_is(w, "broadcast"))
			ad->has_broadcast =
			    addr_word(v, ad->family, ad->broadcast, &dummy, scratch);
		else if (word_is(w, "peer") || word_is(w, "destination"))
			ad->has_dest = addr_word(v, ad->family, ad->dest, &dummy, scratch);
		else if (word_is(w, "netmask"))
			ad->has_netmask = addr_word(v, ad->family, ad->netmask, &dummy, scratch);
	}
	struct adapter_addr *nv = realloc(a->addrs, (a->naddrs + 1) * sizeof *nv);
	if (!nv)
		return false;
	a->addrs = nv;
	a->addrs[a->naddrs++] = *ad;
	return true;
}

/* capscope -D's indented lines under an adapter: "   flags: up, running", "   inet A
 * netmask M broadcast B". False only when out of memory. */
static bool detail_line(struct span ln, struct adapter *a)
{
	struct span w = next_word(&ln);
	struct adapter_addr ad = {0};

	if (word_is(w, "flags:")) {
		flags_of(ln, a);
		return true;
	}
	ad.family = word_is(w, "inet") ? 4 : word_is(w, "inet6") ? 6 : 0;
	if (!ad.family || a->naddrs >= REMOTE_LIST_MAX_ADDRS ||
	    !addr_word(next_word(&ln), ad.family, ad.addr, &ad.has_netmask, ad.netmask))
		return true;
	return addr_rest(ln, a, &ad);
}

static bool add_adapter(struct adapter_list *l, struct span ln, bool *ok)
{
	struct adapter a, *v;
	bool oom = false;

	if (l->n >= REMOTE_LIST_MAX_ADAPTERS || !adapter_line(ln, &a, &oom))
		return true;
	if (!oom && (v = realloc(l->v, (l->n + 1) * sizeof *v))) {
		l->v = v;
		l->v[l->n++] = a;
		return true;
	}
	free(a.name);
	free(a.description);
	*ok = false;
	return false;
}

int remote_list_parse(const char *text, size_t n, struct adapter_list *l)
{
	bool addrs = false, ok = true;
	const char *end = text + (n > REMOTE_LIST_MAX_BYTES ? REMOTE_LIST_MAX_BYTES : n);

	l->v = NULL;
	l->n = 0;
	for (const char *p = text; p < end && ok;) {
		const char *nl = memchr(p, '\n', (size_t)(end - p));
		struct span ln = {p, (size_t)((nl ? nl : end) - p)};
		p = nl ? nl + 1 : end;
		if (ln.n && ln.s[ln.n - 1] == '\r')
			ln.n--;
		if (ln.n == strlen(REMOTE_MARK_ADDRS) && memcmp(ln.s, REMOTE_MARK_ADDRS, ln.n) == 0)
			addrs = true;
		else if (!addrs && ln.n > 3 && memcmp(ln.s, "   ", 3) == 0 && l->n)
			ok = detail_line(ln, &l->v[l->n - 1]);
		else if (!addrs)
			add_adapter(l, ln, &ok);
		else
			ok = addr_line(ln, l);
	}
	if (!ok)
		adapter_list_free(l);
	return ok ? 0 : -1;
}
