#!/usr/bin/env bash
# fuzz.sh - runs the libFuzzer harnesses of tests/fuzz/ for as long as asked, nice'd.
#   bench/fuzz.sh [SECONDS] [TARGET...]
# SECONDS per target (default 300); TARGETs by name (fuzz_dissect or dissect; default: every
# tests/fuzz/test_fuzz_*.sh). Each target's own test script builds it (clang, ASan + UBSan),
# writes its seeds, replays the kept regression inputs and fuzzes for SECONDS; an input that
# crashes is copied into tests/fuzz/regress/<target>/, which every CI run of that target
# replays (tests/lib/fuzz.sh). Work folders under bench/work/fuzz/. Prints one line a target:
# passed or FAILED, executions, coverage, and the inputs kept. Exit 1 when any target failed.
set -uo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECS=${1:-300}
shift || true
targets=("$@")
if ((${#targets[@]} == 0)); then
	for t in "$ROOT"/tests/fuzz/test_fuzz_*.sh; do
		t=$(basename "$t" .sh)
		targets+=("${t#test_}")
	done
fi
failed=0
for t in "${targets[@]}"; do
	t=fuzz_${t#fuzz_}
	script=$ROOT/tests/fuzz/test_$t.sh
	[[ -f "$script" ]] || { echo "$t: no $script"; failed=1; continue; }
	work=$HERE/work/fuzz/$t
	rm -rf "$work"
	mkdir -p "$work"
	start=$SECONDS
	# the test script's own bound on time, plus its build and seeds
	SRCDIR=$ROOT WORKDIR=$work FUZZ_SECONDS=$SECS FUZZ_KEEP_DIR=$ROOT/tests/fuzz/regress/$t \
		timeout $((SECS + 600)) nice -n 10 bash "$script" >"$work/run.log" 2>&1
	rc=$?
	execs=$(grep -Eo 'number_of_executed_units: [0-9]+' "$work/fuzz.log" 2>/dev/null | grep -Eo '[0-9]+$')
	cov=$(grep -Eo 'cov: [0-9]+ ft: [0-9]+' "$work/fuzz.log" 2>/dev/null | tail -1)
	kept=$(grep -c '^kept ' "$work/run.log")
	case $rc in
	0) verdict=passed ;;
	77) verdict="skipped: $(grep -m1 SKIP "$work/run.log")" ;;
	*) verdict="FAILED (rc $rc, log $work/run.log)"; failed=1 ;;
	esac
	printf '%-22s %s in %ds, %s executions, %s, %s inputs kept\n' "$t" "$verdict" \
		$((SECONDS - start)) "${execs:-?}" "${cov:-cov ?}" "$kept"
done
exit $failed
