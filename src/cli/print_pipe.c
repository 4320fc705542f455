/*
 * print_pipe.c - --print's lines written by a thread of their own (see print_pipe.h).
 *
 * A block holds line records back to back: a fixed part (struct line_rec) then the Info and
 * the malformed reason, unterminated, padded to 8 bytes; TCP's Info left unwritten by the
 * decoder goes as its numbers, and the writer formats it. The decoder fills block w % N and
 * hands it over by counting w up; the writer empties block r % N and gives it back by
 * counting r up; w - r blocks are queued, at most PIPE_BLOCKS.
 */
#include "cli/print_pipe.h"

#include <pthread.h>
#include <signal.h>
#include <stdatomic.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#define PIPE_BLOCKS      4
#define PIPE_BLOCK_BYTES (64u << 10)

/* What print_line() needs of a packet; info_len and mal_len bytes follow it. With tcp_info
 * the Info is TCP's line, written here from tcp (the decoder left it: defer_tcp_info). */
struct line_rec {
	int64_t ts_sec;
	uint32_t ts_nsec, len;
	uint16_t proto, net, transport, sport, dport;
	uint8_t has_addrs, has_ports, info_len, mal_len;
	uint8_t src[16], dst[16];
	bool tcp_info;
	struct sum_tcp tcp;
};

#define REC_ALIGN 8u
#define REC_MAX                                                                                    \
	((sizeof(struct line_rec) + sizeof(((struct summary *)0)->info) + DISS_MALFORMED_MAX +     \
	  REC_ALIGN) &                                                                             \
	 ~(size_t)(REC_ALIGN - 1))

_Static_assert(sizeof(((struct summary *)0)->info) <= UINT8_MAX, "info_len is a uint8_t");
_Static_assert(DISS_MALFORMED_MAX <= UINT8_MAX, "mal_len is a uint8_t");

struct block {
	size_t used;
	_Alignas(REC_ALIGN) unsigned char buf[PIPE_BLOCK_BYTES];
};

struct print_pipe {
	struct print_ctx *pc;
	struct outbuf *ob;
	pthread_t thread;
	pthread_mutex_t lock;
	pthread_cond_t filled; /* the writer waits: a block was handed over, or done */
	pthread_cond_t freed;  /* the decoder waits: a block was given back */
	uint64_t w, r;         /* blocks handed over and given back; under lock */
	bool done;             /* no more blocks; under lock */
	_Atomic bool failed;   /* set by the writer when the outbuf has an error */
	struct block b[PIPE_BLOCKS];
};

static size_t rec_size(const struct line_rec *lr)
{
	return (sizeof *lr + lr->info_len + lr->mal_len + REC_ALIGN - 1) & ~(size_t)(REC_ALIGN - 1);
}

/* The lines of one block into the outbuf (through print_line(), as print_packet() writes). */
static void write_block(struct print_pipe *pp, const struct block *b)
{
	struct summary s;
	char mal[DISS_MALFORMED_MAX];

	memset(&s, 0, sizeof s);
	for (size_t off = 0; off < b->used;) {
		const struct line_rec *lr = (const struct line_rec *)(b->buf + off);
		const char *text = (const char *)(lr + 1);

		s.proto = lr->proto;
		s.net = lr->net;
		s.transport = lr->transport;
		s.sport = lr->sport;
		s.dport = lr->dport;
		s.has_addrs = lr->has_addrs;
		s.has_ports = lr->has_ports;
		memcpy(s.src, lr->src, sizeof s.src);
		memcpy(s.dst, lr->dst, sizeof s.dst);
		/* print_line() reads both as strnlen() over their buffers, as the decoder's */
		if (lr->tcp_info) {
			tcp_info_text(s.info, &lr->tcp);
		} else {
			memcpy(s.info, text, lr->info_len);
			if (lr->info_len < sizeof s.info)
				s.info[lr->info_len] = '\0';
		}
		memcpy(mal, text + lr->info_len, lr->mal_len);
		if (lr->mal_len < sizeof mal)
			mal[lr->mal_len] = '\0';
		print_line(pp->pc, pp->ob, lr->ts_sec, lr->ts_nsec, lr->len, &s, mal);
		off += rec_size(lr);
	}
}

static void *writer_main(void *arg)
{
	struct print_pipe *pp = arg;

	pthread_mutex_lock(&pp->lock);
	for (;;) {
		while (pp->r == pp->w && !pp->done)
			pthread_cond_wait(&pp->filled, &pp->lock);
		if (pp->r == pp->w)
			break; /* done and nothing queued */
		struct block *b = &pp->b[pp->r % PIPE_BLOCKS];
		pthread_mutex_unlock(&pp->lock);
		/* after a failed write nothing more goes out: the blocks are only given back */
		if (!pp->ob->err)
			write_block(pp, b);
		if (pp->ob->err)
			atomic_store_explicit(&pp->failed, true, memory_order_release);
		pthread_mutex_lock(&pp->lock);
		pp->r++;
		pthread_cond_signal(&pp->freed);
	}
	pthread_mutex_unlock(&pp->lock);
	return NULL;
}

struct print_pipe *print_pipe_start(struct print_ctx *pc, struct outbuf *ob)
{
	struct print_pipe *pp = calloc(1, sizeof *pp);
	int rc;

	if (!pp)
		return NULL;
	pp->pc = pc;
	pp->ob = ob;
	pthread_mutex_init(&pp->lock, NULL);
	pthread_cond_init(&pp->filled, NULL);
	pthread_cond_init(&pp->freed, NULL);
#ifndef _WIN32
	/* Ctrl-C and the like go to the other threads (a flag they poll); a write interrupted
	 * here would end the output with EINTR */
	sigset_t all, old;
	sigfillset(&all);
	pthread_sigmask(SIG_BLOCK, &all, &old);
	rc = pthread_create(&pp->thread, NULL, writer_main, pp);
	pthread_sigmask(SIG_SETMASK, &old, NULL);
#else
	rc = pthread_create(&pp->thread, NULL, writer_main, pp);
#endif
	if (rc != 0) {
		pthread_cond_destroy(&pp->freed);
		pthread_cond_destroy(&pp->filled);
		pthread_mutex_destroy(&pp->lock);
		free(pp);
		return NULL;
	}
	return pp;
}

/* The filled block goes to the writer; waits until the next one is free. */
static void hand_over(struct print_pipe *pp)
{
	pthread_mutex_lock(&pp->lock);
	pp->w++;
	pthread_cond_signal(&pp->filled);
	while (pp->w - pp->r == PIPE_BLOCKS)
		pthread_cond_wait(&pp->freed, &pp->lock);
	pthread_mutex_unlock(&pp->lock);
	pp->b[pp->w % PIPE_BLOCKS].used = 0;
}

void print_pipe_packet(struct print_pipe *pp, const struct pkt_hdr *h, const struct dissection *d)
{
	struct block *b = &pp->b[pp->w % PIPE_BLOCKS];
	const struct summary *s = &d->sum;

	if (PIPE_BLOCK_BYTES - b->used < REC_MAX) {
		hand_over(pp);
		b = &pp->b[pp->w % PIPE_BLOCKS];
	}
	struct line_rec *lr = (struct line_rec *)(b->buf + b->used);
	char *text = (char *)(lr + 1);
	bool tcp_info = dissect_info_deferred(d);
	size_t il = tcp_info ? 0 : strnlen(s->info, sizeof s->info);
	size_t ml = d->malformed[0] ? strnlen(d->malformed, sizeof d->malformed) : 0; /* rare */

	lr->ts_sec = h->ts_sec;
	lr->ts_nsec = h->ts_nsec;
	lr->len = d->len;
	lr->proto = s->proto;
	lr->net = s->net;
	lr->transport = s->transport;
	lr->sport = s->sport;
	lr->dport = s->dport;
	lr->has_addrs = s->has_addrs;
	lr->has_ports = s->has_ports;
	lr->info_len = (uint8_t)il;
	lr->mal_len = (uint8_t)ml;
	lr->tcp_info = tcp_info;
	if (tcp_info)
		lr->tcp = s->tcp;
	memcpy(lr->src, s->src, sizeof lr->src);
	memcpy(lr->dst, s->dst, sizeof lr->dst);
	memcpy(text, s->info, lr->info_len);
	if (ml)
		memcpy(text + lr->info_len, d->malformed, ml);
	b->used += rec_size(lr);
}

bool print_pipe_failed(const struct print_pipe *pp)
{
	return atomic_load_explicit(&pp->failed, memory_order_acquire);
}

void print_pipe_finish(struct print_pipe *pp)
{
	if (!pp)
		return;
	pthread_mutex_lock(&pp->lock);
	if (pp->b[pp->w % PIPE_BLOCKS].used)
		pp->w++;
	pp->done = true;
	pthread_cond_signal(&pp->filled);
	pthread_mutex_unlock(&pp->lock);
	pthread_join(pp->thread, NULL);
	pthread_cond_destroy(&pp->freed);
	pthread_cond_destroy(&pp->filled);
	pthread_mutex_destroy(&pp->lock);
	free(pp);
}
