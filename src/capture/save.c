/*
 * save.c - a selection of stored packets to a pcap file through a temporary file in the
 * target's folder and a rename (see save.h).
 *
 * Messages name the target, never the temporary file: the dump's message for it is cut to
 * its reason ("No space left on device").
 */
#include "capture/save.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/dump.h"
#include "capture/privsep.h"
#include "base/name_escape.h"
#include "base/pathname.h"
#include "platform/os.h"

#define CHECK_EVERY 256 /* packets between two looks at the clock */
#define NS_PER_S    1000000000ll

struct save {
	struct store *store;
	struct dump *dump;
	struct save_sel sel; /* sel.idx points at our own copy */
	uint32_t *idx;
	uint64_t next; /* position in the selection */
	uint8_t *buf;
	uint32_t bufsize;
	char *path;
	char tmp[1024];
	enum save_status status;
	char msg[SAVE_ERRLEN];
	uint64_t packets, bytes;
};

/* "cannot save to 'PATH': reason" into sv->msg and err; removes the temporary file. */
static enum save_status fail(struct save *sv, const char *reason, char *err)
{
	char ename[300];
	const char *r = strstr(reason, "failed: ");

	if (sv->status != SAVE_FAILED) {
		snprintf(sv->msg, sizeof sv->msg, "cannot save to '%s': %s",
		         name_escape(sv->path, ename, sizeof ename), r ? r + 8 : reason);
		if (sv->dump) {
			char ignored[DUMP_ERRLEN];
			dump_close(sv->dump, ignored);
			sv->dump = NULL;
		}
		if (sv->tmp[0])
			remove(sv->tmp);
		sv->tmp[0] = '\0';
		sv->status = SAVE_FAILED;
	}
	snprintf(err, SAVE_ERRLEN, "%s", sv->msg);
	return SAVE_FAILED;
}

/* The folder of path ("." for a bare name) and the temporary file's prefix ".NAME". */
static void split_path(const char *path, char *dir, size_t dn, char *prefix, size_t pn)
{
	path_dir(path, dir, dn);
	snprintf(prefix, pn, ".%.40s", path_base(path));
}

static int copy_sel(struct save *sv, const struct save_sel *sel)
{
	sv->sel = *sel;
	if (sel->idx && sel->n) {
		sv->idx = malloc(sel->n * sizeof *sv->idx);
		if (!sv->idx)
			return -1;
		memcpy(sv->idx, sel->idx, sel->n * sizeof *sv->idx);
	}
	sv->sel.idx = sv->idx;
	return 0;
}

/* The file's link type and, for pcapng of several sources, its interfaces: one per source
 * (more[] after the first), or the one saved alone. */
static int file_ifaces(const struct save *sv, int snaplen, struct dump_section *sec,
                       struct dump_iface *more)
{
	const struct store *s = sv->store;
	unsigned n = store_interfaces(s);

	if (n < 2)
		return store_linktype(s);
	if (sv->sel.one_if) {
		sec->if_name = sv->sel.if_names ? sv->sel.if_names[sv->sel.ifidx] : NULL;
		return store_interface_linktype(s, sv->sel.ifidx);
	}
	sec->if_name = sv->sel.if_names ? sv->sel.if_names[0] : NULL;
	for (unsigned i = 1; i < n; i++)
		more[sec->n_more++] =
		    (struct dump_iface){sv->sel.if_names ? sv->sel.if_names[i] : NULL,
		                        store_interface_linktype(s, i), snaplen};
	sec->more = more;
	return store_linktype(s);
}

static int open_temp(struct save *sv, int snaplen, char *err)
{
	char dir[1024], prefix[48], derr[DUMP_ERRLEN];
	struct store *s = sv->store;
	struct dump_iface more[STORE_MAX_IFACES];
	struct dump_section sec = {0};
	enum dump_format fmt = dump_format_for(sv->path, false);
	int linktype = file_ifaces(sv, snaplen, &sec, more);

	split_path(sv->path, dir, sizeof dir, prefix, sizeof prefix);
	if (os_temp_file_in(sv->tmp, sizeof sv->tmp, dir, prefix, ".tmp") < 0) {
		int e = errno;
		char reason[256];

		sv->tmp[0] = '\0';
		snprintf(reason, sizeof reason, "%s%s", strerror(e), privsep_denied_hint(e));
		fail(sv, reason, err);
		return -1;
	}
	/* the final name's suffix says the format: "x.pcapng" is saved as pcapng; several sources
	 * in one pcap file would lose which packet came from where (act_save.c saves a file per
	 * source then) */
	if (fmt == DUMP_PCAP && store_interfaces(s) > 1 && !sv->sel.one_if) {
		fail(sv, "several sources go to pcapng, or to a pcap file each", err);
		return -1;
	}
	sv->dump = dump_open_fmt(sv->tmp, fmt, store_interfaces(s) > 1 ? &sec : NULL, linktype,
	                         snaplen, store_tsprec(s), derr);
	if (!sv->dump) {
		fail(sv, derr, err);
		return -1;
	}
	sv->bytes = dump_bytes(sv->dump);
	return 0;
}

struct save *save_begin(struct store *s, const struct save_sel *sel, const char *path, int snaplen,
                        char *err)
{
	struct save *sv = calloc(1, sizeof *sv);

	if (!sv || !(sv->path = strdup(path)) || copy_sel(sv, sel) < 0) {
		if (sv) {
			sv->status = SAVE_FAILED; /* nothing to remove */
			save_free(sv);
		}
		snprintf(err, SAVE_ERRLEN, "out of memory: nothing was saved");
		return NULL;
	}
	sv->store = s;
	sv->status = SAVE_MORE;
	if (open_temp(sv, snaplen, err) < 0) {
		save_free(sv);
		return NULL;
	}
	return sv;
}

/* The store index at selection position i, or UINT64_MAX when that packet is left out. */
static uint64_t pick(const struct save *sv, uint64_t i)
{
	uint64_t index = sv->sel.idx ? sv->sel.idx_base + sv->sel.idx[i] : sv->sel.first + i;
	const struct store_pkt *p = store_get(sv->store, index);

	if (!p || index < store_first(sv->store) ||
	    (sv->sel.one_if && store_ifidx(sv->store, index) != sv->sel.ifidx) ||
	    (sv->sel.marked_only && !store_marked(sv->store, index)) ||
	    (sv->sel.min_ts_ns && p->ts_ns < sv->sel.min_ts_ns))
		return UINT64_MAX;
	return index;
}

static int write_one(struct save *sv, uint64_t index, char *err)
{
	const struct store_pkt *p = store_get(sv->store, index);
	char e[DUMP_ERRLEN > STORE_ERRLEN ? DUMP_ERRLEN : STORE_ERRLEN];
	int64_t sec = p->ts_ns / NS_PER_S, ns = p->ts_ns % NS_PER_S;
	struct pkt_hdr h = {.caplen = p->caplen, .len = p->len, .pos = p->pos};

	if (p->caplen > sv->bufsize) {
		uint8_t *b = realloc(sv->buf, p->caplen);
		if (!b)
			return fail(sv, "out of memory", err), -1;
		sv->buf = b;
		sv->bufsize = p->caplen;
	}
	if (ns < 0) { /* before 1970: the nanoseconds stay positive */
		sec--;
		ns += NS_PER_S;
	}
	h.ts_sec = sec;
	h.ts_nsec = (uint32_t)ns;
	h.ifidx = sv->sel.one_if ? 0 : store_ifidx(sv->store, index); /* pcapng: its interface */
	if (store_read(sv->store, index, sv->buf, e) < 0 ||
	    dump_write(sv->dump, &h, sv->buf, e) < 0)
		return fail(sv, e, err), -1;
	sv->packets = dump_packets(sv->dump);
	sv->bytes = dump_bytes(sv->dump);
	return 0;
}

static enum save_status finish(struct save *sv, char *err)
{
	char e[DUMP_ERRLEN];
	int rc = dump_close(sv->dump, e);

	sv->dump = NULL;
	if (rc < 0)
		return fail(sv, e, err);
	if (os_rename_replace(sv->tmp, sv->path) < 0)
		return fail(sv, strerror(errno), err);
	sv->tmp[0] = '\0';
	sv->status = SAVE_DONE;
	return SAVE_DONE;
}

enum save_status save_step(struct save *sv, uint64_t budget_ns, char *err)
{
	uint64_t t0 = os_monotonic_ns();

	if (sv->status != SAVE_MORE)
		return sv->status == SAVE_FAILED ? fail(sv, "", err) : SAVE_DONE;
	while (sv->next < sv->sel.n) {
		uint64_t index = pick(sv, sv->next++);
		if (index != UINT64_MAX && write_one(sv, index, err) < 0)
			return SAVE_FAILED;
		if (budget_ns && sv->next % CHECK_EVERY == 0 && os_monotonic_ns() - t0 > budget_ns)
			return SAVE_MORE;
	}
	return finish(sv, err);
}

void save_cancel(struct save *sv)
{
	char ignored[SAVE_ERRLEN];

	if (sv->status == SAVE_MORE)
		fail(sv, "cancelled", ignored);
}

void save_free(struct save *sv)
{
	if (!sv)
		return;
	save_cancel(sv);
	free(sv->idx);
	free(sv->buf);
	free(sv->path);
	free(sv);
}

uint64_t save_packets(const struct save *sv)
{
	return sv->packets;
}

uint64_t save_bytes(const struct save *sv)
{
	return sv->bytes;
}

double save_progress(const struct save *sv)
{
	return sv->sel.n ? (double)sv->next / (double)sv->sel.n : 1.0;
}

int save_run(struct store *s, const struct save_sel *sel, const char *path, int snaplen,
             uint64_t *packets, uint64_t *bytes, char *err)
{
	struct save *sv = save_begin(s, sel, path, snaplen, err);
	enum save_status st;

	if (!sv)
		return -1;
	st = save_step(sv, 0, err);
	*packets = save_packets(sv);
	*bytes = save_bytes(sv);
	save_free(sv);
	return st == SAVE_DONE ? 0 : -1;
}
