/*
 * stats_linux.c - statistics mode on Linux: the least copying libpcap allows.
 *
 * The handle keeps STATS_SNAPLEN bytes of each packet: the wire length comes from the
 * kernel's header whatever the snapshot length, and the kernel filter sees the whole packet.
 * 16 rather than 1 because libpcap puts a VLAN tag the kernel stripped back into the packet
 * (and its 4 bytes into the wire length) only when it kept at least the two MAC addresses.
 * libpcap's default TPACKET_V3 ring hands over whole blocks of packets; pcap_dispatch() walks
 * a block in place and count_packet() adds to two counters: no copy, no ring, no decoding.
 * The read timeout is also the block timeout, so a packet reaches the counter within one.
 *
 * The filter is attached to the socket here rather than with pcap_setfilter(): after a new
 * filter libpcap re-checks, in user space, every packet of the ring's next blocks (they may
 * predate the filter), and with 16 bytes kept that check rejects packets the kernel passed.
 * Packets that reached the ring before the filter are stamped before counting starts and
 * are skipped by stats_clock_add(). Cooked captures ("any") need libpcap's rewriting of the
 * program, so they use pcap_setfilter() and a snapshot length the re-check can work with.
 */
#include "capture/stats_int.h"

#include <errno.h>
#include <linux/filter.h>
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>

#define STATS_SNAPLEN 16

struct stats_plat {
	pcap_t *pcap;
	int64_t ts_mul; /* tv_usec holds nanoseconds (1) or microseconds (1000) */
	struct stats_clock *clock;
	int timeout_ms;
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
	p->pcap = source_pcap(src);
	p->timeout_ms = timeout_ms;
	p->ts_mul = source_tsprec(src) == 9 ? 1 : 1000;
	return p;
}

/* SO_ATTACH_FILTER with libpcap's compiled program (struct bpf_insn and struct sock_filter
 * have the same layout; copied field by field all the same). */
static enum source_err attach(pcap_t *pc, const struct bpf_program *prog, char *err)
{
	struct sock_filter *f = calloc(prog->bf_len ? prog->bf_len : 1, sizeof *f);
	struct sock_fprog fp = {.len = (unsigned short)prog->bf_len, .filter = f};
	int rc;

	if (!f) {
		snprintf(err, SOURCE_ERRLEN, "capscope: out of memory installing the filter");
		return SRC_ERR_OTHER;
	}
	for (u_int i = 0; i < prog->bf_len; i++)
		f[i] = (struct sock_filter){prog->bf_insns[i].code, prog->bf_insns[i].jt,
		                            prog->bf_insns[i].jf, prog->bf_insns[i].k};
	rc = setsockopt(pcap_fileno(pc), SOL_SOCKET, SO_ATTACH_FILTER, &fp, sizeof fp);
	free(f);
	if (rc == 0)
		return SRC_OK;
	snprintf(err, SOURCE_ERRLEN, "capscope: the kernel refused the filter (%s)",
	         pcap_strerror(errno));
	return SRC_ERR_FILTER;
}

enum source_err stats_plat_filter(struct source *src, const char *expr, char *err)
{
	pcap_t *pc = source_pcap(src);
	struct bpf_program prog;
	enum source_err e;

	if (pcap_datalink(pc) != DLT_EN10MB ||
	    pcap_compile(pc, &prog, expr, 1, PCAP_NETMASK_UNKNOWN) < 0)
		return source_set_filter(src, expr, err); /* libpcap's way, and its messages */
	e = attach(pc, &prog, err);
	pcap_freecode(&prog);
	return e;
}

static void count_packet(u_char *user, const struct pcap_pkthdr *h, const u_char *bytes)
{
	struct stats_plat *p = (struct stats_plat *)user;
	int64_t ts = (int64_t)h->ts.tv_sec * 1000000000 + (int64_t)h->ts.tv_usec * p->ts_mul;

	(void)bytes;
	stats_clock_add(p->clock, ts, 1, h->len);
}

int stats_plat_read(struct stats_plat *p, struct stats_clock *k, char *err)
{
	int rc;

	p->clock = k;
	rc = pcap_dispatch(p->pcap, -1, count_packet, (u_char *)p);
	if (rc == PCAP_ERROR) {
		snprintf(err, SOURCE_ERRLEN, "capscope: reading the adapter failed: %s",
		         pcap_geterr(p->pcap));
		return -1;
	}
	return 0; /* PCAP_ERROR_BREAK: a stop request, seen by the caller */
}

/* Waits one block timeout, so the block being filled is handed over, then counts what is
 * there. The first read may only report the stop request (PCAP_ERROR_BREAK). */
void stats_plat_drain(struct stats_plat *p, struct stats_clock *k)
{
	struct timespec t = {0, ((long)p->timeout_ms + 5) * 1000000L};
	char ebuf[PCAP_ERRBUF_SIZE];
	int rc;

	p->clock = k;
	nanosleep(&t, NULL);
	if (pcap_setnonblock(p->pcap, 1, ebuf) != 0)
		return;
	for (int i = 0; i < 64; i++) { /* bounded: traffic may not stop */
		rc = pcap_dispatch(p->pcap, -1, count_packet, (u_char *)p);
		if (rc == 0 || (rc < 0 && rc != PCAP_ERROR_BREAK))
			break;
	}
}

void stats_plat_close(struct stats_plat *p)
{
	free(p);
}

int64_t stats_plat_wall_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_REALTIME, &ts);
	return (int64_t)ts.tv_sec * 1000000000 + ts.tv_nsec;
}

const char *stats_bytes_note(void)
{
	return "bytes: the sum of the packets' wire lengths (as tcpdump's 'length')";
}
