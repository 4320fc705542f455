# check.sh - counting checks in the shell tests. Sourced, not run.
#
# check NAME COMMAND...   runs COMMAND; prints "ok   - NAME" or "FAIL - NAME" and counts it.
#                         After a failure it calls check_on_fail NAME when the script defines
#                         it (the TUI tests print the screen).
# ok TEXT / bad TEXT      count a result the script decided itself ("ok: TEXT", "FAIL: TEXT").
# check_summary           prints "P passed, F failed"; returns 0 only when nothing failed.

pass=${pass:-0}
failed=${failed:-0}

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

check_summary() {
	echo "$pass passed, $failed failed"
	((failed == 0))
}
