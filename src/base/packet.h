/*
 * packet.h - the packet record shared by capture, decode and views.
 *
 * Timestamps are always held in nanoseconds; `tsprec` on the source says whether the
 * capture really had nanosecond resolution (9) or microseconds (6), so output can show
 * exactly what the file or adapter gave.
 */
#ifndef CAPSCOPE_PACKET_H
#define CAPSCOPE_PACKET_H

#include <stdint.h>

struct pkt_hdr {
	int64_t ts_sec;   /* seconds since the epoch */
	uint32_t ts_nsec; /* 0..999999999 */
	uint32_t caplen;  /* bytes captured (what we may read) */
	uint32_t len;     /* bytes on the wire */
	/* Which source of the capture (0 with one source; -i A -i B: the -i's number from 0,
	 * the pcapng interface id). It fills what was padding: the record stays 32 bytes. */
	uint32_t ifidx;
	uint64_t pos; /* capture files: where libpcap began reading this record (for random
	                 re-reads, see pktfile.h); PKT_POS_NONE for live and streams */
};

#define PKT_POS_NONE UINT64_MAX

#endif
