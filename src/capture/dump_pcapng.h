/*
 * dump_pcapng.h - the blocks of a pcapng file (draft-ietf-opsawg-pcapng), encoded into
 * memory for dump.c, which owns the stream and its error handling: a Section Header Block,
 * one Interface Description Block, an Enhanced Packet Block per packet (with the packet's
 * comment as opt_comment; an IDB per source when several are captured at once) and an
 * Interface Statistics Block at the end. Blocks are written
 * in host byte order, which the Section Header's byte-order magic declares (as libpcap and
 * Wireshark write them). Pure functions; any thread.
 */
#ifndef CAPSCOPE_DUMP_PCAPNG_H
#define CAPSCOPE_DUMP_PCAPNG_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "base/packet.h"

/* Room enough for the Section Header and Interface Description blocks with their options. */
#define PCAPNG_HEAD_MAX 1024u
/* An Enhanced Packet Block's bytes before the packet data. */
#define PCAPNG_EPB_HEAD_BYTES 28u
/* Comments longer than this are cut (an option's length is 16 bits). */
#define PCAPNG_COMMENT_MAX 16384u
/* An Interface Statistics Block with isb_ifrecv and isb_ifdrop. */
#define PCAPNG_ISB_BYTES 52u

/* The file's link type (LINKTYPE_*) for libpcap's DLT_* value, which differ for a few. */
uint16_t pcapng_linktype(int dlt);
/* Section Header ("capscope <version>", the OS, comment unless NULL) and Interface
 * Description blocks; if_name NULL for a file source; nano: if_tsresol 9, else 6. Returns
 * the bytes written to out (at most PCAPNG_HEAD_MAX; names and comment are cut to 256 bytes). */
size_t pcapng_head(uint8_t *out, int dlt, uint32_t snaplen, const char *if_name,
                   const char *comment, bool nano);
/* One more Interface Description Block (a file of several sources: interface 1, 2 ...).
 * Returns its bytes (at most PCAPNG_IDB_MAX). */
#define PCAPNG_IDB_MAX 512u
size_t pcapng_idb(uint8_t *out, int dlt, uint32_t snaplen, const char *if_name, bool nano);
/* The bytes an Enhanced Packet Block takes for caplen bytes and a comment of clen bytes
 * (clen already cut to PCAPNG_COMMENT_MAX). */
size_t pcapng_epb_bytes(uint32_t caplen, size_t clen);
/* The block's head (PCAPNG_EPB_HEAD_BYTES) and its tail after the data (padding, options,
 * the trailing length: pcapng_epb_bytes() - PCAPNG_EPB_HEAD_BYTES - caplen bytes). */
void pcapng_epb_head(uint8_t *out, const struct pkt_hdr *h, uint32_t ifid, bool nano, size_t clen);
size_t pcapng_epb_tail(uint8_t *out, uint32_t caplen, const char *comment, size_t clen);
/* An Interface Statistics Block for interface ifid at time ts_ns (since the epoch). */
void pcapng_isb(uint8_t *out, uint32_t ifid, uint64_t ts_ns, bool nano, uint64_t received,
                uint64_t dropped);

#endif
