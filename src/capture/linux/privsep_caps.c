/*
 * privsep_caps.c - capability sets through the raw capget/capset system calls (see
 * privsep_caps.h): libcap is one more library for three calls.
 */
#include "capture/linux/privsep_caps.h"

#include <errno.h>
#include <linux/capability.h>
#include <sys/prctl.h>
#include <sys/syscall.h>
#include <unistd.h>

#define LAST_CAP_MAX 63

#if defined(__SANITIZE_ADDRESS__)
#define SANITIZER_BUILD true
#else
#define SANITIZER_BUILD false
#endif

bool caps_sanitizer_build(void)
{
	return SANITIZER_BUILD;
}

static int get(struct __user_cap_data_struct d[2])
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};

	return (int)syscall(SYS_capget, &h, d);
}

static uint64_t mask(uint32_t lo, uint32_t hi)
{
	return (uint64_t)hi << 32 | lo;
}

uint64_t caps_permitted(void)
{
	struct __user_cap_data_struct d[2] = {{0}};

	if (get(d) != 0)
		return 0;
	return mask(d[0].permitted, d[1].permitted);
}

bool caps_none(void)
{
	struct __user_cap_data_struct d[2] = {{0}};

	if (get(d) != 0)
		return false;
	return mask(d[0].effective, d[1].effective) == 0 &&
	       mask(d[0].permitted, d[1].permitted) == 0 &&
	       mask(d[0].inheritable, d[1].inheritable) == 0;
}

/* Cuts the bounding set to keep; stops quietly without CAP_SETPCAP (EPERM). */
void caps_cut_bounding(uint64_t keep)
{
	for (int c = 0; c <= LAST_CAP_MAX; c++) {
		int in = prctl(PR_CAPBSET_READ, c, 0, 0, 0);

		if (in < 0) /* EINVAL: past the kernel's last capability */
			break;
		if (in == 1 && !(keep >> c & 1) && prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0)
			break;
	}
}

int caps_keep(uint64_t keep)
{
	struct __user_cap_header_struct h = {.version = _LINUX_CAPABILITY_VERSION_3};
	struct __user_cap_data_struct d[2] = {{0}};

	caps_cut_bounding(keep);
	prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
	d[0].effective = d[0].permitted = (uint32_t)keep;
	d[1].effective = d[1].permitted = (uint32_t)(keep >> 32);
	return (int)syscall(SYS_capset, &h, d);
}
