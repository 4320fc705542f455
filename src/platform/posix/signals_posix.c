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
	sigemptyset(&sa.sa_mask);
	for (size_t i = 0; i < sizeof stops / sizeof stops[0]; i++)
		sigaction(stops[i], &sa, NULL);
	sa.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &sa, NULL);
}
