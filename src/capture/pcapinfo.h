/* pcapinfo.h - facts about the libpcap in use, for --version and listings (any thread). */
#ifndef CAPSCOPE_PCAPINFO_H
#define CAPSCOPE_PCAPINFO_H

/* "libpcap version 1.10.3 (with TPACKET_V3)" */
const char *pcapinfo_lib_version(void);
/* "EN10MB" for DLT_EN10MB; "DLT 147" style text (in a static buffer) for unnamed ones. */
const char *pcapinfo_linktype_name(int dlt);

#endif
