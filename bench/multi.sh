#!/usr/bin/env bash
# multi.sh - several sources merged (issue 16): in a private network namespace, four veth
# pairs (mt0/mt1 ... mt6/mt7), tcpreplay sending the bench mix out of mt0, mt2, mt4, mt6 at
# PPS packets a second each for SECONDS, while `capscope -i mt1 -i mt3 -i mt5 -i mt7 $OUT`
# (merged) and, in the same run, `capscope -i mtN $OUT` on each alone capture. Prints, per
# adapter, packets sent, captured merged and captured alone (and the kernel's drops of each),
# so the merge's loss is compared with each source alone under the same load. Not in CI.
#   sudo bench/multi.sh [SECONDS] [BUILD_DIR]   env: PPS=100000 OUT="-q" (what the captures
#   do with the packets: -q takes them and drops them; "--pcapng -w /dev/null --no-processes"
#   writes them; "--print" decodes and prints them to /dev/null)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
SECONDS_=${1:-10}
BUILD=${2:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
export PPS=${PPS:-100000} SECONDS_ W OUT=${OUT:--q}
export CS=$BUILD/capscope
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
[ -x "$CS" ] || { echo "build capscope first: $CS" >&2; exit 1; }
for t in tcpreplay python3; do
	command -v $t >/dev/null || { echo "$t is missing" >&2; exit 1; }
done
mkdir -p "$W"
[ -f "$W/multi-mix.pcap" ] || python3 "$SH/gen_pcap.py" mix -n 100000 -o "$W/multi-mix.pcap"

timeout $((SECONDS_ + 120)) unshare -n bash -c '
	set -uo pipefail
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	for k in 0 2 4 6; do
		ip link add mt$k type veth peer name mt$((k + 1))
		ip link set mt$k up; ip link set mt$((k + 1)) up
	done
	pids=()
	"$CS" -i mt1 -i mt3 -i mt5 -i mt7 $OUT >/dev/null 2>"$W/multi-merged.err" & pids+=($!)
	for k in 1 3 5 7; do
		"$CS" -i mt$k $OUT >/dev/null 2>"$W/multi-alone-$k.err" & pids+=($!)
	done
	sleep 2
	rp=()
	for k in 0 2 4 6; do
		timeout $((SECONDS_ + 30)) tcpreplay -q -i mt$k --pps "$PPS" --loop 0 \
			--duration "$SECONDS_" "$W/multi-mix.pcap" >"$W/multi-tcpreplay-$k.out" 2>&1 & rp+=($!)
	done
	for p in "${rp[@]}"; do wait $p; done
	sleep 2
	for p in "${pids[@]}"; do kill -INT $p; done
	for p in "${pids[@]}"; do wait $p; done
	load=$(cut -d" " -f1-3 /proc/loadavg)
	echo "load average at the end: $load; $(nproc) CPUs; PPS=$PPS per adapter for $SECONDS_ s; capscope ... $OUT"
	printf "%-5s %10s %14s %12s %14s %12s\n" adapter sent merged merged_kdrop alone alone_kdrop
	for k in 1 3 5 7; do
		sent=$(grep -Eo "Actual: [0-9]+ packets" "$W/multi-tcpreplay-$((k - 1)).out" | grep -Eo "[0-9]+" | head -1)
		mc=$(grep -E "^mt$k: [0-9]+ packets captured" "$W/multi-merged.err" | grep -Eo "[0-9]+ packets" | grep -Eo "[0-9]+")
		md=$(grep -E "^mt$k: [0-9]+ packets dropped by kernel" "$W/multi-merged.err" | grep -Eo ": [0-9]+" | grep -Eo "[0-9]+")
		ac=$(grep -E "^[0-9]+ packets captured" "$W/multi-alone-$k.err" | grep -Eo "^[0-9]+")
		ad=$(grep -E "^[0-9]+ packets dropped by kernel" "$W/multi-alone-$k.err" | grep -Eo "^[0-9]+")
		printf "%-5s %10s %14s %12s %14s %12s\n" mt$k "${sent:-?}" "${mc:-?}" "${md:-?}" "${ac:-?}" "${ad:-?}"
	done
	echo "merged totals:"; grep -E "^[0-9]+ packets" "$W/multi-merged.err" | sed "s/^/    /"
'
