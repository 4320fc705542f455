#!/usr/bin/env bash
# corpus_full.sh - the per-capture corpus tests over every capture of the shared corpus. CI
# runs them on a fixed sample (tests/lib/corpus_files.sh: every 4th capture for the tshark
# comparisons, every 8th for the tests that compare two of capscope's own paths) to stay
# under 30 minutes; this runs each script with CORPUS_STEP=1, outside ctest (no 900 s limit;
# the scripts' own per-run limits stay).
#   bench/corpus_full.sh [BUILD_TEST_DIR]    (default build-test: the sanitizer build)
# Prints each script's report; exit 1 when any failed.
set -uo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
B=$(realpath "${1:-$ROOT/build-test}")
export CORPUS_STEP=1 CAPSCOPE=$B/capscope SRCDIR=$ROOT
export CORPUS=${CORPUS:-$(realpath "$ROOT/../shared/corpus")}
rc=0
for t in cli/test_print_pipe cli/test_print_summary corpus/test_tshark_crosscheck \
	fields/test_fields_tshark streams/test_streams_tshark follow/test_follow_tshark; do
	echo "=== $t (every capture)"
	WORKDIR=$(mktemp -d) bash "$ROOT/tests/$t.sh" || { echo "=== $t: FAILED"; rc=1; }
done
exit $rc
