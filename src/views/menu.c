/*
 * menu.c - the menu bar (F2 or m): File, Capture and Send, drawn over the top line with the
 * open menu dropped down below its title.
 *
 * The items are the action table's rows that name a menu (ui/actions.c, handed over in
 * struct app), in table order. Menu items are keys: each item is an action, shows its keys
 * (keymap_keys_text), and choosing it closes the menu and runs the action through
 * view_dispatch() exactly as its key would. Left/Right switch menus, Up/Down move, Enter
 * chooses, Esc, F2 or m close; a key bound to an item's action runs it too. The mouse: a
 * click on a title opens that menu, on an item chooses it, anywhere else closes.
 */
#include <stdio.h>
#include <string.h>

#include "views/view.h"
#include "views/views.h"

struct menu_item {
	int menu; /* enum action_menu */
	enum action act;
	const char *label;
};

static const char *const titles[MENU_COUNT] = {"File", "Capture", "Send", "Analyze"};

#define ITEMS_MAX 32

#define TITLE_GAP 2 /* columns between two titles */
#define KEYS_MAX  24

/* The menu bar: its items (the action table's rows that have a menu, in table order), the
 * open menu, the highlighted item and where the last draw put things, for the mouse. */
static struct {
	struct menu_item items[ITEMS_MAX];
	int nitems;
	int menu; /* the open menu */
	int sel;  /* index in items[] of the highlighted item */
	int title_x[MENU_COUNT];
	int box_x, box_w, box_y;
} menubar;

/* The keys of an action as the panes know them ("^S", "w"). */
static const char *keys(enum action act, char *buf)
{
	return keymap_keys_text(act, CTX_PANES, buf, KEYS_MAX);
}

static int first_item(int menu)
{
	for (int i = 0; i < menubar.nitems; i++)
		if (menubar.items[i].menu == menu)
			return i;
	return 0;
}

/* The row of item i in its menu (0-based). */
static int item_row(int i)
{
	return i - first_item(menubar.items[i].menu);
}

static void draw_titles(struct rect r)
{
	int x = r.x + 1;

	term_fill(r.y, r.x, r.w, E_STATUS);
	for (int m = 0; m < MENU_COUNT; m++) {
		int w = (int)strlen(titles[m]) + 2;
		char t[16];
		snprintf(t, sizeof t, " %s ", titles[m]);
		menubar.title_x[m] = x;
		term_put(r.y, x, r.x + r.w - x, m == menubar.menu ? E_SELECTED : E_STATUS, t);
		x += w + TITLE_GAP;
	}
	term_put(r.y, x + 2, r.x + r.w - x - 2, E_STATUS, "Enter choose  Esc close");
}

/* The box's inner width: the longest label, a gap, the longest keys. */
static int box_width(void)
{
	int lw = 0, kw = 0;
	char k[KEYS_MAX];

	for (int i = first_item(menubar.menu);
	     i < menubar.nitems && menubar.items[i].menu == menubar.menu; i++) {
		int l = (int)strlen(menubar.items[i].label),
		    n = (int)strlen(keys(menubar.items[i].act, k));
		lw = l > lw ? l : lw;
		kw = n > kw ? n : kw;
	}
	return 1 + lw + 3 + kw + 1;
}

static void draw_box(struct rect r)
{
	int w = box_width(), x = menubar.title_x[menubar.menu] - 1, y = r.y + 1, n = 0;
	char k[KEYS_MAX];

	if (x + w + 2 > r.x + r.w)
		x = r.x + r.w - w - 2;
	x = x < r.x ? r.x : x;
	menubar.box_x = x;
	menubar.box_w = w;
	menubar.box_y = y;
	for (int i = first_item(menubar.menu);
	     i < menubar.nitems && menubar.items[i].menu == menubar.menu; i++, n++) {
		int row = y + 1 + n;
		enum elem e = i == menubar.sel ? E_SELECTED : E_NORMAL;
		term_line(row, x, 1, TL_V, E_BORDER);
		term_fill(row, x + 1, w, e);
		term_put(row, x + 2, w - 2, e, menubar.items[i].label);
		keys(menubar.items[i].act, k);
		term_put(row, x + w - (int)strlen(k), (int)strlen(k), i == menubar.sel ? e : E_DIM,
		         k);
		term_line(row, x + w + 1, 1, TL_V, E_BORDER);
	}
	term_line(y, x, 1, TL_TOP_L, E_BORDER);
	term_line(y, x + 1, w, TL_H, E_BORDER);
	term_line(y, x + w + 1, 1, TL_TOP_R, E_BORDER);
	term_line(y + 1 + n, x, 1, TL_BOT_L, E_BORDER);
	term_line(y + 1 + n, x + 1, w, TL_H, E_BORDER);
	term_line(y + 1 + n, x + w + 1, 1, TL_BOT_R, E_BORDER);
}

static void menu_draw(struct app *a, struct rect r, bool focused)
{
	(void)a;
	(void)focused;
	draw_titles(r);
	draw_box(r);
}

static int open_menu(int m)
{
	menubar.menu = (m + MENU_COUNT) % MENU_COUNT;
	menubar.sel = first_item(menubar.menu);
	return R_REDRAW;
}

static int move_sel(int d)
{
	int first = first_item(menubar.menu), n = 0;

	while (first + n < menubar.nitems && menubar.items[first + n].menu == menubar.menu)
		n++;
	menubar.sel = first + (item_row(menubar.sel) + d + n) % n;
	return R_REDRAW;
}

/* Closes the menu and runs the action as its key would, in the focused pane. */
static int choose(struct app *a, enum action act)
{
	view_close_overlay(a);
	return view_dispatch(a, act) | R_REDRAW;
}

static int menu_action(struct app *a, enum action act)
{
	switch (act) {
	case A_LEFT:
		return open_menu(menubar.menu - 1);
	case A_RIGHT:
		return open_menu(menubar.menu + 1);
	case A_UP:
		return move_sel(-1);
	case A_DOWN:
		return move_sel(1);
	case A_HOME:
		return move_sel(-item_row(menubar.sel));
	case A_ENTER:
		return choose(a, menubar.items[menubar.sel].act);
	case A_ESC:
		view_close_overlay(a);
		return R_REDRAW;
	default:
		return R_REDRAW; /* modal */
	}
}

/* A key bound to an item's action in the panes runs that item (w, ^S...). */
static int menu_key(struct app *a, const struct key_event *ev)
{
	enum action act = keymap_lookup(ev->key, CTX_MENU);

	if (act != A_NONE)
		return R_UNHANDLED; /* navigation and the global keys: menu_action */
	act = keymap_lookup(ev->key, CTX_PANES);
	if (act == A_MENU) /* F2 or m again */
		return menu_action(a, A_ESC);
	for (int i = 0; i < menubar.nitems; i++)
		if (act != A_NONE && menubar.items[i].act == act)
			return choose(a, act);
	return R_NONE;
}

static int menu_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	if (ev->key != TK_CLICK)
		return R_NONE;
	if (ev->y == r.y) {
		for (int m = MENU_COUNT - 1; m >= 0; m--)
			if (ev->x >= menubar.title_x[m]) {
				if (ev->x < menubar.title_x[m] + (int)strlen(titles[m]) + 2)
					return open_menu(m);
				break;
			}
	}
	int row = ev->y - menubar.box_y - 1;
	int first = first_item(menubar.menu);
	if (ev->x > menubar.box_x && ev->x <= menubar.box_x + menubar.box_w && row >= 0 &&
	    first + row < menubar.nitems && menubar.items[first + row].menu == menubar.menu)
		return choose(a, menubar.items[first + row].act);
	view_close_overlay(a);
	return R_REDRAW;
}

static void menu_open(struct app *a)
{
	menubar.nitems = 0;
	for (size_t i = 0; i < a->nactions && menubar.nitems < ITEMS_MAX; i++) {
		const struct action_def *d = &a->actions[i];
		if (d->menu != MENU_NONE && d->label)
			menubar.items[menubar.nitems++] =
			    (struct menu_item){d->menu, d->act, d->label};
	}
	open_menu(MENU_FILE);
}

const struct view_ops view_menu = {
    .name = "menu",
    .ctx = CTX_MENU,
    .place = VP_FULL,
    .draw = menu_draw,
    .action = menu_action,
    .key = menu_key,
    .mouse = menu_mouse,
    .open = menu_open,
};
