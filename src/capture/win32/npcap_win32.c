/*
 * npcap_win32.c - npcap.h: loading wpcap.dll from Npcap's folder, the delay-load hooks that
 * turn a missing DLL or call into a message, and wine detection.
 *
 * Npcap installs wpcap.dll and Packet.dll into System32\Npcap (System32 itself only in its
 * "WinPcap API-compatible mode"), so the DLL is looked for there first (Npcap's own advice),
 * then on the normal search path (WinPcap compatibility, wine's builtin wpcap.dll).
 */
#include "capture/npcap.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <windows.h>

#include <delayimp.h> /* after windows.h, whose types it uses */

#define NPCAP_URL "https://npcap.com"

static HMODULE wpcap;

static HMODULE load_wpcap(void)
{
	char path[MAX_PATH + 32];
	UINT n;

	if (wpcap)
		return wpcap;
	n = GetSystemDirectoryA(path, MAX_PATH);
	if (n > 0 && n < MAX_PATH) {
		snprintf(path + n, sizeof path - n, "\\Npcap\\wpcap.dll");
		/* altered search path: its Packet.dll comes from the same folder */
		wpcap = LoadLibraryExA(path, NULL, LOAD_WITH_ALTERED_SEARCH_PATH);
	}
	if (!wpcap)
		wpcap = LoadLibraryA("wpcap.dll");
	return wpcap;
}

bool npcap_load(void)
{
	return load_wpcap() != NULL;
}

const char *npcap_missing_text(void)
{
	return "wpcap.dll not found: install Npcap (" NPCAP_URL "), which capturing, listing "
	       "adapters and reading or writing capture files need";
}

const char *npcap_wine_version(void)
{
	typedef const char *(CDECL * wine_version_fn)(void);
	HMODULE ntdll = GetModuleHandleA("ntdll.dll");
	wine_version_fn f;

	if (!ntdll)
		return NULL;
	f = (wine_version_fn)(void (*)(void))GetProcAddress(ntdll, "wine_get_version");
	return f ? f() : NULL;
}

bool npcap_ext_usable(void)
{
	const char *force = getenv("CAPSCOPE_NPCAP_EXT");

	if (force && (strcmp(force, "0") == 0 || strcmp(force, "1") == 0))
		return force[0] == '1';
	return npcap_wine_version() == NULL;
}

void npcap_notes(char *buf, unsigned n)
{
	const char *wine = npcap_wine_version();
	size_t len = 0;

	buf[0] = '\0';
#ifdef CAPSCOPE_NO_PCRE2
	len += (size_t)snprintf(
	    buf + len, n - len,
	    "display filters' \"matches\": unavailable (no PCRE2 in this build)\n");
#endif
#ifdef CAPSCOPE_NO_CRYPTO
	if (len < n)
		len += (size_t)snprintf(
		    buf + len, n - len,
		    "JA3/JA4 hashes and QUIC decryption: unavailable (no libcrypto in "
		    "this build)\n");
#endif
	if (len < n && !npcap_ext_usable())
		len += (size_t)snprintf(
		    buf + len, n - len,
		    "--stats (Npcap statistics mode) and send queues: unavailable%s%s%s "
		    "(CAPSCOPE_NPCAP_EXT=1 turns them on)\n",
		    wine ? " under wine " : " (CAPSCOPE_NPCAP_EXT=0)", wine ? wine : "",
		    wine ? ": its wpcap.dll's pcap_setmode and pcap_sendqueue_* are stubs; reading "
		           "capture files (-r, --replay) is unavailable too"
		         : "");
	if (len < n && wine == NULL && !npcap_load())
		snprintf(buf + len, n - len, "%s\n", npcap_missing_text());
}

/* Calls that may be missing without harm: an old WinPcap (and wine) have no
 * pcap_set_immediate_mode; the capture then works with the read timeout. */
static INT_PTR WINAPI optional_call_missing(void)
{
	return -1; /* PCAP_ERROR; callers of these ignore the result */
}

static const char *const optional_calls[] = {"pcap_set_immediate_mode"};

static FARPROC WINAPI delay_notify(unsigned why, PDelayLoadInfo info)
{
	if (why == dliNotePreLoadLibrary && _stricmp(info->szDll, "wpcap.dll") == 0)
		return (FARPROC)(void *)load_wpcap(); /* NULL: the loader then fails (below) */
	return NULL;
}

static FARPROC WINAPI delay_failed(unsigned why, PDelayLoadInfo info)
{
	const char *call = info->dlp.fImportByName ? info->dlp.szProcName : "(by number)";

	if (why == dliFailLoadLib) {
		fprintf(stderr, "capscope: %s\n", npcap_missing_text());
	} else if (why == dliFailGetProc) {
		for (size_t i = 0; i < sizeof optional_calls / sizeof optional_calls[0]; i++)
			if (info->dlp.fImportByName && strcmp(call, optional_calls[i]) == 0)
				return (FARPROC)optional_call_missing;
		if (npcap_wine_version())
			fprintf(stderr,
			        "capscope: wine's %s has no %s: this feature is unavailable "
			        "under wine\n",
			        info->szDll, call);
		else
			fprintf(stderr,
			        "capscope: %s has no %s: install a current Npcap (" NPCAP_URL
			        ") (an old WinPcap lacks it)\n",
			        info->szDll, call);
	} else {
		return NULL;
	}
	fflush(stderr);
	ExitProcess(2);
	return NULL;
}

PfnDliHook __pfnDliNotifyHook2 = delay_notify;
PfnDliHook __pfnDliFailureHook2 = delay_failed;
