#!/usr/bin/env bash
# test_check_sh.sh - the shell tests' counting (check.sh) is honest: a run with no check
# fails, a run of skips only is a skip (77), a failure fails, and a skipped part is reported
# as skipped, never as passed.
set -uo pipefail
: "${SRCDIR:?}"
lib="$SRCDIR/tests/lib/check.sh"
outer_pass=0 outer_fail=0

# Runs a fresh shell that sources check.sh and runs $1; compares its status with $2 and
# its summary line with $3.
expect() {
	local script=$1 want_rc=$2 want_line=$3 out rc=0
	out=$(bash -c "source '$lib'; $script; check_summary" 2>&1) || rc=$?
	if ((rc == want_rc)) && grep -qx "$want_line" <<<"$out"; then
		echo "ok   - [$script] exits $want_rc with '$want_line'"
		outer_pass=$((outer_pass + 1))
	else
		echo "FAIL - [$script] exited $rc (want $want_rc); output:"
		echo "$out"
		outer_fail=$((outer_fail + 1))
	fi
}

expect 'true' 1 '0 passed, 0 failed'
expect 'part_skipped "no namespace here"' 77 '0 passed, 0 failed, 1 skipped'
expect 'check one true; part_skipped "no tmpfs"' 0 '1 passed, 0 failed, 1 skipped'
expect 'check one true; check two false' 1 '1 passed, 1 failed'
expect 'ok fine; bad wrong; part_skipped x' 1 '1 passed, 1 failed, 1 skipped'
echo "$outer_pass passed, $outer_fail failed"
((outer_fail == 0))
