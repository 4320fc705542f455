/* win_notes.c - win_notes.h: npcap_notes() as "Note:" lines. */
#include "cli/win_notes.h"

#include <string.h>

#include "capture/npcap.h"

void win_notes(FILE *fp)
{
	char buf[1024], *line, *next;

	npcap_notes(buf, sizeof buf);
	for (line = buf; *line; line = next) {
		next = strchr(line, '\n');
		next = next ? next + 1 : line + strlen(line);
		fprintf(fp, "Note: %.*s", (int)(next - line), line);
	}
}
