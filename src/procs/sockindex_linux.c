/*
 * sockindex_linux.c - the socket inode index over /proc/PID/fd (see sockindex_linux.h).
 * An open-addressing table of fixed size (twice the bound), cleared and refilled by a scan.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "procs/procfs_linux.h"
#include "procs/sockindex_linux.h"

#define MAX_PROCS_SCANNED (1u << 20) /* /proc entries read in one scan, at most */

struct slot {
	uint64_t inode; /* 0: empty */
	uint32_t pid;
	uint32_t fd;
};

struct sockindex {
	struct slot *slots;
	size_t mask;   /* capacity - 1 (a power of two) */
	size_t max, n; /* bound and count of entries */
};

struct sockindex *sockindex_new(size_t max_entries)
{
	struct sockindex *x = calloc(1, sizeof *x);
	size_t cap = 16;

	if (!x)
		return NULL;
	while (cap < 2 * max_entries)
		cap *= 2;
	x->slots = calloc(cap, sizeof *x->slots);
	if (!x->slots) {
		free(x);
		return NULL;
	}
	x->mask = cap - 1;
	x->max = max_entries;
	return x;
}

void sockindex_free(struct sockindex *x)
{
	if (!x)
		return;
	free(x->slots);
	free(x);
}

static size_t slot_of(const struct sockindex *x, uint64_t inode)
{
	return (size_t)((inode * 0x9e3779b97f4a7c15ull) >> 20) & x->mask;
}

/* Adds inode (the first holder found wins); false when the bound is reached. */
static bool put(struct sockindex *x, uint64_t inode, uint32_t pid, uint32_t fd)
{
	size_t i = slot_of(x, inode);

	while (x->slots[i].inode && x->slots[i].inode != inode)
		i = (i + 1) & x->mask;
	if (x->slots[i].inode)
		return true;
	if (x->n >= x->max)
		return false;
	x->slots[i] = (struct slot){inode, pid, fd};
	x->n++;
	return true;
}

/* "socket:[12345]" -> 12345; 0 for any other link. */
static uint64_t socket_inode(const char *link, ssize_t n)
{
	uint64_t v = 0;

	if (n < 10 || memcmp(link, "socket:[", 8) != 0 || link[n - 1] != ']')
		return 0;
	for (ssize_t i = 8; i < n - 1; i++) {
		if (link[i] < '0' || link[i] > '9' || v > UINT64_MAX / 10 - 9)
			return 0;
		v = v * 10 + (uint64_t)(link[i] - '0');
	}
	return v;
}

/* Indexes the sockets of one process; false if its fd folder could not be read. */
static bool scan_pid(struct sockindex *x, uint32_t pid, struct sockindex_scan_info *info)
{
	char path[48], link[64];
	struct dirent *e;
	DIR *dir;
	int dfd;

	snprintf(path, sizeof path, "/proc/%u/fd", pid);
	dfd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
	if (dfd < 0 || !(dir = fdopendir(dfd))) {
		if (dfd >= 0)
			close(dfd);
		return false;
	}
	while ((e = readdir(dir)) != NULL) {
		uint32_t fd = procfs_pid_name(e->d_name); /* 0 for "0" too: still a descriptor */
		ssize_t n =
		    e->d_name[0] != '.' ? readlinkat(dirfd(dir), e->d_name, link, sizeof link) : -1;
		uint64_t inode = n > 0 ? socket_inode(link, n) : 0;
		if (inode && !put(x, inode, pid, fd))
			info->dropped++;
	}
	closedir(dir);
	return true;
}

/* "net:[4026531840]": the network namespace of pid (0: this process); false if unreadable. */
static bool net_ns(uint32_t pid, char *out, size_t n)
{
	char path[48];
	ssize_t len;

	if (pid)
		snprintf(path, sizeof path, "/proc/%u/ns/net", pid);
	else
		snprintf(path, sizeof path, "/proc/self/ns/net");
	len = readlink(path, out, n - 1);
	out[len > 0 ? len : 0] = '\0';
	return len > 0;
}

bool sockindex_scan(struct sockindex *x, struct sockindex_scan_info *info)
{
	char own_ns[64], ns[64];
	struct dirent *e;
	DIR *proc = opendir("/proc");

	memset(info, 0, sizeof *info);
	if (!proc)
		return false;
	memset(x->slots, 0, (x->mask + 1) * sizeof *x->slots);
	x->n = 0;
	net_ns(0, own_ns, sizeof own_ns);
	while ((e = readdir(proc)) != NULL && info->procs < MAX_PROCS_SCANNED) {
		uint32_t pid = procfs_pid_name(e->d_name);
		if (!pid)
			continue;
		if (own_ns[0] && net_ns(pid, ns, sizeof ns) && strcmp(ns, own_ns) != 0) {
			info->other_ns++;
			continue;
		}
		info->procs++;
		if (!scan_pid(x, pid, info) && errno != ENOENT) /* ENOENT: it just exited */
			info->unreadable++;
	}
	closedir(proc);
	info->sockets = x->n;
	/* hidepid=2 (invisible): init is always there, unless other users' processes are hidden */
	info->hidden = getpid() != 1 && access("/proc/1/stat", F_OK) != 0;
	return true;
}

bool sockindex_add_pid(struct sockindex *x, uint32_t pid)
{
	struct sockindex_scan_info info = {0};

	return scan_pid(x, pid, &info);
}

bool sockindex_find(const struct sockindex *x, uint64_t inode, uint32_t *pid, uint32_t *fd)
{
	size_t i = slot_of(x, inode);

	if (!inode)
		return false;
	for (size_t probes = 0; probes <= x->mask && x->slots[i].inode; probes++) {
		if (x->slots[i].inode == inode) {
			*pid = x->slots[i].pid;
			*fd = x->slots[i].fd;
			return true;
		}
		i = (i + 1) & x->mask;
	}
	return false;
}

bool sockindex_still(uint32_t pid, uint32_t fd, uint64_t inode)
{
	char path[48], link[64];
	ssize_t n;

	snprintf(path, sizeof path, "/proc/%u/fd/%u", pid, fd);
	n = readlink(path, link, sizeof link);
	return n > 0 && socket_inode(link, n) == inode;
}
