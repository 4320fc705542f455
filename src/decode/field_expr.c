/* field_expr.c - "field == value" for a decoded field (see field_expr.h). */
#include "decode/field_expr.h"

#include <stdio.h>
#include <string.h>

#include "decode/dissector.h"

static const char hexdig[] = "0123456789abcdef";

/* A string literal of the arena text of f: quoted, escaped so it reads back byte for byte. */
static size_t quoted(const struct dissection *d, const struct field *f, char *out, size_t n)
{
	const uint8_t *s = (const uint8_t *)d->text + f->u;
	size_t len = f->u < DISS_TEXT_SIZE ? diss_text_len(d, f->u) : 0, o = 0;

	if (n < 3)
		return 0;
	out[o++] = '"';
	for (size_t i = 0; i < len && o + 6 < n; i++) {
		if (s[i] == '"' || s[i] == '\\') {
			out[o++] = '\\';
			out[o++] = (char)s[i];
		} else if (s[i] >= 0x20 && s[i] <= 0x7e) {
			out[o++] = (char)s[i];
		} else {
			memcpy(out + o, "\\x", 2);
			out[o + 2] = hexdig[s[i] >> 4];
			out[o + 3] = hexdig[s[i] & 15];
			o += 4;
		}
	}
	if (o + 2 > n)
		return 0;
	out[o++] = '"';
	out[o] = '\0';
	return o;
}

bool field_expr(const struct dissection *d, int i, char *out, size_t n)
{
	const struct field *f;
	const char *name;
	char value[DISS_TEXT_SIZE * 4 + 3];

	if (i < 0 || i >= d->nf) {
		snprintf(out, n, "no field is selected");
		return false;
	}
	f = &d->f[i];
	if (f->type == FT_LAYER) {
		name = proto_filter_name((enum proto)f->proto);
		if (!name[0]) {
			snprintf(out, n, "this layer has no display filter name");
			return false;
		}
		return snprintf(out, n, "%s", name) < (int)n;
	}
	name = field_key_name((enum field_key)f->key);
	if (!name || f->type == FT_TEXT) {
		snprintf(out, n, "this field has no display filter name");
		return false;
	}
	if (f->type == FT_STR)
		quoted(d, f, value, sizeof value);
	else
		field_value_text(d, f, value, sizeof value);
	if (!value[0] || snprintf(out, n, "%s == %s", name, value) >= (int)n) {
		snprintf(out, n, "the value is too long for a filter");
		return false;
	}
	return true;
}
