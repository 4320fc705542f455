/*
 * nopcre2/dfilter_regex.c - the `matches` operator for builds without PCRE2 (the Windows
 * cross build: Debian packages no PCRE2 for mingw-w64). Every regex is refused at compile
 * time with that reason, so no filter silently matches differently.
 */
#include "decode/dfilter_int.h"

struct df_regex {
	int unused;
};

int df_regex_compile(struct dfilter *df, uint32_t pos, const uint8_t *text, uint32_t n)
{
	(void)text;
	(void)n;
	return df_fail(df, pos, "\"matches\" needs PCRE2, which this build of capscope lacks");
}

bool df_regex_match(const struct df_regex *re, const uint8_t *subject, uint32_t n)
{
	(void)re;
	(void)subject;
	(void)n;
	return false;
}

void df_regex_free(struct df_regex *re)
{
	(void)re;
}
