/* signals.c - terminating signals as a polled stop flag (see signals.h). POSIX only: the
 * headless CLI and the TUI build on POSIX; Windows' console handler will live beside it. */
#include "cli/signals.h"

#include <signal.h>
#include <string.h>

static volatile sig_atomic_t stop_signal;

static void on_signal(int signo)
{
	stop_signal = signo;
}

void signals_install(void)
{
	struct sigaction sa;
	const int stops[] = {SIGINT, SIGTERM, SIGHUP};

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaction(stops[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}

bool signals_stop_requested(int *signo)
{
	if (signo)
		*signo = stop_signal;
	return stop_signal != 0;
}
