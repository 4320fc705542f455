/*
 * ring.c - SPSC ring of variable-size records.
 *
 * Layout: `head` and `tail` are byte counters that only grow; a record lives at
 * counter % cap. Each record is a 24-byte header followed by its bytes, padded to 8. A
 * record never straddles the end: when it does not fit there, the producer writes a wrap
 * marker (size 0) and starts at offset 0. `cap` is a multiple of 8, so the space left before
 * the end is always at least 8 bytes, enough for the marker's size field.
 *
 * Memory order: the producer publishes a record with a release store of `head`; the consumer
 * frees it with a release store of `tail`; each side reads the other's counter with acquire.
 *
 * Wake-ups (no syscall per packet): a side about to sleep sets its `*_waiting` flag, issues
 * a seq_cst fence and re-checks the condition; the other side, after publishing its counter,
 * issues a seq_cst fence and signals only if it sees the flag. The two fences forbid the
 * outcome where the sleeper misses the new counter and the publisher misses the flag.
 */
#include "capture/ring.h"

#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "platform/os.h"

#define REC_ALIGN 8u
_Static_assert(RING_MAX_IFIDX <= REC_ALIGN, "a record's source index fits in its size's low bits");
#define PAGE_BYTES 4096u

/* The header at the start of each record; `size` 0 marks the wrap to offset 0. */
struct rec_hdr {
	/* whole record, header and padding included: a multiple of REC_ALIGN, so its low bits
	 * carry the packet's source (pkt_hdr.ifidx, below RING_MAX_IFIDX) at no cost */
	uint32_t size;
	uint32_t caplen;
	uint32_t len;
	uint32_t ts_nsec;
	int64_t ts_sec;
	uint64_t pos;
};

struct ring {
	uint8_t *raw; /* what malloc gave; mem is its first page boundary */
	uint8_t *mem;
	size_t cap;
	struct os_wake *cons_wake; /* the producer signals it; the consumer waits */
	struct os_wake *prod_wake; /* the consumer signals it; the producer waits */

	_Alignas(64) _Atomic uint64_t head; /* written by the producer */
	_Atomic uint64_t pushed;            /* written by the producer */
	_Atomic uint64_t drops;             /* written by the producer */
	_Atomic bool finished;              /* written by the producer */
	_Atomic bool prod_waiting;          /* set by the producer, cleared by either */

	_Alignas(64) _Atomic uint64_t tail; /* written by the consumer */
	uint64_t peek_bytes;                /* consumer only: what ring_pop releases */
	_Atomic bool cons_waiting;          /* set by the consumer, cleared by either */
	_Atomic bool abandoned;             /* written by the consumer */
};

static uint64_t rec_bytes(uint32_t caplen)
{
	return ((uint64_t)sizeof(struct rec_hdr) + caplen + REC_ALIGN - 1) &
	       ~(uint64_t)(REC_ALIGN - 1);
}

struct ring *ring_create(size_t bytes, char *err, unsigned errlen)
{
	struct ring *r;
	size_t alloc = (bytes + PAGE_BYTES - 1) / PAGE_BYTES * PAGE_BYTES;

	if (bytes < RING_MIN_BYTES) {
		snprintf(err, errlen, "ring buffer of %zu bytes is too small: use at least %u",
		         bytes, RING_MIN_BYTES);
		return NULL;
	}
	r = calloc(1, sizeof(*r));
	if (r == NULL || (r->raw = malloc(alloc + PAGE_BYTES)) == NULL) {
		snprintf(err, errlen, "cannot allocate a %zu MiB ring buffer: use a smaller one",
		         bytes >> 20);
		free(r);
		return NULL;
	}
	/* Page-aligned by hand: Windows' C runtime has no aligned_alloc(). */
	r->mem = r->raw + (PAGE_BYTES - (uintptr_t)r->raw % PAGE_BYTES) % PAGE_BYTES;
	r->cap = bytes & ~(size_t)(REC_ALIGN - 1);
	/* Prefault: otherwise the capture thread takes a page fault every 4 KiB during its first
	 * lap of the ring (16,384 for 64 MiB), each a stall the kernel buffer has to absorb at
	 * line rate. Paid here, once, before the capture starts. */
	memset(r->mem, 0, r->cap);
	r->cons_wake = os_wake_create(err, errlen);
	r->prod_wake = r->cons_wake ? os_wake_create(err, errlen) : NULL;
	if (r->prod_wake == NULL) {
		ring_destroy(r);
		return NULL;
	}
	return r;
}

void ring_destroy(struct ring *r)
{
	if (r == NULL)
		return;
	os_wake_destroy(r->cons_wake);
	os_wake_destroy(r->prod_wake);
	free(r->raw);
	free(r);
}

/* Producer: bytes to skip before the record (0, or the pad up to the end), or -1 if a record
 * of `need` bytes does not fit behind `tail` now. */
static int64_t fit(const struct ring *r, uint64_t head, uint64_t tail, uint64_t need)
{
	uint64_t pos = head % r->cap;
	uint64_t pad = pos + need <= r->cap ? 0 : r->cap - pos;

	if (need > UINT32_MAX) /* the header's size field could not hold it */
		return -1;
	return need + pad <= r->cap - (head - tail) ? (int64_t)pad : -1;
}

bool ring_push(struct ring *r, const struct pkt_hdr *h, const uint8_t *data)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);
	uint64_t need = rec_bytes(h->caplen);
	int64_t pad = fit(r, head, tail, need);
	struct rec_hdr rh = {(uint32_t)need | (h->ifidx & (REC_ALIGN - 1)),
	                     h->caplen,
	                     h->len,
	                     h->ts_nsec,
	                     h->ts_sec,
	                     h->pos};
	uint8_t *at;

	if (pad < 0) {
		atomic_fetch_add_explicit(&r->drops, 1, memory_order_relaxed);
		return false;
	}
	if (pad > 0) {
		memset(r->mem + head % r->cap, 0, sizeof(uint32_t)); /* the wrap marker */
		head += (uint64_t)pad;
	}
	at = r->mem + head % r->cap; /* one division: memcpy may alias r->cap for the compiler */
	memcpy(at, &rh, sizeof(rh));
	memcpy(at + sizeof(rh), data, h->caplen);
	atomic_store_explicit(&r->head, head + need, memory_order_release);
	/* the producer is the only writer: a plain increment, not a locked one */
	atomic_store_explicit(&r->pushed,
	                      atomic_load_explicit(&r->pushed, memory_order_relaxed) + 1,
	                      memory_order_relaxed);
	return true;
}

/* Signals `w` if the other side announced it sleeps on it. Called after publishing. */
static void wake_if_waiting(_Atomic bool *waiting, struct os_wake *w)
{
	atomic_thread_fence(memory_order_seq_cst);
	if (atomic_load_explicit(waiting, memory_order_relaxed) &&
	    atomic_exchange_explicit(waiting, false, memory_order_relaxed))
		os_wake_signal(w);
}

void ring_notify(struct ring *r)
{
	wake_if_waiting(&r->cons_waiting, r->cons_wake);
}

void ring_finish(struct ring *r)
{
	atomic_store_explicit(&r->finished, true, memory_order_seq_cst);
	os_wake_signal(r->cons_wake);
}

/* Milliseconds left until deadline_ns (0 when past), or -1 for no deadline. */
static int remaining_ms(uint64_t deadline_ns)
{
	uint64_t now;

	if (deadline_ns == UINT64_MAX)
		return -1;
	now = os_monotonic_ns();
	return now >= deadline_ns ? 0 : (int)((deadline_ns - now + 999999u) / 1000000u);
}

static uint64_t deadline_after(int timeout_ms)
{
	return timeout_ms < 0 ? UINT64_MAX : os_monotonic_ns() + (uint64_t)timeout_ms * 1000000u;
}

/* Producer: 1 if `need` bytes fit, -1 if they never will (consumer gone, or the record
 * does not fit even in an empty ring), 0 to wait. */
static int space_state(struct ring *r, uint64_t need)
{
	uint64_t head = atomic_load_explicit(&r->head, memory_order_relaxed);
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	if (fit(r, head, tail, need) >= 0)
		return 1;
	if (atomic_load_explicit(&r->abandoned, memory_order_acquire) || head == tail)
		return -1;
	return 0;
}

bool ring_wait_space(struct ring *r, uint32_t caplen, int timeout_ms)
{
	uint64_t need = rec_bytes(caplen), deadline;
	int st = space_state(r, need), ms;

	if (st != 0) /* the common case: no clock read, no fence */
		return st > 0;
	deadline = deadline_after(timeout_ms);
	while ((st = space_state(r, need)) == 0) {
		ms = remaining_ms(deadline);
		if (ms == 0)
			return false;
		/* The consumer may sleep on records not yet notified: wake it to make room. */
		ring_notify(r);
		atomic_store_explicit(&r->prod_waiting, true, memory_order_relaxed);
		atomic_thread_fence(memory_order_seq_cst);
		if (space_state(r, need) == 0)
			os_wake_wait(r->prod_wake, ms);
		atomic_store_explicit(&r->prod_waiting, false, memory_order_relaxed);
	}
	return st > 0;
}

bool ring_peek(struct ring *r, struct ring_rec *out)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed);
	uint64_t head = atomic_load_explicit(&r->head, memory_order_acquire);
	uint64_t skip = 0;
	uint8_t *at;
	struct rec_hdr rh;

	if (tail == head)
		return false;
	memcpy(&rh.size, r->mem + tail % r->cap, sizeof(rh.size));
	if (rh.size == 0) { /* wrap marker: the producer only writes it with a record after it */
		skip = r->cap - tail % r->cap;
		tail += skip;
	}
	at = r->mem + tail % r->cap;
	memcpy(&rh, at, sizeof(rh));
	out->hdr = (struct pkt_hdr){
	    rh.ts_sec, rh.ts_nsec, rh.caplen, rh.len, rh.size & (REC_ALIGN - 1), rh.pos};
	out->data = at + sizeof(rh);
	r->peek_bytes = skip + (rh.size & ~(REC_ALIGN - 1));
	return true;
}

void ring_pop(struct ring *r)
{
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_relaxed) + r->peek_bytes;
	uint64_t used = atomic_load_explicit(&r->head, memory_order_relaxed) - tail;

	atomic_store_explicit(&r->tail, tail, memory_order_release);
	r->peek_bytes = 0;
	/* Hysteresis: a producer waiting for room is woken once half the ring is free (or it is
	 * empty), not after every record, or a slow consumer would pay a wake-up per packet. */
	if (used <= r->cap / 2)
		wake_if_waiting(&r->prod_waiting, r->prod_wake);
}

/* Consumer: true if a record is ready or the producer finished (nothing more to wait for). */
static bool ready(struct ring *r)
{
	return atomic_load_explicit(&r->finished, memory_order_acquire) ||
	       atomic_load_explicit(&r->head, memory_order_acquire) !=
	           atomic_load_explicit(&r->tail, memory_order_relaxed);
}

static bool has_record(struct ring *r)
{
	return atomic_load_explicit(&r->head, memory_order_acquire) !=
	       atomic_load_explicit(&r->tail, memory_order_relaxed);
}

/* Announces that the consumer sleeps; true if it may (nothing arrived meanwhile). */
static bool arm_consumer(struct ring *r)
{
	atomic_store_explicit(&r->cons_waiting, true, memory_order_relaxed);
	atomic_thread_fence(memory_order_seq_cst);
	return !ready(r);
}

bool ring_wait(struct ring *r, int timeout_ms)
{
	uint64_t deadline = deadline_after(timeout_ms);
	int ms;

	if (timeout_ms == 0) { /* poll() mode: leave the flag armed so the fd fires later */
		os_wake_clear(r->cons_wake);
		arm_consumer(r);
		return has_record(r);
	}
	while (!ready(r) && (ms = remaining_ms(deadline)) != 0) {
		if (arm_consumer(r))
			os_wake_wait(r->cons_wake, ms);
		atomic_store_explicit(&r->cons_waiting, false, memory_order_relaxed);
	}
	return has_record(r);
}

bool ring_drained(struct ring *r)
{
	return atomic_load_explicit(&r->finished, memory_order_acquire) && !has_record(r);
}

void ring_abandon(struct ring *r)
{
	atomic_store_explicit(&r->abandoned, true, memory_order_seq_cst);
	os_wake_signal(r->prod_wake);
}

int ring_wake_fd(const struct ring *r)
{
	return os_wake_fd(r->cons_wake);
}

struct os_wake *ring_wake(const struct ring *r)
{
	return r->cons_wake;
}

uint64_t ring_drops(const struct ring *r)
{
	return atomic_load_explicit(&r->drops, memory_order_relaxed);
}

uint64_t ring_pushed(const struct ring *r)
{
	return atomic_load_explicit(&r->pushed, memory_order_relaxed);
}

size_t ring_used(const struct ring *r)
{
	/* tail first: a head read after it is never behind it */
	uint64_t tail = atomic_load_explicit(&r->tail, memory_order_acquire);

	return (size_t)(atomic_load_explicit(&r->head, memory_order_acquire) - tail);
}

size_t ring_capacity(const struct ring *r)
{
	return r->cap;
}
