#!/usr/bin/env bash
# ebpf_cost.sh - what the eBPF backend of process attribution costs the kernel per packet:
# a loopback UDP flood (bench/udpflood.c, 1M datagrams of 32 bytes; egress and ingress both
# run in the sender) timed with and without the programs attached (tests/procs/ebpf_probe
# holds them while it runs), alternating, RUNS times each; prints the medians of CPU ns per
# datagram for a connected socket (the cgroup_skb programs only) and for unconnected
# sendto() (plus the sendmsg4 hook on every send). Root; runs in a private network namespace.
#   sudo bench/ebpf_cost.sh [BUILD_DIR] [RUNS]
set -euo pipefail
HERE=$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)
BUILD=${1:-$HERE/../build}
RUNS=${2:-5}
N=${FLOOD_PACKETS:-1000000}
PROBE=$BUILD/tests/ebpf_probe
W=$HERE/work/ebpf_cost
[ -x "$PROBE" ] || { echo "build the tests with the eBPF backend first ($PROBE missing)" >&2; exit 1; }
if [ "${EBPF_COST_IN_NS:-}" != 1 ]; then
	mkdir -p "$W"
	cc -O2 -o "$W/udpflood" "$HERE/udpflood.c"
	EBPF_COST_IN_NS=1 exec timeout 600 unshare -n bash "$0" "$BUILD" "$RUNS"
fi
ip link set lo up
flood() { timeout 120 "$W/udpflood" "$N" 9999 "$1"; }
declare -A cpu
for mode in connected sendto; do
	for _ in $(seq "$RUNS"); do
		read -r c _ < <(flood "$mode")
		cpu[off_$mode]+="$c "
		mkfifo "$W/in" 2>/dev/null || true
		"$PROBE" <"$W/in" >"$W/probe.out" &
		probe=$!
		exec 3>"$W/in"
		for _ in $(seq 100); do grep -q ready "$W/probe.out" && break; sleep 0.05; done
		grep -q ready "$W/probe.out" || { cat "$W/probe.out"; kill $probe; exit 1; }
		read -r c _ < <(flood "$mode")
		cpu[on_$mode]+="$c "
		exec 3>&-
		wait $probe
	done
done
rm -f "$W/in"
med() { tr ' ' '\n' | grep . | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}'; }
echo "| loopback UDP flood, $N x 32 B, median of $RUNS | CPU ns/datagram, no eBPF | with eBPF | added |"
echo "|---|---|---|---|"
for mode in connected sendto; do
	off=$(echo "${cpu[off_$mode]}" | med) on=$(echo "${cpu[on_$mode]}" | med)
	echo "| $mode | $off | $on | $(python3 -c "print(f'{$on - $off:+.1f} ns ({($on / $off - 1) * 100:+.1f}%)')") |"
done
