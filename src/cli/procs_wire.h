/*
 * procs_wire.h - the messages of process attribution through the capture helper
 * (procs_remote.c), inside PS_SERVICE bodies: encoders and the checking parsers both sides
 * use. No I/O, no kernel calls: tests/fuzz/fuzz_privsep.c drives the parsers directly.
 *   OPEN  {u8 1, u8 version 1, u8 no_ebpf, u32 max_scans}  -> {u32 id, str how}
 *   OWNER {u8 2, u32 id, u8 family 4|6, u8 proto 6|17, u16 lport, u16 rport, 16 laddr,
 *          16 raddr, u64 now_ns, u8 holder_first}
 *         -> {u8 result 0 error|1 none|2 found, u8 how, u32 pid, u32 uid, u64 start,
 *             16 comm, u64 seen_ns, u64 lookups, u64 scans, u64 errors, str problem}
 *   PROC  {u8 3, u32 id, u32 pid, u32 uid, u64 start, str name}
 *         -> {u8 alive, u32 uid, u64 start, str name, user, cmdline, cgroup, container}
 *   CLOSE {u8 4, u32 id} -> {}
 * A parser reads a whole body (after the op byte for requests) or fails: every value in its
 * range, every string bounded by the field it fills and free of NULs.
 */
#ifndef CAPSCOPE_PROCS_WIRE_H
#define CAPSCOPE_PROCS_WIRE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/privsep_proto.h"
#include "procs/attrib_os.h"

#define PW_VERSION       1
#define PW_MAX_INSTANCES 4
#define PW_MAX_SCANS     1000 /* /proc rescans a second asked for, at most */

enum { PW_OPEN = 1, PW_OWNER = 2, PW_PROC = 3, PW_CLOSE = 4 };

struct pw_owner_req {
	uint32_t id;
	struct sock_key k;
	uint64_t now_ns;
	bool holder_first;
};

struct pw_owner_ans {
	int result; /* OWNER_ERROR, OWNER_NONE, OWNER_FOUND */
	uint8_t how;
	struct proc_owner o;
	uint64_t lookups, scans, errors;
	char problem[192];
};

/* Requests (the helper reads them after the op byte). */
bool pw_get_open(struct ps_rd *r, bool *no_ebpf, uint32_t *max_scans);
void pw_put_owner_req(struct ps_buf *b, const struct pw_owner_req *q);
bool pw_get_owner_req(struct ps_rd *r, struct pw_owner_req *q);
/* p's pid, uid, start and name. */
void pw_put_proc_req(struct ps_buf *b, uint32_t id, const struct proc_info *p);
bool pw_get_proc_req(struct ps_rd *r, uint32_t *id, struct proc_info *p);
bool pw_get_id(struct ps_rd *r, uint32_t *id);

/* Answers (the main process reads them). */
bool pw_get_open_ans(struct ps_rd *r, uint32_t *id, char *how, size_t n);
void pw_put_owner_ans(struct ps_buf *b, const struct pw_owner_ans *a);
bool pw_get_owner_ans(struct ps_rd *r, struct pw_owner_ans *a);
void pw_put_proc_ans(struct ps_buf *b, bool alive, const struct proc_info *p);
/* Fills p's uid, start and strings (its pid and how stay). */
bool pw_get_proc_ans(struct ps_rd *r, bool *alive, struct proc_info *p);

#endif
