/* model_procs.c - process attribution in the monitor (see model_procs.h). */
#include "model/model_procs.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/chunkarr.h"
#include "base/escape.h"
#include "decode/conv.h"
#include "decode/process.h"
#include "model/file_procs.h"
#include "model/model.h"

#define TAG_OUT (1u << 31) /* the direction bit beside the id (ids stay far below it) */
/* A file's first packets looked at for our comments: with none there, none are looked for
 * after (reading a packet's options costs a read of the file a packet, a waste for the many
 * pcapng files that are not capscope's; ours comment every attributed packet). */
#define FILE_PROBE 4096

struct model_procs {
	struct attrib *a;     /* NULL: no attribution for this source */
	bool file;            /* a file: processes come from its packets' comments (pcapng) */
	bool comments;        /* ... and one was found: p->a holds its processes */
	bool attributed;      /* ... and it says so (file_procs_attributed): no comment = none */
	struct chunkarr tags; /* uint32_t per store packet held: id | TAG_OUT */
	struct proc_stats *stats;
	uint64_t now_ns; /* set once a pump (model_procs_now) */
	char status[160];
};

static struct model_procs *P(const struct model *m)
{
	return m->procs;
}

bool model_procs_init(struct model *m)
{
	struct model_procs *p = calloc(1, sizeof *p);

	m->procs = p;
	if (!p)
		return false;
	chunkarr_init(&p->tags, sizeof(uint32_t));
	p->stats = proc_stats_create(0, 0);
	snprintf(p->status, sizeof p->status, "processes: only for live captures");
	return p->stats != NULL;
}

void model_procs_free(struct model *m)
{
	struct model_procs *p = P(m);

	if (!p)
		return;
	attrib_close(p->a);
	chunkarr_free(&p->tags);
	proc_stats_free(p->stats);
	free(p);
	m->procs = NULL;
}

static bool start_comments(struct model_procs *p);

void model_procs_open(struct model *m)
{
	struct model_procs *p = P(m);
	struct attrib_opts o = {.no_ebpf = m->no_ebpf};

	model_procs_close(m);
	if (m->kind == SOURCE_FILE && !m->no_processes) {
		p->file = true; /* comments are looked for in its first packets */
		snprintf(p->status, sizeof p->status, "processes: none in this file's comments");
		/* a file that says it was attributed has them, whatever its first packets */
		p->attributed = file_procs_attributed(m->store);
		if (p->attributed)
			start_comments(p);
		return;
	}
	/* a remote source's packets are another host's: no local process owns them */
	if (m->kind != SOURCE_LIVE || source_kind(m->src) == SOURCE_REMOTE)
		return;
	if (m->no_processes) {
		snprintf(p->status, sizeof p->status, "processes: off (--no-processes)");
		return;
	}
	p->a = attrib_open(&o);
	snprintf(p->status, sizeof p->status, "%s",
	         p->a ? attrib_status(p->a) : "processes: out of memory");
}

void model_procs_close(struct model *m)
{
	struct model_procs *p = P(m);

	if (!p)
		return;
	attrib_close(p->a);
	p->a = NULL;
	p->file = p->comments = p->attributed = false;
	chunkarr_reset(&p->tags);
	proc_stats_reset(p->stats);
	snprintf(p->status, sizeof p->status, "processes: only for live captures");
}

/* Tags packet `index` (the next one); false when it cannot (not the next, out of memory). */
static bool tag_push(struct model_procs *p, uint64_t index, uint32_t tag)
{
	uint32_t *t;

	if (index != p->tags.n || !(t = chunkarr_push(&p->tags)))
		return false;
	*t = tag;
	return true;
}

/* The attribution's flow key of a TCP or UDP frame (read as conv_flow_key reads it) and
 * whether it is a SYN without ACK; false for anything else. */
static bool flow_of(const struct model *m, uint64_t index, const struct pkt_hdr *h,
                    const uint8_t *data, struct flow_key *k, bool *syn)
{
	struct conv_key c;
	uint8_t flags = 0;

	if (!conv_flow_key(store_linktype_of(m->store, index), data, h->caplen, &c, &flags) ||
	    (c.proto != 6 && c.proto != 17))
		return false;
	memset(k, 0, sizeof *k);
	k->family = c.family;
	k->proto = c.proto;
	k->sport = c.pa;
	k->dport = c.pb;
	memcpy(k->src, c.a, sizeof k->src);
	memcpy(k->dst, c.b, sizeof k->dst);
	*syn = c.proto == 6 && (flags & 0x12) == 0x02;
	return true;
}

void model_procs_now(struct model *m, uint64_t now_ns)
{
	P(m)->now_ns = now_ns;
}

/* The first comment found: a process table for the file's processes (interned, never looked
 * up in the kernel: no eBPF, and attrib_packet is never called for a file). */
static bool start_comments(struct model_procs *p)
{
	struct attrib_opts o = {.no_ebpf = true};

	if (!p->a && !(p->a = attrib_open(&o)))
		return false;
	p->comments = true;
	snprintf(p->status, sizeof p->status, "processes: from the file's packet comments");
	return true;
}

/* A file's packet `index`: its process from its comment (pcapng files capscope wrote). The
 * first FILE_PROBE packets decide whether the file has any; a file without stops costing
 * anything after them. */
static void tag_from_comment(struct model *m, uint64_t index, const struct pkt_hdr *h,
                             const uint8_t *data)
{
	struct model_procs *p = P(m);
	struct proc_info pi;
	bool out = false;
	uint32_t id = ATTRIB_NONE;
	uint64_t flow = 0;
	struct flow_key k;
	bool syn;

	if (!p->comments && index >= FILE_PROBE) {
		p->file = false; /* no comment of ours in its first packets */
		chunkarr_reset(&p->tags);
		proc_stats_reset(p->stats);
		return;
	}
	if (index != p->tags.n)
		return;
	if (file_procs_get(m->store, index, &pi, &out) && (p->comments || start_comments(p)))
		id = attrib_intern(p->a, &pi);
	if (id & TAG_OUT)
		id = ATTRIB_TOO_MANY;
	if (id != ATTRIB_NONE && flow_of(m, index, h, data, &k, &syn))
		flow = flow_key_hash(&k);
	if (!tag_push(p, index, id | (out ? TAG_OUT : 0)))
		return;
	proc_stats_add(p->stats, id, out, h->len, store_get(m->store, index)->ts_ns, flow);
}

void model_procs_tag(struct model *m, uint64_t index, const struct pkt_hdr *h, const uint8_t *data)
{
	struct model_procs *p = P(m);
	struct flow_key k;
	uint32_t id = ATTRIB_NONE;
	uint64_t flow = 0;
	bool out = false, syn;

	if (p->file) {
		tag_from_comment(m, index, h, data);
		return;
	}
	/* index == tags.n: packets are tagged in store order, each once (a gap is not filled) */
	if (!p->a || index != p->tags.n)
		return;
	if (flow_of(m, index, h, data, &k, &syn)) {
		id = attrib_packet(p->a, &k, syn, p->now_ns, &out);
		if (id & TAG_OUT) /* never: ids are table indices; the bit stays the direction's */
			id = ATTRIB_TOO_MANY;
		/* connections are counted for processes only: remote-only flows (forwarded
		 * traffic, a flood) would fill the flow set and cost a cache miss each */
		flow = id != ATTRIB_NONE ? flow_key_hash(&k) : 0;
	}
	if (!tag_push(p, index, id | (out ? TAG_OUT : 0)))
		return;
	proc_stats_add(p->stats, id, out, h->len, store_get(m->store, index)->ts_ns, flow);
}

void model_procs_truncate(struct model *m, uint64_t n)
{
	struct model_procs *p = P(m);

	/* the totals keep what was counted: they are statistics of what was seen */
	if (p)
		chunkarr_truncate(&p->tags, n);
}

void model_procs_drop_head(struct model *m, uint64_t first)
{
	struct model_procs *p = P(m);

	/* the totals keep what was counted; tags of a capture that is not tagged follow the
	 * store too, so the next packet taken is the next tag */
	if (p)
		chunkarr_drop_head(&p->tags, first);
}

size_t model_procs_memory(const struct model *m)
{
	return P(m) ? chunkarr_bytes(&P(m)->tags) : 0;
}

bool model_procs_on(const struct model *m)
{
	return P(m) && P(m)->a && (!P(m)->file || P(m)->comments);
}

bool model_proc_column(const struct model *m)
{
	return m->proc_col == PC_ON || (m->proc_col == PC_AUTO && model_procs_on(m));
}

uint32_t model_packet_proc(const struct model *m, uint64_t index, bool *out)
{
	const struct model_procs *p = P(m);
	const uint32_t *t = p ? chunkarr_at(&p->tags, index) : NULL;

	*out = false;
	if (!t)
		return ATTRIB_NONE;
	*out = (*t & TAG_OUT) != 0;
	return *t & ~TAG_OUT;
}

const struct proc_info *model_proc_info(const struct model *m, uint32_t id)
{
	const struct model_procs *p = P(m);

	return p && p->a && id != ATTRIB_NONE ? attrib_proc(p->a, id) : NULL;
}

void model_proc_label(const struct model *m, uint32_t id, char *out, size_t n)
{
	const struct proc_info *pi = model_proc_info(m, id);
	char name[PROC_NAME_MAX * 4 + 1];

	if (!pi) { /* an id the process table no longer holds: the process was evicted */
		snprintf(out, n, "%s",
		         id == ATTRIB_NONE || !model_procs_on(m) ? "" : "(evicted process)");
		return;
	}
	esc_str(name, sizeof name, (const uint8_t *)pi->name, strnlen(pi->name, sizeof pi->name));
	snprintf(out, n, "%s[%u]", name, (unsigned)pi->pid);
}

void model_procs_dissect(const struct model *m, uint64_t index, struct dissection *d)
{
	bool out;
	uint32_t id;

	if (!model_procs_on(m))
		return; /* no attribution: no Process layer (a file says nothing of processes) */
	id = model_packet_proc(m, index, &out);
	/* a file says nothing of a packet without a comment, as headless reads it, unless it
	 * says its packets were attributed */
	if (P(m)->file && id == ATTRIB_NONE && !P(m)->attributed)
		return;
	dissect_process(d, model_proc_info(m, id), out);
}

const char *model_procs_status(const struct model *m)
{
	const struct model_procs *p = P(m);

	if (!p)
		return "";
	return p->a && !p->file ? attrib_status(p->a) : p->status;
}

const struct proc_stats *model_proc_stats(const struct model *m)
{
	return P(m)->stats;
}
