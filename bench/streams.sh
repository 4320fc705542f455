#!/usr/bin/env bash
# Stream tracking and TCP analysis cost: capscope --print with analysis, with --no-analysis,
# and tshark -Y tcp.analysis.flags, on the same 1,000,000-packet TCP capture, same run.
#   bench/streams.sh [BUILD_DIR] [RUNS]
# Generates (once, into bench/work/) tcp1m.pcap with bench/gen_tcpflows.py (2000 concurrent
# flows, 1% of data segments lost and sent again: previous segments not captured, dup ACKs,
# retransmissions), warms the page cache, times each command with hyperfine (median wall and
# mean CPU of RUNS; tshark runs 1 time unless TSHARK_RUNS says more, it takes ~a minute) and
# prints a Markdown table with the ratios issue 11 asks for: analysis <= 1.2x the CPU of
# --no-analysis, and >= 20x faster than tshark. Needs hyperfine, tshark, python3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
F=$W/tcp1m.pcap
OUT=$W/streams
mkdir -p "$OUT"
[ -f "$F" ] || python3 "$HERE/gen_tcpflows.py" -o "$F"
cat "$F" >/dev/null
bench_run analysis "$RUNS" "$CS -r $F --print"
bench_run noanalysis "$RUNS" "$CS -r $F --print --no-analysis"
bench_run filter "$RUNS" "$CS -r $F -Y tcp.analysis.flags"
WU=0 bench_run tshark "${TSHARK_RUNS:-1}" "tshark -n -r $F -Y tcp.analysis.flags"
read -r aw ac < <(bench_stat analysis)
read -r nw nc < <(bench_stat noanalysis)
read -r fw fc < <(bench_stat filter)
read -r tw tc < <(bench_stat tshark)
flagged=$("$CS" -r "$F" -Y tcp.analysis.flags -T fields -e frame.number | wc -l)
echo "| command ($(basename "$F"), 1,000,000 packets, $flagged with analysis flags) | wall s (median) | CPU s |"
echo "|---|---|---|"
echo "| capscope --print (analysis) | $aw | $ac |"
echo "| capscope --print --no-analysis | $nw | $nc |"
echo "| capscope -Y tcp.analysis.flags | $fw | $fc |"
echo "| tshark -Y tcp.analysis.flags | $tw | $tc |"
python3 - "$ac" "$nc" "$fc" "$tc" "$fw" "$tw" <<'PY'
import sys
ac, nc, fc, tc, fw, tw = map(float, sys.argv[1:])
print()
print('analysis / no-analysis CPU: %.2fx (target <= 1.2x)' % (ac / nc))
print('tshark / capscope -Y tcp.analysis.flags: %.1fx CPU, %.1fx wall (target >= 20x)' %
      (tc / fc, tw / fw))
PY
