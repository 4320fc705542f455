/* tm_win32.c - broken-down time through the MSVCRT secure calls. */
#include <time.h>

#include "decode/timefmt.h"

bool timefmt_tm(int64_t sec, bool utc, struct tm *out)
{
	__time64_t t = (__time64_t)sec;

	return (utc ? _gmtime64_s(out, &t) : _localtime64_s(out, &t)) == 0;
}
