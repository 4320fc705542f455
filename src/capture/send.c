/*
 * send.c - the common half of send.h: find the adapter (by name or -D number) and its link
 * type through a short-lived live source, which also turns libpcap's typed errors into the
 * same advice capture gives; then the platform sender does the sending.
 */
#include "capture/send.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/send_int.h"
#include "capture/source.h"

struct sender {
	struct send_platform *p;
	int linktype;
	char name[256];
};

/* Opens the adapter for capture for a moment: its real name, its link type, and whether
 * this user may use it at all. */
static int probe(const char *name, char *real, size_t n, int *linktype, char *err)
{
	struct source_opts so = {
	    .name = name, .kind = SOURCE_LIVE, .snaplen = 128, .timeout_ms = 10, .buffer_kib = 256};
	enum source_err why;
	struct source *src = source_open(&so, &why, err);

	if (!src)
		return -1;
	snprintf(real, n, "%s", source_name(src));
	*linktype = source_linktype(src);
	source_close(src);
	return 0;
}

struct sender *send_open(const char *name, char *err)
{
	struct sender *s = calloc(1, sizeof *s);

	if (!s) {
		snprintf(err, SEND_ERRLEN,
		         "capscope: out of memory opening an adapter for sending");
		return NULL;
	}
	if (probe(name, s->name, sizeof s->name, &s->linktype, err) < 0 ||
	    !(s->p = send_platform_open(s->name, err))) {
		free(s);
		return NULL;
	}
	return s;
}

void send_close(struct sender *s)
{
	if (!s)
		return;
	send_platform_close(s->p);
	free(s);
}

int send_linktype(const struct sender *s)
{
	return s->linktype;
}

const char *send_name(const struct sender *s)
{
	return s->name;
}

struct send_target send_target(struct sender *s)
{
	return (struct send_target){.send = send_platform_frames, .ctx = s->p};
}

/* Sends f[0..n) once, in batches. */
static int send_all(struct send_target t, const struct send_frame *f, unsigned n, uint64_t *sent,
                    uint64_t *failed, char *err)
{
	unsigned i = 0;

	while (i < n) {
		unsigned k = n - i < SEND_BATCH ? n - i : SEND_BATCH;
		uint64_t before = *failed;
		int r = t.send(t.ctx, f + i, k, failed, err);

		if (r < 0)
			return -1;
		*sent += (uint64_t)r - (*failed - before);
		i += (unsigned)r;
	}
	return 0;
}

int send_repeat(struct send_target t, const struct send_frame *f, unsigned n, uint64_t times,
                bool (*stop)(void *arg), void *arg, uint64_t *sent, uint64_t *failed, char *err)
{
	*sent = 0;
	*failed = 0;
	for (uint64_t k = 0; k < times; k++) {
		if (stop && stop(arg))
			break;
		if (send_all(t, f, n, sent, failed, err) < 0)
			return -1;
	}
	return 0;
}
