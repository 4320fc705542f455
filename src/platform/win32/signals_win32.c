/* signals_win32.c - signals.h for Windows: Ctrl-C and Ctrl-Break arrive as SIGINT/SIGBREAK,
 * closing the console window, logging off and shutting down as console control events
 * (the nearest thing to SSH's hang-up). Each becomes the same polled stop flag as on POSIX.
 * There is no SIGPIPE to ignore. */
#include "platform/signals.h"

#include <signal.h>
#include <windows.h>

static void on_signal(int signo)
{
	signals_stop = signo;
	signal(signo, on_signal); /* the C runtime resets the handler before each call */
}

/* Runs on a thread of its own. Returning from a close, logoff or shutdown event ends the
 * process at once, so this waits instead: the main loop sees the flag, closes its files and
 * exits, which ends this thread too (Windows gives up after about five seconds). */
static BOOL WINAPI on_console_event(DWORD ev)
{
	if (ev == CTRL_C_EVENT || ev == CTRL_BREAK_EVENT)
		return FALSE; /* the C runtime turns these into SIGINT/SIGBREAK */
	signals_stop = SIGTERM;
	Sleep(10000);
	return TRUE;
}

void signals_install(void)
{
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	signal(SIGBREAK, on_signal);
	SetConsoleCtrlHandler(on_console_event, TRUE);
}
