/*
 * json.c - one packet as a JSON Lines object keyed by tshark field names.
 *
 * A key appears once, from its first (outermost) field, except vlan.id which lists every
 * tag, outermost first: that is what `tshark -T fields -E occurrence=f` gives and what the
 * cross-check compares. Integers are JSON numbers; hex values, addresses and names strings.
 * Byte strings (payloads: udp.payload, data.data...) are left out, so a line stays a few
 * hundred bytes; `-T fields -e data.data` gives them.
 */
#include <stdbool.h>
#include <string.h>

#include "base/addr.h"
#include "decode/print.h"

static const char hexdig[] = "0123456789abcdef";

/* The longest value text a field other than a string has (an IPv6 address, a MAC, 0x and
 * 16 hex digits), with room to spare: field_value_text cuts at it, never past. */
#define JSON_PLAIN_MAX 64

/* True if s[0..n) needs no escape: the common case, copied whole. */
static bool json_plain(const char *s, size_t n)
{
	unsigned bad = 0;

	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		bad |= (c < 0x20) | (c == '"') | (c == '\\');
	}
	return !bad;
}

void json_str(struct outbuf *ob, const char *s, size_t n)
{
	char *o = ob_reserve(ob, n * 6 + 2);
	size_t k = 0;

	o[k++] = '"';
	if (json_plain(s, n)) {
		memcpy(o + 1, s, n);
		o[n + 1] = '"';
		ob_commit(ob, n + 2);
		return;
	}
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (c == '"' || c == '\\') {
			o[k++] = '\\';
			o[k++] = (char)c;
		} else if (c < 0x20) {
			memcpy(o + k, "\\u00", 4);
			o[k + 4] = hexdig[c >> 4];
			o[k + 5] = hexdig[c & 15];
			k += 6;
		} else {
			o[k++] = (char)c;
		}
	}
	o[k++] = '"';
	ob_commit(ob, k);
}

/* ,"key": in one reservation (keys are short constants from field.c). */
static void json_key_n(struct outbuf *ob, const char *key, size_t n)
{
	char *o = ob_reserve(ob, n + 4);

	o[0] = ',';
	o[1] = '"';
	memcpy(o + 2, key, n);
	o[n + 2] = '"';
	o[n + 3] = ':';
	ob_commit(ob, n + 4);
}

static void json_key(struct outbuf *ob, const char *key)
{
	json_key_n(ob, key, strlen(key));
}

/* ,"name": and the field's value. */
static void json_member(struct outbuf *ob, const struct dissection *d, const struct field_info *fi,
                        const struct field *f)
{
	char buf[DISS_TEXT_SIZE * 4 + 1];
	size_t n;

	json_key_n(ob, fi->name, fi->name_len);
	if (f->type == FT_BOOL) { /* "1" or "0", as tshark -T fields prints a flag */
		ob_str(ob, f->u ? "\"1\"" : "\"0\"");
		return;
	}
	if (f->type == FT_UINT) {
		ob_u64(ob, f->u);
		return;
	}
	if (f->type == FT_BYTES) { /* plain hex, as tshark -T fields: nothing to escape */
		ob_char(ob, '"');
		if (fld_data(d, f))
			ob_hex(ob, fld_data(d, f), f->len);
		ob_char(ob, '"');
		return;
	}
	if (f->type != FT_STR) { /* hex, flags, addresses: short, nothing to escape */
		char *o = ob_reserve(ob, JSON_PLAIN_MAX + 2);
		n = field_value_text(d, f, o + 1, JSON_PLAIN_MAX);
		o[0] = '"';
		o[n + 1] = '"';
		ob_commit(ob, n + 2);
		return;
	}
	n = field_value_text(d, f, buf, sizeof buf);
	json_str(ob, buf, n);
}

static void json_vlan_ids(struct outbuf *ob, const struct dissection *d)
{
	bool first = true;

	for (uint16_t i = 0; i < d->nf; i++) {
		if (d->f[i].key != K_VLAN_ID)
			continue;
		if (first)
			json_key(ob, "vlan.id");
		ob_char(ob, first ? '[' : ',');
		ob_u64(ob, d->f[i].u);
		first = false;
	}
	if (!first)
		ob_char(ob, ']');
}

/* Each keyed field's first occurrence, in tree order (outermost first). */
static void json_fields(struct outbuf *ob, const struct dissection *d)
{
	uint64_t seen[(K_COUNT + 63) / 64] = {0};

	for (uint16_t i = 0; i < d->nf; i++) {
		unsigned k = d->f[i].key;
		const struct field_info *fi;
		if (k == K_NONE || k >= K_COUNT || (seen[k >> 6] >> (k & 63) & 1))
			continue;
		seen[k >> 6] |= 1ull << (k & 63);
		if (k == K_VLAN_ID)
			json_vlan_ids(ob, d);
		else if ((fi = field_key_info((enum field_key)k)) && fi->vtype != FV_BYTES)
			json_member(ob, d, fi, &d->f[i]);
	}
}

void print_json(struct print_ctx *p, struct outbuf *ob, const struct pkt_hdr *h,
                const struct dissection *d)
{
	char text[SUMMARY_MAX];
	size_t n;

	p->number++;
	ob_str(ob, "{\"frame.number\":");
	ob_u64(ob, p->number);
	ob_str(ob, ",\"frame.time_epoch\":\"");
	ob_commit(ob, timefmt_epoch(ob_reserve(ob, TIMEFMT_MAX), h->ts_sec, h->ts_nsec, p->tsprec));
	ob_str(ob, "\",\"frame.len\":");
	ob_u64(ob, h->len);
	ob_str(ob, ",\"frame.cap_len\":");
	ob_u64(ob, h->caplen);
	if (p->if_names) { /* several sources: tshark's names for the packet's interface */
		ob_str(ob, ",\"frame.interface_id\":");
		ob_u64(ob, h->ifidx);
		if (h->ifidx < p->n_if) {
			json_key(ob, "frame.interface_name");
			json_str(ob, p->if_names[h->ifidx], strlen(p->if_names[h->ifidx]));
		}
	}
	json_fields(ob, d);
	n = summary_text(d, text);
	json_key(ob, "summary");
	json_str(ob, text, n);
	if (d->malformed[0]) {
		json_key(ob, "malformed");
		json_str(ob, d->malformed, strnlen(d->malformed, sizeof d->malformed));
	}
	ob_str(ob, "}\n");
}
