/*
 * dfilter_regex.c - the `matches` operator's regular expressions, through PCRE2 as in
 * Wireshark: compiled once with the filter, caseless by default (as tshark 4.0 does; "(?-i)"
 * makes one case-sensitive), UTF-8 mode off so any packet bytes are a valid subject.
 *
 * Bounded work per packet: each match runs under a match limit and a depth limit, and a
 * match that reaches them counts as no match. The match data is made at compile time, so
 * matching allocates nothing (and a compiled filter is not shared between threads).
 */
#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>
#include <stdlib.h>

#include "decode/dfilter_int.h"

#define REGEX_MATCH_LIMIT 100000 /* backtracking steps per match */
#define REGEX_DEPTH_LIMIT 1000   /* nested backtracking frames per match */

struct df_regex {
	pcre2_code *code;
	pcre2_match_data *md;
	pcre2_match_context *mc;
};

void df_regex_free(struct df_regex *re)
{
	if (!re)
		return;
	pcre2_match_data_free(re->md);
	pcre2_match_context_free(re->mc);
	pcre2_code_free(re->code);
	free(re);
}

static int regex_error(struct dfilter *df, uint32_t pos, int code, PCRE2_SIZE offset)
{
	PCRE2_UCHAR msg[120];

	if (pcre2_get_error_message(code, msg, sizeof msg) < 0)
		msg[0] = '\0';
	return df_fail(df, pos, "bad regular expression: %s (at offset %zu of the expression)",
	               (const char *)msg, (size_t)offset);
}

int df_regex_compile(struct dfilter *df, uint32_t pos, const uint8_t *text, uint32_t n)
{
	struct df_regex *re;
	int code;
	PCRE2_SIZE offset;

	if (df->nregex >= DF_MAX_REGEX)
		return df_fail(df, pos, "more than %d \"matches\" in one filter", DF_MAX_REGEX);
	re = calloc(1, sizeof *re);
	if (!re)
		return df_fail(df, pos, "out of memory");
	re->code = pcre2_compile(text, n, PCRE2_CASELESS, &code, &offset, NULL);
	if (!re->code) {
		df_regex_free(re);
		return regex_error(df, pos, code, offset);
	}
	re->md = pcre2_match_data_create_from_pattern(re->code, NULL);
	re->mc = pcre2_match_context_create(NULL);
	if (!re->md || !re->mc) {
		df_regex_free(re);
		return df_fail(df, pos, "out of memory");
	}
	pcre2_set_match_limit(re->mc, REGEX_MATCH_LIMIT);
	pcre2_set_depth_limit(re->mc, REGEX_DEPTH_LIMIT);
	df->regex[df->nregex] = re;
	return df->nregex++;
}

bool df_regex_match(const struct df_regex *re, const uint8_t *subject, uint32_t n)
{
	/* an empty subject still needs a valid pointer */
	static const uint8_t empty[1];

	return pcre2_match(re->code, n ? subject : empty, n, 0, 0, re->md, re->mc) >= 0;
}
