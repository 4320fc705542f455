/*
 * file_procs.c - a stored pcapng packet's process from its comment (see file_procs.h). The
 * comment's bytes come from the file: store_comment bounds them and proc_comment_parse
 * treats them as hostile.
 */
#include "model/file_procs.h"

#include "procs/proc_comment.h"

#define COMMENT_BYTES 16384 /* longer comments are cut: ours are under 5 KiB */

bool file_procs_attributed(struct store *s)
{
	static char text[COMMENT_BYTES];
	char err[STORE_ERRLEN];
	size_t len;

	for (unsigned k = 0; k < FILE_PROCS_MAX_COMMENTS; k++) {
		if (store_section_comment(s, k, text, sizeof text, &len, err) != 1)
			return false;
		if (proc_comment_is_section(text, len))
			return true;
	}
	return false;
}

bool file_procs_get(struct store *s, uint64_t i, struct proc_info *p, bool *out)
{
	static char text[COMMENT_BYTES]; /* the UI thread's alone */
	char err[STORE_ERRLEN];
	size_t len;

	for (unsigned k = 0; k < FILE_PROCS_MAX_COMMENTS; k++) {
		if (store_comment(s, i, k, text, sizeof text, &len, err) != 1)
			return false;
		if (proc_comment_parse(text, len, p, out))
			return true;
	}
	return false;
}
