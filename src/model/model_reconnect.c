/*
 * model_reconnect.c - a remote source whose link dropped comes back without losing the
 * capture (see model.h): the capture of the other sources ends taking in what it read, the
 * disconnected sources (and every remote one, which a stop ends) open again, and a new
 * capture thread, or merge, goes on into the same store and spill file, whose interfaces
 * stay as they were.
 */
#include <stdio.h>
#include <string.h>

#include "model/model.h"
#include "model/model_internal.h"

bool model_disconnected(const struct model *m)
{
	for (unsigned i = 0; i < m->nsrc; i++)
		if (m->srcs[i].state == CS_DISCONNECTED)
			return true;
	return m->nsrc == 1 && m->state == CS_DISCONNECTED;
}

/* Whether source i opens again: its link ended, or it is remote (a stop ends its stream);
 * a local adapter stays open. */
static bool must_reopen(const struct model *m, unsigned i)
{
	const struct model_source *s = &m->srcs[i];

	return s->state == CS_DISCONNECTED || s->state == CS_ERROR || !s->src ||
	       source_kind(s->src) == SOURCE_REMOTE;
}

/* Opens source i again as it was opened; its packets must keep their link type (the spill
 * file's interface). -1 with m->error. */
static int reopen(struct model *m, unsigned i)
{
	struct model_source *s = &m->srcs[i];
	enum source_err why;
	char err[SOURCE_ERRLEN];

	source_close(s->src);
	s->src = source_open(&s->opts, &why, err);
	if (s->src && source_linktype(s->src) != store_interface_linktype(m->store, i)) {
		snprintf(err, sizeof err,
		         "its link type changed: Ctrl-R again starts a new capture");
		source_close(s->src);
		s->src = NULL;
	}
	if (!s->src || model_source_kernel_filter(m, i, err) != SRC_OK) {
		snprintf(m->error, sizeof m->error, "cannot reconnect %.100s: %.380s", s->label,
		         strncmp(err, "capscope: ", 10) == 0 ? err + 10 : err);
		s->state = CS_ERROR;
		return -1;
	}
	return 0;
}

int model_reconnect(struct model *m)
{
	if (!m->store || m->kind != SOURCE_LIVE || !model_disconnected(m)) {
		snprintf(m->error, sizeof m->error, "no source is disconnected");
		return -1;
	}
	model_finish_capture(m); /* the others' packets so far, into the store */
	for (unsigned i = 0; i < m->nsrc; i++)
		if (must_reopen(m, i) && reopen(m, i) < 0) {
			m->src = m->srcs[0].src;
			m->state = CS_ERROR;
			return -1;
		}
	m->src = m->srcs[0].src;
	m->error[0] = '\0';
	return model_start_capture(m, (size_t)m->prefs.ring_mib << 20);
}
