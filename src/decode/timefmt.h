/*
 * timefmt.h - packet timestamps as text: "HH:MM:SS.uuuuuu" (local or UTC) or epoch
 * "1700000000.000001", with 6 or 9 decimals as the capture had them.
 *
 * The broken-down time is cached per second, so a million packets cost a million digit
 * copies, not a million localtime() calls. A struct timefmt is owned by one thread.
 */
#ifndef CAPSCOPE_TIMEFMT_H
#define CAPSCOPE_TIMEFMT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

enum time_mode { TM_LOCAL, TM_UTC, TM_EPOCH };

#define TIMEFMT_MAX 32

struct timefmt {
	enum time_mode mode;
	int prec; /* 6 or 9 decimals */
	int64_t cached_sec;
	bool cached;
	char hms[9]; /* "HH:MM:SS" for cached_sec */
};

void timefmt_init(struct timefmt *t, enum time_mode mode, int prec);
/* Writes the timestamp (no NUL needed by callers; one is added) and returns its length. */
size_t timefmt_write(struct timefmt *t, char *out, int64_t sec, uint32_t nsec);
/* Epoch seconds with `prec` decimals, as frame.time_epoch; returns the length. */
size_t timefmt_epoch(char *out, int64_t sec, uint32_t nsec, int prec);

#endif

struct tm;
/* Broken-down time of an epoch second (per platform: tm_posix.c, tm_win32.c). Returns false
 * if the platform cannot represent it. */
bool timefmt_tm(int64_t sec, bool utc, struct tm *out);
