#!/usr/bin/env bash
# Offline read benchmark: capscope against tcpdump and tshark on the same files, same run.
#   bench/offline.sh [BUILD_DIR] [RUNS]
# Generates (once, into bench/work/) a 1,000,000-packet mixed capture (many distinct addresses)
# and a 1,000,000-packet single-flow capture with ../shared/bench/gen_pcap.py, warms the page
# cache, times each command with hyperfine (median of RUNS) and peak RSS with /usr/bin/time,
# and prints a Markdown table with the ratios the issues ask for. Needs: hyperfine, tcpdump,
# tshark, editcap, python3, /usr/bin/time (Debian packages hyperfine tshark time).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
RUNS=${2:-5}
CS=$BUILD/capscope
GEN=$ROOT/../shared/bench/gen_pcap.py
W=$HERE/work
mkdir -p "$W"
[ -x "$CS" ] || { echo "build capscope first (Release): cmake -S . -B build && cmake --build build" >&2; exit 1; }
[ -f "$GEN" ] || { echo "needs ../shared/bench/gen_pcap.py" >&2; exit 1; }
MIX=$W/mix1m.pcap FLOW=$W/flow1m.pcap SUB=$W/mix100k.pcap
[ -f "$MIX" ] || python3 "$GEN" mix -o "$MIX"
[ -f "$FLOW" ] || python3 "$GEN" gaps -n 1000000 --gap-us 10 -o "$FLOW"
[ -f "$SUB" ] || editcap -r "$MIX" "$SUB" 1-100000
FIELDS="-e frame.number -e frame.time_epoch -e frame.len -e frame.cap_len -e eth.src -e eth.dst -e eth.type -e vlan.id -e arp.opcode -e ip.src -e ip.dst -e ip.proto -e ip.ttl -e ip.len -e ip.frag_offset -e ipv6.src -e ipv6.dst -e ipv6.nxt -e udp.srcport -e udp.dstport -e udp.length -e tcp.srcport -e tcp.dstport -e tcp.flags -e tcp.seq_raw -e tcp.ack_raw -e icmp.type -e icmp.code -e icmpv6.type -e icmpv6.code -e dns.id -e dns.qry.name -e dns.qry.type"
OUT=$W/offline
mkdir -p "$OUT"
run() { # label file command...
	local label=$1 file=$2
	shift 2
	cat "$file" >/dev/null
	hyperfine -N -w 1 -r "$RUNS" --style none --export-json "$OUT/$label.json" \
		"$*" >/dev/null 2>&1 || hyperfine -w 1 -r "$RUNS" --style none \
		--export-json "$OUT/$label.json" "$* > /dev/null" >/dev/null
	/usr/bin/time -v bash -c "$* > /dev/null" 2>"$OUT/$label.time" >/dev/null || true
}
run cs_rw "$MIX" "$CS -r $MIX -w /dev/null"
run td_rw "$MIX" "tcpdump -r $MIX -w /dev/null"
run cs_print "$MIX" "$CS -r $MIX --print"
run td_print "$MIX" "tcpdump -nn -r $MIX"
run cs_print_flow "$FLOW" "$CS -r $FLOW --print"
run td_print_flow "$FLOW" "tcpdump -nn -r $FLOW"
run cs_json "$MIX" "$CS -r $MIX --json"
run cs_json_sub "$SUB" "$CS -r $SUB --json"
run ts_json_sub "$SUB" "tshark -r $SUB -T fields -E occurrence=f $FIELDS"
python3 - "$OUT" "$MIX" <<'PY'
import json, re, sys, os
out, mix = sys.argv[1], sys.argv[2]
def med(l): return json.load(open(f"{out}/{l}.json"))["results"][0]["median"]
def rss(l):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{l}.time").read())
    return int(m.group(1)) / 1024 if m else float("nan")
rows = [
    ("-r BIG -w /dev/null", "cs_rw", "td_rw", "tcpdump -r -w", "<= 1.1x tcpdump time"),
    ("-r BIG --print (mixed)", "cs_print", "td_print", "tcpdump -nn -r", ">= 2x faster"),
    ("-r FLOW --print (single flow)", "cs_print_flow", "td_print_flow", "tcpdump -nn -r", "no slower"),
    ("--json, 100k subset", "cs_json_sub", "ts_json_sub", "tshark -T fields", ">= 20x faster"),
]
print("| what | capscope s | peer | peer s | peer/capscope | target | capscope peak RSS MiB |")
print("|---|---|---|---|---|---|---|")
for what, a, b, peer, target in rows:
    print(f"| {what} | {med(a):.3f} | {peer} | {med(b):.3f} | {med(b)/med(a):.2f}x | {target} | {rss(a):.1f} |")
print(f"\ncapscope --json on the full 1M file: {med('cs_json'):.3f} s, peak RSS {rss('cs_json'):.1f} MiB; "
      f"file size {os.path.getsize(mix)/1e6:.0f} MB")
PY
