/* privsep_seccomp.c without libseccomp: no filter (see privsep_seccomp.h). */
#include "capture/linux/privsep_seccomp.h"

int seccomp_main(char *err, size_t n)
{
	(void)err;
	(void)n;
	return 0;
}

const char *seccomp_describe(void)
{
	return "seccomp: not built (libseccomp-dev was missing): no system call filter";
}
