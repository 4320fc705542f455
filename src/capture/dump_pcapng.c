/*
 * dump_pcapng.c - pcapng blocks in memory (see dump_pcapng.h).
 *
 *  block:  | type (4) | total length (4) | body ... | options ... | total length (4) |
 *  option: | code (2) | length (2) | value, padded to 4 bytes |, the list ending with code 0
 *  EPB body: interface id (4), timestamp high (4), low (4), captured length (4), original
 *  length (4), the packet bytes padded to 4.
 */
#include "capture/dump_pcapng.h"

#include <pcap/pcap.h>
#include <stdio.h>
#include <string.h>

#include "platform/os.h"

#define BT_SHB 0x0A0D0D0Au
#define BT_IDB 1u
#define BT_EPB 6u
#define BT_ISB 5u
#define BOM    0x1A2B3C4Du

#define OPT_END      0
#define OPT_COMMENT  1
#define SHB_OS       3
#define SHB_USERAPPL 4
#define IF_NAME      2
#define IF_TSRESOL   9
#define ISB_IFRECV   4
#define ISB_IFDROP   5
#define OPT_TEXT_MAX 256 /* names and descriptions in the headers */
#define LINKTYPE_RAW 101

static size_t pad4(size_t n)
{
	return (n + 3) & ~(size_t)3;
}

static size_t put32(uint8_t *p, uint32_t v)
{
	memcpy(p, &v, 4);
	return 4;
}

static size_t put16(uint8_t *p, uint16_t v)
{
	memcpy(p, &v, 2);
	return 2;
}

/* One option with its padding (zeros). */
static size_t put_opt(uint8_t *p, uint16_t code, const void *val, size_t len)
{
	size_t n = put16(p, code) + put16(p + 2, (uint16_t)len);

	memcpy(p + n, val, len);
	memset(p + n + len, 0, pad4(len) - len);
	return n + pad4(len);
}

static size_t put_text_opt(uint8_t *p, uint16_t code, const char *text)
{
	size_t len = strnlen(text, OPT_TEXT_MAX);

	return len ? put_opt(p, code, text, len) : 0;
}

/* Closes a block begun at p: the end-of-options marker (when it has options), then the total
 * length in its two places. */
static size_t end_block(uint8_t *p, size_t at, bool opts)
{
	if (opts)
		at += put16(p + at, OPT_END) + put16(p + at + 2, 0);
	at += 4;
	put32(p + 4, (uint32_t)at);
	put32(p + at - 4, (uint32_t)at);
	return at;
}

uint16_t pcapng_linktype(int dlt)
{
	switch (dlt) {
#ifdef DLT_RAW
	case DLT_RAW: /* 12 (14 on OpenBSD) in libpcap, 101 in files */
		return LINKTYPE_RAW;
#endif
#ifdef DLT_ATM_RFC1483
	case DLT_ATM_RFC1483:
		return 100;
#endif
	default:
		return (uint16_t)dlt; /* the others are the same numbers */
	}
}

static size_t shb(uint8_t *p, const char *comment)
{
	char os[OPT_TEXT_MAX];
	size_t at = 0;

	at += put32(p, BT_SHB) + put32(p + 4, 0) + put32(p + 8, BOM);
	at += put16(p + at, 1) + put16(p + at + 2, 0);                   /* version 1.0 */
	at += put32(p + at, UINT32_MAX) + put32(p + at + 4, UINT32_MAX); /* length unknown */
	os_describe(os, sizeof os);
	at += put_text_opt(p + at, SHB_OS, os);
	at += put_text_opt(p + at, SHB_USERAPPL, "capscope " CAPSCOPE_VERSION);
	if (comment)
		at += put_text_opt(p + at, OPT_COMMENT, comment);
	return end_block(p, at, true);
}

static size_t idb(uint8_t *p, int dlt, uint32_t snaplen, const char *if_name, bool nano)
{
	uint8_t res = nano ? 9 : 6;
	size_t at = 8;

	put32(p, BT_IDB);
	at += put16(p + at, pcapng_linktype(dlt)) + put16(p + at + 2, 0);
	at += put32(p + at, snaplen);
	if (if_name)
		at += put_text_opt(p + at, IF_NAME, if_name);
	at += put_opt(p + at, IF_TSRESOL, &res, 1);
	return end_block(p, at, true);
}

size_t pcapng_head(uint8_t *out, int dlt, uint32_t snaplen, const char *if_name,
                   const char *comment, bool nano)
{
	size_t n = shb(out, comment);

	return n + idb(out + n, dlt, snaplen, if_name, nano);
}

size_t pcapng_idb(uint8_t *out, int dlt, uint32_t snaplen, const char *if_name, bool nano)
{
	return idb(out, dlt, snaplen, if_name, nano);
}

static size_t comment_opt_bytes(size_t clen)
{
	return clen ? 4 + pad4(clen) + 4 : 0; /* the comment, then the end of options */
}

size_t pcapng_epb_bytes(uint32_t caplen, size_t clen)
{
	return PCAPNG_EPB_HEAD_BYTES + pad4(caplen) + comment_opt_bytes(clen) + 4;
}

/* A timestamp in the interface's units (if_tsresol 6 or 9) as the block's two halves. */
static size_t put_ts(uint8_t *p, int64_t sec, uint32_t nsec, bool nano)
{
	uint64_t t =
	    nano ? (uint64_t)sec * 1000000000u + nsec : (uint64_t)sec * 1000000u + nsec / 1000u;

	return put32(p, (uint32_t)(t >> 32)) + put32(p + 4, (uint32_t)t);
}

void pcapng_epb_head(uint8_t *out, const struct pkt_hdr *h, uint32_t ifid, bool nano, size_t clen)
{
	put32(out, BT_EPB);
	put32(out + 4, (uint32_t)pcapng_epb_bytes(h->caplen, clen));
	put32(out + 8, ifid);
	put_ts(out + 12, h->ts_sec, h->ts_nsec, nano);
	put32(out + 20, h->caplen);
	put32(out + 24, h->len);
}

size_t pcapng_epb_tail(uint8_t *out, uint32_t caplen, const char *comment, size_t clen)
{
	size_t at = pad4(caplen) - caplen;

	memset(out, 0, at);
	if (clen) {
		at += put_opt(out + at, OPT_COMMENT, comment, clen);
		at += put16(out + at, OPT_END) + put16(out + at + 2, 0);
	}
	return at + put32(out + at, (uint32_t)pcapng_epb_bytes(caplen, clen));
}

void pcapng_isb(uint8_t *out, uint32_t ifid, uint64_t ts_ns, bool nano, uint64_t received,
                uint64_t dropped)
{
	size_t at = 8;

	put32(out, BT_ISB);
	at += put32(out + at, ifid);
	at +=
	    put_ts(out + at, (int64_t)(ts_ns / 1000000000u), (uint32_t)(ts_ns % 1000000000u), nano);
	at += put_opt(out + at, ISB_IFRECV, &received, 8);
	at += put_opt(out + at, ISB_IFDROP, &dropped, 8);
	end_block(out, at, true);
}
