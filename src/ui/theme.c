/* theme.c - semantic elements x themes (see theme.h). */
#include "ui/theme.h"

#include <stdlib.h>
#include <string.h>

#include "ui/curses_compat.h"

struct style {
	short fg, bg;       /* -1 = terminal default */
	unsigned long attr; /* A_BOLD, A_REVERSE, ... */
};

static const struct style default_theme[E_COUNT] = {
    [E_NORMAL] = {-1, -1, 0},
    [E_TITLE] = {COLOR_CYAN, -1, A_BOLD},
    [E_HEADER] = {COLOR_BLACK, COLOR_CYAN, 0},
    [E_BORDER] = {COLOR_BLUE, -1, 0},
    [E_SELECTED] = {COLOR_BLACK, COLOR_GREEN, 0},
    [E_SELECTED_DIM] = {COLOR_BLACK, COLOR_WHITE, 0},
    [E_MARKED] = {COLOR_YELLOW, -1, A_BOLD},
    [E_FIELD_HILITE] = {COLOR_BLACK, COLOR_YELLOW, 0},
    [E_TRUNCATED] = {COLOR_MAGENTA, -1, A_BOLD},
    [E_INVALID] = {COLOR_RED, -1, A_BOLD},
    [E_DROP_WARN] = {COLOR_WHITE, COLOR_RED, A_BOLD},
    [E_STATUS] = {COLOR_BLACK, COLOR_WHITE, 0},
    [E_STATUS_KEY] = {COLOR_WHITE, COLOR_BLUE, A_BOLD},
    [E_FILTER_OK] = {COLOR_BLACK, COLOR_GREEN, 0},
    [E_FILTER_BAD] = {COLOR_WHITE, COLOR_RED, 0},
    [E_DIM] = {-1, -1, A_DIM},
    [E_PROTO_TCP] = {COLOR_CYAN, -1, 0},
    [E_PROTO_UDP] = {COLOR_BLUE, -1, A_BOLD},
    [E_PROTO_DNS] = {COLOR_GREEN, -1, 0},
    [E_PROTO_ICMP] = {COLOR_MAGENTA, -1, 0},
    [E_PROTO_ARP] = {COLOR_YELLOW, -1, 0},
    [E_PROTO_OTHER] = {-1, -1, 0},
    [E_FOLLOW_A] = {COLOR_RED, -1, 0}, /* Wireshark: client red, server blue */
    [E_FOLLOW_B] = {COLOR_BLUE, -1, A_BOLD},
    [E_LINK] = {COLOR_BLUE, -1, A_UNDERLINE},
    [E_BAD_TCP] = {COLOR_RED, COLOR_BLACK, A_BOLD}, /* Wireshark's: red on black */
    [E_GRAPH] = {COLOR_GREEN, -1, A_BOLD},
    [E_GRAPH_TOTAL] = {COLOR_BLUE, -1, 0},
};

/* Attributes only: readable on any terminal, and what NO_COLOR asks for. */
static const unsigned long mono_theme[E_COUNT] = {
    [E_TITLE] = A_BOLD,
    [E_HEADER] = A_REVERSE,
    [E_SELECTED] = A_REVERSE,
    [E_SELECTED_DIM] = A_UNDERLINE,
    [E_MARKED] = A_BOLD,
    [E_FIELD_HILITE] = A_REVERSE,
    [E_TRUNCATED] = A_UNDERLINE,
    [E_INVALID] = A_BOLD | A_UNDERLINE,
    [E_DROP_WARN] = A_REVERSE | A_BOLD,
    [E_STATUS] = A_REVERSE,
    [E_STATUS_KEY] = A_BOLD,
    [E_FILTER_OK] = A_REVERSE,
    [E_FILTER_BAD] = A_BOLD | A_UNDERLINE,
    [E_DIM] = A_DIM,
    [E_FOLLOW_B] = A_BOLD,
    [E_LINK] = A_UNDERLINE,
    [E_BAD_TCP] = A_BOLD | A_UNDERLINE,
    [E_GRAPH] = A_BOLD,
    [E_GRAPH_TOTAL] = A_DIM,
};

static unsigned long attrs[E_COUNT];
static bool mono;

static bool want_mono(const char *name)
{
	const char *nc = getenv("NO_COLOR");

	if (nc && nc[0]) /* https://no-color.org: set and not empty */
		return true;
	if (name && strcmp(name, "mono") == 0)
		return true;
	return !has_colors();
}

void theme_init(const char *name)
{
	mono = want_mono(name);
	if (mono) {
		for (int e = 0; e < E_COUNT; e++)
			attrs[e] = mono_theme[e];
		return;
	}
	start_color();
	use_default_colors();
	for (int e = 0; e < E_COUNT; e++) {
		const struct style *s = &default_theme[e];
		init_pair((short)(e + 1), s->fg, s->bg);
		attrs[e] = COLOR_PAIR(e + 1) | s->attr;
	}
}

unsigned long theme_attr(enum elem e)
{
	return e < E_COUNT ? attrs[e] : 0;
}

bool theme_is_mono(void)
{
	return mono;
}
