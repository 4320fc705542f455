#!/usr/bin/env bash
# Display filter benchmark: capscope -Y against tshark -Y on the same 1,000,000-packet mixed
# capture, same run, and capscope without -Y to show what the filter costs.
#   bench/dfilter.sh [BUILD_DIR] [RUNS]
# Makes bench/work/mix1m.pcap as bench/offline.sh does (../shared/bench/gen_pcap.py mix), warms
# the page cache, and times each command with hyperfine (median of RUNS; tshark once, it takes
# about a minute). Prints a Markdown table with wall and CPU seconds and the ratio.
# Needs: hyperfine, tshark, python3. Build capscope in Release (RelWithDebInfo) first.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUT=$W/dfilter
mkdir -p "$OUT"
[ -f "$GEN" ] || { echo "needs ../shared/bench/gen_pcap.py" >&2; exit 1; }
MIX=$W/mix1m.pcap
[ -f "$MIX" ] || python3 "$GEN" mix -o "$MIX"
EXPR='udp.dstport == 53 || ip.len > 1000'
run() { # label runs warm-up-runs "command" (one string, quoted as for a shell)
	cat "$MIX" >/dev/null
	hyperfine -N -w "$3" -r "$2" --style none --export-json "$OUT/$1.json" "$4" >/dev/null
}
run cs_y "$RUNS" 1 "$CS -r $MIX -Y '$EXPR' -w /dev/null"
run cs_plain "$RUNS" 1 "$CS -r $MIX -w /dev/null"
run ts_y "${TSHARK_RUNS:-1}" 0 "tshark -r $MIX -Y '$EXPR' -w /dev/null"
kept_cs=$("$CS" -r "$MIX" -Y "$EXPR" -w - | tshark -r - -T fields -e frame.number 2>/dev/null | wc -l)
python3 - "$OUT" "$MIX" "$EXPR" "$kept_cs" <<'PY'
import json, sys
out, mix, expr, kept = sys.argv[1:]
def load(label):
    r = json.load(open(f"{out}/{label}.json"))["results"][0]
    return r["median"], r["user"] + r["system"]
cs, cs_cpu = load("cs_y")
plain, plain_cpu = load("cs_plain")
ts, ts_cpu = load("ts_y")
print(f"display filter `{expr}` on {mix} (1,000,000 packets; {kept} kept)\n")
print("| command | wall s (median) | CPU s | vs capscope -Y |")
print("|---|---|---|---|")
print(f"| `capscope -r mix1m.pcap -Y EXPR -w /dev/null` | {cs:.3f} | {cs_cpu:.3f} | 1.0x |")
print(f"| `tshark -r mix1m.pcap -Y EXPR -w /dev/null` | {ts:.3f} | {ts_cpu:.3f} | {ts / cs:.1f}x slower (CPU {ts_cpu / cs_cpu:.1f}x) |")
print(f"| `capscope -r mix1m.pcap -w /dev/null` (no -Y) | {plain:.3f} | {plain_cpu:.3f} | the filter costs {cs - plain:+.3f} s wall, {cs_cpu - plain_cpu:+.3f} s CPU |")
PY
