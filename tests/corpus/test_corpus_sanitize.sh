#!/usr/bin/env bash
# test_corpus_sanitize.sh - every corpus file (normal, malformed, fuzz-found, synthetic/cases)
# through the sanitizer build: `capscope -r F --json` and `capscope -r F -x --print`, each with
# a 10 s timeout. A failure is a crash (exit >= 128), a sanitizer report, a hang, or, for a
# file libpcap refuses (INDEX.tsv libpcap_opens=n), anything but exit 2 with exactly one
# stderr line naming the file. A file libpcap stops reading with an error (libpcap_read_status
# error:...) must exit 1 with one stderr line naming the file. Prints counts per outcome.
# Exit: 0 all good, 1 a failure, 77 skipped (reason printed).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_corpus
require_tools timeout
mkdir -p "$WORKDIR"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1

# path -> "opens<TAB>read_status" from INDEX.tsv (paths relative to $CORPUS)
declare -A OPENS STATUS
if [[ -f "$CORPUS/INDEX.tsv" ]]; then
	while IFS=$'\t' read -r path _size _pk _dlt _mal opens status _note; do
		[[ "$path" == path ]] && continue
		OPENS[$path]=$opens
		STATUS[$path]=$status
	done <"$CORPUS/INDEX.tsv"
fi

declare -A COUNT
bump() { COUNT[$1]=$((${COUNT[$1]:-0} + 1)); }
failures=0
fail() {
	echo "FAIL $*"
	failures=$((failures + 1))
}

# The runs go SANITIZE_JOBS at a time (default 2, the CI machine's cores: one at a time took
# 534 s there); each leaves its status and stderr in $RUNS/N.MODE.{rc,err}, judged in order below.
files=()
while IFS= read -r -d '' f; do files+=("$f"); done < <(find "$CORPUS" -type f \( -name '*.pcap' \
	-o -name '*.pcapng' -o -name '*.cap' \) -print0 | sort -z)
RUNS="$WORKDIR/runs"
mkdir -p "$RUNS"
run_one() { # run_one N MODE FILE
	local rc=0 args=(--json)
	[[ $2 == json ]] || args=(-x --print)
	timeout 10 "$CAPSCOPE" -r "$3" "${args[@]}" >/dev/null 2>"$RUNS/$1.$2.err" || rc=$?
	echo "$rc" >"$RUNS/$1.$2.rc"
}
export -f run_one
export CAPSCOPE RUNS
for i in "${!files[@]}"; do
	printf '%s\0%s\0%s\0' "$i" json "${files[$i]}" "$i" hexprint "${files[$i]}"
done | xargs -0 -n 3 -P "${SANITIZE_JOBS:-2}" bash -c 'run_one "$@"' run_one

nfiles=0
for i in "${!files[@]}"; do
	f=${files[$i]}
	rel=${f#"$CORPUS"/}
	nfiles=$((nfiles + 1))
	opens=${OPENS[$rel]:-?}
	status=${STATUS[$rel]:-?}
	for mode in json hexprint; do
		err="$RUNS/$i.$mode.err"
		rc=$(cat "$RUNS/$i.$mode.rc" 2>/dev/null || echo 125)
		nerr=0
		[[ ! -f $err ]] || nerr=$(wc -l <"$err")
		if ((rc == 124)); then
			bump hang
			fail "$rel ($mode): no result within 10 s"
		elif grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$err"; then
			bump sanitizer
			fail "$rel ($mode): sanitizer report:"
			sed -n '1,12p' "$err" | sed 's/^/    /'
		elif ((rc >= 128)); then
			bump crash
			fail "$rel ($mode): killed by signal $((rc - 128))"
			sed -n '1,5p' "$err" | sed 's/^/    /'
		elif [[ $opens == n ]]; then
			# libpcap refuses the file: exactly one line naming it, exit 2
			if ((rc == 2 && nerr == 1)) && grep -qF -- "$f" "$err"; then
				bump refused-cleanly
			else
				bump refused-badly
				fail "$rel ($mode): libpcap refuses it; want exit 2 and one stderr line naming the file, got exit $rc and $nerr line(s):"
				sed -n '1,5p' "$err" | sed 's/^/    /'
			fi
		elif [[ $status == error:* ]]; then
			# packets before a bad record are printed, then one error line, exit 1
			if ((rc == 1 && nerr == 1)) && grep -qF -- "$f" "$err"; then
				bump read-error-reported
			else
				bump read-error-badly
				fail "$rel ($mode): libpcap stops with '${status#error:}'; want exit 1 and one stderr line naming the file, got exit $rc and $nerr line(s):"
				sed -n '1,5p' "$err" | sed 's/^/    /'
			fi
		elif ((rc == 0)); then
			bump ok
		elif [[ $opens == "?" ]]; then
			# not in INDEX.tsv: any clean refusal is fine (no crash, no hang, one line)
			if ((rc <= 2 && nerr == 1)); then bump unindexed-error; else
				bump error-badly
				fail "$rel ($mode): exit $rc with $nerr stderr line(s)"
			fi
		else
			bump unexpected-exit
			fail "$rel ($mode): libpcap reads it to the end, capscope exit $rc:"
			sed -n '1,5p' "$err" | sed 's/^/    /'
		fi
	done
done

echo "files: $nfiles (runs: $((nfiles * 2)))"
for k in $(printf '%s\n' "${!COUNT[@]}" | sort); do
	echo "  $k: ${COUNT[$k]}"
done
if ((nfiles == 0)); then
	echo "no capture files found under $CORPUS"
	exit 1
fi
echo "$failures failure(s)"
((failures == 0))
