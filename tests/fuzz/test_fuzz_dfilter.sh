#!/usr/bin/env bash
# test_fuzz_dfilter.sh - builds the display filter's libFuzzer harness with clang (ASan + UBSan)
# and runs it for a bounded time (FUZZ_SECONDS, default 20) from a seed corpus made of the
# expressions of tests/dfilter/expressions.txt. Any crash, sanitizer report, leak, timeout or
# error message without its column fails the test.
# Exit 77 (skipped) when clang, its fuzzer runtime or PCRE2's development files are missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_dfilter
rm -rf "$WORKDIR/seeds"
mkdir -p "$WORKDIR/seeds"
i=0
grep -v '^#' "$SRCDIR/tests/dfilter/expressions.txt" | grep . | while IFS= read -r expr; do
	i=$((i + 1))
	printf '%s' "$expr" >"$WORKDIR/seeds/row-$i"
done
echo "fuzzing display filters for $SECS s from $(ls "$WORKDIR/seeds" | wc -l) seeds"
cd "$WORKDIR"
if "$WORKDIR/fuzz_dfilter" -max_total_time="$SECS" -max_len=2048 -timeout=10 \
	-print_final_stats=1 "$WORKDIR/seeds" >"$WORKDIR/fuzz.log" 2>&1; then
	grep -E "stat::number_of_executed_units|cov:" "$WORKDIR/fuzz.log" | tail -2
	echo "1 passed, 0 failed"
else
	tail -40 "$WORKDIR/fuzz.log"
	echo "0 passed, 1 failed"
	exit 1
fi
