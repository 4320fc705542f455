/* privsep_seccomp.c: the filter comes in the next step; none yet (see privsep_seccomp.h). */
#include "capture/linux/privsep_seccomp.h"

int seccomp_main(char *err, size_t n)
{
	(void)err;
	(void)n;
	return 0;
}

const char *seccomp_describe(void)
{
	return "seccomp: no system call filter yet";
}
