/*
 * nocares/resolve_ares.c - the resolver thread's stand-in for builds without c-ares (the
 * mingw-w64 cross build, or libc-ares-dev missing): --resolve says so and nothing starts.
 */
#include <stdio.h>

#include "decode/resolve_int.h"

const char *rs_version(void)
{
	return "without c-ares (--resolve unavailable: install libc-ares-dev and rebuild)";
}

struct rs_thread *rs_thread_start(struct rs_shared *sh, const char *servers, char *err,
                                  size_t errlen)
{
	(void)sh;
	(void)servers;
	snprintf(err, errlen,
	         "--resolve: capscope was built without c-ares (install libc-ares-dev "
	         "and rebuild)");
	return NULL;
}

void rs_thread_stop(struct rs_thread *t)
{
	(void)t;
}
