/* tempfile_posix.c - private temporary files with mkstemps (see os.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "os.h"

int os_temp_file(char *buf, unsigned n, const char *prefix, const char *suffix)
{
	const char *dir = getenv("TMPDIR");
	int fd;

	if (!dir || !dir[0])
		dir = "/tmp";
	if ((unsigned)snprintf(buf, n, "%s/%s-XXXXXX%s", dir, prefix, suffix) >= n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* mkstemps creates the file exclusively with mode 0600: no symlink games in /tmp */
	fd = mkstemps(buf, (int)strlen(suffix));
	if (fd < 0)
		return -1;
	close(fd);
	return 0;
}
