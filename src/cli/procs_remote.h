/*
 * procs_remote.h - process attribution through the capture helper (issue 14): the helper,
 * which keeps attribution's privileges, runs the in-process backend (procs/attrib_local.c)
 * as a privsep service; the main process, without privileges, asks it through
 * attrib_backend.h's op set, so procs/attrib.c's caches and process table work unchanged.
 *
 * Call order (main thread): privsep_opts.service = procs_remote_serve and service_caps =
 * procs_remote_caps() before privsep_start(); then, once privsep_active(),
 * procs_remote_install() before the first attrib_open().
 */
#ifndef CAPSCOPE_PROCS_REMOTE_H
#define CAPSCOPE_PROCS_REMOTE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/privsep_proto.h"

/* The helper's side: one request of the wire below, checked as untrusted. */
bool procs_remote_serve(struct ps_rd *req, struct ps_buf *out);
/* The capabilities the helper keeps for it: CAP_SYS_PTRACE and CAP_DAC_READ_SEARCH (other
 * users' /proc/PID/fd), and, unless no_ebpf, CAP_BPF and CAP_PERFMON (the eBPF records;
 * CAP_NET_ADMIN, which attaching them and sock_diag need, the helper has anyway). */
uint64_t procs_remote_caps(bool no_ebpf);
/* The main process's side: attrib_open() asks the helper from now on. */
void procs_remote_install(void);

#endif
