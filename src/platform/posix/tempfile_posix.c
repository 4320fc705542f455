/* tempfile_posix.c - private temporary files with mkstemps (see os.h). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "platform/os.h"

static int make_temp(char *buf, unsigned n, const char *dir, const char *prefix, const char *suffix,
                     bool user_mode)
{
	int fd;

	if ((unsigned)snprintf(buf, n, "%s/%s-XXXXXX%s", dir, prefix, suffix) >= n) {
		errno = ENAMETOOLONG;
		return -1;
	}
	/* mkstemps creates the file exclusively with mode 0600: no symlink games in /tmp */
	fd = mkstemps(buf, (int)strlen(suffix));
	if (fd < 0)
		return -1;
	if (user_mode) {
		mode_t mask = umask(0); /* umask can only be read by setting it */
		umask(mask);
		fchmod(fd, 0666 & ~mask);
	}
	close(fd);
	return 0;
}

int os_temp_file(char *buf, unsigned n, const char *prefix, const char *suffix)
{
	const char *dir = getenv("TMPDIR");

	if (!dir || !dir[0])
		dir = "/tmp";
	return make_temp(buf, n, dir, prefix, suffix, false);
}

int os_temp_file_in(char *buf, unsigned n, const char *dir, const char *prefix, const char *suffix)
{
	return make_temp(buf, n, dir[0] ? dir : ".", prefix, suffix, true);
}

int os_rename_replace(const char *from, const char *to)
{
	return rename(from, to); /* POSIX rename replaces the target atomically */
}
