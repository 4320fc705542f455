/* kept.c - captures kept when a session hung up (see kept.h). */
#include "model/kept.h"

#include <stdio.h>
#include <string.h>

#include "base/pathname.h"
#include "base/escape.h"
#include "platform/state_dir.h"

#define KEPT_LIST "kept" /* in the state folder: one kept file's path a line */

static bool list_path(char *buf, size_t n, bool make)
{
	char dir[1024];

	if (!(make ? state_dir_make(dir, sizeof dir) : state_dir(dir, sizeof dir)))
		return false;
	return snprintf(buf, n, "%s/%s", dir, KEPT_LIST) < (int)n;
}

bool kept_after_hangup(struct model *m, char *msg, size_t n)
{
	char dir[1024], path[1200], list[1100];
	uint64_t count = m->store ? store_count(m->store) : 0;
	bool have_dir;
	FILE *f;

	if (!model_has_unkept(m)) /* a file source: nothing to keep, no folder to make */
		return false;
	have_dir = state_dir_make(dir, sizeof dir);
	if (model_keep_packets(m, have_dir ? dir : NULL, path, sizeof path) != 1)
		return false;
	if (list_path(list, sizeof list, true) && (f = fopen(list, "a")) != NULL) {
		fprintf(f, "%s\n", path);
		fclose(f);
	}
	snprintf(msg, n, "the session ended: its %llu captured packets were kept in %s",
	         (unsigned long long)count, path);
	return true;
}

bool kept_announce(char *notice, size_t n, char *path, size_t pn)
{
	char list[1100], line[1024], newest[1024] = "", name[200];
	unsigned found = 0;
	FILE *f, *probe;

	if (!list_path(list, sizeof list, false) || (f = fopen(list, "r")) == NULL)
		return false;
	while (fgets(line, sizeof line, f)) {
		line[strcspn(line, "\r\n")] = '\0';
		if (line[0] && (probe = fopen(line, "rb")) != NULL) { /* still there */
			fclose(probe);
			snprintf(newest, sizeof newest, "%s", line);
			found++;
		}
	}
	fclose(f);
	remove(list);
	if (!found)
		return false;
	/* the full path waits in the open prompt; the notice names the file */
	snprintf(path, pn, "%s", newest);
	esc_cstr(name, sizeof name, path_base(newest)); /* from a file: escaped */
	if (found == 1)
		snprintf(notice, n, "kept when a session hung up: %s (o opens it)", name);
	else
		snprintf(notice, n,
		         "%u captures kept when sessions hung up; o opens the newest, %s", found,
		         name);
	return true;
}
