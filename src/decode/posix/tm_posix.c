/* tm_posix.c - broken-down time through the reentrant POSIX calls. */
#include <time.h>

#include "decode/timefmt.h"

bool timefmt_tm(int64_t sec, bool utc, struct tm *out)
{
	time_t t = (time_t)sec;

	return (utc ? gmtime_r(&t, out) : localtime_r(&t, out)) != NULL;
}
