/* adapter_probe.c - a brief activation of the first adapter (see adapter_probe.h). */
#include "capture/adapter_probe.h"

#include <pcap/pcap.h>
#include <stdio.h>

#include "base/escape.h"
#include "capture/privsep.h"

static bool probe(const char *name, char *why, size_t n)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "", esc[PCAP_ERRBUF_SIZE * 4], ename[256];
	pcap_t *p = pcap_create(name, ebuf);
	int rc;

	if (!p) {
		snprintf(why, n, "%s", esc_cstr(esc, sizeof esc, ebuf));
		return false;
	}
	pcap_set_snaplen(p, 64);
	pcap_set_timeout(p, 1);
	rc = pcap_activate(p);
	if (rc == PCAP_ERROR_PERM_DENIED)
		snprintf(why, n, "This user may not capture packets (%s: %s).",
		         esc_cstr(ename, sizeof ename, name),
		         esc_cstr(esc, sizeof esc, pcap_geterr(p)));
	pcap_close(p);
	return rc != PCAP_ERROR_PERM_DENIED;
}

bool adapter_can_capture(char *why, size_t n)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "", esc[PCAP_ERRBUF_SIZE * 4];
	pcap_if_t *all = NULL;
	bool ok;

	if (privsep_active())
		return privsep_can_capture(why, n);
	if (pcap_findalldevs(&all, ebuf) != 0) {
		snprintf(why, n, "cannot list adapters: %s", esc_cstr(esc, sizeof esc, ebuf));
		return false;
	}
	if (!all) {
		snprintf(why, n, "no capture adapters were found");
		return false;
	}
	ok = probe(all->name, why, n);
	pcap_freealldevs(all);
	return ok;
}
