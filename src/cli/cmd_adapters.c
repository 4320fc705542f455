/* cmd_adapters.c - capscope -D: every adapter with flags, link type and addresses, as text
 * or as one JSON document; -D ssh://HOST: that host's, each with the address that captures
 * on it ("remote": ssh://HOST/NAME). Names and descriptions come from the system (or the far
 * side): escaped. */
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "capture/adapter.h"
#include "capture/pcapinfo.h"
#include "capture/remote_list.h"
#include "cli/commands.h"
#include "base/escape.h"
#include "decode/outbuf.h"
#include "decode/print.h"
#include "platform/os.h"

#define ESC_MAX 1024

static const struct {
	unsigned flag;
	const char *name;
} flag_names[] = {
    {AD_UP, "up"},
    {AD_RUNNING, "running"},
    {AD_LOOPBACK, "loopback"},
    {AD_WIRELESS, "wireless"},
};

static void text_flags(const struct adapter *a)
{
	const char *sep = "";

	printf("   flags:");
	for (size_t i = 0; i < sizeof flag_names / sizeof flag_names[0]; i++)
		if (a->flags & flag_names[i].flag) {
			printf("%s %s", sep, flag_names[i].name);
			sep = ",";
		}
	printf("%s %s\n", sep, adapter_conn_name(a->conn));
}

static void text_addr(const struct adapter_addr *ad)
{
	char t[64];
	int fam = ad->family;

	if (fam != 4 && fam != 6)
		return;
	adapter_addr_text(fam, ad->addr, t, sizeof t);
	printf("   %s %s", fam == 4 ? "inet" : "inet6", t);
	if (ad->has_netmask) {
		adapter_addr_text(fam, ad->netmask, t, sizeof t);
		printf("  netmask %s", t);
	}
	if (ad->has_broadcast) {
		adapter_addr_text(fam, ad->broadcast, t, sizeof t);
		printf("  broadcast %s", t);
	}
	if (ad->has_dest) {
		adapter_addr_text(fam, ad->dest, t, sizeof t);
		printf("  destination %s", t);
	}
	printf("\n");
}

/* "ssh://HOST/NAME" for an adapter of -D ssh://HOST (a trailing '/' in it dropped). */
static void remote_name(const char *host, const struct adapter *a, char *out, size_t n)
{
	size_t h = strlen(host);

	while (h > 0 && host[h - 1] == '/')
		h--;
	snprintf(out, n, "%.*s/%s", (int)h, host, a->name);
}

static void text_adapter(size_t i, const struct adapter *a, int dlt, const char *host)
{
	char name[ESC_MAX], desc[ESC_MAX], url[ESC_MAX];

	printf("%zu. %s (%s)\n", i + 1, esc_cstr(name, sizeof name, a->name),
	       a->description ? esc_cstr(desc, sizeof desc, a->description)
	                      : "No description available");
	text_flags(a);
	printf("   link type: %s\n", dlt >= 0 ? pcapinfo_linktype_name(dlt) : "unknown");
	if (host) {
		remote_name(host, a, url, sizeof url);
		printf("   remote: %s\n", esc_cstr(name, sizeof name, url));
	}
	for (size_t k = 0; k < a->naddrs; k++)
		text_addr(&a->addrs[k]);
}

static void json_text(struct outbuf *ob, const char *s)
{
	char esc[ESC_MAX];
	size_t n = esc_str(esc, sizeof esc, (const uint8_t *)s, strlen(s));

	json_str(ob, esc, n);
}

static void json_addr_member(struct outbuf *ob, const char *key, bool has, int fam,
                             const uint8_t *a)
{
	char t[64];

	ob_str(ob, ",\"");
	ob_str(ob, key);
	ob_str(ob, "\":");
	if (!has) {
		ob_str(ob, "null");
		return;
	}
	adapter_addr_text(fam, a, t, sizeof t);
	json_text(ob, t);
}

static void json_addr(struct outbuf *ob, const struct adapter_addr *ad, bool first)
{
	int fam = ad->family;

	ob_str(ob, first ? "{" : ",{");
	ob_str(ob, fam == 4   ? "\"family\":\"ipv4\""
	           : fam == 6 ? "\"family\":\"ipv6\""
	                      : "\"family\":\"other\"");
	json_addr_member(ob, "address", fam == 4 || fam == 6, fam, ad->addr);
	json_addr_member(ob, "netmask", ad->has_netmask, fam, ad->netmask);
	json_addr_member(ob, "broadcast", ad->has_broadcast, fam, ad->broadcast);
	json_addr_member(ob, "destination", ad->has_dest, fam, ad->dest);
	ob_char(ob, '}');
}

static void json_adapter(struct outbuf *ob, size_t i, const struct adapter *a, int dlt,
                         const char *host)
{
	char url[ESC_MAX];

	ob_str(ob, i ? ",{\"number\":" : "{\"number\":");
	ob_u64(ob, i + 1);
	ob_str(ob, ",\"name\":");
	json_text(ob, a->name);
	ob_str(ob, ",\"description\":");
	if (a->description)
		json_text(ob, a->description);
	else
		ob_str(ob, "null");
	ob_str(ob, ",\"flags\":[");
	const char *sep = "";
	for (size_t k = 0; k < sizeof flag_names / sizeof flag_names[0]; k++)
		if (a->flags & flag_names[k].flag) {
			ob_str(ob, sep);
			json_text(ob, flag_names[k].name);
			sep = ",";
		}
	ob_str(ob, "],\"connection\":");
	json_text(ob, adapter_conn_name(a->conn));
	ob_str(ob, ",\"linktype\":");
	if (dlt >= 0)
		json_text(ob, pcapinfo_linktype_name(dlt));
	else
		ob_str(ob, "null");
	if (host) {
		remote_name(host, a, url, sizeof url);
		ob_str(ob, ",\"remote\":");
		json_text(ob, url);
	}
	ob_str(ob, ",\"addresses\":[");
	for (size_t k = 0; k < a->naddrs; k++)
		json_addr(ob, &a->addrs[k], k == 0);
	ob_str(ob, "]}");
}

static int no_adapters(void)
{
	if (!os_is_privileged())
		fprintf(stderr, "capscope: no adapters found: capturing needs privileges; %s\n",
		        os_capture_permission_hint());
	else
		fprintf(stderr, "capscope: no adapters found: no capture driver or no network "
		                "interfaces are available on this system\n");
	return 1;
}

int cmd_list_adapters(const struct cli_opts *o)
{
	static struct outbuf ob;
	struct adapter_list l;
	char err[512];

	int rc = o->remote_list
	             ? remote_adapters_load(o->remote_list, o->remote_sudo, &l, err, sizeof err)
	             : adapter_list_load(&l, err, sizeof err);

	if (rc < 0) {
		cli_error(err);
		return 1;
	}
	if (l.n == 0) {
		adapter_list_free(&l);
		if (o->remote_list) {
			cli_error(
			    "capscope: the remote host listed no adapters (tcpdump -D there)");
			return 1;
		}
		return no_adapters();
	}
	ob_init(&ob, stdout);
	if (o->json)
		ob_str(&ob, "{\"adapters\":[");
	for (size_t i = 0; i < l.n; i++) {
		/* a remote adapter's name must not open a local one of that name */
		int dlt = o->remote_list ? -1 : adapter_linktype(l.v[i].name);
		if (o->json)
			json_adapter(&ob, i, &l.v[i], dlt, o->remote_list);
		else {
			ob_flush(&ob);
			text_adapter(i, &l.v[i], dlt, o->remote_list);
		}
	}
	if (o->json)
		ob_str(&ob, "]}\n");
	ob_flush(&ob);
	adapter_list_free(&l);
	return 0;
}
