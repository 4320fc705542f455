/* ifstats_win32.c - no per-adapter counters yet (GetIfEntry2 would give them; see ifstats.h). */
#include "capture/ifstats.h"

int ifstats_packets(const char *name, uint64_t *packets)
{
	(void)name;
	(void)packets;
	return -1;
}
