/*
 * os.h - the few things that differ between platforms, behind one interface.
 * posix/os_posix.c implements it with pipes/eventfd and clock_gettime; win32/os_win32.c
 * with events and QueryPerformanceCounter. Code outside the platform folders (posix/,
 * linux/, win32/ of each layer) uses only what POSIX and mingw-w64 both provide (stat,
 * access, opendir); sockaddr.c picks the socket header of each with one #if.
 */
#ifndef CAPSCOPE_OS_H
#define CAPSCOPE_OS_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* A wake-up object: one thread signals, another waits on it (alone or, on POSIX, through
 * poll() on os_wake_fd() beside the terminal). Signals before a wait are not lost. */
struct os_wake;
struct os_wake *os_wake_create(char *err, unsigned errlen);
void os_wake_destroy(struct os_wake *w);
void os_wake_signal(struct os_wake *w);
/* Waits until signalled or timeout_ms passes (-1: forever). Returns true if signalled.
 * Consumes the pending signal. */
bool os_wake_wait(struct os_wake *w, int timeout_ms);
/* Consumes a pending signal without waiting (after poll() said the fd is readable). */
void os_wake_clear(struct os_wake *w);
/* A descriptor that becomes readable when signalled (POSIX), or -1. */
int os_wake_fd(const struct os_wake *w);

/* What os_wait_input() saw (a mask). */
enum { OS_INPUT = 1, OS_WOKEN = 2, OS_INPUT_GONE = 4 };
/* Waits up to timeout_ms (-1: forever) for the terminal's input (descriptor input_fd on
 * POSIX; the console on Windows) to be ready or for w (may be NULL) to be signalled;
 * OS_INPUT_GONE when the terminal went away (hang-up). A signal handler's interruption
 * returns 0. The caller consumes w's signal with os_wake_clear(). */
int os_wait_input(int input_fd, struct os_wake *w, int timeout_ms);
/* Where keys come from: stdin when it is a terminal; else (stdin carries a capture, -r -)
 * the controlling terminal, /dev/tty on POSIX. Windows' console is read by PDCurses
 * whatever stdin is. NULL when there is none. */
FILE *os_terminal_input(void);

/* Monotonic clock in nanoseconds (for intervals and deadlines, never for timestamps). */
uint64_t os_monotonic_ns(void);
/* Sleeps until the monotonic clock reaches deadline_ns (absolute). */
void os_sleep_until_ns(uint64_t deadline_ns);

/* Advice for a capture permission error: "run with sudo or grant ...". */
const char *os_capture_permission_hint(void);
/* True when running as root (POSIX) or elevated (Windows). */
bool os_is_privileged(void);
/* True when the terminal takes UTF-8 (POSIX: the locale's codeset, after setlocale();
 * the Windows console takes Unicode always). */
bool os_locale_utf8(void);
/* The operating system's name and release for file headers ("Linux 6.1.0-18-amd64";
 * pcapng's shb_os). Always NUL-terminated; "" when unknown. */
void os_describe(char *buf, unsigned n);
/* The folder of the running executable, or false when it cannot be found. */
bool os_exe_dir(char *buf, unsigned n);

/* Creates one folder, private to the user where the platform has modes. Returns 0, or -1
 * with errno (EEXIST when it is there already). */
int os_mkdir_private(const char *path);
/* The size of the file at path (64-bit on every platform). Returns 0, or -1 with errno. */
int os_file_size(const char *path, uint64_t *size);
/* Pushes a stdio stream's bytes to the disk (after fflush). Returns 0, or -1 with errno. */
int os_sync_file(FILE *f);

/* Creates a new, empty, private (0600) file in the temporary folder ($TMPDIR, else /tmp;
 * %TEMP% on Windows) named prefix-XXXXXX-suffix, writes its path to buf and closes it.
 * Returns 0, or -1 with errno. The caller removes it. (tempfile_posix.c / tempfile_win32.c) */
int os_temp_file(char *buf, unsigned n, const char *prefix, const char *suffix);
/* The same in folder `dir` (for saving: a temporary file beside the target, so the final
 * rename stays on one file system). The file gets the usual permissions of a new file
 * (0666 less the umask on POSIX), since it becomes the user's file. */
int os_temp_file_in(char *buf, unsigned n, const char *dir, const char *prefix, const char *suffix);
/* Renames from over to, replacing an existing file (atomically where the platform can).
 * Returns 0, or -1 with errno. */
int os_rename_replace(const char *from, const char *to);

#endif
