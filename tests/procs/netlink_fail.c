/*
 * netlink_fail.c - fault injection for test_attrib_hostile.sh, preloaded into capscope:
 * every recv() on a NETLINK_SOCK_DIAG socket fails with ENOBUFS (what the kernel returns
 * when a netlink socket's receive queue overran). Other sockets and calls are untouched, so
 * the packet capture itself runs as usual. Not part of capscope.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <errno.h>
#include <linux/netlink.h>
#include <sys/socket.h>
#include <sys/types.h>

static int diag_fd = -1;

int socket(int domain, int type, int protocol)
{
	static int (*real)(int, int, int);
	int fd;

	if (!real)
		real = (int (*)(int, int, int))dlsym(RTLD_NEXT, "socket");
	fd = real(domain, type, protocol);
	if (domain == AF_NETLINK && protocol == NETLINK_SOCK_DIAG)
		diag_fd = fd;
	return fd;
}

ssize_t recv(int fd, void *buf, size_t n, int flags)
{
	static ssize_t (*real)(int, void *, size_t, int);

	if (fd >= 0 && fd == diag_fd) {
		errno = ENOBUFS;
		return -1;
	}
	if (!real)
		real = (ssize_t(*)(int, void *, size_t, int))dlsym(RTLD_NEXT, "recv");
	return real(fd, buf, n, flags);
}
