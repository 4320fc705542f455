#!/usr/bin/env bash
# test_tshark_crosscheck.sh - decoded fields of the corpus captures with a supported link type
# (in CI every 4th: tests/lib/corpus_files.sh; CORPUS_STEP=1 for all),
# capscope --json against tshark -T fields (see crosscheck.py for the rules and EXCEPTIONS).
# Also cross-checks the project's own generated captures (tests/gen/mkpcap.py).
# Exit: 0 agree (apart from documented exceptions), 1 disagree, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark python3 timeout
require_corpus
. "$SRCDIR/tests/lib/corpus_files.sh"
mkdir -p "$WORKDIR/gen"
GEN="$SRCDIR/tests/gen/mkpcap.py"
# the generated captures tshark decodes as we mean them (not the deliberately corrupt files)
for n in $(python3 "$GEN" --list); do
	case "$n" in mixed | corrupt-record | not-a-capture | empty) continue ;; esac
	python3 "$GEN" "$n" -o "$WORKDIR/gen/$n.pcap"
done
python3 "$GEN" mixed 200 -o "$WORKDIR/gen/mixed.pcap"

# tshark spends most of its ~1 s per file starting up (registering every dissector), and a
# file's capscope and tshark runs are independent, so crosscheck.py runs JOBS files at once
# (threads waiting on subprocesses); the comparison itself is unchanged. Both sets run
# together: the generated captures are few and would otherwise wait for the corpus. CPU cost
# (sanitizer build): about 80 s of tshark start-up and 35 s of capscope, so about 60-70 s of
# wall time on an idle 2-CPU machine; the timeouts only guard against a hang (ctest: 900 s).
# -u: a run cut by its timeout still shows what it had found.
JOBS=${CROSSCHECK_JOBS:-8}
rc=0
CORPUS_STEP=$(corpus_step 4) timeout 850 python3 -u "$SRCDIR/tests/corpus/crosscheck.py" \
	-j "$JOBS" --capscope "$CAPSCOPE" --index "$CORPUS/INDEX.tsv" --root "$CORPUS" "$CORPUS" \
	>"$WORKDIR/corpus.txt" 2>&1 &
corpus_pid=$!
CORPUS_STEP=1 timeout 850 python3 -u "$SRCDIR/tests/corpus/crosscheck.py" -j 3 --capscope "$CAPSCOPE" \
	--root "$WORKDIR/gen" "$WORKDIR/gen" >"$WORKDIR/gen.txt" 2>&1 || rc=1
wait "$corpus_pid" || rc=1
echo "== corpus: $CORPUS ($(corpus_sample_note 4))"
cat "$WORKDIR/corpus.txt"
echo "== generated captures"
cat "$WORKDIR/gen.txt"
exit $rc
