/*
 * process.c - the "Process" layer (see process.h). Its fields have no bytes in the packet
 * (offset 0, length 0): they come from the kernel or a file, beside the packet.
 */
#include <string.h>

#include "decode/dissector.h"
#include "decode/process.h"

static void add_str(struct dissection *d, const char *label, enum field_key key, const char *s,
                    size_t max)
{
	size_t n = strnlen(s, max);

	if (n)
		fld_add(d, 0, 0, label, key, FT_STR, 1, diss_text(d, s, n));
}

void dissect_process(struct dissection *d, const struct proc_info *p, bool out)
{
	uint16_t layer = fld_add(d, 0, 0, proto_name(P_PROCESS), K_NONE, FT_LAYER, 0, 0);

	d->f[layer].proto = P_PROCESS;
	if (!p) {
		fld_add(d, 0, 0, "[Not attributed: no local socket of this machine]",
		        K_PROCESS_UNATTRIBUTED, FT_PRESENT, 1, 0);
		return;
	}
	if (p->pid)
		fld_add(d, 0, 0, "Process ID", K_PROCESS_PID, FT_UINT, 1, p->pid);
	add_str(d, "Command", K_PROCESS_NAME, p->name, sizeof p->name);
	add_str(d, "User", K_PROCESS_USER, p->user, sizeof p->user);
	if (p->uid != UINT32_MAX)
		fld_add(d, 0, 0, "User ID", K_PROCESS_UID, FT_UINT, 1, p->uid);
	add_str(d, "Command line", K_PROCESS_CMDLINE, p->cmdline, sizeof p->cmdline);
	add_str(d, "Cgroup", K_PROCESS_CGROUP, p->cgroup, sizeof p->cgroup);
	add_str(d, "Container", K_PROCESS_CONTAINER, p->container, sizeof p->container);
	fld_add(d, 0, 0, "Direction", K_PROCESS_DIRECTION, FT_STR, 1,
	        diss_text(d, out ? "out" : "in", out ? 3 : 2));
}
