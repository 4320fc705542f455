/*
 * send_int.h - the platform half of send.h, implemented by send_linux.c and send_win32.c.
 * send.c has already resolved the adapter's real name and link type.
 */
#ifndef CAPSCOPE_SEND_INT_H
#define CAPSCOPE_SEND_INT_H

#include "capture/send.h"

struct send_platform;

struct send_platform *send_platform_open(const char *ifname, char *err);
/* As send_target's send(). */
int send_platform_frames(void *platform, const struct send_frame *f, unsigned n, uint64_t *failed,
                         char *err);
void send_platform_close(struct send_platform *p);

#endif
