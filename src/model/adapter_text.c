/* adapter_text.c - adapter facts as text for the picker (see adapter_text.h). */
#include "model/adapter_text.h"

#include "capture/pcapinfo.h"

#include <stdio.h>

static bool ip_family(const struct adapter_addr *ad)
{
	return ad->family == 4 || ad->family == 6;
}

const char *adapter_text_flags(unsigned flags, bool brief, char *buf, size_t n)
{
	static const struct {
		unsigned flag;
		const char *name, *brief;
	} names[] = {{AD_UP, "up", "up"},
	             {AD_RUNNING, "running", "run"},
	             {AD_LOOPBACK, "loopback", "loop"},
	             {AD_WIRELESS, "wireless", "wifi"}};
	size_t o = 0;

	buf[0] = '\0';
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++) {
		if (!(flags & names[i].flag) || o >= n)
			continue;
		int k = snprintf(buf + o, n - o, "%s%s", o ? (brief ? "," : ", ") : "",
		                 brief ? names[i].brief : names[i].name);
		o += k > 0 ? (size_t)k : 0;
	}
	if (!buf[0])
		snprintf(buf, n, "down");
	return buf;
}

size_t adapter_text_ip_count(const struct adapter *ad)
{
	size_t n = 0;

	for (size_t k = 0; k < ad->naddrs; k++)
		n += ip_family(&ad->addrs[k]);
	return n;
}

const struct adapter_addr *adapter_text_ip(const struct adapter *ad, size_t k)
{
	for (size_t i = 0; i < ad->naddrs; i++)
		if (ip_family(&ad->addrs[i]) && k-- == 0)
			return &ad->addrs[i];
	return NULL;
}

const char *adapter_text_first(const struct adapter *ad, char *buf, size_t n)
{
	for (int fam = 4; fam <= 6; fam += 2)
		for (size_t k = 0; k < ad->naddrs; k++)
			if (ad->addrs[k].family == fam) {
				adapter_addr_text(fam, ad->addrs[k].addr, buf, n);
				return buf;
			}
	return "-";
}

const char *adapter_text_addr(const struct adapter_addr *ad, char *buf, size_t n)
{
	char t[4][64];
	int fam = ad->family;

	adapter_addr_text(fam, ad->addr, t[0], sizeof t[0]);
	adapter_addr_text(fam, ad->netmask, t[1], sizeof t[1]);
	adapter_addr_text(fam, ad->broadcast, t[2], sizeof t[2]);
	adapter_addr_text(fam, ad->dest, t[3], sizeof t[3]);
	snprintf(buf, n, "%-6s%s%s%s%s%s%s%s", fam == 4 ? "inet" : "inet6", t[0],
	         ad->has_netmask ? "  netmask " : "", ad->has_netmask ? t[1] : "",
	         ad->has_broadcast ? "  broadcast " : "", ad->has_broadcast ? t[2] : "",
	         ad->has_dest ? "  destination " : "", ad->has_dest ? t[3] : "");
	return buf;
}

const char *adapter_text_rate(double pps, char *buf, size_t n)
{
	if (pps < 0)
		snprintf(buf, n, "%s", "");
	else if (pps < 10000)
		snprintf(buf, n, "%.0f", pps);
	else if (pps < 1e7)
		snprintf(buf, n, "%.0fk", pps / 1e3);
	else
		snprintf(buf, n, "%.0fM", pps / 1e6);
	return buf;
}

const char *adapter_text_link(int dlt, const char *none)
{
	return dlt >= 0 ? pcapinfo_linktype_name(dlt) : none;
}

const char *adapter_text_conn(enum adapter_conn c)
{
	return adapter_conn_name(c);
}
