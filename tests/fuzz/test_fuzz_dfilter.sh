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
fuzz_run fuzz_dfilter 2048 "display filters" -timeout=10
