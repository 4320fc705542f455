#!/usr/bin/env bash
# test_wine_unit.sh - the core's unit tests that need no offline file reading, built as
# Windows executables (CAPSCOPE_WIN_UNIT_TESTS: the list and why the others are left out are
# in cmake/CapscopeWindows.cmake) and run under wine: each must exit 0 and report its checks
# with none failed.
# Exit: 0 pass, 1 fail, 77 skipped (wine or mingw-w64 missing).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/win/lib.sh"
win_need flock
win_package
win_prefix
trap win_cleanup EXIT

dir="$WIN_PKG/build/win_unit"
shopt -s nullglob
exes=("$dir"/test_*.exe)
((${#exes[@]} > 0)) || { echo "FAIL: no unit tests in $dir"; exit 1; }
failed=0
for exe in "${exes[@]}"; do
	name=$(basename "$exe" .exe)
	rc=0
	(cd "$WORKDIR" && timeout 300 wine "$exe") >"$WORKDIR/$name.log" 2>&1 || rc=$?
	summary=$(tr -d '\r' <"$WORKDIR/$name.log" | grep -E '^[0-9]+ passed, [0-9]+ failed' | tail -n 1 || true)
	if ((rc != 0)) || [[ ! "$summary" =~ ^[1-9][0-9]*\ passed,\ 0\ failed ]]; then
		tail -n 20 "$WORKDIR/$name.log"
		echo "FAIL: $name.exe under wine: exit $rc, '${summary:-no summary}'"
		failed=1
	else
		echo "ok: $name.exe under wine: $summary"
	fi
done
exit $failed
