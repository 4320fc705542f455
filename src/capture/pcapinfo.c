/* pcapinfo.c - libpcap version and link type names (see pcapinfo.h). */
#include "capture/pcapinfo.h"

#include <pcap/pcap.h>
#include <stdio.h>

#ifdef _WIN32
#include "capture/npcap.h"
#endif

const char *pcapinfo_lib_version(void)
{
#ifdef _WIN32
	if (!npcap_load()) /* --version without Npcap: say so rather than end in the loader */
		return npcap_missing_text();
#endif
	return pcap_lib_version();
}

const char *pcapinfo_linktype_name(int dlt)
{
	static _Thread_local char buf[24];
	const char *name = dlt >= 0 ? pcap_datalink_val_to_name(dlt) : NULL;

	if (name)
		return name;
	snprintf(buf, sizeof buf, "DLT %d", dlt);
	return buf;
}
