#!/usr/bin/env bash
# test_testlist.sh - tcpdump-style table test: every row of tests/decode/TESTLIST names a
# capture made by tests/gen/mkpcap.py, an expected-output file and capscope flags.
#
# For each row: generate the capture into $WORKDIR, run `$CAPSCOPE -r CAP --utc FLAGS` and
# compare with tests/decode/expected/FILE. The compared text is stdout, then, when the run
# wrote to stderr or exited non-zero, "--- stderr" (capture path shown as CAPFILE) and
# "--- exit N"; with the WOUT flag, "--- written" and the written file's records.
# Special flag words: STDIN feeds the capture on standard input (`-r -`); WOUT stands for an
# output file path (`-w WOUT`). --json rows are compared as canonical JSON (sorted keys), so
# key order does not matter but every key, value and type does.
# TZ is set to a non-UTC zone so that a row only passes if --utc is honoured.
# Exit: 0 all rows pass, 1 a row failed, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools python3

HERE="$SRCDIR/tests/decode"
GEN="$SRCDIR/tests/gen/mkpcap.py"
mkdir -p "$WORKDIR/caps" "$WORKDIR/out"
export TZ='CST-5:45' # Nepal-like offset: any row that ignores --utc shows different times
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

canon_json() { # stdin: JSON Lines -> canonical JSON Lines (non-JSON lines kept, marked)
	python3 -c '
import json, sys
for line in sys.stdin:
    line = line.rstrip("\n")
    if line.startswith("--- "):
        print(line); continue
    try:
        print(json.dumps(json.loads(line), sort_keys=True, separators=(",", ":")))
    except ValueError:
        print("NOT JSON: " + line)
'
}

# run_row NAME GEN FLAGS... -> writes $WORKDIR/out/NAME.actual
run_row() {
	local name=$1 gen=$2
	shift 2
	local cap="$WORKDIR/caps/$gen.pcap" act="$WORKDIR/out/$name.actual"
	local err="$WORKDIR/out/$name.stderr" wout="$WORKDIR/out/$name.w.pcap"
	local args=() stdin=0 usew=0 rc=0
	# a changed generator (mkpcap.py or a module it imports: mkquic.py ...) makes them again
	if [[ ! -e "$cap" || -n $(find "$(dirname "$GEN")" -name '*.py' -newer "$cap") ]]; then
		python3 "$GEN" "$gen" -o "$cap"
	fi
	for a in "$@"; do
		case "$a" in
		STDIN) stdin=1 ;;
		WOUT) usew=1; args+=("$wout") ;;
		*) args+=("$a") ;;
		esac
	done
	rm -f "$wout"
	if ((stdin)); then
		timeout 20 "$CAPSCOPE" -r - --utc "${args[@]}" <"$cap" >"$act.stdout" 2>"$err" || rc=$?
	else
		timeout 20 "$CAPSCOPE" -r "$cap" --utc "${args[@]}" >"$act.stdout" 2>"$err" || rc=$?
	fi
	{
		cat "$act.stdout"
		if ((rc != 0)) || [[ -s "$err" ]]; then
			echo "--- stderr"
			sed -e "s#$cap#CAPFILE#g" "$err"
			echo "--- exit $rc"
		fi
		if ((usew)); then
			echo "--- written"
			python3 "$GEN" --dump "$wout" 2>&1 || echo "(no readable output file)"
		fi
	} >"$act"
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$err"; then
		echo "sanitizer report:" >>"$act"
		return 2
	fi
	return 0
}

pass=0
fail=0
failed=()
lineno=0
while IFS= read -r line || [[ -n "$line" ]]; do
	lineno=$((lineno + 1))
	[[ -z "${line//[[:space:]]/}" || "$line" =~ ^[[:space:]]*# ]] && continue
	read -r -a words <<<"$line"
	if ((${#words[@]} < 3)); then
		echo "TESTLIST:$lineno: malformed row: $line"
		fail=$((fail + 1)); failed+=("line$lineno")
		continue
	fi
	name=${words[0]} gen=${words[1]} exp="$HERE/expected/${words[2]}"
	flags=("${words[@]:3}")
	san=0
	run_row "$name" "$gen" "${flags[@]}" || san=$?
	act="$WORKDIR/out/$name.actual"
	if [[ "${BLESS:-0}" == 1 ]]; then # bless.sh: write what capscope printed (review it!)
		if ((san)); then
			echo "NOT blessed $name: sanitizer report"; fail=$((fail + 1)); failed+=("$name"); continue
		fi
		if [[ -f "$exp" ]] && cmp -s "$act" "$exp"; then echo "same $name"; else
			cp "$act" "$exp"; echo "BLESSED $name -> ${words[2]}"
		fi
		pass=$((pass + 1))
		continue
	fi
	if [[ ! -f "$exp" ]]; then
		echo "FAIL $name: expected file ${words[2]} is missing"
		fail=$((fail + 1)); failed+=("$name")
		continue
	fi
	if [[ " ${flags[*]} " == *" --json "* ]]; then
		canon_json <"$exp" >"$WORKDIR/out/$name.exp.canon"
		canon_json <"$act" >"$WORKDIR/out/$name.act.canon"
		cmp_exp="$WORKDIR/out/$name.exp.canon" cmp_act="$WORKDIR/out/$name.act.canon"
	else
		cmp_exp="$exp" cmp_act="$act"
	fi
	if ((san == 0)) && diff -u "$cmp_exp" "$cmp_act" >"$WORKDIR/out/$name.diff"; then
		echo "pass $name"
		pass=$((pass + 1))
	else
		echo "FAIL $name ($gen, flags: ${flags[*]:-none})"
		((san)) && sed -n '1,15p' "$WORKDIR/out/$name.stderr" | sed 's/^/    /'
		sed -n '1,25p' "$WORKDIR/out/$name.diff" | sed 's/^/    /'
		fail=$((fail + 1)); failed+=("$name")
	fi
done <"$HERE/TESTLIST"

echo "$pass passed, $fail failed"
if ((pass + fail == 0)); then
	echo "no rows ran: TESTLIST is empty?"
	exit 1
fi
((fail == 0)) || { echo "failed: ${failed[*]}"; exit 1; }
exit 0
