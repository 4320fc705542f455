/*
 * opt_fields.c - the field output options, after tshark's: -T fields|text, -e FIELD and
 * -E KEY=VALUE (see options.h). The names and -E values are checked here, while parsing, so
 * a typo ends the run before any packet is read; fields_out.c does the checking.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "base/escape.h"
#include "cli/options.h"
#include "decode/fields_out.h"

/* The spec the first -T/-e/-E allocates. */
static struct fields_spec *spec_of(struct cli_opts *o)
{
	if (!o->fields) {
		o->fields = malloc(sizeof *o->fields);
		if (o->fields)
			fields_spec_init(o->fields);
	}
	return o->fields;
}

static int set_format(struct cli_opts *o, const char *arg, char *err, size_t errlen)
{
	char esc[64];

	if (strcmp(arg, "fields") == 0) {
		o->fields_mode = true;
		o->output = OUT_FIELDS;
		return 0;
	}
	if (strcmp(arg, "text") == 0) {
		o->fields_mode = false;
		o->output = OUT_PRINT;
		return 0;
	}
	snprintf(err, errlen, "invalid -T format '%s' (capscope has fields and text)",
	         esc_cstr(esc, sizeof esc, arg));
	return 2;
}

int cli_fields_option(int c, const char *arg, struct cli_opts *o, char *err, size_t errlen)
{
	struct fields_spec *s = spec_of(o);

	if (!s) {
		snprintf(err, errlen, "out of memory");
		return 2;
	}
	if (c == 'T')
		return set_format(o, arg, err, errlen);
	if (c == 'e')
		return fields_spec_add(s, arg, err, errlen) < 0 ? 2 : 0;
	return fields_format_set(&s->fmt, arg, err, errlen) < 0 ? 2 : 0;
}

int cli_fields_check(struct cli_opts *o, char *err, size_t errlen)
{
	bool have_fields = o->fields && o->fields->n > 0;

	if (o->fields_mode && !have_fields) {
		snprintf(err, errlen, "-T fields needs at least one -e FIELD");
		return 2;
	}
	if (have_fields && !o->fields_mode) {
		snprintf(err, errlen, "-e FIELD goes with -T fields");
		return 2;
	}
	if (o->fields_mode && o->output != OUT_FIELDS) {
		snprintf(err, errlen, "-T fields cannot be combined with --print or --json");
		return 2;
	}
	if (o->fields_mode && o->hex) {
		snprintf(err, errlen, "-T fields cannot be combined with -x");
		return 2;
	}
	return 0;
}
