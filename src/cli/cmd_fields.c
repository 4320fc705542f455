/* cmd_fields.c - --list-fields: the field catalogue, as `tshark -G fields` lists it. */
#include <stdio.h>
#include <stdlib.h>

#include "cli/commands.h"
#include "decode/fields_out.h"

int cmd_list_fields(const struct cli_opts *o)
{
	struct outbuf *ob = malloc(sizeof *ob);

	(void)o;
	if (!ob) {
		cli_error("out of memory");
		return 1;
	}
	ob_init(ob, stdout);
	fields_list(ob);
	int rc = ob_flush(ob) < 0 ? 1 : 0;
	free(ob);
	return rc;
}
