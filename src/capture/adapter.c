/*
 * adapter.c - a deep copy of pcap_findalldevs()'s list (names, flags, every address with its
 * netmask, broadcast and destination), and address text through base/addr.h.
 */
#include "capture/adapter.h"
#include "base/addr.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/privsep.h"
#include "capture/sockaddr.h"
#ifdef _WIN32
#include "base/escape.h"
#endif
#include "platform/os.h"

static unsigned map_flags(bpf_u_int32 f)
{
	return (f & PCAP_IF_LOOPBACK ? AD_LOOPBACK : 0) | (f & PCAP_IF_UP ? AD_UP : 0) |
	       (f & PCAP_IF_RUNNING ? AD_RUNNING : 0) | (f & PCAP_IF_WIRELESS ? AD_WIRELESS : 0);
}

static enum adapter_conn map_conn(bpf_u_int32 f)
{
	switch (f & PCAP_IF_CONNECTION_STATUS) {
	case PCAP_IF_CONNECTION_STATUS_CONNECTED:
		return AD_CONN_CONNECTED;
	case PCAP_IF_CONNECTION_STATUS_DISCONNECTED:
		return AD_CONN_DISCONNECTED;
	case PCAP_IF_CONNECTION_STATUS_NOT_APPLICABLE:
		return AD_CONN_NA;
	default:
		return AD_CONN_UNKNOWN;
	}
}

/* The masks and peers count only when they are of the address's own family. */
static void copy_addr(const pcap_addr_t *pa, struct adapter_addr *out)
{
	memset(out, 0, sizeof(*out));
	out->family = sa_to_addr(pa->addr, out->addr);
	if (out->family == 0)
		return;
	out->has_netmask = sa_to_addr(pa->netmask, out->netmask) == out->family;
	out->has_broadcast = sa_to_addr(pa->broadaddr, out->broadcast) == out->family;
	out->has_dest = sa_to_addr(pa->dstaddr, out->dest) == out->family;
}

static int copy_adapter(const pcap_if_t *d, struct adapter *a)
{
	const pcap_addr_t *pa;
	size_t n = 0;

	a->name = strdup(d->name);
	a->description = d->description ? strdup(d->description) : NULL;
	a->flags = map_flags(d->flags);
	a->conn = map_conn(d->flags);
	a->linktype = -1;
	for (pa = d->addresses; pa != NULL; pa = pa->next)
		n++;
	a->addrs = n ? calloc(n, sizeof(*a->addrs)) : NULL;
	if (a->name == NULL || (d->description && a->description == NULL) || (n && !a->addrs))
		return -1;
	for (pa = d->addresses; pa != NULL; pa = pa->next)
		copy_addr(pa, &a->addrs[a->naddrs++]);
	return 0;
}

static int copy_list(const pcap_if_t *all, struct adapter_list *l)
{
	const pcap_if_t *d;
	size_t n = 0;

	for (d = all; d != NULL; d = d->next)
		n++;
	l->v = n ? calloc(n, sizeof(*l->v)) : NULL;
	if (n && l->v == NULL)
		return -1;
	for (d = all; d != NULL; d = d->next)
		if (copy_adapter(d, &l->v[l->n++]) != 0)
			return -1;
	return 0;
}

int adapter_list_load(struct adapter_list *l, char *err, size_t errlen)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	pcap_if_t *all;
	int rc;

	if (privsep_active())
		return privsep_adapters(l, err, errlen);
	memset(l, 0, sizeof(*l));
	if (pcap_findalldevs(&all, ebuf) != 0) {
		snprintf(err, errlen, "capscope: cannot list adapters: %s; %s", ebuf,
		         os_capture_permission_hint());
		return -1;
	}
	rc = copy_list(all, l);
	pcap_freealldevs(all);
	if (rc != 0) {
		adapter_list_free(l);
		snprintf(err, errlen, "capscope: out of memory listing adapters");
	}
	return rc;
}

void adapter_list_free(struct adapter_list *l)
{
	size_t i;

	for (i = 0; i < l->n; i++) {
		free(l->v[i].name);
		free(l->v[i].description);
		free(l->v[i].addrs);
	}
	free(l->v);
	memset(l, 0, sizeof(*l));
}

/* 1..n for a string of digits that names an entry, else 0. */
static size_t parse_number(const char *s, size_t n)
{
	size_t v = 0;

	if (*s == '\0')
		return 0;
	for (; *s != '\0'; s++) {
		if (*s < '0' || *s > '9' || v > n)
			return 0;
		v = v * 10 + (size_t)(*s - '0');
	}
	return v <= n ? v : 0;
}

const struct adapter *adapter_find(const struct adapter_list *l, const char *name_or_number)
{
	size_t i, num;

	for (i = 0; i < l->n; i++)
		if (strcmp(l->v[i].name, name_or_number) == 0)
			return &l->v[i];
	num = parse_number(name_or_number, l->n);
#ifdef _WIN32
	/* Npcap's names are GUIDs (\Device\NPF_{...}): the name as -D prints it (escaped:
	 * each backslash doubled) and the description (what -D and the picker show) name an
	 * adapter too, the description when exactly one has it. */
	if (num == 0) {
		const struct adapter *found = NULL;
		char esc[512];

		for (i = 0; i < l->n; i++)
			if (strcmp(esc_cstr(esc, sizeof esc, l->v[i].name), name_or_number) == 0)
				return &l->v[i];
		for (i = 0; i < l->n; i++)
			if (l->v[i].description &&
			    strcmp(l->v[i].description, name_or_number) == 0) {
				if (found)
					return NULL;
				found = &l->v[i];
			}
		return found;
	}
#endif
	return num != 0 ? &l->v[num - 1] : NULL;
}

bool adapter_person_label(const char *name, char *out, size_t n)
{
#ifdef _WIN32
	struct adapter_list l;
	const struct adapter *a;
	char err[256];
	bool found;

	if (adapter_list_load(&l, err, sizeof err) != 0)
		return false;
	a = adapter_find(&l, name);
	found = a && a->description;
	if (found)
		snprintf(out, n, "%s", a->description);
	adapter_list_free(&l);
	return found;
#else
	(void)name;
	(void)out;
	(void)n;
	return false;
#endif
}

uint32_t adapter_ipv4_netmask(const struct adapter *a)
{
	uint32_t mask;
	size_t i;

	for (i = 0; i < a->naddrs; i++) {
		if (a->addrs[i].family == 4 && a->addrs[i].has_netmask) {
			memcpy(&mask, a->addrs[i].netmask, 4); /* bytes stay in network order */
			return mask;
		}
	}
	return 0;
}

const char *adapter_conn_name(enum adapter_conn c)
{
	switch (c) {
	case AD_CONN_CONNECTED:
		return "connected";
	case AD_CONN_DISCONNECTED:
		return "disconnected";
	case AD_CONN_NA:
		return "not applicable";
	default:
		return "unknown";
	}
}

int adapter_linktype(const char *name)
{
	char ebuf[PCAP_ERRBUF_SIZE];
	pcap_t *p;
	int dlt;

	if (privsep_active())
		return privsep_linktype(name);
	p = pcap_open_live(name, 64, 0, 1, ebuf);
	if (p == NULL)
		return -1;
	dlt = pcap_datalink(p);
	pcap_close(p);
	return dlt;
}

void adapter_addr_text(int family, const uint8_t *addr, char *buf, size_t n)
{
	char t[ADDR_TEXT_MAX] = "";

	if (n == 0)
		return;
	if (family == 4)
		addr_ipv4_text(t, addr);
	else if (family == 6)
		addr_ipv6_text(t, addr);
	snprintf(buf, n, "%s", t);
}
