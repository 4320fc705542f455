/*
 * sockaddr.c - sockaddr.h. The code is the same everywhere; only the headers that define
 * sockaddr_in6 differ (Winsock keeps it in ws2tcpip.h).
 */
#include "capture/sockaddr.h"

#include <string.h>
#if defined(_WIN32)
#include <winsock2.h>
#include <ws2tcpip.h>
#else
#include <netinet/in.h>
#include <sys/socket.h>
#endif

int sa_to_addr(const struct sockaddr *sa, uint8_t out[16])
{
	memset(out, 0, 16);
	if (sa == NULL)
		return 0;
	if (sa->sa_family == AF_INET) {
		memcpy(out, &((const struct sockaddr_in *)(const void *)sa)->sin_addr, 4);
		return 4;
	}
	if (sa->sa_family == AF_INET6) {
		memcpy(out, &((const struct sockaddr_in6 *)(const void *)sa)->sin6_addr, 16);
		return 6;
	}
	return 0;
}
