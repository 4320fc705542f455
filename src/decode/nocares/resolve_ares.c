/*
 * nocares/resolve_ares.c - the resolver thread's stand-in for builds without c-ares (the
 * mingw-w64 cross build, or libc-ares-dev missing): --resolve says so and nothing starts.
 */
#include <stdio.h>

#include "decode/resolve_int.h"

/* What to do about it: on Linux a package and a rebuild; the Windows package has no c-ares
 * build (Debian ships none for mingw-w64), so there is nothing for its user to install. */
#ifdef _WIN32
#define RS_REMEDY "not in the Windows package yet"
#else
#define RS_REMEDY "install libc-ares-dev and rebuild"
#endif

const char *rs_version(void)
{
	return "without c-ares (--resolve unavailable: " RS_REMEDY ")";
}

struct rs_thread *rs_thread_start(struct rs_shared *sh, const char *servers, char *err,
                                  size_t errlen)
{
	(void)sh;
	(void)servers;
	snprintf(err, errlen, "--resolve: capscope was built without c-ares (" RS_REMEDY ")");
	return NULL;
}

void rs_thread_stop(struct rs_thread *t)
{
	(void)t;
}
