#!/usr/bin/env bash
# test_filter_table.sh - --filter-table FILE: its refusals (no -r, with -Y or an output, a
# missing file, more than 4096 filters), each one line and exit 2; on a generated capture its
# lines: "LINE FRAME" for every frame each filter keeps (LINE counting comments and blank
# lines), equal to the frames `-Y FILTER --json` keeps, and "LINE error: MESSAGE" with -Y's
# own message for a filter that does not compile. (The filter tables of dfilter/ compare it
# with tshark and with -Y at scale.)
set -euo pipefail
[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || { echo "SKIP: CAPSCOPE is not set"; exit 77; }
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
fail() {
	echo "FAIL: $*"
	exit 1
}
. "${SRCDIR:-$(cd "$(dirname "$0")/../.." && pwd)}/tests/lib/refusal.sh"
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
cap=$WORKDIR/mixed.pcap table=$WORKDIR/table.txt
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 60 -o "$cap" >/dev/null
filters=("udp" "tcp.port == 80 || icmp" "frame.number <= 3" "ip.src == 198.18.0.8/29" "!ip")
{
	echo "# a comment, then a blank line"
	echo
	printf '%s\n' "${filters[@]}"
	echo "ip.ttl == "
	echo "no.such.field"
} >"$table"

expect_refusal "--filter-table reads a file: use -r FILE" --filter-table "$table" -i lo
expect_refusal "--filter-table prints its own lines" -r "$cap" --filter-table "$table" -Y udp
expect_refusal "--filter-table prints its own lines" -r "$cap" --filter-table "$table" --json
expect_refusal "--filter-table prints its own lines" -r "$cap" --filter-table "$table" -w x
expect_refusal "--filter-table $WORKDIR/none: no such file" -r "$cap" --filter-table "$WORKDIR/none"
seq 4097 | sed 's/^/frame.number == /' >"$WORKDIR/big.txt"
expect_refusal "more than 4096 filters" -r "$cap" --filter-table "$WORKDIR/big.txt"

"$CAPSCOPE" -r "$cap" --filter-table "$table" >"$WORKDIR/out" 2>"$WORKDIR/err" ||
	fail "--filter-table exited $? ($(cat "$WORKDIR/err"))"
[[ ! -s "$WORKDIR/err" ]] || fail "stderr: $(cat "$WORKDIR/err")"
# the two broken filters first, with -Y's messages
for line in 8 9; do
	text=$(sed -n "${line}p" "$table")
	want=$("$CAPSCOPE" -r "$cap" -Y "$text" 2>&1 >/dev/null | sed 's/^capscope: //') || true
	got=$(grep "^$line error: " "$WORKDIR/out" | sed "s/^$line error: //")
	[[ -n "$want" && "$got" == "$want" ]] || fail "line $line: '$got', -Y says '$want'"
	echo "ok: line $line error: $got"
done
head -2 "$WORKDIR/out" | grep -q "^8 error: " || fail "the errors do not come first"
# every other line: LINE FRAME, frames in order, the frames -Y keeps
grep -v " error: " "$WORKDIR/out" | awk '$0 !~ /^[0-9]+ [0-9]+$/ {bad=1} END {exit bad}' ||
	fail "a line is not 'LINE FRAME'"
for i in "${!filters[@]}"; do
	line=$((i + 3))
	got=$(awk -v l=$line '$1 == l && $2 != "error:" {print $2}' "$WORKDIR/out" | tr '\n' ' ')
	"$CAPSCOPE" -r "$cap" -Y "${filters[$i]}" --json >"$WORKDIR/y.json" ||
		fail "-Y '${filters[$i]}' exited $?"
	want=$(sed -n 's/^{"frame.number":\([0-9]*\).*/\1/p' "$WORKDIR/y.json" | tr '\n' ' ')
	[[ "$got" == "$want" ]] || fail "line $line (${filters[$i]}): table '$got', -Y '$want'"
	echo "ok: line $line (${filters[$i]}): $(wc -w <<<"$got") frames, as -Y"
done
[[ -n "$(awk '$1 == 3' "$WORKDIR/out")" ]] || fail "udp kept nothing: the capture has no UDP?"
echo "pass: --filter-table keeps what -Y keeps, line by line"
