/* pktfile.c - random-access packet reads from pcap and pcapng files (see pktfile.h). */
#include "capture/pktfile.h"

#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "capture/fileio.h"
#include "capture/pcapng_opts.h"
#include "base/name_escape.h"

#define PCAPNG_SHB            0x0A0D0D0Au
#define PCAPNG_EPB            6u
#define PCAPNG_SPB            3u
#define PCAPNG_PB             2u
#define PCAPNG_BOM            0x1A2B3C4Du
#define PCAPNG_IDB            1u
#define PCAPNG_IF_NAME        2u
#define PCAPNG_IF_DESCRIPTION 3u
#define PCAPNG_IF_HARDWARE    15u
#define PCAPNG_MAX_WALK       256 /* non-packet blocks walked before giving up */
/* Reads go through a window of the file: reading packets in order (a refilter, the list
 * drawing its rows) then costs one pread per window instead of one per packet. */
#define WINDOW_BYTES (256u << 10)

struct pktfile {
	int fd;
	bool pcapng;
	bool swapped; /* pcapng: the current section's byte order is not ours */
	char name[128];
	uint8_t *window; /* bytes [win_off, win_off + win_len) of the file */
	uint8_t *opts;   /* pcapng: a packet's options (PKTFILE_OPTS_MAX), at the first comment */
	uint64_t win_off;
	size_t win_len;
	uint64_t limit; /* pktfile_limit() */
};

static uint32_t load32(const uint8_t *p, bool swapped)
{
	uint32_t v;

	memcpy(&v, p, 4);
	return swapped ? __builtin_bswap32(v) : v;
}

static int fail(struct pktfile *f, char *err, const char *what)
{
	snprintf(err, PKTFILE_ERRLEN, "cannot read back a packet from '%s': %s", f->name, what);
	return -1;
}

struct pktfile *pktfile_open(const char *path, char *err)
{
	struct pktfile *f = calloc(1, sizeof *f);
	uint8_t hdr[12];

	if (!f) {
		snprintf(err, PKTFILE_ERRLEN, "out of memory");
		return NULL;
	}
	name_escape(path, f->name, sizeof f->name);
	f->limit = UINT64_MAX;
	f->fd = fileio_open_read(path);
	if (f->fd < 0 || fileio_pread(f->fd, hdr, sizeof hdr, 0) < 0) {
		snprintf(err, PKTFILE_ERRLEN, "cannot open '%s': %s", f->name, strerror(errno));
		pktfile_close(f);
		return NULL;
	}
	if (load32(hdr, false) == PCAPNG_SHB) {
		f->pcapng = true;
		f->swapped = load32(hdr + 8, false) != PCAPNG_BOM;
	}
	return f;
}

void pktfile_close(struct pktfile *f)
{
	if (!f)
		return;
	fileio_close(f->fd);
	free(f->window);
	free(f->opts);
	free(f);
}

/* Fills the window from off with what the file has there; false on a read error. A spill
 * file may still be growing: what was not written yet is simply not in the window. */
static bool fill_window(struct pktfile *f, uint64_t off)
{
	size_t got = 0, want = WINDOW_BYTES;

	if (!f->window && !(f->window = malloc(WINDOW_BYTES)))
		return false;
	if (off < f->limit && f->limit - off < want)
		want = (size_t)(f->limit - off);
	f->win_off = off;
	f->win_len = 0;
	if (fileio_pread_some(f->fd, f->window, want, off, &got) < 0)
		return false;
	f->win_len = got;
	return true;
}

/* Copies n bytes at off, through the window when they fit in one. */
static int read_at(struct pktfile *f, void *buf, size_t n, uint64_t off)
{
	bool inside = off >= f->win_off && off - f->win_off + n <= f->win_len;

	if (n > WINDOW_BYTES / 2)
		return fileio_pread(f->fd, buf, n, off);
	if (!inside && (!fill_window(f, off) || n > f->win_len))
		return fileio_pread(f->fd, buf, n, off); /* sets errno for the message */
	memcpy(buf, f->window + (off - f->win_off), n);
	return 0;
}

/* Offset of the packet data in the block at pos, or 0 for a non-packet block (*next set). */
static int pcapng_block(struct pktfile *f, uint64_t pos, uint64_t *data, uint64_t *next)
{
	uint8_t b[12];

	if (read_at(f, b, sizeof b, pos) < 0)
		return -1;
	if (load32(b, false) == PCAPNG_SHB)
		f->swapped = load32(b + 8, false) != PCAPNG_BOM;
	uint32_t type = load32(b, f->swapped), total = load32(b + 4, f->swapped);
	if (total < 12 || total % 4)
		return -1;
	*data = 0;
	*next = pos + total;
	if (type == PCAPNG_EPB || type == PCAPNG_PB)
		*data = pos + 28;
	else if (type == PCAPNG_SPB)
		*data = pos + 12;
	return 0;
}

/* pcapng: the packet block at or after pos (non-packet blocks walked over): its start in
 * *blk and its data's offset in *data. */
static int pcapng_packet_block(struct pktfile *f, uint64_t pos, uint64_t *blk, uint64_t *data,
                               char *err)
{
	uint64_t next;

	*data = 0;
	for (int i = 0; i < PCAPNG_MAX_WALK && *data == 0; i++) {
		if (pcapng_block(f, pos, data, &next) < 0)
			return fail(f, err, "bad block");
		*blk = pos;
		pos = next;
	}
	if (*data == 0)
		return fail(f, err, "no packet block where the index points");
	return 0;
}

int pktfile_read(struct pktfile *f, uint64_t pos, uint32_t caplen, uint8_t *buf, char *err)
{
	uint64_t data = pos + PKTFILE_REC_HDR_BYTES, blk;

	if (f->pcapng && pcapng_packet_block(f, pos, &blk, &data, err) < 0)
		return -1;
	if (read_at(f, buf, caplen, data) < 0)
		return fail(f, err, strerror(errno));
	return 0;
}

void pktfile_forget(struct pktfile *f, uint64_t lo, uint64_t hi)
{
	if (f && f->win_len && lo < f->win_off + f->win_len && hi > f->win_off)
		f->win_len = 0;
}

void pktfile_limit(struct pktfile *f, uint64_t end)
{
	f->limit = end;
}

bool pktfile_is_pcapng(const struct pktfile *f)
{
	return f->pcapng;
}

/* Reads the options at [off, off + olen) of the file into f->opts (at most PKTFILE_OPTS_MAX
 * bytes: what the file holds of them); *len is what was read. */
static int read_options(struct pktfile *f, uint64_t off, size_t olen, size_t *len, char *err)
{
	size_t got = 0;

	*len = 0;
	if (!f->opts && !(f->opts = malloc(PKTFILE_OPTS_MAX)))
		return fail(f, err, "out of memory");
	if (olen > PKTFILE_OPTS_MAX)
		olen = PKTFILE_OPTS_MAX;
	if (olen == 0 || read_at(f, f->opts, olen, off) == 0) /* through the window */
		got = olen;
	else if (fileio_pread_some(f->fd, f->opts, olen, off, &got) < 0) /* a cut file */
		return fail(f, err, strerror(errno));
	*len = got;
	return 0;
}

/* The idx-th comment of the options in f->opts[0..olen) into buf; 1, or 0 when none. */
static int copy_comment(struct pktfile *f, size_t olen, unsigned idx, char *buf, size_t n,
                        size_t *len)
{
	struct pcapng_opt_walk w = {0};
	size_t off, clen;

	for (unsigned i = 0; pcapng_next_comment(f->opts, olen, f->swapped, &w, &off, &clen); i++) {
		if (i < idx)
			continue;
		*len = clen < n ? clen : (n ? n - 1 : 0);
		memcpy(buf, f->opts + off, *len);
		if (n)
			buf[*len] = '\0';
		return 1;
	}
	return 0;
}

/* Starts a comment lookup: nothing found yet. */
static void no_comment(char *buf, size_t n, size_t *len)
{
	*len = 0;
	if (n)
		buf[0] = '\0';
}

int pktfile_comment(struct pktfile *f, uint64_t pos, unsigned idx, char *buf, size_t n, size_t *len,
                    char *err)
{
	uint8_t head[PCAPNG_EPB_FIXED];
	uint64_t blk, data;
	size_t off, olen;

	no_comment(buf, n, len);
	if (!f->pcapng)
		return 0;
	if (pcapng_packet_block(f, pos, &blk, &data, err) < 0)
		return -1;
	if (read_at(f, head, sizeof head, blk) < 0)
		return fail(f, err, strerror(errno));
	if (!pcapng_epb_options(head, f->swapped, &off, &olen))
		return 0; /* another packet block type, or bad lengths */
	if (read_options(f, blk + off, olen, &olen, err) < 0)
		return -1;
	return copy_comment(f, olen, idx, buf, n, len);
}

int pktfile_section_comment(struct pktfile *f, unsigned idx, char *buf, size_t n, size_t *len,
                            char *err)
{
	uint8_t head[12];
	size_t off, olen;
	bool swapped = f->swapped;
	int rc = 0;

	no_comment(buf, n, len);
	if (!f->pcapng)
		return 0;
	if (read_at(f, head, sizeof head, 0) < 0)
		return fail(f, err, strerror(errno));
	f->swapped = pcapng_get32(head + 8, false) != PCAPNG_BOM; /* the first section's order */
	if (pcapng_shb_options(head, f->swapped, &off, &olen) &&
	    (rc = read_options(f, off, olen, &olen, err)) == 0)
		rc = copy_comment(f, olen, idx, buf, n, len);
	f->swapped = swapped; /* packet reads keep the order of the section they are in */
	return rc;
}

int pktfile_interface(struct pktfile *f, uint64_t pos, uint32_t *ifid, char *err)
{
	uint8_t head[12];
	uint64_t blk, data;

	*ifid = 0;
	if (!f->pcapng)
		return 0;
	if (pcapng_packet_block(f, pos, &blk, &data, err) < 0)
		return -1;
	if (read_at(f, head, sizeof head, blk) < 0)
		return fail(f, err, strerror(errno));
	if (load32(head, f->swapped) == PCAPNG_EPB)
		*ifid = load32(head + 8, f->swapped);
	return 0;
}

/* The name of the IDB at blk (total bytes long) into name, as tshark names an interface:
 * its if_name, else its if_description, else its if_hardware, else "unknown". */
static void idb_name(struct pktfile *f, uint64_t blk, uint32_t total, char *name)
{
	static const uint16_t codes[] = {PCAPNG_IF_NAME, PCAPNG_IF_DESCRIPTION, PCAPNG_IF_HARDWARE};
	size_t off, olen, got;
	char err[PKTFILE_ERRLEN];

	snprintf(name, PKTFILE_IFNAME_MAX, "unknown");
	/* type, length, link type, reserved, snap length: 16 bytes before the options */
	if (total < 20 || read_options(f, blk + 16, total - 20, &got, err) < 0)
		return;
	for (size_t i = 0; i < sizeof codes / sizeof codes[0]; i++) {
		struct pcapng_opt_walk w = {0};
		if (!pcapng_next_option(f->opts, got, f->swapped, codes[i], &w, &off, &olen))
			continue;
		if (olen >= PKTFILE_IFNAME_MAX)
			olen = PKTFILE_IFNAME_MAX - 1;
		memcpy(name, f->opts + off, olen);
		name[olen] = '\0';
		name[strnlen(name, olen)] = '\0'; /* a padded name ends at its NUL */
		return;
	}
}

unsigned pktfile_interfaces(struct pktfile *f, char (*names)[PKTFILE_IFNAME_MAX], unsigned max)
{
	uint8_t b[12];
	uint64_t pos = 0;
	unsigned n = 0;
	bool swapped = f->swapped;

	for (int i = 0; f->pcapng && i < PCAPNG_MAX_WALK && n < max; i++) {
		if (read_at(f, b, sizeof b, pos) < 0)
			break;
		if (i == 0)
			f->swapped = load32(b + 8, false) != PCAPNG_BOM;
		uint32_t type = load32(b, f->swapped), total = load32(b + 4, f->swapped);
		if (total < 12 || total % 4 || (i > 0 && type == PCAPNG_SHB) ||
		    type == PCAPNG_EPB || type == PCAPNG_SPB || type == PCAPNG_PB)
			break; /* a bad block, the next section or the first packet */
		if (type == PCAPNG_IDB)
			idb_name(f, pos, total, names[n++]);
		pos += total;
	}
	f->swapped = swapped;
	return n;
}
