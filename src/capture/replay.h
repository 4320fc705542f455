/*
 * replay.h - replaying a capture file on an adapter: as recorded (timestamps kept, or scaled
 * by a multiplier), at a fixed packet or bit rate, or as fast as possible, once or looped.
 *
 * The file is preloaded into memory (at most REPLAY_MAX_BYTES of packet data; a larger file
 * is refused with advice, so that reading the disk can never make a packet late). Every
 * packet has an absolute deadline measured from the start (never "sleep this gap", which
 * drifts): the sender sleeps (os_sleep_until_ns) until REPLAY_SPIN_NS before a deadline, then
 * spins; packets already due go out together in one batch. When sleeps wake late (a loaded
 * machine, a VM's timers) the spinning window widens to match, up to REPLAY_SPIN_MAX_NS.
 *
 * Threads: replay_run() blocks its calling thread (the CLI's main thread, or a TUI worker);
 * the hooks are called from that thread. The file is read-only once loaded, so several runs
 * may share it one after another.
 */
#ifndef CAPSCOPE_REPLAY_H
#define CAPSCOPE_REPLAY_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "capture/send.h"

#define REPLAY_ERRLEN      512
#define REPLAY_MAX_BYTES   ((size_t)512 << 20)
#define REPLAY_SPIN_NS     50000   /* spin, rather than sleep, for the last 50 us ... */
#define REPLAY_SPIN_MAX_NS 2000000 /* ... or up to 2 ms while wake-ups are that late */

struct replay_file;

/* Reads every packet of a pcap or pcapng file into memory. NULL with err on failure, or
 * when the packet data exceeds max_bytes (REPLAY_MAX_BYTES unless a test says otherwise). */
struct replay_file *replay_load(const char *path, size_t max_bytes, char *err);
void replay_free(struct replay_file *f);
uint64_t replay_count(const struct replay_file *f);
uint64_t replay_bytes(const struct replay_file *f); /* captured bytes of all packets */
int replay_linktype(const struct replay_file *f);   /* DLT_ value */
/* Time from the first to the last packet (timestamps going backwards count as no gap). */
uint64_t replay_span_ns(const struct replay_file *f);
/* Packet i's frame, for send_repeat() or a look at it. */
struct send_frame replay_frame(const struct replay_file *f, uint64_t i);

enum replay_timing {
	REPLAY_RECORDED, /* the file's timestamps, divided by multiplier */
	REPLAY_PPS,      /* pps packets a second */
	REPLAY_MBPS,     /* mbps million bits a second of frame bytes */
	REPLAY_TOPSPEED, /* as fast as the adapter takes them */
};

struct replay_opts {
	enum replay_timing timing;
	double multiplier; /* REPLAY_RECORDED; > 0 (1 = as recorded) */
	double pps;        /* REPLAY_PPS; > 0 */
	double mbps;       /* REPLAY_MBPS; > 0 */
	uint64_t loops;    /* times through the file; >= 1. As recorded, each pass starts one
	                    * mean gap after the last packet of the pass before. */
};

struct replay_progress {
	uint64_t sent, failed, bytes; /* so far; bytes of the frames sent */
	uint64_t total;               /* packets in the plan: count x loops */
	uint64_t elapsed_ns;          /* since the first deadline */
	uint64_t plan_ns;             /* when the last packet is due (0: topspeed) */
	int64_t last_late_ns;         /* how late the latest batch left its deadline */
	int64_t max_late_ns;
	bool done;    /* the final report: all sent, stopped or failed */
	bool stopped; /* stop() asked for it */
};

struct replay_hooks {
	/* About once a second, and once at the end with done set. May be NULL. */
	void (*progress)(const struct replay_progress *p, void *arg);
	/* Polled between batches and during long waits; true ends the replay. May be NULL. */
	bool (*stop)(void *arg);
	void *arg;
};

/* The deadline of packet k (0-based, across loops) in ns after the start. */
uint64_t replay_deadline_ns(const struct replay_file *f, const struct replay_opts *o, uint64_t k);

/* Runs the plan. Returns 0 when every packet was handed over (some may have failed: see
 * the final progress), 1 when stopped, -1 on a sending error (err). *final (may be NULL)
 * receives the last progress. */
int replay_run(const struct replay_file *f, const struct replay_opts *o, struct send_target t,
               const struct replay_hooks *h, struct replay_progress *final, char *err);

#endif
