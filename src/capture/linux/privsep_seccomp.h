/*
 * privsep_seccomp.h - the main process's seccomp filter, installed last in the drop
 * (privsep_start.c). privsep_seccomp.c builds it with libseccomp; without libseccomp the
 * build takes noseccomp/privsep_seccomp.c, which installs nothing and says so.
 */
#ifndef CAPSCOPE_PRIVSEP_SECCOMP_H
#define CAPSCOPE_PRIVSEP_SECCOMP_H

#include <stdbool.h>
#include <stddef.h>

/* Installs the filter. Returns 0, or -1 with a message. */
int seccomp_main(char *err, size_t n);
/* For --version: "seccomp: libseccomp 2.5.4" or "seccomp: not built (...)". */
const char *seccomp_describe(void);

#endif
