/*
 * fuzz_file.c - libFuzzer harness for the capture file path: the input is a whole pcap or
 * pcapng file. libpcap reads it from a memory stream (pcap_fopen_offline on fmemopen, the
 * stdio path capscope's file source takes), each record's start noted as source.c notes it
 * (the stream position before pcap_next_ex) and its packet dissected with the file's link
 * type; then the same bytes, as a file, are read back through pktfile.c at those positions
 * (pktfile_read into a buffer of exactly caplen bytes, pktfile_comment for pcapng, the
 * section's comments) as the monitor's store does. A read past a buffer shows up under
 * AddressSanitizer; a packet that reads back with other bytes than libpcap gave is a crash.
 */
#include <pcap/pcap.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "capture/pktfile.h"
#include "decode/dissect.h"

#define MAX_RECORDS 512

struct rec {
	uint64_t pos;
	uint32_t caplen;
	uint8_t *bytes;
};

static char file_path[64];

static void remove_file(void)
{
	remove(file_path);
}

/* The input as a file, for pktfile (one per process, rewritten for each input). */
static const char *as_file(const uint8_t *data, size_t size)
{
	char *path = file_path;
	FILE *fp;

	if (!path[0]) {
		snprintf(path, sizeof file_path, "/tmp/fuzz_file-%ld.pcap", (long)getpid());
		atexit(remove_file);
	}
	fp = fopen(path, "wb");
	if (!fp || fwrite(data, 1, size, fp) != size) {
		if (fp)
			fclose(fp);
		abort(); /* the harness's own failure, not the input's */
	}
	fclose(fp);
	return path;
}

/* libpcap's records: at most MAX_RECORDS, each dissected; returns how many were noted. */
static size_t read_records(const uint8_t *data, size_t size, struct rec *r, int *linktype)
{
	static struct dissection d;
	char errbuf[PCAP_ERRBUF_SIZE];
	FILE *fp = fmemopen((void *)data, size, "rb");
	struct pcap_pkthdr *ph;
	const u_char *pkt;
	size_t n = 0;
	pcap_t *p;

	if (!fp)
		return 0;
	p = pcap_fopen_offline(fp, errbuf); /* pcap_close closes fp; a failure leaves it ours */
	if (!p) {
		fclose(fp);
		return 0;
	}
	*linktype = pcap_datalink(p);
	while (n < MAX_RECORDS) {
		long pos = ftell(fp);
		if (pcap_next_ex(p, &ph, &pkt) != 1)
			break;
		dissect(&d, *linktype, pkt, ph->caplen, ph->len);
		r[n].pos = pos < 0 ? UINT64_MAX : (uint64_t)pos;
		r[n].caplen = ph->caplen;
		r[n].bytes = malloc(ph->caplen ? ph->caplen : 1);
		if (!r[n].bytes)
			break;
		memcpy(r[n].bytes, pkt, ph->caplen);
		n++;
	}
	pcap_close(p);
	return n;
}

/* pktfile reads each record back: the same bytes libpcap gave, and its comments. */
static void read_back(const char *path, const struct rec *r, size_t n)
{
	char err[PKTFILE_ERRLEN], comment[256];
	struct pktfile *f = pktfile_open(path, err);
	size_t len;

	if (!f)
		return;
	for (unsigned i = 0; i < 4; i++)
		if (pktfile_section_comment(f, i, comment, sizeof comment, &len, err) != 1)
			break;
	for (size_t i = 0; i < n; i++) {
		if (r[i].pos == UINT64_MAX)
			continue;
		uint8_t *buf = malloc(r[i].caplen ? r[i].caplen : 1);
		if (!buf)
			break;
		if (pktfile_read(f, r[i].pos, r[i].caplen, buf, err) == 0 &&
		    memcmp(buf, r[i].bytes, r[i].caplen) != 0 && !pktfile_is_pcapng(f))
			abort(); /* pcap: the record is where libpcap read it */
		free(buf);
		for (unsigned k = 0; k < 3; k++)
			if (pktfile_comment(f, r[i].pos, k, comment, sizeof comment, &len, err) !=
			    1)
				break;
	}
	pktfile_close(f);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct rec r[MAX_RECORDS];
	int linktype = 0;
	size_t n;

	if (size < 4)
		return 0;
	n = read_records(data, size, r, &linktype);
	if (n)
		read_back(as_file(data, size), r, n);
	for (size_t i = 0; i < n; i++)
		free(r[i].bytes);
	return 0;
}
