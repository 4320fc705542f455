/* dfilter_bpf.c - placeholder */
#include <stdio.h>

#include "decode/dfilter_int.h"

bool dfilter_to_bpf(const struct dfilter *df, int linktype, char *out, size_t outlen)
{
	(void)df;
	(void)linktype;
	snprintf(out, outlen, "not translated yet");
	return false;
}
