/* outbuf.c - buffered text output with sticky errors (see outbuf.h). */
#include "decode/outbuf.h"

#include <errno.h>
#include <string.h>

#include "base/addr.h"

void ob_init(struct outbuf *ob, FILE *fp)
{
	ob->fp = fp;
	ob->len = 0;
	ob->err = 0;
}

void ob_drain(struct outbuf *ob)
{
	if (ob->len && !ob->err) {
		errno = 0;
		if (fwrite(ob->buf, 1, ob->len, ob->fp) != ob->len)
			ob->err = errno ? errno : EIO;
	}
	ob->len = 0;
}

void ob_mem(struct outbuf *ob, const void *p, size_t n)
{
	while (n) {
		size_t chunk = n < OUTBUF_RESERVE_MAX ? n : OUTBUF_RESERVE_MAX;
		memcpy(ob_reserve(ob, chunk), p, chunk);
		ob_commit(ob, chunk);
		p = (const char *)p + chunk;
		n -= chunk;
	}
}

void ob_u64(struct outbuf *ob, uint64_t v)
{
	ob_commit(ob, addr_u64_text(ob_reserve(ob, 21), v));
}

void ob_hex(struct outbuf *ob, const uint8_t *p, size_t n)
{
	static const char hexdig[] = "0123456789abcdef";

	while (n) {
		size_t chunk = n < OUTBUF_RESERVE_MAX / 2 ? n : OUTBUF_RESERVE_MAX / 2;
		char *o = ob_reserve(ob, 2 * chunk);
		for (size_t i = 0; i < chunk; i++) {
			o[2 * i] = hexdig[p[i] >> 4];
			o[2 * i + 1] = hexdig[p[i] & 15];
		}
		ob_commit(ob, 2 * chunk);
		p += chunk;
		n -= chunk;
	}
}

int ob_flush(struct outbuf *ob)
{
	ob_drain(ob);
	if (!ob->err && fflush(ob->fp) != 0)
		ob->err = errno ? errno : EIO;
	return ob->err ? -1 : 0;
}
