/* adapter_table.c - the picker's list of adapters (see adapter_table.h). */
#include "views/adapter_table.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "model/adapter_text.h"

#define NAME_MAX_W 14 /* longer names are cut with a '~' in the list */
#define SPARK_W    10 /* sparkline columns in the list */

enum line_kind { L_ADAPTER, L_DESC, L_FLAGS, L_ADDR };

struct adapter_table_line {
	enum line_kind kind;
	size_t ad, addr;
};

static void add_line(struct adapter_table *t, enum line_kind k, size_t ad, size_t addr)
{
	t->lines[t->nlines++] = (struct adapter_table_line){k, ad, addr};
}

void adapter_table_build(struct adapter_table *t)
{
	size_t n = 0;

	for (size_t i = 0; i < t->list->n; i++)
		n += 2 + (t->expanded[i] ? 1 + adapter_text_ip_count(&t->list->v[i]) : 0);
	free(t->lines);
	t->nlines = 0;
	t->lines = n ? malloc(n * sizeof *t->lines) : NULL;
	if (!t->lines)
		return;
	for (size_t i = 0; i < t->list->n; i++) {
		add_line(t, L_ADAPTER, i, 0);
		add_line(t, L_DESC, i, 0);
		for (size_t k = 0; t->expanded[i] && k <= adapter_text_ip_count(&t->list->v[i]);
		     k++)
			add_line(t, k == 0 ? L_FLAGS : L_ADDR, i, k - 1);
	}
}

void adapter_table_free(struct adapter_table *t)
{
	free(t->lines);
	t->lines = NULL;
	t->nlines = 0;
	t->top = 0;
}

struct cols {
	int name, flags, link, addr, spark; /* widths, each with its trailing gap */
};

static int clamp(int v, int lo, int hi)
{
	return v < lo ? lo : v > hi ? hi : v;
}

/* The adapter's row shows its name and the line below its description; on Windows the other
 * way round, since Npcap's names are GUIDs (\Device\NPF_{...}) and the description is what
 * names the adapter for a person (and -i accepts it). */
static const char *row_label(const struct adapter *ad)
{
#ifdef _WIN32
	if (ad->description)
		return ad->description;
#endif
	return ad->name;
}

static const char *desc_line(const struct adapter *ad)
{
#ifdef _WIN32
	if (ad->description)
		return ad->name;
#endif
	return ad->description;
}

/* Widths fitted to the adapters; the address column takes what is left. */
static struct cols columns(const struct adapter_table *t, int w)
{
	struct cols c = {.name = 7, .flags = 5, .link = 4};
	char buf[64];

	for (size_t i = 0; i < t->list->n; i++) {
		const struct adapter *ad = &t->list->v[i];
		c.name = clamp((int)strlen(row_label(ad)), c.name, NAME_MAX_W);
		c.flags = clamp((int)strlen(adapter_text_flags(ad->flags, true, buf, sizeof buf)),
		                c.flags, 20);
		if (t->dlt[i] >= 0)
			c.link = clamp((int)strlen(adapter_text_link(t->dlt[i], "-")), c.link, 12);
	}
	c.name += 2;
	c.flags += 2;
	c.link += 2;
	c.spark = t->spark && w >= 72 ? SPARK_W + 7 : 0;
	c.addr = w - 5 - c.name - c.flags - c.link - c.spark;
	return c;
}

/* The escaped name, cut to w columns with a '~' when longer. */
static const char *short_name(const char *name, int w, char *buf, size_t n)
{
	esc_cstr(buf, n, name);
	if ((int)strlen(buf) > w && w > 1) {
		buf[w - 1] = '~';
		buf[w] = '\0';
	}
	return buf;
}

static void draw_adapter(const struct adapter_table *t, size_t i, int y, struct rect r,
                         struct cols c, bool sel)
{
	const struct adapter *ad = &t->list->v[i];
	char row[512], name[256], fl[64], addr[64], spark[SPARK_W + 1], rate[16];
	int dlt = t->dlt[i];

	snprintf(row, sizeof row, "%3zu  %-*s%-*s%-*.*s%-*.*s", i + 1, c.name,
	         short_name(row_label(ad), c.name - 2, name, sizeof name), c.flags,
	         adapter_text_flags(ad->flags, true, fl, sizeof fl), c.link, c.link - 2,
	         adapter_text_link(dlt, "-"), c.addr > 0 ? c.addr : 0, c.addr > 1 ? c.addr - 1 : 0,
	         adapter_text_first(ad, addr, sizeof addr));
	term_put_fill(y, r.x, r.w, sel ? E_SELECTED : ad->flags & AD_UP ? E_NORMAL : E_DIM, row);
	if (t->marked && t->marked[i]) /* in the number's margin, as the packet list marks */
		term_put(y, r.x, 1, sel ? E_SELECTED : E_MARKED, "*");
	if (!c.spark)
		return;
	sparkline_text(&t->spark[i], spark, SPARK_W);
	snprintf(row, sizeof row, "%s %5s", spark,
	         adapter_text_rate(sparkline_last(&t->spark[i]), rate, sizeof rate));
	term_put(y, r.x + r.w - c.spark, c.spark, sel ? E_SELECTED : E_PROTO_UDP, row);
}

static void draw_line(const struct adapter_table *t, const struct adapter_table_line *l, int y,
                      struct rect r, struct cols c, long sel)
{
	const struct adapter *ad = &t->list->v[l->ad];
	char buf[512], fl[64];
	int dlt;

	switch (l->kind) {
	case L_ADAPTER:
		draw_adapter(t, l->ad, y, r, c, sel == (long)l->ad);
		break;
	case L_DESC:
		term_put(y, r.x + 5, r.w - 5, E_DIM,
		         desc_line(ad) ? esc_cstr(buf, sizeof buf, desc_line(ad))
		                       : "No description available");
		break;
	case L_FLAGS:
		dlt = t->dlt[l->ad];
		snprintf(buf, sizeof buf, "flags: %s; %s   link type: %s%s",
		         adapter_text_flags(ad->flags, false, fl, sizeof fl),
		         adapter_text_conn(ad->conn), adapter_text_link(dlt, "unknown"),
		         adapter_text_ip_count(ad) ? "" : "   no IP addresses");
		term_put(y, r.x + 7, r.w - 7, E_NORMAL, buf);
		break;
	case L_ADDR:
		if (adapter_text_ip(ad, l->addr))
			term_put(y, r.x + 7, r.w - 7, E_NORMAL,
			         adapter_text_addr(adapter_text_ip(ad, l->addr), buf, sizeof buf));
		break;
	}
}

/* Scrolls so the selected adapter's lines are on screen (its first line at least). */
static void keep_visible(struct adapter_table *t, long sel, int h)
{
	size_t first = 0, last;

	if (sel < 0 || h <= 0)
		return;
	while (first < t->nlines &&
	       !(t->lines[first].kind == L_ADAPTER && t->lines[first].ad == (size_t)sel))
		first++;
	for (last = first + 1; last < t->nlines && t->lines[last].kind != L_ADAPTER; last++)
		;
	if (last - 1 >= t->top + (size_t)h)
		t->top = last - (size_t)h;
	if (first < t->top)
		t->top = first;
}

void adapter_table_draw(struct adapter_table *t, struct rect r, int y, int end, long sel)
{
	struct cols c = columns(t, r.w);
	char hdr[256];

	snprintf(hdr, sizeof hdr, "  #  %-*s%-*s%-*s%-*s", c.name, "Adapter", c.flags, "Flags",
	         c.link, "Link", c.addr > 0 ? c.addr : 0, "Address");
	term_put_fill(y, r.x, r.w, E_HEADER, hdr);
	if (c.spark)
		term_put(y, r.x + r.w - c.spark, c.spark, E_HEADER, " packets/s");
	y++;
	keep_visible(t, sel, end - y);
	for (size_t i = t->top; i < t->nlines && y < end; i++)
		draw_line(t, &t->lines[i], y++, r, c, sel);
	if (t->list->n == 0)
		term_put(y, r.x + 3, r.w - 3, E_DIM, "no adapters were found");
}
