/*
 * npcap.h - Windows only (capture/win32/npcap_win32.c): loading Npcap's wpcap.dll and
 * whether its extensions (pcap_setmode, the send queues) may be called.
 *
 * capscope.exe imports wpcap.dll through a delay-load library (cmake/CapscopeWindows.cmake):
 * the DLL is loaded at the first pcap call, from Npcap's own folder (System32\Npcap) first.
 * A missing DLL or a missing call (an old WinPcap) ends the program with a message saying
 * to install Npcap, never with the loader's error box.
 *
 * wine's wpcap.dll forwards to the host's libpcap, but exports pcap_setmode, the send-queue
 * calls and pcap_open_offline as stubs that abort the program when called: under wine
 * (ntdll exports wine_get_version) npcap_ext_usable() is false and statistics mode and the
 * send queues are not used. CAPSCOPE_NPCAP_EXT=0 forces the same on Windows, =1 forces
 * them on (for a wine whose wpcap.dll has them).
 */
#ifndef CAPSCOPE_NPCAP_H
#define CAPSCOPE_NPCAP_H

#include <stdbool.h>

/* Loads wpcap.dll now; false when it cannot be found (then npcap_missing_text() says so). */
bool npcap_load(void);
const char *npcap_missing_text(void);
/* The wine version when running under wine, else NULL. */
const char *npcap_wine_version(void);
/* Whether pcap_setmode and the send queues may be called (see above). */
bool npcap_ext_usable(void);
/* Writes what is unavailable in this build and on this system to buf (empty when all is). */
void npcap_notes(char *buf, unsigned n);

#endif
