/*
 * fields_out.c - `-T fields -e ... -E ...` lines and --list-fields (see fields_out.h).
 *
 * A column's occurrences are the fields of its key in tree order (an alias: of any of its
 * members), so ip.addr prints ip.src then ip.dst, and a tunnelled packet gives one value per
 * layer, comma-joined, as tshark prints them. frame.* values come from struct frame_meta.
 */
#include "decode/fields_out.h"

#include <stdio.h>
#include <string.h>

#include "base/addr.h"
#include "base/escape.h"
#include "decode/timefmt.h"

void fields_spec_init(struct fields_spec *s)
{
	memset(s, 0, sizeof *s);
	s->fmt.separator = '\t';
	s->fmt.aggregator = ',';
	s->fmt.occurrence = FIELDS_ALL;
}

int fields_spec_add(struct fields_spec *s, const char *name, char *err, size_t errlen)
{
	enum field_key k = field_key_lookup(name, strlen(name));
	char esc[96];

	if (k == K_NONE) {
		enum field_key near = field_key_suggest(name, strlen(name));
		snprintf(err, errlen, "unknown field \"%s\" (%s%s%s)",
		         esc_cstr(esc, sizeof esc, name),
		         near ? "did you mean " : "see capscope --list-fields",
		         near ? field_key_name(near) : "", near ? "?" : "");
		return -1;
	}
	if (s->n >= FIELDS_MAX) {
		snprintf(err, errlen, "too many -e fields (at most %d)", FIELDS_MAX);
		return -1;
	}
	s->keys[s->n++] = (uint16_t)k;
	return 0;
}

/* A separator or aggregator: /t, /s or the first character. */
static char sep_char(const char *v)
{
	if (strcmp(v, "/t") == 0)
		return '\t';
	if (strcmp(v, "/s") == 0)
		return ' ';
	return v[0];
}

/* One letter out of `allowed` (the first character of v counts); 0 if none. */
static char pick(const char *v, const char *allowed)
{
	return v[0] && strchr(allowed, v[0]) ? v[0] : 0;
}

int fields_format_set(struct fields_format *f, const char *opt, char *err, size_t errlen)
{
	const char *eq = strchr(opt, '=');
	const char *v = eq ? eq + 1 : "";
	size_t klen = eq ? (size_t)(eq - opt) : strlen(opt);
	char c = 0, esc[64];

	if (klen == 6 && strncmp(opt, "header", 6) == 0 && (c = pick(v, "yn")))
		f->header = c == 'y';
	else if (klen == 9 && strncmp(opt, "separator", 9) == 0 && (c = sep_char(v)))
		f->separator = c;
	else if (klen == 10 && strncmp(opt, "aggregator", 10) == 0 && (c = sep_char(v)))
		f->aggregator = c;
	else if (klen == 10 && strncmp(opt, "occurrence", 10) == 0 && (c = pick(v, "fla")))
		f->occurrence = c == 'f' ? FIELDS_FIRST : c == 'l' ? FIELDS_LAST : FIELDS_ALL;
	else if (klen == 5 && strncmp(opt, "quote", 5) == 0 && (c = pick(v, "dsn")))
		f->quote = c == 'd' ? '"' : c == 's' ? '\'' : '\0';
	if (c)
		return 0;
	snprintf(err, errlen,
	         "invalid -E option '%s' (header=y|n, separator=/t|/s|C, aggregator=,|/s|C, "
	         "occurrence=f|l|a, quote=d|s|n)",
	         esc_cstr(esc, sizeof esc, opt));
	return -1;
}

void fields_header(const struct fields_spec *s, struct outbuf *ob)
{
	for (size_t i = 0; i < s->n; i++) {
		if (i)
			ob_char(ob, s->fmt.separator);
		ob_str(ob, field_key_name((enum field_key)s->keys[i]));
	}
	ob_char(ob, '\n');
}

void fields_put_value(struct outbuf *ob, const struct dissection *d, const struct field *f)
{
	char buf[DISS_TEXT_SIZE * 4 + 1];

	switch (f->type) {
	case FT_UINT:
		ob_u64(ob, f->u);
		break;
	case FT_BYTES:
		if (fld_data(d, f))
			ob_hex(ob, fld_data(d, f), f->len);
		break;
	default:
		ob_mem(ob, buf, field_value_text(d, f, buf, sizeof buf));
	}
}

/* Seconds with 9 decimals, signed: tshark's FT_RELATIVE_TIME. */
static void put_reltime(struct outbuf *ob, int64_t ns)
{
	ob_commit(ob, field_reltime_text(ob_reserve(ob, FIELD_RELTIME_MAX), ns));
}

/* frame.*: one value each, from the frame's metadata. */
static void put_frame(struct outbuf *ob, enum field_key k, const struct frame_meta *m)
{
	switch (k) {
	case K_FRAME_NUMBER:
		ob_u64(ob, m->number);
		break;
	case K_FRAME_TIME_EPOCH:
		ob_commit(ob, timefmt_epoch(ob_reserve(ob, TIMEFMT_MAX), m->ts_sec, m->ts_nsec, 9));
		break;
	case K_FRAME_TIME_RELATIVE:
		put_reltime(ob, m->rel_nsec);
		break;
	case K_FRAME_TIME_DELTA:
		put_reltime(ob, m->delta_nsec);
		break;
	case K_FRAME_LEN:
		ob_u64(ob, m->len);
		break;
	case K_FRAME_INTERFACE_ID:
		if (m->if_known)
			ob_u64(ob, m->if_id);
		break;
	case K_FRAME_INTERFACE_NAME:
		if (m->if_name)
			ob_str(ob, m->if_name);
		break;
	default:
		ob_u64(ob, m->caplen);
	}
}

static bool is_frame_key(enum field_key k)
{
	return k >= K_FRAME_NUMBER && k <= K_FRAME_INTERFACE_NAME;
}

/* The -E quote character, if there is one. */
static void put_quote(struct outbuf *ob, char quote)
{
	if (quote)
		ob_char(ob, quote);
}

/* True if field key fk is what column key k (or one of its alias members) names. */
static bool column_has(const struct field_info *fi, enum field_key k, uint16_t fk)
{
	if (fi->nmembers == 0)
		return fk == k;
	for (unsigned m = 0; m < fi->nmembers; m++)
		if (fk == fi->members[m])
			return true;
	return false;
}

/* The occurrences of column key k that the occurrence option keeps, written joined. */
static void put_column(const struct fields_format *fmt, struct outbuf *ob, enum field_key k,
                       const struct dissection *d)
{
	const struct field_info *fi = field_key_info(k);
	int32_t last = -1;
	bool any = false;

	for (uint16_t i = 0; i < d->nf; i++) {
		if (!column_has(fi, k, d->f[i].key))
			continue;
		if (fmt->occurrence == FIELDS_LAST) {
			last = i;
			continue;
		}
		if (any)
			ob_char(ob, fmt->aggregator);
		else
			put_quote(ob, fmt->quote);
		any = true;
		fields_put_value(ob, d, &d->f[i]);
		if (fmt->occurrence == FIELDS_FIRST)
			break;
	}
	if (last >= 0) {
		put_quote(ob, fmt->quote);
		any = true;
		fields_put_value(ob, d, &d->f[last]);
	}
	if (any)
		put_quote(ob, fmt->quote);
}

void fields_line(const struct fields_spec *s, struct outbuf *ob, const struct frame_meta *m,
                 const struct dissection *d)
{
	for (size_t i = 0; i < s->n; i++) {
		enum field_key k = (enum field_key)s->keys[i];

		if (i)
			ob_char(ob, s->fmt.separator);
		if (is_frame_key(k)) {
			put_quote(ob, s->fmt.quote);
			put_frame(ob, k, m);
			put_quote(ob, s->fmt.quote);
		} else {
			put_column(&s->fmt, ob, k, d);
		}
	}
	ob_char(ob, '\n');
}

void fields_list(struct outbuf *ob)
{
	const struct field_proto *p;

	for (size_t i = 0; (p = field_proto_at(i)) != NULL; i++) {
		ob_str(ob, "P\t");
		ob_str(ob, p->desc);
		ob_char(ob, '\t');
		ob_str(ob, p->name);
		ob_char(ob, '\n');
	}
	for (unsigned k = K_NONE + 1; k < K_COUNT; k++) {
		const struct field_info *fi = field_key_info((enum field_key)k);
		if (!fi)
			continue;
		p = field_proto_of(fi->name);
		ob_str(ob, "F\t");
		ob_str(ob, fi->desc);
		ob_char(ob, '\t');
		ob_str(ob, fi->name);
		ob_char(ob, '\t');
		ob_str(ob, field_ftype_name((enum field_ftype)fi->ftype));
		ob_char(ob, '\t');
		ob_str(ob, p ? p->name : "");
		ob_char(ob, '\n');
	}
}
