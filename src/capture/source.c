/*
 * source.c - the kind-neutral half of source.h: dispatch to the ops of each kind, the BPF
 * compile, and the read loop. The kinds live in source_live.c, source_file.c and
 * posix/source_ssh.c (remote).
 */
#include "capture/source_int.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name_escape.h"
#include "capture/remote_cmd.h"
#include "capture/stream.h"

static const struct source_ops *ops_for(const struct source_opts *o)
{
	/* before the helper: a remote capture needs no local privilege */
	if ((o->kind == SOURCE_LIVE || o->kind == SOURCE_REMOTE) && remote_url_is(o->name))
		return &source_remote_ops;
	if (o->kind == SOURCE_LIVE)
		return source_helper_ops() ? source_helper_ops() : &source_live_ops;
	if (o->kind == SOURCE_STREAM || strcmp(o->name, "-") == 0)
		return &source_stream_ops;
	return &source_file_ops;
}

struct source *source_open(const struct source_opts *o, enum source_err *why, char *err)
{
	struct source *s = calloc(1, sizeof(*s));

	if (s == NULL || (s->name = strdup(o->name)) == NULL) {
		free(s);
		*why = SRC_ERR_OTHER;
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory opening a source");
		return NULL;
	}
	s->ops = ops_for(o);
	s->netmask = PCAP_NETMASK_UNKNOWN;
	s->track_pos = s->ops->kind == SOURCE_FILE && !o->no_pos;
	*why = s->ops->open(s, o, err);
	if (*why != SRC_OK) {
		source_close(s);
		return NULL;
	}
	return s;
}

void source_close(struct source *s)
{
	if (s == NULL)
		return;
	if (s->ops && s->ops->release)
		s->ops->release(s);
	if (s->user_filter)
		pcap_freecode(&s->prog);
	if (s->pcap != NULL)
		pcap_close(s->pcap);
	free(s->iobuf);
	free(s->name);
	free(s);
}

enum source_err source_set_filter(struct source *s, const char *expr, char *err)
{
	struct bpf_program prog;
	char ename[SOURCE_NAME_MAX];

	if (s->ops->install_expr)
		return s->ops->install_expr(s, expr, err);
	if (pcap_compile(s->pcap, &prog, expr, 1, s->netmask) < 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: bad filter '%s': %s",
		         name_escape(expr, ename, sizeof(ename)), pcap_geterr(s->pcap));
		return SRC_ERR_FILTER;
	}
	return s->ops->install(s, &prog, err);
}

static void fill_hdr(const struct source *s, const struct pcap_pkthdr *ph, struct pkt_hdr *h)
{
	int64_t sec = ph->ts.tv_sec;
	uint64_t frac = (uint64_t)(uint32_t)ph->ts.tv_usec, unit = s->nano ? 1000000000u : 1000000u;

	/* Classic pcap stores seconds as an unsigned 32-bit count (files reach 2106), but
	 * libpcap 1.10 hands them over through a signed 32-bit field: undo the sign. */
	if (sec < 0 && s->ops->kind != SOURCE_LIVE)
		sec = (int64_t)(uint32_t)sec;
	/* A lying file may carry a fraction of a second of a second or more: carry it. */
	sec += (int64_t)(frac / unit);
	frac %= unit;
	h->ts_sec = sec;
	h->ts_nsec = (uint32_t)(s->nano ? frac : frac * 1000u);
	h->caplen = ph->caplen;
	h->len = ph->len;
	h->ifidx = 0; /* the capture thread stamps its source's index */
	              /* h->pos was set by source_next before the read */
}

static int read_error(struct source *s, char *err)
{
	char ename[SOURCE_NAME_MAX];

	snprintf(err, SOURCE_ERRLEN, "capscope: error %s '%s' after %llu packets: %s", s->ops->verb,
	         name_escape(s->name, ename, sizeof(ename)), (unsigned long long)s->records,
	         pcap_geterr(s->pcap));
	s->end_status = SRC_ERR_READ;
	return -2;
}

int source_next(struct source *s, struct pkt_hdr *h, const uint8_t **data, char *err)
{
	struct pcap_pkthdr *ph;
	const u_char *d;
	int rc;

	if (s->ops->next)
		return s->ops->next(s, h, data, err);
	for (;;) {
		/* Where this record starts, so the UI can read it back later (pktfile.h). libpcap
		 * reads files through stdio, so the stream position is exact. */
		h->pos = s->track_pos ? stream_record_pos(pcap_file(s->pcap)) : PKT_POS_NONE;
		rc = pcap_next_ex(s->pcap, &ph, &d);
		if (rc == 0)
			return 0;
		if (rc < 0 && s->ops->end)
			return s->ops->end(s, rc, err);
		if (rc == PCAP_ERROR_BREAK)
			return -1;
		if (rc < 0)
			return read_error(s, err);
		s->records++;
		if (!s->user_filter || pcap_offline_filter(&s->prog, ph, d) != 0)
			break;
	}
	fill_hdr(s, ph, h);
	*data = d;
	return 1;
}

bool source_rereadable(struct source *s)
{
	return s->track_pos && stream_record_pos(pcap_file(s->pcap)) != UINT64_MAX;
}

void source_break(struct source *s)
{
	if (s->ops->wake)
		s->ops->wake(s);
	else
		pcap_breakloop(s->pcap);
}

enum source_err source_end_status(const struct source *s)
{
	return s->end_status == SRC_ERR_DISCONNECTED ? SRC_ERR_DISCONNECTED : SRC_ERR_READ;
}

enum source_kind source_kind(const struct source *s)
{
	return s->ops->kind;
}

const char *source_name(const struct source *s)
{
	return s->name;
}

int source_linktype(const struct source *s)
{
	return pcap_datalink(s->pcap);
}

int source_snaplen(const struct source *s)
{
	return pcap_snapshot(s->pcap);
}

int source_tsprec(const struct source *s)
{
	return s->tsprec;
}

const char *source_warning(const struct source *s)
{
	return s->warning[0] != '\0' ? s->warning : NULL;
}

bool source_stats(struct source *s, uint64_t *received, uint64_t *kernel_drops, uint64_t *if_drops)
{
	return s->ops->stats != NULL && s->ops->stats(s, received, kernel_drops, if_drops);
}

struct pcap *source_pcap(struct source *s)
{
	return s->pcap;
}
