/*
 * resolve_int.h - what resolve.c (the owner's side) and resolve_ares.c (the resolver thread,
 * or nocares/resolve_ares.c's stand-in) share: the queues between the threads, under mu.
 */
#ifndef CAPSCOPE_RESOLVE_INT_H
#define CAPSCOPE_RESOLVE_INT_H

#include <pthread.h>
#include <stdatomic.h>

#include "decode/resolve.h"

struct rs_addr {
	uint8_t a[16];
	uint8_t len; /* 4 or 16 */
};

struct rs_answer {
	struct rs_addr addr;
	uint16_t n; /* 0: failed */
	char name[NAMES_NAME_MAX];
};

/* A socket c-ares opened: its protocol (6, 17) and both ends. */
struct rs_tuple {
	uint8_t proto, alen;
	uint8_t local[16], remote[16];
	uint16_t lport, rport;
};

#define RS_ANSWERS 64

struct rs_shared {
	pthread_mutex_t mu;
	struct rs_addr asks[RESOLVE_QUEUE]; /* ring: owner pushes, thread pops */
	size_t ask_head, ask_n;
	struct rs_answer answers[RS_ANSWERS]; /* ring: thread pushes, owner pops */
	size_t ans_head, ans_n;
	struct rs_tuple own[RESOLVE_OWN]; /* ring of the latest sockets */
	size_t own_next, own_n;
	atomic_uint own_gen; /* changes when own[] does, read without mu */
	atomic_bool stop;
	atomic_ullong sent, names, failed;
};

/* The resolver thread (resolve_ares.c): started on sh, stopped by setting sh->stop. */
struct rs_thread;
struct rs_thread *rs_thread_start(struct rs_shared *sh, const char *servers, char *err,
                                  size_t errlen);
void rs_thread_stop(struct rs_thread *t);
const char *rs_version(void);

#endif
