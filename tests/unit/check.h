/*
 * check.h - a tiny assertion framework for the unit tests.
 *
 * Each CHECK* macro counts one assertion; a failure prints file:line and what differed and
 * the test goes on. A part that cannot run here calls check_skip(reason): it is counted and
 * reported as skipped, never as passed. main() ends with `return check_done();`, which prints
 * "N passed, M failed" (", K skipped") and returns the exit status: 1 when a check failed or
 * when no check ran at all, CHECK_SKIPPED (the test runner's skip code) when only skips were
 * counted, else 0.
 */
#ifndef CAPSCOPE_CHECK_H
#define CAPSCOPE_CHECK_H

#include <stdbool.h>

#define CHECK(cond)        check_true((cond), #cond, __FILE__, __LINE__)
#define CHECK_EQ_INT(a, b) check_int((long long)(a), (long long)(b), #a, #b, __FILE__, __LINE__)
#define CHECK_EQ_STR(a, b) check_str((a), (b), #a, #b, __FILE__, __LINE__)

bool check_true(bool ok, const char *expr, const char *file, int line);
bool check_int(long long a, long long b, const char *ea, const char *eb, const char *file,
               int line);
/* NULL compares equal only to NULL. */
bool check_str(const char *a, const char *b, const char *ea, const char *eb, const char *file,
               int line);
/* Prints a context line shown before the next failure (e.g. the caplen of a sweep). */
void check_context(const char *text);
#define CHECK_SKIPPED 77
void check_skip(const char *reason);
int check_done(void);

#endif
