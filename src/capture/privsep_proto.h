/*
 * privsep_proto.h - the capture helper's protocol: message framing, the encoders and the
 * checking parsers both sides use (privsep_proto.c, no I/O, no libpcap calls: the fuzz
 * target tests/fuzz/fuzz_privsep.c drives the parsers directly).
 *
 * Control channel (a socketpair): every message is an 8-byte header {u32 length of the whole
 * message, u16 type, u16 sequence number} in little-endian order, then its body. The main
 * process sends requests; the helper answers each with PS_OK (a body that depends on the
 * request) or PS_ERR {u32 source_err, str message}, with the request's sequence number. The
 * first request must be PS_HELLO with PS_VERSION; a later PS_HELLO, an unknown type, a wrong
 * sequence number, a body that is short, long or out of range ends the session: the helper
 * answers PS_ERR and exits, so a confused or hostile main process gets nothing more.
 * Strings are {u16 length, bytes}, no NUL inside, at most PS_STR_MAX bytes.
 *
 * Data channel (one pipe per open live source, handed over with SCM_RIGHTS in PS_OPEN's
 * answer): records {u32 kind, u32 caplen, u32 len, u32 nsec, i64 sec} then caplen bytes
 * (PS_REC_PACKET), or a PS_REC_ERROR whose caplen bytes are the helper's message, after which
 * the helper writes nothing more. The main side checks every header (ps_rec_check).
 *
 * Both sides treat what they read as untrusted: every length is checked before use.
 */
#ifndef CAPSCOPE_PRIVSEP_PROTO_H
#define CAPSCOPE_PRIVSEP_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/adapter.h"
#include "capture/stats.h"

/* 2: PS_SERVICE; 3: statistics mode (PS_STATS_OPEN..CLOSE); 4: ssh run by the helper
 * (PS_SPAWN, PS_SPAWN_WAIT) */
#define PS_VERSION     4u
#define PS_HDR_LEN     8u
#define PS_MAX_REQ     8192u      /* the largest request the helper reads */
#define PS_MAX_REPLY   (4u << 20) /* the largest answer the main process reads */
#define PS_STR_MAX     4096u
#define PS_MAX_SRC     8u /* live sources open at once in the helper */
#define PS_MAX_SNAP    262144
#define PS_MAX_ADS     4096u /* adapters in a list */
#define PS_MAX_ADDRS   1024u /* addresses of one adapter */
#define PS_REC_LEN     24u
#define PS_MAX_BUFKIB  (1 << 21) /* -B: 2 GiB */
#define PS_MAX_STATS   4u        /* statistics-mode counters open at once in the helper */
#define PS_STATS_BATCH 256u      /* intervals in one PS_STATS_READ answer */
#define PS_MAX_SPAWN   8u        /* ssh processes the helper runs at once */
#define PS_URL_MAX     1024u     /* PS_SPAWN's ssh:// address */
#define PS_SPAWN_FDS   3u        /* PS_SPAWN's answer: stdout, stderr, the kill socket */

enum ps_type {
	PS_HELLO = 1,    /* u32 version -> u32 version */
	PS_LIST = 2,     /* -> adapter list (ps_put_adapters) */
	PS_LINKTYPE = 3, /* str name -> i32 DLT_ or -1 */
	PS_PROBE = 4,    /* -> u8 may capture, str why not */
	PS_OPEN = 5,     /* ps_open -> ps_opened, the data pipe's read end attached */
	PS_FILTER = 6,   /* u32 id, str expression ("" = none) -> nothing */
	PS_STATS = 7,    /* u32 id -> u8 valid, u64 received, u64 drops, u64 if drops */
	PS_CLOSE = 8,    /* u32 id -> nothing */
	PS_SEND = 9,     /* str adapter -> nothing, a send-only packet socket attached */
	PS_SERVICE = 10, /* bytes (the rest of the body) -> bytes: a registered service's own
	                    request and answer (privsep.h's privsep_service_fn) */
	/* statistics mode (stats.h) counted in the helper; id < PS_MAX_STATS */
	PS_STATS_OPEN = 11,  /* ps_stats_open, str filter -> u32 id, str warning */
	PS_STATS_READ = 12,  /* u32 id, u64 after -> ps_stats_batch of the records after it */
	PS_STATS_STOP = 13,  /* u32 id -> nothing (the last, partial interval is published) */
	PS_STATS_CLOSE = 14, /* u32 id -> nothing */
	/* ssh run by the helper for a remote source or listing (privsep_proto_spawn.c). Never
	   an argv: the helper parses the address and builds the command itself
	   (remote_request.h), with its own CAPSCOPE_SSH_COMMAND. id < PS_MAX_SPAWN */
	PS_SPAWN = 15,      /* ps_spawn, str filter -> u32 id, PS_SPAWN_FDS descriptors
	                       attached: the read ends of ssh's stdout and stderr, and a socket
	                       on which a byte 'T' (SIGTERM) or 'K' (SIGKILL) ends ssh's process
	                       group and whose closing ends it (SIGKILL) */
	PS_SPAWN_WAIT = 16, /* u32 id -> u8 ended, i32 status (the exit status, 128 + the
	                       signal, -1 if it could not be reaped); once ended, the id is free */
	PS_OK = 100,
	PS_ERR = 101,
};

enum ps_rec_kind { PS_REC_PACKET = 1, PS_REC_ERROR = 2 };

/* A growable message being written. `bad` is sticky: out of memory or a string too long. */
struct ps_buf {
	uint8_t *p;
	size_t n, cap;
	bool bad;
};

/* A message body being read. `bad` is sticky: a read past the end or a value out of range. */
struct ps_rd {
	const uint8_t *p;
	size_t n, off;
	bool bad;
};

struct ps_open {
	char name[256];
	int32_t snaplen, timeout_ms, buffer_kib;
	bool promisc, immediate;
};

struct ps_opened {
	uint32_t id;
	int32_t linktype, snaplen;
	bool nano;
	uint32_t netmask;
	char name[256];
	char warning[256]; /* PCAP_ERRBUF_SIZE */
};

/* PS_STATS_OPEN: stats_opts without the filter (the request's text). */
struct ps_stats_open {
	char iface[256];
	int32_t interval_ms, buffer_kib; /* within stats.h's bounds, PS_MAX_BUFKIB */
	bool promisc;
};

/* PS_STATS_READ's answer: up to PS_STATS_BATCH closed intervals, seq increasing and after
 * the request's `after`, and whether counting ended by itself (err then says why). */
struct ps_stats_batch {
	bool failed;
	char err[SOURCE_ERRLEN];
	uint32_t n;
	struct stats_rec rec[PS_STATS_BATCH];
};

/* PS_SPAWN: remote_request.h's request (its filter in the request's text). */
struct ps_spawn {
	uint8_t what; /* enum remote_what */
	bool sudo, promisc, immediate;
	int32_t snaplen; /* 0..PS_MAX_SNAP */
	char url[PS_URL_MAX + 1];
};

/* A request as the helper understood it. */
struct ps_req {
	uint16_t type, seq;
	uint32_t id;                /* PS_FILTER, PS_STATS, PS_CLOSE */
	uint32_t version;           /* PS_HELLO */
	char text[PS_STR_MAX + 1];  /* PS_LINKTYPE's name, PS_FILTER's expression */
	struct ps_open open;        /* PS_OPEN */
	struct ps_stats_open stats; /* PS_STATS_OPEN (its filter in text) */
	struct ps_spawn spawn;      /* PS_SPAWN (its filter in text) */
	uint64_t after;             /* PS_STATS_READ */
	const uint8_t *body;        /* PS_SERVICE: its bytes, in the parsed message */
	size_t body_n;
};

struct ps_rec {
	uint32_t kind, caplen, len, nsec;
	int64_t sec;
};

/* Writing. ps_begin starts a message (header filled by ps_end). */
void ps_begin(struct ps_buf *b, uint16_t type, uint16_t seq);
void ps_put_u8(struct ps_buf *b, uint8_t v);
void ps_put_u16(struct ps_buf *b, uint16_t v);
void ps_put_u32(struct ps_buf *b, uint32_t v);
void ps_put_u64(struct ps_buf *b, uint64_t v);
void ps_put_bytes(struct ps_buf *b, const void *p, size_t n);
void ps_put_str(struct ps_buf *b, const char *s); /* NULL: the empty string */
/* Fills in the header's length. Returns false (and frees) if the message went bad. */
bool ps_end(struct ps_buf *b);
void ps_buf_free(struct ps_buf *b);

/* Reading. */
void ps_rd_init(struct ps_rd *r, const uint8_t *p, size_t n);
uint8_t ps_get_u8(struct ps_rd *r);
uint16_t ps_get_u16(struct ps_rd *r);
uint32_t ps_get_u32(struct ps_rd *r);
uint64_t ps_get_u64(struct ps_rd *r);
/* Copies a string into out (cap bytes, NUL-terminated); bad if longer, or holding a NUL. */
void ps_get_str(struct ps_rd *r, char *out, size_t cap);
/* True when the body was read whole and nothing was out of range. */
bool ps_rd_ok(const struct ps_rd *r);

/* A header: false unless length is within [PS_HDR_LEN, max]. */
bool ps_hdr_parse(const uint8_t hdr[PS_HDR_LEN], size_t max, uint32_t *len, uint16_t *type,
                  uint16_t *seq);
/* The helper's parser: a whole request (header and body). False when malformed. */
bool ps_req_parse(const uint8_t *msg, size_t n, struct ps_req *q);
/* Requests, for the main process. */
void ps_req_open(struct ps_buf *b, uint16_t seq, const struct ps_open *o);

/* Adapter lists: the helper writes one, the main process reads it back (all or nothing;
 * on false the list is empty). */
void ps_put_adapters(struct ps_buf *b, const struct adapter_list *l);
bool ps_get_adapters(struct ps_rd *r, struct adapter_list *l);
void ps_put_opened(struct ps_buf *b, const struct ps_opened *o);
bool ps_get_opened(struct ps_rd *r, struct ps_opened *o);

/* Statistics mode (privsep_proto_stats.c). */
void ps_req_stats_open(struct ps_buf *b, uint16_t seq, const struct stats_opts *o);
void ps_req_stats_read(struct ps_buf *b, uint16_t seq, uint32_t id, uint64_t after);
void ps_put_stats_batch(struct ps_buf *b, const struct ps_stats_batch *sb);
/* The main process's check of an answer to PS_STATS_READ after `after`. */
bool ps_get_stats_batch(struct ps_rd *r, uint64_t after, struct ps_stats_batch *sb);
/* The helper's parser of PS_STATS_OPEN's body (filter into text, cap bytes). */
void ps_get_stats_open(struct ps_rd *r, struct ps_stats_open *o, char *text, size_t cap);

/* ssh run by the helper (privsep_proto_spawn.c). The request: rq->url must fit PS_URL_MAX
 * and the filter PS_STR_MAX (else the message goes bad). The helper's parser of PS_SPAWN's
 * body refuses an unknown kind, a flag or snaplen out of range, and an address that
 * remote_url_parse() refuses (an option-looking host or user, control bytes): the session
 * then ends without anything run. */
struct remote_request;
void ps_req_spawn(struct ps_buf *b, uint16_t seq, const struct remote_request *rq);
void ps_get_spawn(struct ps_rd *r, struct ps_spawn *o, char *filter, size_t cap);
void ps_put_spawn_wait(struct ps_buf *b, bool ended, int32_t status);
/* The main process's check of PS_SPAWN_WAIT's answer: false when malformed. */
bool ps_get_spawn_wait(struct ps_rd *r, bool *ended, int32_t *status);

/* Data records. */
void ps_rec_encode(uint8_t out[PS_REC_LEN], const struct ps_rec *h);
/* Decodes and checks a record header against the source's snapshot length. */
bool ps_rec_check(const uint8_t in[PS_REC_LEN], uint32_t snaplen, struct ps_rec *h);

#endif
