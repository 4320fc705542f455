/*
 * helper_send.c - the capture helper's send-only packet socket (see helper.h). The main
 * process gets the descriptor and sends with it at full speed (sendmmsg, no copy through the
 * helper). A packet socket's bind() checks no capability, so the main process could bind it
 * again to a protocol and read every frame; the helper therefore attaches a filter that
 * accepts nothing and locks it (SO_LOCK_FILTER): the socket can send and never receive.
 */
#define _GNU_SOURCE
#include "capture/linux/helper.h"

#include <errno.h>
#include <linux/filter.h>
#include <linux/if_packet.h>
#include <net/if.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

static int fail(int fd, const char *what, const char *ifname, char *err, size_t n)
{
	snprintf(err, n, "capscope: cannot send on '%.64s': %s: %s", ifname, what, strerror(errno));
	if (fd >= 0)
		close(fd);
	return -1;
}

int helper_send_socket(const char *ifname, char *err, size_t n)
{
	struct sock_filter none = BPF_STMT(BPF_RET | BPF_K, 0);
	struct sock_fprog prog = {.len = 1, .filter = &none};
	struct sockaddr_ll ll = {.sll_family = AF_PACKET};
	int one = 1, fd = socket(AF_PACKET, SOCK_RAW | SOCK_CLOEXEC, 0);

	if (fd < 0)
		return fail(fd, "socket", ifname, err, n);
	if (setsockopt(fd, SOL_SOCKET, SO_ATTACH_FILTER, &prog, sizeof prog) != 0 ||
	    setsockopt(fd, SOL_SOCKET, SO_LOCK_FILTER, &one, sizeof one) != 0)
		return fail(fd, "locking a receive filter", ifname, err, n);
	ll.sll_ifindex = (int)if_nametoindex(ifname);
	if (ll.sll_ifindex == 0)
		return fail(fd, "if_nametoindex", ifname, err, n);
	if (bind(fd, (struct sockaddr *)&ll, sizeof ll) != 0)
		return fail(fd, "bind", ifname, err, n);
	return fd;
}
