/* tempfile_win32.c - temporary files with GetTempPath/GetTempFileName (see os.h). */
#include <windows.h>
#include <errno.h>
#include <stdio.h>

#include "platform/os.h"

int os_temp_file(char *buf, unsigned n, const char *prefix, const char *suffix)
{
	char dir[MAX_PATH];

	if (!GetTempPathA(sizeof dir, dir)) {
		errno = EACCES;
		return -1;
	}
	return os_temp_file_in(buf, n, dir, prefix, suffix);
}

int os_temp_file_in(char *buf, unsigned n, const char *dir, const char *prefix, const char *suffix)
{
	char path[MAX_PATH];

	(void)suffix; /* GetTempFileName picks the name and creates the file (.tmp) */
	if (!GetTempFileNameA(dir[0] ? dir : ".", prefix, 0, path)) {
		errno = EACCES;
		return -1;
	}
	if ((unsigned)snprintf(buf, n, "%s", path) >= n) {
		DeleteFileA(path);
		errno = ENAMETOOLONG;
		return -1;
	}
	return 0;
}

int os_rename_replace(const char *from, const char *to)
{
	/* rename() on Windows refuses an existing target */
	if (!MoveFileExA(from, to, MOVEFILE_REPLACE_EXISTING | MOVEFILE_WRITE_THROUGH)) {
		errno = EACCES;
		return -1;
	}
	return 0;
}
