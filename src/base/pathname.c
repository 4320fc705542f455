/* pathname.c - see pathname.h. */
#include "base/pathname.h"

#include <stdbool.h>
#include <stdio.h>
#include <string.h>

char *path_dir(const char *path, char *dir, size_t n)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		snprintf(dir, n, ".");
	else if (slash == path)
		snprintf(dir, n, "/");
	else
		snprintf(dir, n, "%.*s", (int)(slash - path), path);
	return dir;
}

const char *path_base(const char *path)
{
	const char *slash = strrchr(path, '/');

	return slash ? slash + 1 : path;
}

static bool name_byte_ok(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
	       c == '.' || c == '_' || c == '-';
}

int path_per_source(const char *path, const char *name, char *out, size_t n)
{
	const char *slash = strrchr(path, '/');
	const char *dot = strrchr(slash ? slash + 1 : path, '.');
	size_t stem =
	    dot && dot != (slash ? slash + 1 : path) ? (size_t)(dot - path) : strlen(path);
	size_t len = strlen(name), at;

	if (stem + 1 + len + strlen(path + stem) + 1 > n)
		return -1;
	memcpy(out, path, stem);
	at = stem;
	out[at++] = '-';
	for (size_t i = 0; i < len; i++)
		out[at++] = name_byte_ok((unsigned char)name[i]) ? name[i] : '_';
	strcpy(out + at, path + stem);
	return 0;
}
