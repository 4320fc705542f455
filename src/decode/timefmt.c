/* timefmt.c - timestamp text with a per-second cache (see timefmt.h). */
#include "decode/timefmt.h"

#include <string.h>
#include <time.h>

#include "base/addr.h"

void timefmt_init(struct timefmt *t, enum time_mode mode, int prec)
{
	t->mode = mode;
	t->prec = prec == 9 ? 9 : 6;
	t->cached = false;
}

/* Writes `digits` decimal digits of v, zero-padded (a fraction or a clock field). */
static void put_digits(char *out, uint32_t v, int digits)
{
	addr_digits_fixed(out, (size_t)digits, v);
}

/* Decimals of the fraction: microseconds are the nanoseconds cut, as libpcap stores them. */
static size_t put_fraction(char *out, uint32_t nsec, int prec)
{
	out[0] = '.';
	put_digits(out + 1, prec == 9 ? nsec : nsec / 1000, prec);
	out[prec + 1] = '\0';
	return (size_t)prec + 1;
}

size_t timefmt_epoch(char *out, int64_t sec, uint32_t nsec, int prec)
{
	size_t n = 0;

	if (sec < 0) {
		out[n++] = '-';
		/* -1.5 s is stored as sec -2, nsec 5e8: print the magnitude correctly. */
		if (nsec) {
			sec += 1;
			nsec = 1000000000u - nsec;
		}
		sec = -sec;
	}
	n += addr_u64_text(out + n, (uint64_t)sec);
	return n + put_fraction(out + n, nsec, prec == 9 ? 9 : 6);
}

static void cache_second(struct timefmt *t, int64_t sec)
{
	struct tm tm;

	if (!timefmt_tm(sec, t->mode == TM_UTC, &tm))
		tm.tm_hour = tm.tm_min = tm.tm_sec = 0;
	put_digits(t->hms, (uint32_t)tm.tm_hour, 2);
	t->hms[2] = ':';
	put_digits(t->hms + 3, (uint32_t)tm.tm_min, 2);
	t->hms[5] = ':';
	put_digits(t->hms + 6, (uint32_t)tm.tm_sec, 2);
	t->cached_sec = sec;
	t->cached = true;
}

size_t timefmt_write(struct timefmt *t, char *out, int64_t sec, uint32_t nsec)
{
	if (t->mode == TM_EPOCH)
		return timefmt_epoch(out, sec, nsec, t->prec);
	if (!t->cached || t->cached_sec != sec)
		cache_second(t, sec);
	memcpy(out, t->hms, 8);
	return 8 + put_fraction(out + 8, nsec, t->prec);
}
