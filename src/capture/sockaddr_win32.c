/*
 * sockaddr_win32.c - sockaddr.h with Winsock's headers (AF_INET6 lives in ws2tcpip.h).
 */
#include "capture/sockaddr.h"

#include <string.h>
#include <winsock2.h>
#include <ws2tcpip.h>

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
