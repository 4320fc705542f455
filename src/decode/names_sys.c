/*
 * names_sys.c - the system's name lists, read once and lazily: service names of ports
 * (/etc/services) and MAC vendor prefixes (the IEEE OUI list of Debian's ieee-data), and
 * the named endpoint text (names.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/addr.h"
#include "base/escape.h"
#include "decode/names.h"
#include "decode/print.h"

#define SERVICES_PATH "/etc/services"
#define SERVICES_MAX  8192
#define OUI_PATH      "/usr/share/ieee-data/oui.txt"
#define OUI_MAX       65536
#define VENDOR_SHORT  8 /* Wireshark's short vendor names are 8 characters at most */

struct service {
	uint16_t port;
	uint8_t tcp;
	uint16_t line; /* the first line listing a port/protocol wins */
	char name[21];
};

struct vendor {
	uint32_t oui;
	char name[VENDOR_SHORT + 1];
};

static struct service *services;
static size_t nservices;
static bool services_read;
static struct vendor *vendors;
static size_t nvendors;
static bool vendors_read;

static int service_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;

	if (x->port != y->port)
		return x->port < y->port ? -1 : 1;
	return (int)x->tcp - (int)y->tcp;
}

static int service_line_cmp(const void *a, const void *b)
{
	const struct service *x = a, *y = b;
	int c = service_cmp(a, b);

	return c ? c : (int)x->line - (int)y->line;
}

/* "name  port/proto  aliases # comment": the first name listed for a port/proto is kept. */
static void read_services(void)
{
	FILE *f = fopen(SERVICES_PATH, "r");
	char line[512], name[21], proto[8];
	unsigned port;

	services_read = true;
	if (!f)
		return;
	services = calloc(SERVICES_MAX, sizeof *services);
	while (services && nservices < SERVICES_MAX && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%20s %u/%7s", name, &port, proto) != 3 || name[0] == '#' ||
		    port > 65535 || (strcmp(proto, "tcp") != 0 && strcmp(proto, "udp") != 0))
			continue;
		services[nservices].port = (uint16_t)port;
		services[nservices].tcp = proto[0] == 't';
		services[nservices].line = (uint16_t)nservices;
		memcpy(services[nservices].name, name, sizeof name);
		nservices++;
	}
	fclose(f);
	if (!services)
		return;
	qsort(services, nservices, sizeof *services, service_line_cmp);
	size_t w = 0;
	for (size_t i = 0; i < nservices; i++) /* drop the later duplicates */
		if (w == 0 || service_cmp(&services[i], &services[w - 1]) != 0)
			services[w++] = services[i];
	nservices = w;
}

const char *names_port(uint16_t port, bool tcp)
{
	struct service key = {.port = port, .tcp = tcp};
	const struct service *s;

	if (!services_read)
		read_services();
	if (!services)
		return NULL;
	s = bsearch(&key, services, nservices, sizeof *services, service_cmp);
	return s ? s->name : NULL;
}

static int vendor_cmp(const void *a, const void *b)
{
	const struct vendor *x = a, *y = b;

	return x->oui < y->oui ? -1 : x->oui > y->oui;
}

/* "Intel Corporate" -> "IntelCor": the organisation's letters and digits, words run
 * together, cut at 8 as Wireshark's short names are. */
static void short_vendor(const char *org, char *out)
{
	size_t n = 0;

	for (; *org && *org != '\n' && *org != '\r' && n < VENDOR_SHORT; org++)
		if ((*org >= 'A' && *org <= 'Z') || (*org >= 'a' && *org <= 'z') ||
		    (*org >= '0' && *org <= '9'))
			out[n++] = *org;
	out[n] = '\0';
}

/* Lines "00-00-0C   (hex)\t\tCisco Systems, Inc". */
static void read_vendors(void)
{
	FILE *f = fopen(OUI_PATH, "r");
	char line[512];
	unsigned a, b, c;
	int off;

	vendors_read = true;
	if (!f)
		return;
	vendors = calloc(OUI_MAX, sizeof *vendors);
	while (vendors && nvendors < OUI_MAX && fgets(line, sizeof line, f)) {
		if (sscanf(line, "%2x-%2x-%2x (hex)%n", &a, &b, &c, &off) != 3 ||
		    !strstr(line, "(hex)"))
			continue;
		off = (int)(strstr(line, "(hex)") - line) + 5;
		while (line[off] == ' ' || line[off] == '\t')
			off++;
		vendors[nvendors].oui = a << 16 | b << 8 | c;
		short_vendor(line + off, vendors[nvendors].name);
		if (vendors[nvendors].name[0])
			nvendors++;
	}
	fclose(f);
	if (vendors)
		qsort(vendors, nvendors, sizeof *vendors, vendor_cmp);
}

size_t names_vendor(const uint8_t mac[6], char *out)
{
	struct vendor key = {.oui = (uint32_t)mac[0] << 16 | mac[1] << 8 | mac[2]};
	const struct vendor *v;

	out[0] = '\0';
	if (!vendors_read)
		read_vendors();
	if (!vendors || !(v = bsearch(&key, vendors, nvendors, sizeof *vendors, vendor_cmp)))
		return 0;
	return (size_t)snprintf(out, NAMES_VENDOR_MAX, "%s_%02x:%02x:%02x", v->name, mac[3], mac[4],
	                        mac[5]);
}

size_t names_endpoint(struct names *t, const struct summary *s, bool source, char *out)
{
	const uint8_t *a = source ? s->src : s->dst;
	size_t alen = s->net == P_IPV4 ? 4 : s->net == P_IPV6 ? 16 : 0;
	size_t n = 0, nlen;
	const char *name = alen ? names_get(t, a, alen, &nlen) : NULL;
	const char *svc;

	if (!s->has_addrs) {
		out[0] = '\0';
		return 0;
	}
	if (name) /* room for "." and a service name; esc_str never cuts an escape */
		n = esc_str(out, ENDPOINT_MAX - (s->has_ports ? 22 : 0), (const uint8_t *)name,
		            nlen);
	else if (alen == 4)
		n = addr_ipv4_text(out, a);
	else if (alen == 16)
		n = addr_ipv6_text(out, a);
	else if ((n = names_vendor(a, out)) == 0)
		n = addr_mac_text(out, a);
	if (s->has_ports) {
		uint16_t port = source ? s->sport : s->dport;
		out[n++] = '.';
		svc = names_port(port, s->transport == P_TCP);
		if (svc) { /* cut to fit: an IPv6 address (45) and a long service name (20) */
			size_t sl = strnlen(svc, 20);
			if (sl > ENDPOINT_MAX - 1 - n)
				sl = ENDPOINT_MAX - 1 - n;
			memcpy(out + n, svc, sl);
			n += sl;
		} else {
			n += addr_u64_text(out + n, port);
		}
	}
	out[n] = '\0';
	return n;
}
