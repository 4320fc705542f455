/*
 * attrib_none.c - the platform backends (attrib_os.h) where capscope has none: every
 * platform but Linux. Nothing is found; attrib_status() says why.
 */
#include <stdio.h>

#include "procs/attrib_os.h"

#define UNAVAILABLE "not available on this platform"

struct sockdiag *sockdiag_open(unsigned max_scans_per_sec, char *why, size_t n)
{
	(void)max_scans_per_sec;
	if (n)
		snprintf(why, n, "sock_diag: " UNAVAILABLE);
	return NULL;
}

void sockdiag_close(struct sockdiag *s)
{
	(void)s;
}

int sockdiag_lookup(struct sockdiag *s, const struct sock_key *k, uint64_t now_ns,
                    struct proc_owner *out)
{
	(void)s;
	(void)k;
	(void)now_ns;
	(void)out;
	return OWNER_NONE;
}

const char *sockdiag_problem(const struct sockdiag *s)
{
	(void)s;
	return UNAVAILABLE;
}

uint64_t sockdiag_scans(const struct sockdiag *s)
{
	(void)s;
	return 0;
}

uint64_t sockdiag_queries(const struct sockdiag *s)
{
	(void)s;
	return 0;
}

struct localaddr *localaddr_new(void)
{
	return NULL;
}

void localaddr_free(struct localaddr *l)
{
	(void)l;
}

bool localaddr_is_local(struct localaddr *l, uint8_t family, const uint8_t *a, uint64_t now_ns)
{
	(void)l;
	(void)family;
	(void)a;
	(void)now_ns;
	return true;
}

bool attrib_os_complete(struct proc_info *p)
{
	(void)p;
	return false;
}

const char *attrib_os_unavailable(void)
{
	return UNAVAILABLE;
}
