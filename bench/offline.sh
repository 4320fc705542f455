#!/usr/bin/env bash
# Offline read benchmark: capscope against tcpdump and tshark on the same files, same run.
#   bench/offline.sh [BUILD_DIR] [RUNS]
# Generates (once, into bench/work/) a 1,000,000-packet mixed capture (many distinct addresses)
# and a 1,000,000-packet single-flow capture with ../shared/bench/gen_pcap.py, warms the page
# cache, times each command with hyperfine (median of RUNS) and peak RSS with /usr/bin/time,
# and prints a Markdown table with the ratios the issues ask for. Needs: hyperfine, tcpdump,
# tshark, editcap, python3, /usr/bin/time (Debian packages hyperfine tshark time).
# Besides the wall-clock median it reports CPU seconds (user+sys, hyperfine's mean): on a shared,
# busy machine wall time mostly measures the other tenants, CPU time much less so. capscope
# reads on one thread and writes on another, so its CPU can exceed its wall time.
# BASE=/path/to/other/build adds that build's capscope to the same run (before/after).
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
FLOOR=$W/pcap_floor
[ -x "$FLOOR" ] || cc -O2 -o "$FLOOR" "$ROOT/../shared/bench/pcap_floor.c" -lpcap
run() { # label file command...   (env R=runs, WU=warm-up runs for this one command)
	local label=$1 file=$2 r=${R:-$RUNS} wu=${WU:-1}
	shift 2
	cat "$file" >/dev/null
	hyperfine -N -w "$wu" -r "$r" --style none --export-json "$OUT/$label.json" \
		"$*" >/dev/null 2>&1 || hyperfine -w "$wu" -r "$r" --style none \
		--export-json "$OUT/$label.json" "$* > /dev/null" >/dev/null
	/usr/bin/time -v bash -c "$* > /dev/null" 2>"$OUT/$label.time" >/dev/null || true
}
run floor "$MIX" "$FLOOR $MIX"
run cs_rw "$MIX" "$CS -r $MIX -w /dev/null"
run td_rw "$MIX" "tcpdump -r $MIX -w /dev/null"
run cs_print "$MIX" "$CS -r $MIX --print"
# tcpdump -nn takes ~30 CPU s here (its address hash suffers from addresses sharing octets)
R=${SLOW_RUNS:-1} WU=0 run td_print "$MIX" "tcpdump -nn -r $MIX"
run cs_print_flow "$FLOW" "$CS -r $FLOW --print"
run td_print_flow "$FLOW" "tcpdump -nn -r $FLOW"
run cs_json "$MIX" "$CS -r $MIX --json"
run cs_json_sub "$SUB" "$CS -r $SUB --json"
run ts_json_sub "$SUB" "tshark -r $SUB -T fields -E occurrence=f $FIELDS"
if [ -n "${BASE:-}" ]; then
	run base_rw "$MIX" "$BASE/capscope -r $MIX -w /dev/null"
	run base_print "$MIX" "$BASE/capscope -r $MIX --print"
	run base_print_flow "$FLOW" "$BASE/capscope -r $FLOW --print"
	run base_json "$MIX" "$BASE/capscope -r $MIX --json"
fi
python3 - "$OUT" "$MIX" "${BASE:-}" <<'PY'
import json, re, sys, os
out, mix, base = sys.argv[1:4]
def res(l): return json.load(open(f"{out}/{l}.json"))["results"][0]
def med(l): return res(l)["median"]
def cpu(l): return res(l)["user"] + res(l)["system"]
def rss(l):
    m = re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{out}/{l}.time").read())
    return int(m.group(1)) / 1024 if m else float("nan")
rows = [
    ("-r BIG -w /dev/null", "cs_rw", "td_rw", "tcpdump -r -w /dev/null", "capscope <= 1.1x tcpdump's time"),
    ("-r BIG --print (mixed)", "cs_print", "td_print", "tcpdump -nn -r", ">= 2x faster"),
    ("-r FLOW --print (single flow)", "cs_print_flow", "td_print_flow", "tcpdump -nn -r", "no slower (>= 1x)"),
    ("--json, 100k subset", "cs_json_sub", "ts_json_sub", "tshark -T fields", ">= 20x faster"),
]
print("| what | capscope wall s | CPU s | peer | peer wall s | CPU s | peer/capscope wall | CPU | target | capscope peak RSS MiB |")
print("|---|---|---|---|---|---|---|---|---|---|")
for what, a, b, peer, target in rows:
    print(f"| {what} | {med(a):.3f} | {cpu(a):.3f} | {peer} | {med(b):.3f} | {cpu(b):.3f} | "
          f"{med(b)/med(a):.2f}x | {cpu(b)/cpu(a):.2f}x | {target} | {rss(a):.1f} |")
n_sub, n_mix = 100000, 1000000
print(f"\nlibpcap floor (pcap_next_ex only): {med('floor'):.3f} s wall, {cpu('floor'):.3f} s CPU")
print(f"capscope --json, 1M packets: {med('cs_json'):.3f} s wall, {cpu('cs_json'):.3f} s CPU, "
      f"peak RSS {rss('cs_json'):.1f} MiB; file {os.path.getsize(mix)/1e6:.0f} MB")
cs_rate, ts_rate = n_mix / cpu("cs_json"), n_sub / cpu("ts_json_sub")
print(f"per-packet JSON rate (CPU): capscope {cs_rate:,.0f}/s on 1M, tshark {ts_rate:,.0f}/s on 100k: "
      f"{cs_rate/ts_rate:.1f}x")
if base:
    print("\n| command | before wall s | CPU s | after wall s | CPU s | CPU before/after |")
    print("|---|---|---|---|---|---|")
    for what, b, a in [("-r BIG -w /dev/null", "base_rw", "cs_rw"), ("-r BIG --print", "base_print", "cs_print"),
                       ("-r FLOW --print", "base_print_flow", "cs_print_flow"), ("-r BIG --json", "base_json", "cs_json")]:
        print(f"| {what} | {med(b):.3f} | {cpu(b):.3f} | {med(a):.3f} | {cpu(a):.3f} | {cpu(b)/cpu(a):.2f}x |")
PY
