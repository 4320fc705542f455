/*
 * save.h - saving a selection of the store's packets to a pcap file, safely and in slices
 * (pcapng with an interface per source when the store has several).
 *
 * The packets are read back from the store and written through dump.h (libpcap's dumper,
 * with the store's link type and timestamp precision) into a temporary file in the target's
 * folder, which is renamed over the target only once every byte is written and the close
 * succeeded: a failed save (full disk, I/O error, cancel) removes the temporary file and
 * leaves an existing target untouched.
 *
 * Call order (one thread, the store's: the UI thread): save_begin() -> save_step()... until
 * it returns SAVE_DONE or SAVE_FAILED (or save_cancel() at any time) -> save_free(). The
 * selection is copied at save_begin(), so the displayed rows may change meanwhile; packets
 * appended to the store afterwards are not saved. No curses.
 */
#ifndef CAPSCOPE_SAVE_H
#define CAPSCOPE_SAVE_H

#include <stdbool.h>
#include <stdint.h>

#include "capture/store.h"

#define SAVE_ERRLEN 512

/* Which packets: store indices idx_base + idx[0..n) (in that order: 32-bit offsets, as the
 * list's rows keep them), or with idx NULL packets [first, first + n); of these, only the
 * marked ones if marked_only, and only those with a timestamp at or after min_ts_ns (0: any). */
struct save_sel {
	const uint32_t *idx;
	uint64_t idx_base;
	uint64_t first, n;
	bool marked_only;
	int64_t min_ts_ns;
	/* A store of several sources (store_interfaces() > 1): their names (raw; NULL: none),
	 * which pcapng writes as an interface each (packets keep their source's); with one_if
	 * only source `ifidx`'s packets are saved, as a file of its own (pcap: a file per
	 * source). */
	const char *const *if_names;
	bool one_if;
	unsigned ifidx;
};

enum save_status { SAVE_MORE, SAVE_DONE, SAVE_FAILED };

struct save;

/* Creates the temporary file beside `path` and writes the file header. snaplen goes into
 * the header. Returns NULL with a one-line message in err (SAVE_ERRLEN bytes). */
struct save *save_begin(struct store *s, const struct save_sel *sel, const char *path, int snaplen,
                        char *err);
/* Writes packets for about budget_ns (0: to the end). SAVE_DONE: the file is in place;
 * SAVE_FAILED: err says why, the temporary file is gone. Later calls repeat the result. */
enum save_status save_step(struct save *sv, uint64_t budget_ns, char *err);
/* Gives up: removes the temporary file (the target is untouched). */
void save_cancel(struct save *sv);
void save_free(struct save *sv);

uint64_t save_packets(const struct save *sv); /* packets written so far */
uint64_t save_bytes(const struct save *sv);   /* file bytes written so far */
/* Fraction of the selection gone through (0..1). */
double save_progress(const struct save *sv);

/* Saves in one go (save_begin + save_step to the end + save_free). Returns 0 with the
 * packet and byte counts, or -1 with err. */
int save_run(struct store *s, const struct save_sel *sel, const char *path, int snaplen,
             uint64_t *packets, uint64_t *bytes, char *err);

#endif
