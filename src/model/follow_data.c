/* follow_data.c - one stream's payload, read back by its chain (see follow_data.h). */
#include "model/follow_data.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/name_escape.h"
#include "model/model.h"
#include "model/model_streams.h"

struct loader {
	struct follow_data *fd;
	bool nomem;
};

static bool room(struct follow_data *fd, size_t bytes)
{
	if (fd->n == fd->cap) {
		size_t cap = fd->cap ? fd->cap * 2 : 256;
		struct fchunk *c = realloc(fd->c, cap * sizeof *c);
		if (!c)
			return false;
		fd->c = c;
		fd->cap = cap;
	}
	if (fd->nbytes + bytes > fd->capbytes) {
		uint64_t cap = fd->capbytes ? fd->capbytes : 65536;
		while (cap < fd->nbytes + bytes)
			cap *= 2;
		uint8_t *b = realloc(fd->bytes, cap);
		if (!b)
			return false;
		fd->bytes = b;
		fd->capbytes = cap;
	}
	return true;
}

static void take_chunk(void *ctx, const struct follow_chunk *ch)
{
	struct loader *l = ctx;
	struct follow_data *fd = l->fd;
	size_t len = ch->data ? ch->len : 0;

	if (ch->unplaced) {
		fd->unplaced += len;
		return;
	}
	if (fd->cut || fd->nbytes + len > FOLLOW_DATA_MAX_BYTES) {
		fd->cut = true;
		return;
	}
	if (!room(fd, len)) {
		l->nomem = true;
		return;
	}
	fd->c[fd->n++] =
	    (struct fchunk){ch->node & 1, ch->frame, fd->nbytes, (uint32_t)len, ch->missing};
	if (len)
		memcpy(fd->bytes + fd->nbytes, ch->data, len);
	fd->nbytes += len;
	fd->bytes_each[ch->node & 1] += len;
	fd->missing_each[ch->node & 1] += ch->missing;
}

void follow_data_free(struct follow_data *fd)
{
	free(fd->c);
	free(fd->bytes);
	memset(fd, 0, sizeof *fd);
}

int follow_data_load(struct model *m, int proto, uint64_t number, struct follow_data *fd, char *err)
{
	uint64_t i = model_stream_first(m, proto, number);
	struct loader l = {fd, false};
	struct follow *f;
	struct dissection *d;
	uint8_t *buf;
	char rerr[STORE_ERRLEN];
	int rc = 0;

	follow_data_free(fd);
	fd->proto = proto;
	fd->number = number;
	if (i == MS_NONE) {
		snprintf(err, FOLLOW_DATA_ERRLEN, "no %s stream %llu in this capture",
		         proto == P_UDP ? "UDP" : "TCP", (unsigned long long)number);
		return -1;
	}
	f = follow_create(proto);
	d = calloc(1, sizeof *d); /* zeroed: no QUIC connection table */
	buf = malloc(SOURCE_DEFAULT_SNAPLEN);
	if (!f || !d || !buf) {
		snprintf(err, FOLLOW_DATA_ERRLEN, "out of memory to follow the stream");
		rc = -1;
		goto out;
	}
	for (; i != MS_NONE && !l.nomem && !fd->cut; i = model_stream_next(m, i)) {
		const struct store_pkt *p = store_get(m->store, i);
		if (store_read(m->store, i, buf, rerr) < 0) {
			snprintf(err, FOLLOW_DATA_ERRLEN, "cannot read packet %llu: %.200s",
			         (unsigned long long)i + 1, rerr);
			rc = -1;
			goto out;
		}
		dissect_transport(d, store_linktype_of(m->store, i), buf, p->caplen, p->len);
		follow_packet(f, d, i + 1, take_chunk, &l);
		fd->packets++;
	}
	follow_finish(f, take_chunk, &l);
	for (int n = 0; n < 2; n++)
		follow_node_text(f, n, fd->node_text[n]);
	if (l.nomem) {
		snprintf(err, FOLLOW_DATA_ERRLEN, "out of memory for the stream's payload");
		rc = -1;
	}
out:
	follow_free(f);
	free(d);
	free(buf);
	return rc;
}

int64_t follow_data_save(const struct follow_data *fd, const char *path, unsigned mask, char *err)
{
	FILE *out = fopen(path, "wb");
	char esc[256];
	int64_t written = 0;

	if (!out) {
		snprintf(err, FOLLOW_DATA_ERRLEN, "cannot create %s: %s",
		         name_escape(path, esc, sizeof esc), strerror(errno));
		return -1;
	}
	for (size_t i = 0; i < fd->n; i++) {
		const struct fchunk *c = &fd->c[i];
		if (!(mask & (1u << c->node)) || !c->len)
			continue;
		if (fwrite(fd->bytes + c->off, 1, c->len, out) != c->len)
			break;
		written += c->len;
	}
	if (ferror(out) | (fclose(out) != 0)) {
		snprintf(err, FOLLOW_DATA_ERRLEN, "cannot write %s: %s",
		         name_escape(path, esc, sizeof esc), strerror(errno));
		return -1;
	}
	return written;
}
