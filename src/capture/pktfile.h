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

#include <stdint.h>

#define PKTFILE_ERRLEN 256
/* pcap's record header, which comes before a record's bytes */
#define PKTFILE_REC_HDR_BYTES 16u

struct pktfile;

/* Opens path for reading and detects its format. NULL with err on failure. */
struct pktfile *pktfile_open(const char *path, char *err);
void pktfile_close(struct pktfile *f);
/* Copies caplen bytes of the packet whose record starts at pos into buf. Returns 0, or -1
 * with err (the file changed or was truncated since it was indexed). */
int pktfile_read(struct pktfile *f, uint64_t pos, uint32_t caplen, uint8_t *buf, char *err);

#endif
