/*
 * model_reconnect.c - a source that is down comes back without losing the capture (see
 * model.h): a remote source whose link dropped, or one of several that failed (its adapter
 * went away, a remote one did not start). The sources that are down open anew first, so that
 * one that cannot leaves the rest running; then the capture of the others ends taking in what
 * it read, every remote one opens again (a stop ends its stream), and a new capture thread,
 * or merge, goes on into the same store and spill file, whose interfaces stay as they were.
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

/* Whether source i is down: its link ended, or it is one of several and failed. One source
 * that failed stops the capture as a whole, which Ctrl-R restarts as a new one. */
static bool is_down(const struct model *m, unsigned i)
{
	enum cap_state st = m->srcs[i].state;

	return st == CS_DISCONNECTED || (m->nsrc > 1 && st == CS_ERROR);
}

bool model_source_down(const struct model *m)
{
	if (m->kind != SOURCE_LIVE || !m->store)
		return false;
	if (m->nsrc == 1)
		return m->state == CS_DISCONNECTED || is_down(m, 0);
	if (m->state == CS_ERROR) /* stopped as a whole (a full spill file): a new capture */
		return false;
	for (unsigned i = 0; i < m->nsrc; i++)
		if (is_down(m, i))
			return true;
	return false;
}

/* Whether source i, up and running, opens again after the stop: it is remote (a stop ends
 * its stream); a local adapter stays open. */
static bool must_reopen(const struct model *m, unsigned i)
{
	const struct model_source *s = &m->srcs[i];

	return !s->src || source_kind(s->src) == SOURCE_REMOTE;
}

/* Opens source i anew as it was opened, into *out; its packets must keep their link type
 * (the spill file's interface). -1 with m->error. */
static int open_again(struct model *m, unsigned i, struct source **out)
{
	struct model_source *s = &m->srcs[i];
	enum source_err why;
	char err[SOURCE_ERRLEN];

	*out = source_open(&s->opts, &why, err);
	if (*out && source_linktype(*out) != store_interface_linktype(m->store, i)) {
		snprintf(err, sizeof err, "its link type changed: ^E starts a new capture");
		source_close(*out);
		*out = NULL;
	}
	if (!*out)
		snprintf(m->error, sizeof m->error, "cannot %s %.100s: %.380s",
		         s->state == CS_DISCONNECTED ? "reconnect" : "restart", s->label,
		         strncmp(err, "capscope: ", 10) == 0 ? err + 10 : err);
	return *out ? 0 : -1;
}

/* Source i's new handle in place of its old one, with the kernel filter. -1 with m->error. */
static int put_back(struct model *m, unsigned i, struct source *fresh)
{
	struct model_source *s = &m->srcs[i];
	char err[SOURCE_ERRLEN];

	source_close(s->src);
	s->src = fresh;
	if (model_source_kernel_filter(m, i, err) == SRC_OK)
		return 0;
	snprintf(m->error, sizeof m->error, "cannot restart %.100s: %.380s", s->label,
	         strncmp(err, "capscope: ", 10) == 0 ? err + 10 : err);
	s->state = CS_ERROR;
	return -1;
}

int model_reconnect(struct model *m)
{
	struct source *fresh[MODEL_MAX_SOURCES] = {0};
	int rc = 0;

	if (!model_source_down(m)) {
		snprintf(m->error, sizeof m->error, "no source is disconnected or failed");
		return -1;
	}
	for (unsigned i = 0; i < m->nsrc; i++)
		if (is_down(m, i) && open_again(m, i, &fresh[i]) < 0) {
			for (unsigned j = 0; j < i; j++)
				source_close(fresh[j]);
			return -1; /* the others capture on */
		}
	model_finish_capture(m); /* the others' packets so far, into the store */
	for (unsigned i = 0; i < m->nsrc; i++) {
		if (rc == 0 && !fresh[i] && must_reopen(m, i) && open_again(m, i, &fresh[i]) < 0) {
			m->srcs[i].state = CS_ERROR;
			rc = -1;
		}
		if (fresh[i] && rc == 0)
			rc = put_back(m, i, fresh[i]);
		else
			source_close(
			    fresh[i]); /* after a failure: the next Ctrl-R opens it again */
	}
	m->src = m->srcs[0].src;
	if (rc < 0)
		return -1; /* m->error says which; Ctrl-R tries again */
	m->error[0] = '\0';
	return model_start_capture(m, (size_t)m->prefs.ring_mib << 20);
}
