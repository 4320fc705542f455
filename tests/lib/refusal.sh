# refusal.sh - options capscope must refuse. Sourced, not run.
#
# expect_refusal TEXT ARGS...   `$CAPSCOPE ARGS...` must exit 2 with exactly one line on stderr
#                               holding TEXT; prints "ok: refused: LINE", else "FAIL: ..." and
#                               exits 1. Bounded (120 s: a sanitizer build reading a large
#                               option file).
expect_refusal() {
	local want=$1 rc=0 err
	shift
	err=$(timeout 120 "$CAPSCOPE" "$@" 2>&1 >/dev/null) || rc=$?
	if ((rc != 2)); then
		echo "FAIL: capscope $* exited $rc, want 2 (stderr: $err)"
		exit 1
	fi
	if [[ "$err" != *"$want"* ]]; then
		echo "FAIL: capscope $*: stderr '$err' does not say '$want'"
		exit 1
	fi
	if (($(printf '%s\n' "$err" | wc -l) != 1)); then
		echo "FAIL: capscope $*: more than one line: $err"
		exit 1
	fi
	echo "ok: refused: $err"
}
