# checker_runs.sh - runs a Python checker of capscope against tshark (tests/fields/fieldscheck.py,
# tests/streams/streamcheck.py) on the generated captures and, at the same time, on the shared
# corpus (tests/lib/corpus_files.sh's sample: every 4th capture unless CORPUS_STEP says), and
# counts each run as one check. Sourced after check.sh, not run.
#
# checker_runs CHECKER WHAT CORPUS_JOBS TIMEOUT [GEN_ARG...]   (TIMEOUT: each run's, seconds)
#   WHAT names the comparison in the check names; GEN_ARGs go to the generated-captures run.
#   Prints both reports (the corpus one without its "ok: " lines). Without the corpus, says so.
#   Leaves the corpus report in $WORKDIR/corpus.txt.
. "$(dirname "${BASH_SOURCE[0]}")/corpus_files.sh"

checker_runs() {
	local checker=$1 what=$2 jobs=$3 limit=$4 corpus_pid='' rc
	shift 4
	if [[ -n "${CORPUS:-}" && -d "$CORPUS" ]]; then
		# tshark's run is mostly start-up, so more files than CPUs run at a time
		CORPUS_STEP=$(corpus_step 4) timeout "$limit" python3 -u "$checker" -j "$jobs" \
			--capscope "$CAPSCOPE" \
			--index "$CORPUS/INDEX.tsv" --root "$CORPUS" "$CORPUS" >"$WORKDIR/corpus.txt" 2>&1 &
		corpus_pid=$!
	else
		echo "corpus: skipped (no shared corpus at '${CORPUS:-unset}')"
	fi
	rc=0
	CORPUS_STEP=1 timeout "$limit" python3 -u "$checker" -j 2 "$@" --capscope "$CAPSCOPE" --root "$WORKDIR/gen" \
		"$WORKDIR/gen" >"$WORKDIR/gen.txt" 2>&1 || rc=$?
	echo "== generated captures"
	cat "$WORKDIR/gen.txt"
	[[ $rc != 124 ]] || echo "generated captures: the checker was stopped after its $limit s limit"
	check "generated captures: $what as tshark's (or explained)" test "$rc" = 0
	[[ -n "$corpus_pid" ]] || return 0
	rc=0
	wait "$corpus_pid" || rc=$?
	echo "== corpus: $CORPUS ($(corpus_sample_note 4))"
	grep -v '^ok: ' "$WORKDIR/corpus.txt"
	[[ $rc != 124 ]] || echo "corpus: the checker was stopped after its $limit s limit"
	check "corpus: $what as tshark's (or explained)" test "$rc" = 0
}
