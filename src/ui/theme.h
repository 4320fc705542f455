/*
 * theme.h - colours as semantic elements. Views ask for E_SELECTED or E_PROTO_DNS, never for
 * a curses colour; a theme maps each element to colours and attributes. The monochrome theme
 * uses attributes only and is chosen for NO_COLOR, terminals without colour, or --theme mono.
 */
#ifndef CAPSCOPE_THEME_H
#define CAPSCOPE_THEME_H

#include <stdbool.h>

enum elem {
	E_NORMAL,
	E_TITLE,  /* pane titles */
	E_HEADER, /* column headers */
	E_BORDER,
	E_SELECTED,     /* the selected row in the focused pane */
	E_SELECTED_DIM, /* the selected row in a pane without focus */
	E_MARKED,       /* a marked packet */
	E_FIELD_HILITE, /* hex bytes of the selected field */
	E_TRUNCATED,    /* a truncated layer or field */
	E_INVALID,      /* an invalid value */
	E_DROP_WARN,    /* non-zero drop counters */
	E_STATUS,       /* the status bar */
	E_STATUS_KEY,   /* key names in the function-key bar */
	E_FILTER_OK,
	E_FILTER_BAD,
	E_DIM,
	E_PROTO_TCP,
	E_PROTO_UDP,
	E_PROTO_DNS,
	E_PROTO_ICMP,
	E_PROTO_ARP,
	E_PROTO_OTHER,
	E_FOLLOW_A,    /* follow stream: the bytes of the stream's first sender */
	E_FOLLOW_B,    /* and of the other endpoint */
	E_LINK,        /* a decoded field that names another frame (Enter goes there) */
	E_BAD_TCP,     /* a TCP packet with analysis flags (tshark's "Bad TCP" colouring rule) */
	E_GRAPH,       /* the rate graph's (filtered) series */
	E_GRAPH_TOTAL, /* the rate graph's total series, drawn behind it */
	E_COUNT
};

/* Sets up colour pairs for the chosen theme ("default" or "mono"); call after initscr(). */
void theme_init(const char *name);
/* The curses attribute (colour pair plus attributes) for an element. */
unsigned long theme_attr(enum elem e);
bool theme_is_mono(void);

#endif
