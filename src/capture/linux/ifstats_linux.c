/*
 * ifstats_linux.c - packet counters from /proc/net/dev (see ifstats.h).
 *
 * /proc/net/dev rather than /sys/class/net/NAME/statistics: /proc/net follows the reading
 * process's network namespace, while /sys shows the namespace sysfs was mounted in, so in a
 * container or after `unshare -n` it would give another namespace's adapters (or none).
 */
#include "capture/ifstats.h"

#include <stdio.h>
#include <string.h>

/* "  cs0: rx_bytes rx_packets errs drop fifo frame compressed multicast tx_bytes tx_packets" */
static int parse_line(const char *line, const char *name, uint64_t *packets)
{
	const char *colon = strchr(line, ':'), *p = line;
	unsigned long long rx, tx;
	size_t n;

	while (*p == ' ')
		p++;
	if (!colon || colon < p)
		return -1;
	n = (size_t)(colon - p);
	if (n != strlen(name) || memcmp(p, name, n) != 0)
		return -1;
	if (sscanf(colon + 1, "%*u %llu %*u %*u %*u %*u %*u %*u %*u %llu", &rx, &tx) != 2)
		return -1;
	*packets = rx + tx;
	return 0;
}

int ifstats_packets(const char *name, uint64_t *packets)
{
	char line[512];
	FILE *f = fopen("/proc/net/dev", "r");
	int rc = -1;

	if (!f)
		return -1;
	while (rc < 0 && fgets(line, sizeof line, f))
		rc = parse_line(line, name, packets);
	fclose(f);
	return rc;
}
