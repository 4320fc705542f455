/*
 * follow_data.h - one stream's payload for the follow view: its packets read back from the
 * capture by the stream's chain (model_streams.h: only that stream's packets, by offset, not
 * the whole file), put through the follow engine (decode/follow.h: retransmissions taken
 * once, out-of-order data put in order, gaps noted as tshark notes them), and kept as chunks
 * over one byte buffer. Saving writes the payload of one node or both. No curses.
 *
 * Bounded: at most FOLLOW_DATA_MAX_BYTES of payload is kept; a longer stream is cut there
 * (`cut` says so) and the view shows its start.
 */
#ifndef CAPSCOPE_FOLLOW_DATA_H
#define CAPSCOPE_FOLLOW_DATA_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "decode/follow.h"

struct model;

#define FOLLOW_DATA_MAX_BYTES (256u << 20)
#define FOLLOW_DATA_ERRLEN    300

struct fchunk {
	uint8_t node;     /* 0: the stream's first sender */
	uint64_t frame;   /* the frame that carried the bytes (a gap: the one that showed it) */
	uint64_t off;     /* into bytes */
	uint32_t len;     /* 0 for a gap */
	uint32_t missing; /* a gap's bytes not in the capture */
};

struct follow_data {
	int proto; /* P_TCP or P_UDP */
	uint64_t number;
	char node_text[2][FOLLOW_NODE_TEXT_MAX]; /* "10.0.0.1:80" */
	struct fchunk *c;
	size_t n, cap;
	uint8_t *bytes;
	uint64_t nbytes, capbytes;
	uint64_t bytes_each[2]; /* payload bytes per node */
	uint64_t missing_each[2];
	uint64_t packets;  /* packets of the stream read */
	uint64_t unplaced; /* held bytes the stream never reached (left out, as tshark does) */
	bool cut;          /* FOLLOW_DATA_MAX_BYTES was reached */
};

/* Loads stream `number` of proto (P_TCP or P_UDP) from m's store into fd (emptied first).
 * Returns 0, or -1 with err (no such stream, out of memory, a read error). */
int follow_data_load(struct model *m, int proto, uint64_t number, struct follow_data *fd,
                     char *err);
void follow_data_free(struct follow_data *fd);
/* Writes the payload bytes of the nodes in mask (bit 0: node 0, bit 1: node 1) to path, in
 * stream order, gaps left out. Returns the bytes written, or -1 with err. */
int64_t follow_data_save(const struct follow_data *fd, const char *path, unsigned mask, char *err);

#endif
