/*
 * stats_win32.c - statistics mode on Windows: Npcap counts in the driver.
 *
 * pcap_setmode(MODE_STAT) turns the handle into a counter: once per read timeout the
 * callback receives, instead of a packet, two little-endian 64-bit counters (packets and
 * bytes matching the filter since the previous callback), stamped when the driver sampled
 * them. The timeout is a tenth of the interval (10..50 ms), and each sample is counted at
 * the middle of the span it covers, so samples fall into the wall-clock intervals of
 * stats.c like packets do on Linux.
 *
 * Npcap's byte counter is not the sum of wire lengths: the driver counts each frame as at
 * least 60 bytes and adds 12 (preamble, start delimiter and FCS). 12 bytes per packet are
 * taken off again; frames shorter than 60 bytes still count as 60 (the padding cannot be
 * undone from the counters). stats_bytes_note() says so wherever bytes are shown.
 */
#include "capture/stats_int.h"
#include "capture/npcap.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#ifndef MODE_STAT
#define MODE_STAT 1
int pcap_setmode(pcap_t *p, int mode); /* Npcap only: absent from non-Windows pcap.h */
#endif

#define NPCAP_STAT_OVERHEAD 12 /* preamble + SFD + FCS, added per packet by the driver */
#define STATS_SNAPLEN       64

struct stats_plat {
	pcap_t *pcap;
	int64_t half_span_ns; /* half the read timeout */
	struct stats_clock *clock;
};

int stats_plat_snaplen(void)
{
	return STATS_SNAPLEN;
}

struct stats_plat *stats_plat_open(struct source *src, int timeout_ms, char *err)
{
	struct stats_plat *p = calloc(1, sizeof *p);

	if (!p) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory starting statistics mode");
		return NULL;
	}
	if (!npcap_ext_usable()) { /* wine's pcap_setmode aborts the program (npcap.h) */
		snprintf(err, SOURCE_ERRLEN,
		         "capscope: --stats needs Npcap's statistics mode (pcap_setmode), which is "
		         "unavailable%s (CAPSCOPE_NPCAP_EXT=1 forces it)",
		         npcap_wine_version() ? " under wine" : ": CAPSCOPE_NPCAP_EXT=0");
		free(p);
		return NULL;
	}
	p->pcap = source_pcap(src);
	p->half_span_ns = (int64_t)timeout_ms * 500000;
	if (pcap_setmode(p->pcap, MODE_STAT) != 0) {
		snprintf(err, SOURCE_ERRLEN, "capscope: Npcap refused statistics mode: %s",
		         pcap_geterr(p->pcap));
		free(p);
		return NULL;
	}
	return p;
}

enum source_err stats_plat_filter(struct source *src, const char *expr, char *err)
{
	return source_set_filter(src, expr, err); /* the driver filters: no copy either way */
}

static uint64_t le64(const u_char *b)
{
	uint64_t v = 0;

	for (int i = 7; i >= 0; i--)
		v = v << 8 | b[i];
	return v;
}

static void count_sample(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct stats_plat *p = (struct stats_plat *)user;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * 1000;
	uint64_t packets, octets;

	if (h->caplen < 16)
		return;
	packets = le64(bytes);
	octets = le64(bytes + 8);
	octets -= octets >= packets * NPCAP_STAT_OVERHEAD ? packets * NPCAP_STAT_OVERHEAD : octets;
	ts -= p->half_span_ns;
	stats_clock_add(p->clock, ts > p->clock->start_ns ? ts : p->clock->start_ns, packets,
	                octets);
}

int stats_plat_read(struct stats_plat *p, struct stats_clock *k, char *err)
{
	p->clock = k;
	if (pcap_dispatch(p->pcap, -1, count_sample, (u_char *)p) == PCAP_ERROR) {
		snprintf(err, SOURCE_ERRLEN, "capscope: reading the adapter failed: %s",
		         pcap_geterr(p->pcap));
		return -1;
	}
	return 0;
}

void stats_plat_drain(struct stats_plat *p, struct stats_clock *k)
{
	(void)p; /* the driver's counters since the last sample cannot be read early */
	(void)k;
}

void stats_plat_close(struct stats_plat *p)
{
	free(p);
}

int64_t stats_plat_wall_ns(void)
{
	FILETIME ft;
	ULARGE_INTEGER t;

	GetSystemTimePreciseAsFileTime(&ft);
	t.LowPart = ft.dwLowDateTime;
	t.HighPart = ft.dwHighDateTime;
	return ((int64_t)t.QuadPart - 116444736000000000LL) * 100; /* 1601 -> 1970, 100 ns */
}

const char *stats_bytes_note(void)
{
	return "bytes: Npcap's statistics-mode counter less 12 bytes per packet, i.e. the wire "
	       "lengths with frames under 60 bytes counted as 60";
}
