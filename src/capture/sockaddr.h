/*
 * sockaddr.h - the one place that knows socket address layouts (their headers differ between
 * POSIX and Windows, so sockaddr.c picks them). Any thread.
 */
#ifndef CAPSCOPE_SOCKADDR_H
#define CAPSCOPE_SOCKADDR_H

#include <stdint.h>

struct sockaddr;

/* Copies an IPv4 (4 bytes) or IPv6 (16 bytes) address into out, zero-filled. Returns 4, 6,
 * or 0 for NULL or another family (e.g. AF_PACKET link-layer addresses). */
int sa_to_addr(const struct sockaddr *sa, uint8_t out[16]);

#endif
