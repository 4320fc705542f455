#!/usr/bin/env bash
# test_print_summary.sh - --print alone decodes for the line (no field tree), where a summary
# reads a whole Ethernet, IPv4 or TCP header at once and walks TCP's options for what the line
# keeps (eth.c, ipv4.c, tcp.c); with -Y every packet is decoded with its tree, field by field.
# The two paths must give the same lines:
#   same lines   --print and --print -Y frame (a filter every packet passes) print the same
#                bytes, standard error and exit status, on every capture tests/gen/mkpcap.py
#                names (lying and truncated headers, TCP options and analysis, tunnels, ICMP
#                quotes...), on a 20,000-packet mix and on the corpus (a sample in CI: tests/lib/corpus_files.sh)
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
: "${CORPUS:=$SRCDIR/../shared/corpus}"
[[ -n "${CAPSCOPE:-}" && -x "${CAPSCOPE}" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
export TZ=UTC

source "$SRCDIR/tests/lib/check.sh"
source "$SRCDIR/tests/lib/corpus_files.sh"
W=$WORKDIR
rm -rf "$W" && mkdir -p "$W/gen"
GEN=$SRCDIR/tests/gen/mkpcap.py

# same FILE: the summary path's output and status equal the tree path's
same() {
	local f=$1 rc1 rc2
	timeout 60 "$CAPSCOPE" -r "$f" --print >"$W/sum.out" 2>"$W/sum.err"
	rc1=$?
	timeout 60 "$CAPSCOPE" -r "$f" --print -Y frame >"$W/tree.out" 2>"$W/tree.err"
	rc2=$?
	[[ $rc1 == "$rc2" ]] || { echo "  $f: status $rc1 alone, $rc2 with -Y frame"; return 1; }
	cmp -s "$W/sum.out" "$W/tree.out" || {
		echo "  $f: lines differ"
		diff "$W/sum.out" "$W/tree.out" | head -4
		return 1
	}
	cmp -s "$W/sum.err" "$W/tree.err" || { echo "  $f: stderr differs"; return 1; }
}

# every_same LABEL FILE...: one check over the files, naming those that differ
every_same() {
	local label=$1 n=0 nbad=0
	shift
	for f in "$@"; do
		n=$((n + 1))
		same "$f" || nbad=$((nbad + 1))
	done
	check "$label: $n captures, the same lines from both paths ($nbad differ)" test "$nbad" -eq 0
}

gen=()
for name in $(timeout 30 python3 "$GEN" --list); do
	[[ $name == not-a-capture ]] && continue
	timeout 60 python3 "$GEN" "$name" -o "$W/gen/$name.pcap" >/dev/null 2>&1 &&
		gen+=("$W/gen/$name.pcap")
done
check "mkpcap.py made its named captures (${#gen[@]})" test "${#gen[@]}" -gt 50
every_same "mkpcap.py's named captures" "${gen[@]}"

timeout 60 python3 "$GEN" mixed 20000 -o "$W/mixed.pcap" || { echo "mkpcap failed"; exit 1; }
every_same "a 20,000-packet mix" "$W/mixed.pcap"

corpus=()
while IFS= read -r -d '' f; do
	corpus+=("$f")
done < <(corpus_files "$CORPUS")
if ((${#corpus[@]} == 0)); then
	part_skipped "no corpus at $CORPUS"
else
	every_same "the corpus ($(corpus_sample_note))" "${corpus[@]}"
fi

check_summary
