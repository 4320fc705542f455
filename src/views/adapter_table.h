/*
 * adapter_table.h - the picker's list of adapters: a row per adapter (a mark, number, name, flags,
 * link type, first address and, where capture is permitted, a packets/s sparkline), its
 * description under it and, when expanded, its flags in full and every address with
 * netmask, broadcast and destination. Draws only; the picker owns the data and the keys.
 */
#ifndef CAPSCOPE_ADAPTER_TABLE_H
#define CAPSCOPE_ADAPTER_TABLE_H

#include <stdbool.h>
#include <stddef.h>

#include "views/view.h"
#include "model/adapters.h"
#include "ui/sparkline.h"

struct adapter_table_line;

struct adapter_table {
	/* the picker's data, set before adapter_table_build() */
	const struct adapter_list *list;
	const bool *expanded;          /* per adapter */
	const int *dlt;                /* per adapter: link type, or -1 when unknown */
	const struct sparkline *spark; /* per adapter, or NULL: no packets/s column */
	const bool *marked;            /* per adapter (a '*' before its number), or NULL */
	/* the table's own */
	struct adapter_table_line *lines;
	size_t nlines;
	size_t top; /* first line shown */
};

/* (Re)builds the lines after the list or an expansion changed. */
void adapter_table_build(struct adapter_table *t);
void adapter_table_free(struct adapter_table *t);
/* Draws the header and the lines from y up to (not including) end in r, scrolled so that
 * adapter `sel` (-1: none) is in view, highlighted. */
void adapter_table_draw(struct adapter_table *t, struct rect r, int y, int end, long sel);

#endif
