/*
 * source_ssh.c - the remote source (source.h, SOURCE_REMOTE): ssh runs the far command
 * (remote_cmd.h) and its stdout, a pcap stream, is read in large blocks and parsed in place
 * (remote_stream.h; libpcap only compiles the filter, on a dead handle). The read waits on a
 * wake-up pipe beside the data, so a stop ends a read blocked on an idle link. The end of
 * the stream, unless asked for, is a disconnection: ssh is reaped and what it said becomes
 * the message (remote_explain.h).
 * Threads: as source.h; wake from any thread.
 */
#define _GNU_SOURCE
#include "capture/source_int.h"

#include <fcntl.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "base/escape.h"
#include "capture/remote_cmd.h"
#include "capture/remote_explain.h"
#include "capture/remote_request.h"
#include "capture/remote_stream.h"
#include "capture/ssh_proc.h"

#define REAP_AFTER_END_MS  2000
#define REAP_AFTER_FAIL_MS 1000

struct rsrc {
	struct ssh_proc *proc;
	struct remote_url url;
	char label[600]; /* ssh://[user@]host[:port]/ADAPTER, escaped, for messages */
	int wake[2];
	_Atomic bool stopping;
	struct remote_stream *rs;
	bool nano; /* the stream's fractions are nanoseconds */
};

static void make_label(struct rsrc *r)
{
	char host[400], ad[300];

	remote_url_host_text(&r->url, host, sizeof host);
	esc_cstr(ad, sizeof ad, r->url.adapter);
	esc_cstr(r->label, sizeof r->label, host);
	snprintf(r->label + strlen(r->label), sizeof r->label - strlen(r->label), "/%s", ad);
}

static enum source_err start_ssh(struct rsrc *r, const struct source_opts *o, char *err)
{
	struct remote_request rq = {
	    .what = REMOTE_WHAT_CAPTURE,
	    .url = o->name,
	    .cap = {o->remote_filter, o->snaplen, o->promisc, o->immediate, o->remote_sudo},
	};

	r->proc =
	    ssh_proc_start_remote(&rq, r->label, ssh_proc_start_timeout_ms(), err, SOURCE_ERRLEN);
	return r->proc ? SRC_OK : SRC_ERR_OTHER;
}

/* Opening failed after ssh started: the far side's words first, else libpcap's. */
static enum source_err open_failed(struct rsrc *r, const char *pcap_reason, char *err)
{
	int status = ssh_proc_finish(r->proc, REAP_AFTER_FAIL_MS);
	const char *text = ssh_proc_stderr(r->proc);
	char line[SOURCE_ERRLEN], last[900];
	enum source_err code;

	if (ssh_proc_timed_out(r->proc)) {
		remote_last_line(text, last, sizeof last);
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: %.200s: no capture came within %d s (set"
		         " CAPSCOPE_REMOTE_TIMEOUT to wait longer)%s%.150s",
		         r->label, ssh_proc_start_timeout_ms() / 1000,
		         last[0] ? "; the far side said: " : "", last);
		return SRC_ERR_OTHER;
	}
	if (remote_classify(text) != RW_OTHER || !pcap_reason[0]) {
		code = remote_explain(r->label, r->url.adapter, text, status, line, sizeof line);
		snprintf(err, SOURCE_ERRLEN, "capscope: %.490s", line);
		return code;
	}
	remote_last_line(text, last, sizeof last);
	esc_cstr(line, sizeof line, pcap_reason);
	snprintf(err, SOURCE_ERRLEN,
	         "capscope: %.200s: the far side sent no pcap capture (%.100s)%s%.150s", r->label,
	         line, last[0] ? "; it said: " : "", last);
	return SRC_ERR_FILE;
}

/* The stream's header: its link type and snap length describe the packets (a dead libpcap
 * handle, for the filter's compile); the precision is the stream's own. */
static enum source_err open_stream(struct source *s, struct rsrc *r, char *err)
{
	struct pcaprec_file pr;
	char e[200] = "";
	int rc;

	r->rs = remote_stream_open(ssh_proc_take_stdout(r->proc), r->wake[0]);
	if (!r->rs)
		return open_failed(r, "out of memory", err);
	rc = remote_stream_header(r->rs, &pr, e, sizeof e);
	if (rc <= 0)
		return open_failed(r, rc < 0 ? e : "", err);
	s->pcap = pcap_open_dead_with_tstamp_precision(
	    (int)pr.linktype,
	    (int)(pr.snaplen && pr.snaplen < PCAPREC_MAX_CAPLEN ? pr.snaplen : PCAPREC_MAX_CAPLEN),
	    PCAP_TSTAMP_PRECISION_NANO);
	if (!s->pcap)
		return open_failed(r, "out of memory", err);
	r->nano = pr.nano;
	s->nano = true;
	s->tsprec = pr.nano ? 9 : 6;
	ssh_proc_started(r->proc);
	return SRC_OK;
}

static enum source_err remote_open(struct source *s, const struct source_opts *o, char *err)
{
	struct rsrc *r = calloc(1, sizeof *r);
	char e[300];
	enum source_err code;

	if (!r || pipe2(r->wake, O_CLOEXEC | O_NONBLOCK) < 0) {
		free(r);
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: cannot open a remote source (no memory or"
		         " no pipe)");
		return SRC_ERR_OTHER;
	}
	s->priv = r;
	if (remote_url_parse(o->name, true, &r->url, e, sizeof e) < 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: %s", e);
		return SRC_ERR_NODEV;
	}
	make_label(r);
	code = start_ssh(r, o, err);
	return code == SRC_OK ? open_stream(s, r, err) : code;
}

/* The stream ended (rc 0) or is damaged (rc -1, reason says how): a stop asked for, a
 * record longer than any, or the link gone (with a record cut or not). */
static int remote_end(struct source *s, int rc, const char *reason, char *err)
{
	struct rsrc *r = s->priv;
	char why[SOURCE_ERRLEN], esc[300];
	int status;

	if (atomic_load(&r->stopping))
		return -1;
	status = ssh_proc_finish(r->proc, rc < 0 ? 0 : REAP_AFTER_END_MS);
	if (rc < 0) {
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: %.200s sent a damaged capture after %llu packets:"
		         " %.200s",
		         r->label, (unsigned long long)s->records,
		         esc_cstr(esc, sizeof esc, reason));
		s->end_status = SRC_ERR_READ;
		return -2;
	}
	remote_explain(r->label, r->url.adapter, ssh_proc_stderr(r->proc), status, why, sizeof why);
	snprintf(err, SOURCE_ERRLEN, "capscope: disconnected after %llu packets from %.450s",
	         (unsigned long long)s->records, why);
	s->end_status = SRC_ERR_DISCONNECTED;
	return -2;
}

/* The record's time: seconds unsigned (to 2106), a fraction of a second or more (a lying
 * stream) carried into them. */
static void record_hdr(const struct rsrc *r, const struct pcaprec *rec, struct pkt_hdr *h)
{
	uint32_t unit = r->nano ? 1000000000u : 1000000u;

	h->ts_sec = (int64_t)rec->sec + rec->frac / unit;
	h->ts_nsec = (rec->frac % unit) * (r->nano ? 1u : 1000u);
	h->caplen = rec->caplen;
	h->len = rec->len;
	h->ifidx = 0; /* the capture thread stamps its source's index */
	h->pos = PKT_POS_NONE;
}

/* source_next() for the remote source: the next record that passes the user's filter. */
static int remote_next(struct source *s, struct pkt_hdr *h, const uint8_t **data, char *err)
{
	struct rsrc *r = s->priv;
	struct pcaprec rec;
	struct pcap_pkthdr ph = {0};
	char e[200];
	int rc;

	for (;;) {
		rc = remote_stream_next(r->rs, &rec, e, sizeof e);
		if (rc == REMOTE_STREAM_IDLE)
			return 0; /* nothing now: the capture thread wakes the consumer */
		if (rc <= 0)
			return remote_end(s, rc, e, err);
		s->records++;
		ph.caplen = rec.caplen;
		ph.len = rec.len;
		if (!s->user_filter || pcap_offline_filter(&s->prog, &ph, rec.data) != 0)
			break;
	}
	record_hdr(r, &rec, h);
	*data = rec.data;
	return 1;
}

static void remote_wake(struct source *s)
{
	struct rsrc *r = s->priv;

	atomic_store(&r->stopping, true);
	if (write(r->wake[1], "x", 1) < 0) {
		/* full: a byte is already waiting, which is all a wake-up needs */
	}
}

static void remote_release(struct source *s)
{
	struct rsrc *r = s->priv;

	if (!r)
		return;
	ssh_proc_free(r->proc); /* ends ssh before the pipe closes under it */
	remote_stream_close(r->rs);
	close(r->wake[0]);
	close(r->wake[1]);
	free(r);
	s->priv = NULL;
}

const struct source_ops source_remote_ops = {
    .kind = SOURCE_REMOTE,
    .verb = "capturing on",
    .open = remote_open,
    .install = source_install_user,
    .stats = NULL,
    .next = remote_next,
    .wake = remote_wake,
    .release = remote_release,
};
