/*
 * model_sources.c - the capture's sources (see model.h): opening one or several (names as
 * the Interface column shows them, the status bar's label, the kernel filter on each), the
 * store over their spill file with each one's link type, starting and joining the capture
 * thread or merge, each source's end and counters while the others go on, and restarts.
 */
#include <stdio.h>
#include <string.h>

#include "base/escape.h"
#include "base/name_escape.h"
#include "capture/adapter.h"
#include "model/model.h"
#include "model/model_internal.h"

/* A source's end as its state and message: a remote link that ended is "disconnected" (its
 * packets stay), another failure is an error, a clean end "stopped" (live) or "done". */
static void source_ended(struct model *m, struct model_source *s, enum source_err st,
                         const char *err)
{
	if (st == SRC_ERR_DISCONNECTED)
		s->state = CS_DISCONNECTED;
	else if (st != SRC_OK)
		s->state = CS_ERROR;
	else if (s->state == CS_RUNNING)
		s->state = m->kind == SOURCE_LIVE ? CS_STOPPED : CS_DONE;
	if (st == SRC_OK)
		return;
	name_escape(strncmp(err, "capscope: ", 10) == 0 ? err + 10 : err, s->error,
	            sizeof s->error);
	if (m->nsrc > 1) /* which one, and that the others go on (the state says so too) */
		snprintf(m->error, sizeof m->error, "%.100s %s, its packets stay (%s): %.300s",
		         s->label, st == SRC_ERR_DISCONNECTED ? "disconnected" : "failed",
		         st == SRC_ERR_DISCONNECTED ? "Ctrl-R reconnects" : "Ctrl-R restarts it",
		         s->error);
}

/* Joins the capture thread(s): the counters and each source's end. */
enum source_err model_join_capture(struct model *m, char *err)
{
	static struct capture_end each[MODEL_MAX_SOURCES];
	enum source_err st = capture_join_each(m->cap, &m->counters, each, err);

	m->cap = NULL;
	for (unsigned i = 0; i < m->nsrc; i++) {
		m->srcs[i].counters = m->nsrc > 1 ? each[i].cnt : m->counters;
		source_ended(m, &m->srcs[i], m->nsrc > 1 ? each[i].st : st,
		             m->nsrc > 1 ? each[i].err : err);
	}
	return st;
}

int model_start_capture(struct model *m, size_t ring_bytes)
{
	char err[SOURCE_ERRLEN];
	struct source *srcs[MODEL_MAX_SOURCES];

	for (unsigned i = 0; i < m->nsrc; i++)
		srcs[i] = m->srcs[i].src;
	ring_destroy(m->ring); /* a reconnect's: the last capture's, drained */
	m->ring = ring_create(ring_bytes, err, sizeof err);
	if (m->ring && m->nsrc > 1)
		m->cap = capture_start_many(srcs, m->nsrc, m->ring, capture_ring_share(ring_bytes),
		                            capture_hold_ms(m->opts.timeout_ms), 0, err);
	else if (m->ring)
		m->cap = capture_start(m->src, m->ring, 0, err);
	if (!m->cap) {
		model_set_error(m, err);
		return -1;
	}
	m->state = CS_RUNNING;
	for (unsigned i = 0; i < m->nsrc; i++)
		m->srcs[i].state = CS_RUNNING;
	return 0;
}

/* Live: the kernel filter is set before the capture thread starts; later changes go through
 * capture_set_source_filter() (each source its own: a prefilter is per link type). */
enum source_err model_source_kernel_filter(struct model *m, unsigned i, char *err)
{
	char e[sizeof m->kernel_expr], f[sizeof m->kernel_expr + sizeof m->ssh_filter + 16];

	model_source_kernel_expr(m, i, e, sizeof e);
	model_kernel_filter(m, e, f, sizeof f);
	return f[0] ? source_set_filter(m->srcs[i].src, f, err) : SRC_OK;
}

enum source_err model_kernel_filters(struct model *m, char *err)
{
	enum source_err st = SRC_OK;

	for (unsigned i = 0; st == SRC_OK && i < m->nsrc; i++)
		st = model_source_kernel_filter(m, i, err);
	return st;
}

/* Opens o as source i of the capture (m->srcs[i]); -1 with m->error. */
static int open_one(struct model *m, unsigned i, const struct source_opts *o)
{
	struct model_source *s = &m->srcs[i];
	enum source_err why;
	char err[SOURCE_ERRLEN], esc[MODEL_LABEL_MAX];

	s->opts = *o;
	if (o->kind == SOURCE_LIVE && o->buffer_kib <= 0) /* the monitor's own default */
		s->opts.buffer_kib = MODEL_LIVE_BUFFER_KIB;
	if (snprintf(s->name, sizeof s->name, "%s", o->name) >= (int)sizeof s->name) {
		model_set_error(m, "the adapter's name is too long");
		return -1;
	}
	s->opts.name = s->name;
	m->nsrc = i + 1;
	s->src = source_open(&s->opts, &why, err);
	if (!s->src) {
		if (i == 0)
			model_set_error(m, err);
		else /* which of several failed */
			snprintf(m->error, sizeof m->error, "%.200s: %.290s",
			         esc_cstr(esc, sizeof esc, o->name),
			         strncmp(err, "capscope: ", 10) == 0 ? err + 10 : err);
		return -1;
	}
	/* as headless -i A -i B names them (the Interface column, frame.interface_name) */
	esc_cstr(s->label, sizeof s->label, source_name(s->src));
	return 0;
}

/* The status bar's name of the capture: the adapter's (or file's), or the sources' names
 * joined with " + ". */
static void set_source_label(struct model *m, const struct source_opts *o)
{
	char err[SOURCE_ERRLEN];
	size_t at = 0;

	name_escape(o->name, m->source_label, sizeof m->source_label);
	if (m->nsrc == 1 && o->kind == SOURCE_LIVE &&
	    adapter_person_label(source_name(m->src), err, sizeof err))
		name_escape(err, m->source_label, sizeof m->source_label);
	for (unsigned i = 0; m->nsrc > 1 && i < m->nsrc; i++) {
		int w = snprintf(m->source_label + at, sizeof m->source_label - at, "%s%s",
		                 i ? " + " : "", m->srcs[i].label);
		at += w > 0 ? (size_t)w : 0;
		if (at >= sizeof m->source_label)
			break;
	}
}

int model_open_sources(struct model *m, const struct source_opts *o, unsigned n)
{
	for (unsigned i = 0; i < n; i++)
		if (open_one(m, i, &o[i]) < 0)
			return -1;
	m->src = m->srcs[0].src;
	m->opts = m->srcs[0].opts;
	m->kind = o->kind;
	set_source_label(m, o);
	return 0;
}

/* The store over the spill file (or the file itself), with each source's link type. */
int model_open_store(struct model *m, const struct source_opts *o)
{
	int linktypes[MODEL_MAX_SOURCES], tsprec = 6;

	for (unsigned i = 0; i < m->nsrc; i++) {
		linktypes[i] = source_linktype(m->srcs[i].src);
		if (source_tsprec(m->srcs[i].src) == 9)
			tsprec = 9;
	}
	m->store = store_create(m->spill ? m->spill_path : o->name, linktypes[0], tsprec);
	if (!m->store || (m->nsrc > 1 && store_set_interfaces(m->store, m->nsrc, linktypes) < 0)) {
		model_set_error(m, "out of memory");
		return -1;
	}
	store_follow_writer(m->store, m->spill);
	return 0;
}

const char *model_packet_interface(const struct model *m, uint64_t index, unsigned *ifidx)
{
	unsigned i = m->store ? store_ifidx(m->store, index) : 0;

	if (ifidx)
		*ifidx = i;
	return i < m->nsrc ? m->srcs[i].label : "";
}

/* Several sources: each one's counters, and its end while the others go on. */
void model_poll_sources(struct model *m)
{
	char err[SOURCE_ERRLEN];

	for (unsigned i = 0; i < m->nsrc; i++) {
		struct model_source *s = &m->srcs[i];
		enum source_err st = capture_source(m->cap, i, &s->counters, err);
		if (s->state == CS_RUNNING && (st != SRC_OK || s->counters.finished))
			source_ended(m, s, st, err);
	}
}

int model_restart(struct model *m)
{
	struct source_opts o[MODEL_MAX_SOURCES];
	char names[MODEL_MAX_SOURCES][MODEL_LABEL_MAX];
	char filter[sizeof m->filter_text];
	unsigned n = m->nsrc;

	if (!m->src || m->kind != SOURCE_LIVE) {
		model_set_error(m, "no live capture to restart: choose an adapter");
		return -1;
	}
	for (unsigned i = 0; i < n; i++) { /* model_open_many closes what they point at */
		o[i] = m->srcs[i].opts;
		memcpy(names[i], m->srcs[i].name, sizeof names[i]);
		o[i].name = names[i];
		o[i].snaplen = m->prefs.snaplen;
		o[i].promisc = m->prefs.promisc;
		o[i].timeout_ms = m->prefs.timeout_ms;
		o[i].buffer_kib = m->prefs.buffer_kib;
	}
	snprintf(filter, sizeof filter, "%s", m->filter_text);
	return model_open_many(m, o, n, filter);
}
