# lib.sh - shared by the tests/win/test_wine_*.sh tests. Sourced, not run.
#
# win_need TOOL...   skips (exit 77, with the reason) unless wine, the mingw-w64 compiler,
#                    libpcap's headers and the given tools are there.
# win_package        builds the Windows package with the README's documented command (the
#                    toolchain file, then cmake --install into dist/) once per build tree:
#                    into $WIN_PKG (default: tests/work/win_package beside $WORKDIR), under a
#                    lock, so the tests share one build; sets CAPSCOPE_EXE to dist's .exe.
# win_prefix         a private WINEPREFIX for this test ($WORKDIR/wineprefix), WINEDEBUG=-all;
#                    the first wine start creates it (seconds). win_cleanup stops its
#                    wineserver (call it from the test's EXIT trap).
# win_run ARGS...    runs capscope.exe under wine (bounded by WIN_TIMEOUT seconds, 120).
# win_netns_enter TOOL...  (call with the script's own "$0" in NETNS_SCRIPT) outside the
#                    namespace: win_need, win_package, then tests/lib/netns.sh's netns_enter
#                    (600 s) with CAPSCOPE_EXE and N passed in; inside it returns at once.

win_need() {
	local t
	command -v wine >/dev/null || { echo "SKIP: wine is missing (apt-get install wine64; tests/deps.sh does)"; exit 77; }
	for t in x86_64-w64-mingw32-gcc x86_64-w64-mingw32-dlltool cmake "$@"; do
		command -v "$t" >/dev/null || { echo "SKIP: $t is missing"; exit 77; }
	done
	[[ -f /usr/include/pcap/pcap.h ]] || { echo "SKIP: /usr/include/pcap/pcap.h is missing (libpcap-dev)"; exit 77; }
}

win_package() {
	: "${WIN_PKG:=$(dirname "$WORKDIR")/win_package}"
	mkdir -p "$WIN_PKG"
	(
		flock -w 900 9 || { echo "FAIL: waited 15 min for another test's Windows build"; exit 1; }
		if ! cmake -S "$SRCDIR" -B "$WIN_PKG/build" \
			-DCMAKE_TOOLCHAIN_FILE="$SRCDIR/cmake/mingw-w64.cmake" \
			-DCAPSCOPE_WERROR=ON -DCAPSCOPE_WIN_UNIT_TESTS=ON >"$WIN_PKG/configure.log" 2>&1; then
			tail -n 30 "$WIN_PKG/configure.log"
			echo "FAIL: configuring the Windows build"
			exit 1
		fi
		if ! nice cmake --build "$WIN_PKG/build" -j2 >"$WIN_PKG/build.log" 2>&1; then
			grep -E 'error|undefined' "$WIN_PKG/build.log" | head -n 30
			echo "FAIL: building the Windows package"
			exit 1
		fi
		cmake --install "$WIN_PKG/build" --prefix "$WIN_PKG/dist" >"$WIN_PKG/install.log" 2>&1 ||
			{ cat "$WIN_PKG/install.log"; echo "FAIL: installing the Windows package"; exit 1; }
	) 9>"$WIN_PKG.lock" || exit 1
	CAPSCOPE_EXE="$WIN_PKG/dist/bin/capscope.exe"
	[[ -f "$CAPSCOPE_EXE" ]] || { echo "FAIL: no $CAPSCOPE_EXE after the install"; exit 1; }
	export CAPSCOPE_EXE
}

win_prefix() {
	export WINEDEBUG=-all WINEPREFIX="$WORKDIR/wineprefix"
	mkdir -p "$WORKDIR"
}

win_cleanup() {
	if [[ -n "${WINEPREFIX:-}" && -d "$WINEPREFIX" ]]; then
		timeout 20 wineserver -k 2>/dev/null || true
	fi
}

win_run() {
	timeout "${WIN_TIMEOUT:-120}" wine "$CAPSCOPE_EXE" "$@"
}

win_netns_enter() {
	source "$SRCDIR/tests/lib/netns.sh"
	if [[ "${CAPSCOPE_IN_NETNS:-}" != 1 ]]; then
		win_need "$@" flock
		win_package # outside the namespace, once
		NETNS_EXPORT="CAPSCOPE_EXE N"
	fi
	netns_enter 600 -n "$@"
}
