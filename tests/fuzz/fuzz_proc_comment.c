/*
 * fuzz_proc_comment.c - libFuzzer harness for the pcapng process comment (proc_comment.h).
 * The input is a comment as a file may hold it; the parser must stay within its bytes (the
 * input is copied into a buffer of exactly its size, so ASan sees a read past it). Whatever
 * is parsed is written again and must read back the same: the format keeps raw bytes, and
 * the text written is ASCII with no control byte but the line feed.
 */
#include <stdlib.h>
#include <string.h>

#include "procs/proc_comment.h"

static void same(const struct proc_info *a, const struct proc_info *b)
{
	if (a->pid != b->pid || a->uid != b->uid || a->start != b->start ||
	    strcmp(a->name, b->name) || strcmp(a->user, b->user) ||
	    strcmp(a->cmdline, b->cmdline) || strcmp(a->cgroup, b->cgroup) ||
	    strcmp(a->container, b->container))
		__builtin_trap(); /* a round trip changed a field */
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static char text[8192];
	char *copy = malloc(size ? size : 1);
	struct proc_info p, q;
	bool out, out2;

	if (!copy)
		return 0;
	memcpy(copy, data, size);
	bool ours = proc_comment_parse(copy, size, &p, &out);
	free(copy);
	if (!ours)
		return 0;
	size_t n = proc_comment_format(&p, out, text, sizeof text);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)text[i] >= 0x80 || (text[i] < 0x20 && text[i] != '\n'))
			__builtin_trap(); /* a raw byte in the text written */
	if (!proc_comment_parse(text, n, &q, &out2) || out2 != out)
		__builtin_trap();
	same(&p, &q);
	return 0;
}
