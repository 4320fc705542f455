/*
 * localaddr_linux.c - this network namespace's addresses (see localaddr_linux.h).
 */
#include <ifaddrs.h>
#include <netinet/in.h>
#include <stdlib.h>
#include <string.h>

#include "procs/localaddr_linux.h"

#define REFRESH_NS 1000000000ull

static void refresh(struct localaddr *l, uint64_t now_ns)
{
	struct ifaddrs *list, *i;

	l->at_ns = now_ns ? now_ns : 1;
	if (getifaddrs(&list) != 0)
		return; /* keep the previous list */
	l->n = 0;
	for (i = list; i && l->n < LOCALADDR_MAX; i = i->ifa_next) {
		uint8_t *e = l->addr[l->n];
		if (!i->ifa_addr)
			continue;
		if (i->ifa_addr->sa_family == AF_INET) {
			e[0] = 4;
			memcpy(e + 1, &((struct sockaddr_in *)(void *)i->ifa_addr)->sin_addr, 4);
		} else if (i->ifa_addr->sa_family == AF_INET6) {
			e[0] = 6;
			memcpy(e + 1, &((struct sockaddr_in6 *)(void *)i->ifa_addr)->sin6_addr, 16);
		} else {
			continue;
		}
		l->n++;
	}
	freeifaddrs(list);
}

static bool listed(const struct localaddr *l, uint8_t family, const uint8_t *a)
{
	size_t n = family == 6 ? 16 : 4;

	for (unsigned i = 0; i < l->n; i++)
		if (l->addr[i][0] == family && memcmp(l->addr[i] + 1, a, n) == 0)
			return true;
	return false;
}

static bool loopback(uint8_t family, const uint8_t *a)
{
	static const uint8_t one6[16] = {[15] = 1};

	return family == 4 ? a[0] == 127 : memcmp(a, one6, 16) == 0;
}

struct localaddr *localaddr_new(void)
{
	return calloc(1, sizeof(struct localaddr));
}

void localaddr_free(struct localaddr *l)
{
	free(l);
}

bool localaddr_is_local(struct localaddr *l, uint8_t family, const uint8_t *a, uint64_t now_ns)
{
	if (!l) /* no table (out of memory): any address may be ours */
		return true;
	if (loopback(family, a) || listed(l, family, a))
		return true;
	if (l->at_ns && now_ns - l->at_ns < REFRESH_NS)
		return false;
	refresh(l, now_ns);
	return listed(l, family, a);
}
