/*
 * attrib_proc_linux.c - a process's details from /proc (attrib_os.h): command line, user,
 * cgroup and container id, read once when attrib.c first sees the process. Everything read
 * is untrusted (a process sets its own name and arguments): bounded, kept raw, escaped by
 * whoever shows it.
 */
#include <pwd.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>

#include "procs/attrib_os.h"
#include "procs/procfs_linux.h"

const char *attrib_os_unavailable(void)
{
	return NULL;
}

/* The arguments, NULs turned into spaces, trailing ones dropped. */
static void read_cmdline(struct proc_info *p)
{
	char buf[PROC_CMDLINE_MAX];
	long n = procfs_read(p->pid, "cmdline", buf, sizeof buf);

	if (n <= 0)
		return;
	while (n > 0 && buf[n - 1] == '\0')
		n--;
	for (long i = 0; i < n; i++)
		if (buf[i] == '\0')
			buf[i] = ' ';
	buf[n] = '\0';
	memcpy(p->cmdline, buf, (size_t)n + 1);
}

/* The user's name, or the uid in decimal when it has none. */
static void read_user(struct proc_info *p)
{
	struct passwd pw, *found = NULL;
	char buf[1024];

	if (p->uid == UINT32_MAX)
		p->uid = procfs_uid(p->pid);
	if (p->uid == UINT32_MAX)
		return;
	if (getpwuid_r((uid_t)p->uid, &pw, buf, sizeof buf, &found) == 0 && found &&
	    strlen(found->pw_name) < sizeof p->user)
		snprintf(p->user, sizeof p->user, "%s", found->pw_name);
	else
		snprintf(p->user, sizeof p->user, "%u", p->uid);
}

static bool is_hex(char c)
{
	return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
}

/* A container id as docker ("docker-<64 hex>.scope", "/docker/<64 hex>"), containerd
 * ("cri-containerd-<64 hex>.scope") and podman ("libpod-<64 hex>.scope") name them: the
 * last run of exactly 64 lowercase hex digits in the path. */
static void find_container(struct proc_info *p)
{
	const char *s = p->cgroup;
	size_t n = strlen(s), run = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && is_hex(s[i])) {
			run++;
			continue;
		}
		if (run == 64) {
			memcpy(p->container, s + i - 64, 64);
			p->container[64] = '\0';
		}
		run = 0;
	}
}

/* The unified hierarchy's line "0::/path". */
static void read_cgroup(struct proc_info *p)
{
	char buf[4096];
	const char *line, *end;
	size_t len;

	if (procfs_read(p->pid, "cgroup", buf, sizeof buf) <= 0)
		return;
	line = strncmp(buf, "0::", 3) == 0 ? buf : strstr(buf, "\n0::");
	if (!line)
		return;
	line += line == buf ? 3 : 4;
	end = strchr(line, '\n');
	len = end ? (size_t)(end - line) : strlen(line);
	if (len >= sizeof p->cgroup)
		len = sizeof p->cgroup - 1;
	memcpy(p->cgroup, line, len);
	p->cgroup[len] = '\0';
	find_container(p);
}

bool attrib_os_complete(struct proc_info *p)
{
	char comm[16];
	uint64_t start;

	if (p->pid == 0 || !procfs_stat(p->pid, comm, &start))
		return false;
	if (p->start && start != p->start) /* the pid was reused: not the same process */
		return false;
	p->start = start;
	if (!p->name[0])
		snprintf(p->name, sizeof p->name, "%s", comm);
	read_cmdline(p);
	read_user(p);
	read_cgroup(p);
	return true;
}
