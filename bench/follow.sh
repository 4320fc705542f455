#!/usr/bin/env bash
# Follow stream (issue 11): capscope -q -z follow,tcp,raw,N against tshark's same command on
# the same 1,000,000-packet TCP capture, same run.
#   bench/follow.sh [BUILD_DIR] [RUNS]
# Generates (once, into bench/work/) tcp1m.pcap with bench/gen_tcpflows.py as bench/streams.sh
# does (2000 concurrent flows, 1% of data segments lost and sent again), warms the page cache,
# checks that both outputs are identical, times each command with hyperfine (median wall and
# mean CPU of RUNS; tshark runs once unless TSHARK_RUNS says more) and prints a Markdown table
# with the ratio (target: capscope >= 10x faster). FOLLOW_STREAM picks N (default 0).
# Needs hyperfine, tshark, python3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
F=$W/tcp1m.pcap
OUT=$W/follow
N=${FOLLOW_STREAM:-0}
mkdir -p "$OUT"
[ -f "$F" ] || python3 "$HERE/gen_tcpflows.py" -o "$F"
cat "$F" >/dev/null
Z="follow,tcp,raw,$N"
"$CS" -r "$F" -q -z "$Z" >"$OUT/capscope.txt"
tshark -r "$F" -q -z "$Z" >"$OUT/tshark.txt" 2>/dev/null
if cmp -s "$OUT/capscope.txt" "$OUT/tshark.txt"; then same=identical; else same=DIFFERENT; fi
bench_run capscope "$RUNS" "$CS -r $F -q -z $Z"
WU=0 bench_run tshark "${TSHARK_RUNS:-1}" "tshark -r $F -q -z $Z"
read -r cw cc < <(bench_stat capscope)
read -r tw tc < <(bench_stat tshark)
chunks=$(grep -c '^[0-9a-f\t]' "$OUT/capscope.txt" || true)
echo "| command ($(basename "$F"), 1,000,000 packets; stream $N: $chunks chunks, outputs $same) | wall s (median) | CPU s |"
echo "|---|---|---|"
echo "| capscope -r tcp1m.pcap -q -z $Z | $cw | $cc |"
echo "| tshark -r tcp1m.pcap -q -z $Z | $tw | $tc |"
python3 - "$cc" "$tc" "$cw" "$tw" <<'PY'
import sys
cc, tc, cw, tw = map(float, sys.argv[1:])
print()
print('tshark / capscope: %.1fx CPU, %.1fx wall (target >= 10x)' % (tc / cc, tw / cw))
PY
[ "$same" = identical ]
