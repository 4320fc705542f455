/*
 * pktfile.h - reads one packet's bytes back from a capture file, given where its record
 * starts. The packet store keeps only positions (24 bytes a packet), so a multi-GB file is
 * never held in memory: the list and the panes read the few packets they show.
 *
 * pcap: the record header is at pos, the data right after it. pcapng: pos is where libpcap
 * started reading for that packet; non-packet blocks (interface, statistics, name
 * resolution) may come first and are walked over, a bounded number of them.
 * One thread owns a pktfile (the UI thread).
 */
#ifndef CAPSCOPE_PKTFILE_H
#define CAPSCOPE_PKTFILE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define PKTFILE_ERRLEN 256
/* pcap's record header, which comes before a record's bytes */
#define PKTFILE_REC_HDR_BYTES 16u
/* pcap's file header, before the first record */
#define PKTFILE_PCAP_HDR_BYTES 24u

struct pktfile;

/* Opens path for reading and detects its format. NULL with err on failure. */
struct pktfile *pktfile_open(const char *path, char *err);
void pktfile_close(struct pktfile *f);
/* Copies caplen bytes of the packet whose record starts at pos into buf. Returns 0, or -1
 * with err (the file changed or was truncated since it was indexed). */
int pktfile_read(struct pktfile *f, uint64_t pos, uint32_t caplen, uint8_t *buf, char *err);
/* True for a pcapng file (only pcapng packets have comments). */
bool pktfile_is_pcapng(const struct pktfile *f);
/* The file's bytes [lo, hi) were written over since they were read: a cached copy of them
 * is dropped (the spill file's ring rewrites its oldest records). */
void pktfile_forget(struct pktfile *f, uint64_t lo, uint64_t hi);
/* Reads that start before `end` fill the cache only up to it (UINT64_MAX: no limit): in the
 * spill file's ring the bytes past the writer's position are older records it will write
 * over, so a cached copy of them would go stale at its next write. */
void pktfile_limit(struct pktfile *f, uint64_t end);
/* The idx-th (from 0) comment (opt_comment) of the packet whose record starts at pos, copied
 * into buf (n bytes, NUL-terminated, cut to fit; *len: the bytes copied). Returns 1, 0 when
 * the packet has no such comment (a pcap file, another block type, bad option lengths), or
 * -1 with err when the block cannot be read. Only the first PKTFILE_OPTS_MAX bytes of a
 * block's options are looked at. */
#define PKTFILE_OPTS_MAX (64u << 10)
int pktfile_comment(struct pktfile *f, uint64_t pos, unsigned idx, char *buf, size_t n, size_t *len,
                    char *err);
/* pcapng: the interface id of the packet whose record starts at pos (an Enhanced Packet
 * Block's; 0 for other packet blocks and pcap files). Returns 0, or -1 with err. */
int pktfile_interface(struct pktfile *f, uint64_t pos, uint32_t *ifid, char *err);
/* pcapng: the interfaces described before the first packet of the first section, at most
 * max: names[i] gets interface i's name as tshark gives it (if_name, else if_description,
 * else if_hardware, else "unknown"; as the file has it, untrusted: escape it before showing
 * it; cut to PKTFILE_IFNAME_MAX - 1 bytes). Returns how many
 * (0 for a pcap file or when the walk fails). At most PCAPNG_MAX_WALK blocks are read. */
#define PKTFILE_IFNAME_MAX 128u
unsigned pktfile_interfaces(struct pktfile *f, char (*names)[PKTFILE_IFNAME_MAX], unsigned max);
/* The same for the comments of the file's first section (its Section Header Block). */
int pktfile_section_comment(struct pktfile *f, unsigned idx, char *buf, size_t n, size_t *len,
                            char *err);

#endif
