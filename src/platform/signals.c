/* signals.c - the stop flag the platform's handlers set (signals_posix.c, signals_win32.c). */
#include "platform/signals.h"

volatile sig_atomic_t signals_stop;

bool signals_stop_requested(int *signo)
{
	if (signo)
		*signo = signals_stop;
	return signals_stop != 0;
}
