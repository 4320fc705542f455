#!/usr/bin/env bash
# test_multi_options.sh - several -i: the options' bounds and refusals, without capturing:
# the same adapter twice, more than 8, --replay/--send/--stats with several, -i with -r, and
# the help text naming the repeat. Each refusal is one line on stderr and exit 2. (The monitor
# opens several -i: tests/tui/test_tui_multi.sh.)
set -euo pipefail
[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
fail() {
	echo "FAIL: $*"
	exit 1
}
. "${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/refusal.sh"
expect_refusal "-i cs1 is given twice" -i cs1 -i cs1 --print
expect_refusal "at most 8 -i at once" -i a1 -i a2 -i a3 -i a4 -i a5 -i a6 -i a7 -i a8 -i a9 --print
expect_refusal "several -i go with a capture" --replay /dev/null -i a -i b
expect_refusal "several -i go with a capture" --stats -i a -i b
expect_refusal "-i and -r cannot be used together" -i a -i b -r /dev/null
help=$("$CAPSCOPE" --help)
[[ "$help" == *"repeat for several at once"* ]] || fail "--help does not say -i repeats"
echo "pass: several -i are bounded and refused where they do not apply"
