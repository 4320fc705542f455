# check.sh - counting checks in the shell tests. Sourced, not run.
#
# check NAME COMMAND...   runs COMMAND; prints "ok   - NAME" or "FAIL - NAME" and counts it.
#                         After a failure it calls check_on_fail NAME when the script defines
#                         it (the TUI tests print the screen).
# ok TEXT / bad TEXT      count a result the script decided itself ("ok: TEXT", "FAIL: TEXT").
# part_skipped REASON     a part of the test that cannot run here (no namespace, no tmpfs...):
#                         counted and reported as a skip with its reason, never as a pass.
# check_summary           prints "P passed, F failed" (", S skipped" when parts were skipped);
#                         returns 1 when a check failed or when no check ran at all, 77 (the
#                         test runner's skip) when only skips were counted, else 0.

pass=${pass:-0}
failed=${failed:-0}
skipped=${skipped:-0}

check() {
	local name=$1
	shift
	if "$@"; then
		echo "ok   - $name"
		pass=$((pass + 1))
	else
		echo "FAIL - $name"
		if declare -F check_on_fail >/dev/null; then check_on_fail "$name"; fi
		failed=$((failed + 1))
	fi
}

ok() {
	echo "ok: $*"
	pass=$((pass + 1))
}

bad() {
	echo "FAIL: $*"
	failed=$((failed + 1))
}

part_skipped() {
	echo "SKIP (part): $*"
	skipped=$((skipped + 1))
}

# no_sanitizer FILE: true when FILE (a capscope's stderr) holds no ASan/LSan/UBSan report
no_sanitizer() { ! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1"; }

check_summary() {
	if ((skipped)); then
		echo "$pass passed, $failed failed, $skipped skipped"
	else
		echo "$pass passed, $failed failed"
	fi
	((failed == 0)) || return 1
	((pass > 0)) && return 0
	((skipped > 0)) && return 77
	echo "FAIL: no check ran"
	return 1
}
