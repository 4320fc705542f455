/*
 * procfs_linux.h - small, bounded readers of /proc/PID files shared by the Linux backends
 * (attrib_sockdiag_linux.c: the owner of a socket; attrib_proc_linux.c: a process's
 * details). /proc contents are hostile (a process names itself): every read is bounded
 * and every parse checks its input. Any thread; no state.
 */
#ifndef CAPSCOPE_PROCFS_LINUX_H
#define CAPSCOPE_PROCFS_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

/* Reads at most n-1 bytes of /proc/PID/<name> into buf, NUL-terminated (the file may hold
 * NULs: the length says where it ends); -1 when it cannot be read. */
long procfs_read(uint32_t pid, const char *name, char *buf, size_t n);
/* The command (comm, up to 15 bytes) and start time (clock ticks since boot, field 22) of
 * /proc/PID/stat; false when the process is gone or the file is not as expected. */
bool procfs_stat(uint32_t pid, char comm[16], uint64_t *start);
/* The effective uid of the process (/proc/PID/status "Uid:"); UINT32_MAX if unknown. */
uint32_t procfs_uid(uint32_t pid);
/* A decimal pid (a /proc entry name) in s, or 0 when s is not one. */
uint32_t procfs_pid_name(const char *s);

#endif
