/* check.c - see check.h. */
#include <stdio.h>
#include <string.h>

#include "check.h"

static unsigned passed, failed, skipped;
static char context[160];

static bool record(bool ok, const char *file, int line)
{
	if (ok) {
		passed++;
		return true;
	}
	failed++;
	fprintf(stderr, "%s:%d: FAILED", file, line);
	if (context[0])
		fprintf(stderr, " [%s]", context);
	return false;
}

void check_context(const char *text)
{
	snprintf(context, sizeof(context), "%s", text ? text : "");
}

bool check_true(bool ok, const char *expr, const char *file, int line)
{
	if (!record(ok, file, line))
		fprintf(stderr, ": %s\n", expr);
	return ok;
}

bool check_int(long long a, long long b, const char *ea, const char *eb, const char *file, int line)
{
	bool ok = a == b;

	if (!record(ok, file, line))
		fprintf(stderr, ": %s == %s (%lld != %lld)\n", ea, eb, a, b);
	return ok;
}

bool check_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
               int line)
{
	bool ok = (a && b) ? strcmp(a, b) == 0 : a == b;

	if (!record(ok, file, line))
		fprintf(stderr, ": %s == %s (\"%s\" != \"%s\")\n", ea, eb, a ? a : "(null)",
		        b ? b : "(null)");
	return ok;
}

void check_skip(const char *reason)
{
	skipped++;
	printf("SKIP: %s\n", reason);
}

int check_done(void)
{
	if (skipped)
		printf("%u passed, %u failed, %u skipped\n", passed, failed, skipped);
	else
		printf("%u passed, %u failed\n", passed, failed);
	if (failed)
		return 1;
	if (passed)
		return 0;
	if (skipped)
		return CHECK_SKIPPED;
	fprintf(stderr, "FAILED: no check ran\n");
	return 1;
}
