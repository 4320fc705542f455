/*
 * os_win32.c - os.h for Windows: auto-reset events for wake-ups (no descriptor to poll),
 * QueryPerformanceCounter for the monotonic clock.
 */
#include "platform/os.h"

#include <direct.h>
#include <io.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <windows.h>

struct os_wake {
	HANDLE ev; /* auto-reset: a wait consumes the signal; signals before a wait persist */
};

struct os_wake *os_wake_create(char *err, unsigned errlen)
{
	struct os_wake *w = malloc(sizeof(*w));

	if (w == NULL) {
		snprintf(err, errlen, "cannot create a wake-up event: out of memory");
		return NULL;
	}
	w->ev = CreateEventA(NULL, FALSE, FALSE, NULL);
	if (w->ev == NULL) {
		snprintf(err, errlen, "cannot create a wake-up event: error %lu",
		         (unsigned long)GetLastError());
		free(w);
		return NULL;
	}
	return w;
}

void os_wake_destroy(struct os_wake *w)
{
	if (w == NULL)
		return;
	CloseHandle(w->ev);
	free(w);
}

void os_wake_signal(struct os_wake *w)
{
	SetEvent(w->ev);
}

bool os_wake_wait(struct os_wake *w, int timeout_ms)
{
	DWORD t = timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms;

	return WaitForSingleObject(w->ev, t) == WAIT_OBJECT_0;
}

void os_wake_clear(struct os_wake *w)
{
	WaitForSingleObject(w->ev, 0);
}

int os_wake_fd(const struct os_wake *w)
{
	(void)w;
	return -1;
}

uint64_t os_monotonic_ns(void)
{
	static LARGE_INTEGER freq; /* constant after boot; racing first calls store the same */
	LARGE_INTEGER now;

	if (freq.QuadPart == 0)
		QueryPerformanceFrequency(&freq);
	QueryPerformanceCounter(&now);
	/* Split to avoid overflowing 64 bits at 10 MHz after ~30 years of uptime. */
	return (uint64_t)(now.QuadPart / freq.QuadPart) * 1000000000u +
	       (uint64_t)(now.QuadPart % freq.QuadPart) * 1000000000u / (uint64_t)freq.QuadPart;
}

void os_sleep_until_ns(uint64_t deadline_ns)
{
	uint64_t now;

	/* Sleep() has millisecond granularity (or coarser); round up so we never wake early. */
	while ((now = os_monotonic_ns()) < deadline_ns)
		Sleep((DWORD)((deadline_ns - now + 999999u) / 1000000u));
}

const char *os_capture_permission_hint(void)
{
	return "run as Administrator, or install Npcap without "
	       "'Restrict driver access to Administrators'";
}

int os_wait_input(int input_fd, struct os_wake *w, int timeout_ms)
{
	(void)input_fd; /* the console, whatever stdin is */
	HANDLE h[2] = {GetStdHandle(STD_INPUT_HANDLE), w ? w->ev : NULL};
	DWORD n = w ? 2 : 1, t = timeout_ms < 0 ? INFINITE : (DWORD)timeout_ms;
	DWORD r = WaitForMultipleObjects(n, h, FALSE, t);

	/* The wake-up event is auto-reset: this wait consumed its signal, and a later
	 * os_wake_clear() finds nothing, which is what it expects. */
	if (r == WAIT_OBJECT_0)
		return OS_INPUT;
	if (w && r == WAIT_OBJECT_0 + 1)
		return OS_WOKEN;
	return r == WAIT_TIMEOUT ? 0 : OS_INPUT_GONE; /* WAIT_FAILED: the console is gone */
}

bool os_is_privileged(void)
{
	HANDLE tok;
	TOKEN_ELEVATION e = {0};
	DWORD n = sizeof e;
	bool yes = false;

	if (OpenProcessToken(GetCurrentProcess(), TOKEN_QUERY, &tok)) {
		yes = GetTokenInformation(tok, TokenElevation, &e, n, &n) && e.TokenIsElevated;
		CloseHandle(tok);
	}
	return yes;
}

bool os_locale_utf8(void)
{
	return true; /* PDCurses' wide build writes the console's UTF-16 directly */
}

void os_describe(char *buf, unsigned n)
{
	/* GetVersionEx lies without a manifest; the family is what a reader of the file needs */
	if (n > 0)
		snprintf(buf, n, "Windows");
}

bool os_exe_dir(char *buf, unsigned n)
{
	DWORD k = GetModuleFileNameA(NULL, buf, n);
	char *slash;

	if (k == 0 || k >= n)
		return false;
	slash = strrchr(buf, '\\');
	if (!slash)
		return false;
	*slash = '\0';
	return true;
}

int os_mkdir_private(const char *path)
{
	return _mkdir(path); /* the profile's folders are private to the user already */
}

int os_sync_file(FILE *f)
{
	return _commit(_fileno(f));
}

int os_file_size(const char *path, uint64_t *size)
{
	struct __stat64 st; /* plain stat's size is 32 bits here */

	if (_stat64(path, &st) != 0)
		return -1;
	*size = (uint64_t)st.st_size;
	return 0;
}

FILE *os_terminal_input(void)
{
	return stdin; /* PDCurses reads the console itself */
}
