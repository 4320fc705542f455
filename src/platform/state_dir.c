/* state_dir.c - the state folder (see state_dir.h). */
#include "platform/state_dir.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>

#include "platform/os.h"

bool state_dir(char *buf, size_t n)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	const char *local = getenv("LOCALAPPDATA");
	int k;

	if (xdg && xdg[0] == '/') /* XDG: a relative XDG_STATE_HOME is invalid, ignored */
		k = snprintf(buf, n, "%s/capscope", xdg);
	else if (home && home[0])
		k = snprintf(buf, n, "%s/.local/state/capscope", home);
	else if (local && local[0]) /* Windows */
		k = snprintf(buf, n, "%s/capscope", local);
	else
		return false;
	return k > 0 && (size_t)k < n;
}

/* mkdir -p: every missing folder of path. */
static bool make_dirs(char *path)
{
	for (char *p = path + 1;; p++) {
		if (*p != '/' && *p != '\0')
			continue;
		char c = *p;
		*p = '\0';
		int rc = os_mkdir_private(path);
		*p = c;
		if (rc < 0 && errno != EEXIST)
			return false;
		if (c == '\0')
			return true;
	}
}

bool state_dir_make(char *buf, size_t n)
{
	return state_dir(buf, n) && make_dirs(buf);
}
