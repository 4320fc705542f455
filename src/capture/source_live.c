/*
 * source_live.c - capture from an adapter: pcap_create, the options, pcap_activate, and
 * libpcap's typed errors turned into advice (which adapters exist, which permission).
 * Filters run in the kernel.
 */
#include "capture/source_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/adapter.h"
#include "base/name_escape.h"
#include "platform/os.h"

/* "no such adapter 'x'; available: a, b, c", cut to fit err. */
static enum source_err nodev(const struct source *s, const struct adapter_list *l, char *err)
{
	char ename[SOURCE_NAME_MAX];
	size_t i, o;

	o = (size_t)snprintf(err, SOURCE_ERRLEN, "no such adapter '%s'; available:",
	                     name_escape(s->name, ename, sizeof(ename)));
	for (i = 0; i < l->n && o < SOURCE_ERRLEN; i++)
		o += (size_t)snprintf(err + o, SOURCE_ERRLEN - o, "%s %s", i ? "," : "",
		                      name_escape(l->v[i].name, ename, sizeof(ename)));
	if (l->n == 0)
		snprintf(err + o, SOURCE_ERRLEN - o, " none (capscope -D lists adapters)");
	return SRC_ERR_NODEV;
}

/* libpcap's own words for a failed call, or the generic text for the code. */
static const char *pcap_reason(pcap_t *p, int rc)
{
	const char *msg = pcap_geterr(p);

	return msg != NULL && msg[0] != '\0' ? msg : pcap_statustostr(rc);
}

static enum source_err activate_error(const struct source *s, int rc, char *err)
{
	char ename[SOURCE_NAME_MAX];
	const char *name = name_escape(s->name, ename, sizeof(ename));

	switch (rc) {
	case PCAP_ERROR_NO_SUCH_DEVICE:
		return SRC_ERR_NODEV;
	case PCAP_ERROR_PERM_DENIED:
	case PCAP_ERROR_PROMISC_PERM_DENIED:
		snprintf(err, SOURCE_ERRLEN, "capscope: no permission to capture on '%s' (%s): %s",
		         name, pcap_reason(s->pcap, rc), os_capture_permission_hint());
		return SRC_ERR_PERM;
	case PCAP_ERROR_IFACE_NOT_UP:
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: adapter '%s' is down: bring it up first (%s)", name,
		         pcap_reason(s->pcap, rc));
		return SRC_ERR_OTHER;
	default:
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot capture on '%s': %s", name,
		         pcap_reason(s->pcap, rc));
		return SRC_ERR_OTHER;
	}
}

static void set_options(pcap_t *p, const struct source_opts *o)
{
	pcap_set_snaplen(p, o->snaplen > 0 ? o->snaplen : SOURCE_DEFAULT_SNAPLEN);
	pcap_set_promisc(p, o->promisc);
	pcap_set_timeout(p, o->timeout_ms > 0 ? o->timeout_ms : SOURCE_DEFAULT_TIMEOUT_MS);
	pcap_set_buffer_size(p, (o->buffer_kib > 0 ? o->buffer_kib : SOURCE_DEFAULT_BUFFER_KIB) *
	                            1024);
	pcap_set_immediate_mode(p, o->immediate);
	/* Not every platform has nanosecond stamps; microseconds are then used. */
	pcap_set_tstamp_precision(p, PCAP_TSTAMP_PRECISION_NANO);
}

static enum source_err activate(struct source *s, const struct source_opts *o, char *err)
{
	char ebuf[PCAP_ERRBUF_SIZE] = "";
	char ename[SOURCE_NAME_MAX];
	int rc;

	s->pcap = pcap_create(s->name, ebuf);
	if (s->pcap == NULL) {
		snprintf(err, SOURCE_ERRLEN, "capscope: cannot open adapter '%s': %s",
		         name_escape(s->name, ename, sizeof(ename)), ebuf);
		return SRC_ERR_OTHER;
	}
	set_options(s->pcap, o);
	rc = pcap_activate(s->pcap);
	if (rc < 0)
		return activate_error(s, rc, err);
	if (rc > 0) /* PCAP_WARNING_*: the capture works; kept for source_warning() */
		snprintf(s->warning, sizeof(s->warning), "%s", pcap_reason(s->pcap, rc));
	s->nano = pcap_get_tstamp_precision(s->pcap) == PCAP_TSTAMP_PRECISION_NANO;
	s->tsprec = s->nano ? 9 : 6;
	return SRC_OK;
}

/* Takes the adapter's real name (the user may have given its number from -D) and mask. */
static int adopt(struct source *s, const struct adapter *a)
{
	char *name = strdup(a->name);
	uint32_t mask = adapter_ipv4_netmask(a);

	if (name == NULL)
		return -1;
	free(s->name);
	s->name = name;
	s->netmask = mask != 0 ? mask : PCAP_NETMASK_UNKNOWN;
	return 0;
}

static enum source_err live_open(struct source *s, const struct source_opts *o, char *err)
{
	struct adapter_list l = {0};
	char lerr[SOURCE_ERRLEN];
	bool listed = adapter_list_load(&l, lerr, sizeof(lerr)) == 0;
	const struct adapter *a = listed ? adapter_find(&l, o->name) : NULL;
	enum source_err e;

	if (a != NULL && adopt(s, a) != 0) {
		adapter_list_free(&l);
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory opening an adapter");
		return SRC_ERR_OTHER;
	}
	e = activate(s, o, err);
	/* An unlisted name that fails to open is reported as unknown whatever libpcap said
	 * (without privileges it says "permission denied" before it looks at the name). */
	if (e == SRC_ERR_NODEV || (e != SRC_OK && listed && a == NULL))
		e = nodev(s, &l, err);
	adapter_list_free(&l);
	return e;
}

static enum source_err live_install(struct source *s, struct bpf_program *prog, char *err)
{
	char ename[SOURCE_NAME_MAX];
	int rc = pcap_setfilter(s->pcap, prog);

	pcap_freecode(prog);
	if (rc == 0)
		return SRC_OK;
	snprintf(err, SOURCE_ERRLEN, "capscope: cannot install the filter on '%s': %s",
	         name_escape(s->name, ename, sizeof(ename)), pcap_geterr(s->pcap));
	return SRC_ERR_FILTER;
}

static bool live_stats(struct source *s, uint64_t *recv, uint64_t *drop, uint64_t *ifdrop)
{
	struct pcap_stat ps;

	if (pcap_stats(s->pcap, &ps) != 0)
		return false;
	*recv = ps.ps_recv;
	*drop = ps.ps_drop;
	*ifdrop = ps.ps_ifdrop;
	return true;
}

const struct source_ops source_live_ops = {
    .kind = SOURCE_LIVE,
    .verb = "capturing on",
    .open = live_open,
    .install = live_install,
    .stats = live_stats,
};
