/*
 * capture_comments.c - process comments of a pcapng file, read back (see capture_comments.h).
 * The comment bytes come from the file: pktfile_comment bounds them, proc_comment_parse
 * treats them as hostile.
 */
#include "cli/capture_comments.h"

#include <stdlib.h>

#include "base/packet.h"

#include "capture/pktfile.h"
#include "procs/proc_comment.h"

#define COMMENT_BYTES 16384 /* longer comments are cut: ours are under 5 KiB */

struct capture_comments {
	struct pktfile *f;
	char text[COMMENT_BYTES];
};

struct capture_comments *capture_comments_open(const char *path)
{
	char err[PKTFILE_ERRLEN];
	struct capture_comments *c;
	struct pktfile *f = pktfile_open(path, err);

	if (!f || !pktfile_is_pcapng(f) || !(c = malloc(sizeof *c))) {
		pktfile_close(f);
		return NULL;
	}
	c->f = f;
	return c;
}

void capture_comments_close(struct capture_comments *c)
{
	if (!c)
		return;
	pktfile_close(c->f);
	free(c);
}

bool capture_comments_read(struct capture_comments *c, uint64_t pos, struct proc_info *p, bool *out)
{
	char err[PKTFILE_ERRLEN];
	size_t len;

	if (pos == PKT_POS_NONE)
		return false;
	for (unsigned i = 0; i < CAPTURE_COMMENTS_MAX; i++) {
		if (pktfile_comment(c->f, pos, i, c->text, sizeof c->text, &len, err) != 1)
			return false;
		if (proc_comment_parse(c->text, len, p, out))
			return true;
	}
	return false;
}
