#!/usr/bin/env bash
# test_mingw_core.sh - the Windows build, cross-compiled with mingw-w64 and -Werror: the core
# (capscope_core) against an import library for wpcap.dll made here from the Linux libpcap
# headers, with a tiny .exe that calls it, to prove every pcap_* symbol the core uses
# resolves; then the whole program (headless commands and TUI) linked into capscope.exe
# (see step 4 for what stands in for PDCurses). Nothing is run.
# Env: SRCDIR (source tree), WORKDIR (scratch). Exit 77 = skipped (the reason is printed).
set -euo pipefail

cc=x86_64-w64-mingw32-gcc
dlltool=x86_64-w64-mingw32-dlltool
nm=x86_64-w64-mingw32-nm
for tool in "$cc" "$dlltool" "$nm"; do
	if ! command -v "$tool" >/dev/null; then
		echo "skip: $tool not found (apt-get install gcc-mingw-w64-x86-64)"
		exit 77
	fi
done
if [ ! -f /usr/include/pcap/pcap.h ]; then
	echo "skip: /usr/include/pcap/pcap.h not found (apt-get install libpcap-dev)"
	exit 77
fi
: "${SRCDIR:?SRCDIR must name the source tree}"
WORKDIR=${WORKDIR:-$(mktemp -d)}
rm -rf "$WORKDIR"
mkdir -p "$WORKDIR/include" "$WORKDIR/lib"
ln -s /usr/include/pcap.h "$WORKDIR/include/pcap.h"
ln -s /usr/include/pcap "$WORKDIR/include/pcap"
lib="$WORKDIR/lib/libwpcap.a"

# 1. The core, as a static library (no link yet, so the import library can come after).
cmake -S "$SRCDIR" -B "$WORKDIR/build" -DCMAKE_SYSTEM_NAME=Windows \
	-DCMAKE_C_COMPILER="$cc" -DCMAKE_BUILD_TYPE=Release -DCAPSCOPE_CORE_ONLY=ON \
	-DCAPSCOPE_TESTS=OFF -DCAPSCOPE_WERROR=ON -DPCAP_INCLUDE_DIR="$WORKDIR/include" \
	-DPCAP_LIBRARY="$lib" >"$WORKDIR/configure.log" 2>&1 || {
	cat "$WORKDIR/configure.log"
	exit 1
}
cmake --build "$WORKDIR/build" --target capscope_core -j 4
core=$(find "$WORKDIR/build" -name 'libcapscope_core.a' | head -n 1)

# 2. wpcap.def: the pcap_* calls in the sources (those libpcap declares), plus what the
# objects really import (pcap.h maps some calls to Windows-only ones, e.g. pcap_dump_fopen
# to pcap_dump_hopen).
{
	grep -rhoE 'pcap_[a-z_]+\(' "$SRCDIR/src" | tr -d '(' | sort -u |
		while read -r f; do
			if grep -qE "[ *]$f\(" /usr/include/pcap/pcap.h; then echo "$f"; fi
		done
	"$nm" -u "$core" | awk '{print $NF}' | grep -E '^pcap_' || true
} | sort -u >"$WORKDIR/symbols.txt"
{
	echo "LIBRARY wpcap.dll"
	echo "EXPORTS"
	cat "$WORKDIR/symbols.txt"
} >"$WORKDIR/wpcap.def"
"$dlltool" -d "$WORKDIR/wpcap.def" -l "$lib" -D wpcap.dll
echo "wpcap.def: $(wc -l <"$WORKDIR/symbols.txt") functions"

# 3. A tiny program that pulls in the capture layer, linked against the import library.
cat >"$WORKDIR/core_link.c" <<'C'
#include <stdio.h>

#include "capture/adapter.h"
#include "capture/capture_thread.h"
#include "capture/dump.h"
#include "capture/dump_rotate.h"
#include "capture/replay.h"
#include "capture/ring.h"
#include "capture/source.h"
#include "platform/os.h"

int main(void)
{
	char err[SOURCE_ERRLEN];
	struct ring *r = ring_create(RING_MIN_BYTES, err, sizeof(err));
	struct adapter_list l;
	struct source_opts o = {.name = "x.pcap", .kind = SOURCE_FILE};
	enum source_err why;
	struct source *s = source_open(&o, &why, err);
	struct dump *d = dump_open("y.pcap", 1, 65535, 9, err);

	if (adapter_list_load(&l, err, sizeof(err)) == 0)
		adapter_list_free(&l);
	if (s != NULL && r != NULL)
		capture_join(capture_start(s, r, 1, err), NULL, err);
	if (d != NULL)
		dump_close(d, err);
	struct dump_rotate_opts ro = {.path = "z.pcap", .max_bytes = 1000000};
	struct dump_rotate *dr = dump_rotate_open(&ro, 1, 65535, 6, err);
	if (dr != NULL)
		dump_rotate_close(dr, err);
	struct replay_file *rf = replay_load("x.pcap", REPLAY_MAX_BYTES, err);
	struct sender *snd = send_open("1", err);
	struct replay_opts rpo = {.timing = REPLAY_TOPSPEED, .loops = 1};
	if (rf != NULL && snd != NULL)
		replay_run(rf, &rpo, send_target(snd), NULL, NULL, err);
	send_close(snd);
	replay_free(rf);
	source_close(s);
	ring_destroy(r);
	printf("%llu %s\n", (unsigned long long)os_monotonic_ns(), os_capture_permission_hint());
	return 0;
}
C
"$cc" -Wall -Wextra -Werror -std=gnu11 -I"$SRCDIR/src" -I"$WORKDIR/include" \
	-o "$WORKDIR/core_link.exe" "$WORKDIR/core_link.c" "$core" "$lib" -lws2_32 -lpthread
echo "ok: capscope_core cross-compiles for Windows and $(basename "$WORKDIR")/core_link.exe links"

# 4. The whole program: the headless commands and the TUI, with their Windows platform files.
# Debian packages no PDCurses for mingw, so term.c and theme.c (the only curses callers)
# compile against ncurses' own wide-character header, which declares the same X/Open curses
# calls, and link against an import library for a curses DLL made like wpcap's: from the
# curses functions the two files call. What this proves: every file compiles for Windows
# with -Werror and every other symbol resolves. Running it on Windows is not tested here.
curses_h=/usr/include/ncursesw/curses.h
if [ ! -f "$curses_h" ]; then
	echo "skip: $curses_h not found (apt-get install libncurses-dev)"
	exit 77
fi
mkdir -p "$WORKDIR/curses" "$WORKDIR/app"
for h in curses.h ncurses_dll.h unctrl.h; do ln -s "/usr/include/ncursesw/$h" "$WORKDIR/curses/$h"; done
app_sources=$(ls "$SRCDIR"/src/main.c; for layer in model ui views cli; do
	ls "$SRCDIR/src/$layer"/*.c "$SRCDIR/src/$layer"/win32/*.c 2>/dev/null || true
done)
objs=()
for f in $app_sources; do
	o="$WORKDIR/app/$(basename "${f%.c}").o"
	"$cc" -c -Wall -Wextra -Werror -std=gnu11 -DNCURSES_WIDECHAR=1 -DCAPSCOPE_VERSION='"x"' \
		-DCAPSCOPE_SOURCE_DIR='"x"' -DCAPSCOPE_DATADIR='"x"' -I"$SRCDIR/src" \
		-I"$WORKDIR/include" -I"$WORKDIR/curses" -o "$o" "$f"
	objs+=("$o")
done
# The header declares them dllimport (__imp_ names); variables (stdscr, COLS) are DATA.
"$nm" -u "$WORKDIR/app/term.o" "$WORKDIR/app/theme.o" | awk '{print $NF}' |
	sed 's/^__imp_//' | sort -u |
	while read -r f; do
		if grep -qE "[ )*]$f *\(" "$curses_h"; then
			echo "$f"
		elif grep -qE "EXPORT_VAR\(.*\) *$f;" "$curses_h"; then
			echo "$f DATA"
		fi
	done >"$WORKDIR/curses_symbols.txt"
{
	echo "LIBRARY pdcurses.dll"
	echo "EXPORTS"
	cat "$WORKDIR/curses_symbols.txt"
} >"$WORKDIR/pdcurses.def"
"$dlltool" -d "$WORKDIR/pdcurses.def" -l "$WORKDIR/lib/libpdcurses.a" -D pdcurses.dll
"$cc" -o "$WORKDIR/capscope.exe" "${objs[@]}" "$core" "$lib" "$WORKDIR/lib/libpdcurses.a" \
	-lws2_32 -lpthread
echo "ok: ${#objs[@]} program files compile for Windows; capscope.exe links" \
	"($(wc -l <"$WORKDIR/curses_symbols.txt") curses functions)"
