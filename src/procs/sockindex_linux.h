/*
 * sockindex_linux.h - socket inode -> (pid, fd) from /proc/PID/fd ("socket:[N]" links), the
 * way `ss -p` maps sockets to processes. attrib_sockdiag_linux.c owns one, rebuilds it when
 * a socket's inode is not in it (at a bounded rate) and checks a hit against /proc/PID/fd/FD
 * before trusting it. Bounded: at most max_entries sockets are indexed (the rest are counted
 * as missed), so memory stays fixed with 100k sockets open. Processes of other network
 * namespaces are skipped: their sockets were made there (one that made a socket here and
 * then moved is the rare miss). One thread.
 */
#ifndef CAPSCOPE_SOCKINDEX_LINUX_H
#define CAPSCOPE_SOCKINDEX_LINUX_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

struct sockindex;

/* What the latest scan could not see. */
struct sockindex_scan_info {
	unsigned procs;      /* processes listed in /proc */
	unsigned other_ns;   /* ... of another network namespace, not read (their sockets,
	                        made there, cannot be this namespace's) */
	unsigned unreadable; /* ... whose fd folder could not be read (another user's) */
	size_t sockets;      /* sockets indexed */
	size_t dropped;      /* sockets past the bound, not indexed */
	bool hidden;         /* /proc hides other processes (hidepid=2: /proc/1 is not listed) */
};

struct sockindex *sockindex_new(size_t max_entries);
void sockindex_free(struct sockindex *x);
/* Rebuilds the index from /proc; false if /proc could not be listed at all. */
bool sockindex_scan(struct sockindex *x, struct sockindex_scan_info *info);
/* Adds the sockets of one process to the index (no rebuild); false if it cannot be read. */
bool sockindex_add_pid(struct sockindex *x, uint32_t pid);
/* The process and descriptor that held `inode` at the latest scan. */
bool sockindex_find(const struct sockindex *x, uint64_t inode, uint32_t *pid, uint32_t *fd);
/* True if /proc/PID/fd/FD is still the socket `inode`. */
bool sockindex_still(uint32_t pid, uint32_t fd, uint64_t inode);

#endif
