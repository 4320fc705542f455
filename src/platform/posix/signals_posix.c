/* signals_posix.c - terminating signals as a polled stop flag (see signals.h); Windows'
 * console events are in signals_win32.c. */
#include "platform/signals.h"

#include <signal.h>
#include <string.h>

static void on_signal(int signo)
{
	signals_stop = signo;
}

void signals_install(void)
{
	struct sigaction sa;
	const int stops[] = {SIGINT, SIGTERM, SIGHUP};

	memset(&sa, 0, sizeof sa);
	sa.sa_handler = on_signal;
	/* Restarted, as tcpdump's are: the stop is a polled flag, and every wait that must end on
	 * it polls a wake-up descriptor or a timeout. Without it a write to a slow stdout reader
	 * interrupted by Ctrl-C fails with EINTR, stdio drops what it held, and the run ends
	 * with status 1 and a cut line. */
	sa.sa_flags = SA_RESTART;
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaction(stops[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
