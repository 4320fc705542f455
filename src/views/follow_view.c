/*
 * follow_view.c - Follow stream: one TCP or UDP stream's payload over the whole screen, both
 * directions in two colours (node A, the first sender, red; node B blue, as Wireshark), as
 * ASCII, UTF-8, a hex dump or raw hex (m), one direction or both (d); the bytes each way and
 * gaps ("[N bytes missing in capture file]") as tshark shows them. / searches the shown
 * text, n and N go to the next and previous match; f filters the packet list to the stream;
 * w saves the shown direction(s) to a file; Enter selects, in the list, the packet that
 * carried the line under the cursor. Only the stream's packets are read (follow_data.h).
 *
 * Untrusted bytes: a byte reaches the terminal only as printable ASCII, as a one-column
 * printable character of valid UTF-8 (UTF-8 mode in a UTF-8 locale), or as hex.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "views/follow_view.h"
#include "views/views.h"
#include "model/follow_data.h"
#include "model/model_streams.h"
#include "ui/line_edit.h"
#include "views/pane.h"

enum fmode { FM_ASCII, FM_UTF8, FM_HEX, FM_RAW, FM_COUNT };
static const char *const mode_names[FM_COUNT] = {"ASCII", "UTF-8", "hex dump", "raw"};
enum fedit { FE_NONE, FE_SEARCH, FE_SAVE };

/* One screen line: `len` bytes of chunk `chunk` from byte `off` of the buffer (a gap's line
 * has none), and for hex dumps the offset within its node's bytes. */
struct fline {
	uint32_t chunk;
	uint32_t len;
	uint64_t off;
	uint64_t node_off;
};

static struct {
	struct follow_data fd;
	bool loaded;
	enum fmode mode;
	unsigned mask; /* nodes shown: bit 0 A, bit 1 B */
	int width;     /* the text width lines were built for */
	struct fline *lines;
	size_t n, cap;
	size_t cur, top;
	enum fedit editing;
	struct line_edit ed;
	char needle[LINE_EDIT_MAX];
} fv = {.mask = 3};

static bool push_line(uint32_t chunk, uint64_t off, uint32_t len, uint64_t node_off)
{
	if (fv.n == fv.cap) {
		size_t cap = fv.cap ? fv.cap * 2 : 1024;
		struct fline *l = realloc(fv.lines, cap * sizeof *l);
		if (!l)
			return false;
		fv.lines = l;
		fv.cap = cap;
	}
	fv.lines[fv.n++] = (struct fline){chunk, len, off, node_off};
	return true;
}

/* Bytes per line for the mode at this width. */
static uint32_t per_line(void)
{
	int w = fv.width > 8 ? fv.width : 8;

	switch (fv.mode) {
	case FM_HEX:
		return 16;
	case FM_RAW:
		return (uint32_t)(w / 2);
	default:
		return (uint32_t)w;
	}
}

/* Splits chunk i into lines: text at newlines (the newline ends its line) and the width. */
static bool chunk_lines(uint32_t i, uint64_t *node_off)
{
	const struct fchunk *c = &fv.fd.c[i];
	uint32_t max = per_line(), start = 0;

	if (!c->len)
		return push_line(i, c->off, 0, *node_off);
	while (start < c->len) {
		uint32_t n = 0;
		if (fv.mode == FM_ASCII || fv.mode == FM_UTF8) {
			while (start + n < c->len && n < max &&
			       fv.fd.bytes[c->off + start + n] != '\n')
				n++;
			if (start + n < c->len && n < max) /* the newline belongs to this line */
				n++;
		} else {
			n = c->len - start < max ? c->len - start : max;
		}
		if (!push_line(i, c->off + start, n, *node_off + start))
			return false;
		start += n;
	}
	*node_off += c->len;
	return true;
}

static void build_lines(void)
{
	uint64_t node_off[2] = {0, 0};
	size_t keep_chunk = fv.cur < fv.n ? fv.lines[fv.cur].chunk : 0;

	fv.n = 0;
	for (uint32_t i = 0; i < fv.fd.n; i++) {
		const struct fchunk *c = &fv.fd.c[i];
		if (!(fv.mask & (1u << c->node)))
			continue;
		if (!chunk_lines(i, &node_off[c->node]))
			break;
	}
	fv.cur = 0;
	for (size_t l = 0; l < fv.n; l++) /* the cursor stays on its chunk */
		if (fv.lines[l].chunk >= keep_chunk) {
			fv.cur = l;
			break;
		}
}

/* The bytes of a text line drawn: without the newline that ends it, or its "\r\n". */
static uint32_t text_len(const struct fline *l)
{
	const uint8_t *b = fv.fd.bytes + l->off;
	uint32_t n = l->len;

	if (n && b[n - 1] == '\n') {
		n--;
		if (n && b[n - 1] == '\r')
			n--;
	}
	return n;
}

/* Printable ASCII, or '.': what tshark's ascii follow shows for other bytes. */
static char ascii_of(uint8_t b)
{
	return b >= 0x20 && b < 0x7f ? (char)b : '.';
}

/* A line's text in ASCII, hex dump or raw form (UTF-8 is drawn apart). */
static void line_text(const struct fline *l, enum fmode mode, char *out, size_t n)
{
	const struct fchunk *c = &fv.fd.c[l->chunk];
	const uint8_t *b = fv.fd.bytes + l->off;
	size_t o = 0;

	out[0] = '\0';
	if (!c->len) {
		snprintf(out, n, "[%u bytes missing in capture file]", c->missing);
		return;
	}
	switch (mode) {
	case FM_HEX:
		o = (size_t)snprintf(out, n, "%08llx  ", (unsigned long long)l->node_off);
		for (uint32_t i = 0; i < 16 && o + 4 < n; i++)
			o += (size_t)(i < l->len ? snprintf(out + o, n - o, "%02x ", b[i])
			                         : snprintf(out + o, n - o, "   "));
		for (uint32_t i = 0; i < l->len && o + 2 < n; i++)
			out[o++] = ascii_of(b[i]);
		out[o] = '\0';
		break;
	case FM_RAW:
		for (uint32_t i = 0; i < l->len && o + 3 < n; i++)
			o += (size_t)snprintf(out + o, n - o, "%02x", b[i]);
		break;
	default:
		for (uint32_t i = 0, tl = text_len(l); i < tl && o + 1 < n; i++)
			out[o++] = ascii_of(b[i]);
		out[o] = '\0';
	}
}

/* Decodes one UTF-8 character at b (n bytes left); returns its length (0: invalid). */
static int utf8_char(const uint8_t *b, uint32_t n, wchar_t *wc)
{
	int len = b[0] < 0x80             ? 1
	          : (b[0] & 0xe0) == 0xc0 ? 2
	          : (b[0] & 0xf0) == 0xe0 ? 3
	          : (b[0] & 0xf8) == 0xf0 ? 4
	                                  : 0;
	uint32_t v = len == 1   ? b[0]
	             : len == 2 ? b[0] & 0x1fu
	             : len == 3 ? b[0] & 0x0fu
	                        : b[0] & 7u;
	static const uint32_t min[5] = {0, 0, 0x80, 0x800, 0x10000};

	if (len == 0 || (uint32_t)len > n)
		return 0;
	for (int i = 1; i < len; i++) {
		if ((b[i] & 0xc0) != 0x80)
			return 0;
		v = v << 6 | (b[i] & 0x3fu);
	}
	if (v < min[len] || v > 0x10ffff || (v >= 0xd800 && v <= 0xdfff))
		return 0; /* overlong, beyond Unicode, or a surrogate */
	*wc = (wchar_t)v;
	return len;
}

/* UTF-8 mode: printable one-column characters as they are, anything else as '.'. */
static void draw_utf8(int y, int x, int w, enum elem e, const struct fline *l)
{
	wchar_t out[512];
	const uint8_t *b = fv.fd.bytes + l->off;
	int n = 0;

	for (uint32_t i = 0, tl = text_len(l); i < tl && n < w && n < 512;) {
		wchar_t wc = L'.';
		int len = utf8_char(b + i, tl - i, &wc);
		if (len == 0 || !term_glyph_narrow(wc)) {
			wc = L'.';
			len = len ? len : 1;
		}
		i += (uint32_t)len;
		out[n++] = wc;
	}
	term_fill(y, x, w, e);
	if (n)
		term_put_glyphs(y, x, e, out, n);
}

static enum elem node_elem(const struct fline *l)
{
	const struct fchunk *c = &fv.fd.c[l->chunk];

	if (!c->len)
		return E_INVALID;
	return c->node ? E_FOLLOW_B : E_FOLLOW_A;
}

static void title_text(char *out, size_t n)
{
	char a[32], b[32];
	const char *dir = fv.mask == 3 ? "both ways" : fv.mask == 1 ? "A>B only" : "B>A only";

	snprintf(out, n, " Follow %s stream %llu: A %s (%s bytes) <> B %s (%s bytes)%s | %s, %s ",
	         fv.fd.proto == P_UDP ? "UDP" : "TCP", (unsigned long long)fv.fd.number,
	         fv.fd.node_text[0], pane_count(fv.fd.bytes_each[0], a), fv.fd.node_text[1],
	         pane_count(fv.fd.bytes_each[1], b), fv.fd.cut ? " [cut at 256 MiB]" : "",
	         mode_names[fv.mode], dir);
}

static void follow_draw(struct app *a, struct rect r, bool focused)
{
	char text[1200];
	int body = r.h - 2;

	(void)focused;
	(void)a;
	if (r.w != fv.width) {
		fv.width = r.w;
		build_lines();
	}
	title_text(text, sizeof text);
	pane_title(r, true, text);
	fv.top = (size_t)pane_scroll(fv.top, fv.cur, fv.n, (uint64_t)(body > 0 ? body : 1));
	for (int y = 0; y < body; y++) {
		size_t i = fv.top + (size_t)y;
		if (i >= fv.n) {
			term_fill(r.y + 1 + y, r.x, r.w, E_NORMAL);
			continue;
		}
		enum elem e = i == fv.cur ? E_SELECTED : node_elem(&fv.lines[i]);
		if (fv.mode == FM_UTF8 && term_unicode() && fv.lines[i].len) {
			draw_utf8(r.y + 1 + y, r.x, r.w, e, &fv.lines[i]);
			continue;
		}
		line_text(&fv.lines[i], fv.mode, text, sizeof text);
		term_put_fill(r.y + 1 + y, r.x, r.w, e, text);
	}
	if (fv.n == 0 && body > 0)
		term_put(r.y + 1, r.x + 2, r.w - 2, E_DIM, "No payload in this stream.");
	if (fv.editing != FE_NONE) {
		const char *label = fv.editing == FE_SEARCH ? "search: " : "save to: ";
		int lw = (int)strlen(label);
		term_put_fill(r.y + r.h - 1, r.x, lw, E_STATUS, label);
		line_edit_draw(&fv.ed, r.y + r.h - 1, r.x + lw, r.w - lw, E_STATUS, -1);
		return;
	}
	snprintf(text, sizeof text,
	         " %llu packets | m mode | d direction | / search, n N | f filter | w save | "
	         "Enter: packet of this line | q close ",
	         (unsigned long long)fv.fd.packets);
	term_line(r.y + r.h - 1, r.x, r.w, TL_H, E_BORDER);
	term_put(r.y + r.h - 1, r.x + 1, r.w - 2, E_DIM, text);
}

/* The next line (from the cursor, in direction dir) whose text holds the needle. */
static bool search(struct app *a, int dir)
{
	char text[1200];

	if (!fv.needle[0] || fv.n == 0)
		return false;
	for (size_t k = 1; k <= fv.n; k++) {
		size_t i = (fv.cur + (dir > 0 ? k : fv.n - k)) % fv.n;
		/* the text a line shows; raw and UTF-8 lines are searched as their ASCII */
		line_text(&fv.lines[i], fv.mode == FM_HEX ? FM_HEX : FM_ASCII, text, sizeof text);
		if (strstr(text, fv.needle)) {
			fv.cur = i;
			return true;
		}
	}
	view_notice(a, "not found: %s", fv.needle);
	return false;
}

static int save(struct app *a, const char *path)
{
	char err[FOLLOW_DATA_ERRLEN], esc[200];
	int64_t n = follow_data_save(&fv.fd, path, fv.mask, err);

	if (n < 0) {
		view_error(a, err);
		return R_REDRAW;
	}
	view_notice(a, "saved %lld payload bytes (%s) to %s", (long long)n,
	            fv.mask == 3   ? "both ways"
	            : fv.mask == 1 ? "A>B"
	                           : "B>A",
	            pane_tail(path, esc, sizeof esc));
	return R_REDRAW;
}

static void start_edit(enum fedit what)
{
	char name[64];

	fv.editing = what;
	if (what == FE_SEARCH) {
		line_edit_set(&fv.ed, fv.needle);
		return;
	}
	snprintf(name, sizeof name, "%s-stream-%llu%s.bin", fv.fd.proto == P_UDP ? "udp" : "tcp",
	         (unsigned long long)fv.fd.number,
	         fv.mask == 3   ? ""
	         : fv.mask == 1 ? "-a2b"
	                        : "-b2a");
	line_edit_set(&fv.ed, name);
}

static int edit_key(struct app *a, const struct key_event *ev)
{
	if (ev->key == TK_ESC) {
		fv.editing = FE_NONE;
		return R_REDRAW;
	}
	if (ev->key == TK_ENTER) {
		enum fedit what = fv.editing;
		fv.editing = FE_NONE;
		if (what == FE_SAVE)
			return fv.ed.len ? save(a, fv.ed.buf) : R_REDRAW;
		snprintf(fv.needle, sizeof fv.needle, "%s", fv.ed.buf);
		search(a, 1);
		return R_REDRAW;
	}
	line_edit_key(&fv.ed, ev->key);
	return R_REDRAW;
}

static int follow_key(struct app *a, const struct key_event *ev)
{
	return fv.editing != FE_NONE ? edit_key(a, ev) : R_UNHANDLED;
}

/* Enter: the packet that carried the cursor's line, selected in the list. */
static int goto_packet(struct app *a)
{
	uint64_t frame;

	if (fv.cur >= fv.n)
		return R_REDRAW;
	frame = fv.fd.c[fv.lines[fv.cur].chunk].frame;
	if (!model_select_packet(a->m, frame - 1)) {
		view_notice(a, "packet %llu is not in the list: the filter hides it",
		            (unsigned long long)frame);
		return R_REDRAW;
	}
	view_close_overlay(a);
	a->focus = PANE_LIST;
	view_notice(a, "packet %llu of %s stream %llu", (unsigned long long)frame,
	            fv.fd.proto == P_UDP ? "UDP" : "TCP", (unsigned long long)fv.fd.number);
	return R_REDRAW;
}

static int filter_stream(struct app *a)
{
	char expr[64];
	struct filter_verdict v;

	snprintf(expr, sizeof expr, "%s.stream == %llu", fv.fd.proto == P_UDP ? "udp" : "tcp",
	         (unsigned long long)fv.fd.number);
	if (!model_set_filter(a->m, expr, &v)) {
		view_notice(a, "cannot filter: %.300s", v.msg);
		return R_REDRAW;
	}
	view_close_overlay(a);
	a->focus = PANE_LIST;
	view_notice(a, "filter: %s", expr);
	return R_REDRAW;
}

static void move(int64_t by)
{
	fv.cur = (size_t)pane_moved(fv.cur, by, fv.n);
}

static int follow_action(struct app *a, enum action act)
{
	int64_t by;

	if (pane_move_by(act, fv.n, a->rows - 4 > 1 ? a->rows - 4 : 1, &by)) {
		move(by);
		return R_REDRAW;
	}
	switch (act) {
	case A_ESC:
	case A_QUIT:
		view_close_overlay(a);
		break;
	case A_ENTER:
		return goto_packet(a);
	case A_FOLLOW_MODE:
		fv.mode = (enum fmode)((fv.mode + 1) % FM_COUNT);
		build_lines();
		break;
	case A_FOLLOW_DIR:
		fv.mask = fv.mask == 3 ? 1 : fv.mask == 1 ? 2 : 3;
		build_lines();
		break;
	case A_FOLLOW_FILTER:
		return filter_stream(a);
	case A_FOLLOW_SAVE:
		start_edit(FE_SAVE);
		break;
	case A_SEARCH:
		start_edit(FE_SEARCH);
		break;
	case A_SEARCH_NEXT:
	case A_SEARCH_PREV:
		search(a, act == A_SEARCH_NEXT ? 1 : -1);
		break;
	default:
		return R_UNHANDLED;
	}
	return R_REDRAW;
}

static int follow_mouse(struct app *a, struct rect r, const struct key_event *ev)
{
	(void)a;
	if (ev->key == TK_WHEEL_UP || ev->key == TK_WHEEL_DOWN)
		move(ev->key == TK_WHEEL_UP ? -3 : 3);
	else if (ev->key == TK_CLICK && ev->y > r.y && ev->y < r.y + r.h - 1)
		move((int64_t)(fv.top + (size_t)(ev->y - r.y - 1)) - (int64_t)fv.cur);
	return R_REDRAW;
}

static void follow_shutdown(void)
{
	follow_data_free(&fv.fd);
	free(fv.lines);
	fv.lines = NULL;
	fv.n = fv.cap = 0;
}

const struct view_ops view_follow = {
    .name = "follow stream",
    .ctx = CTX_FOLLOW,
    .place = VP_FULL,
    .draw = follow_draw,
    .key = follow_key,
    .action = follow_action,
    .mouse = follow_mouse,
    .shutdown = follow_shutdown,
};

int follow_view_open(struct app *a, int proto, uint64_t number)
{
	char err[FOLLOW_DATA_ERRLEN];

	model_streams_finish(a->m); /* the stream's chain whole, to the last stored packet */
	if (follow_data_load(a->m, proto, number, &fv.fd, err) < 0) {
		view_error(a, err);
		return R_REDRAW;
	}
	fv.cur = fv.top = 0;
	fv.editing = FE_NONE;
	fv.mask = 3;
	fv.width = 0; /* lines are built at the first draw, for its width */
	fv.n = 0;
	view_open_overlay(a, &view_follow);
	return R_REDRAW;
}
