#!/usr/bin/env bash
# Monitor benchmark: applying a filter to a loaded 1,000,000-packet capture, from Enter in the
# filter bar to the last "filtering N%" gone and the final count shown. Runs the real binary
# in a private tmux server and samples the screen every 10 ms (so figures are +-10 ms).
#   bench/tui_dfilter.sh [BUILD_DIR] [RUNS]
# Each run opens the file afresh, waits until it is indexed, then applies the display filter
# and, for comparison, the same selection as BPF. Needs tmux, python3 and
# ../shared/bench/gen_pcap.py (the mix1m.pcap of bench/offline.sh).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
RUNS=${2:-3}
W=$HERE/work
MIX=$W/mix1m.pcap
mkdir -p "$W"
[ -f "$MIX" ] || python3 "$ROOT/../shared/bench/gen_pcap.py" mix -o "$MIX"
cat "$MIX" >/dev/null
S=bench-tdf-$$
trap 'tmux -L $S kill-server 2>/dev/null || true' EXIT
export XDG_STATE_HOME=$W/state # never the user's filter history
screen() { tmux -L $S capture-pane -p -t t 2>/dev/null || true; }
now() { date +%s.%N; }

# apply FILTER -> prints "seconds shown/total"
apply() {
	tmux -L $S kill-server 2>/dev/null || true
	sleep 0.5 # the old server must be gone before a new one starts on the socket
	tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 "$BUILD/capscope -r $MIX"
	for _ in $(seq 1 1200); do screen | grep -q '1,000,000/1,000,000 pkts' && break; sleep 0.05; done
	tmux -L $S send-keys -t t /
	sleep 0.3
	tmux -L $S send-keys -t t -l "$1"
	sleep 0.3
	local t0 s
	t0=$(now)
	tmux -L $S send-keys -t t Enter
	for _ in $(seq 1 6000); do
		s=$(screen)
		if ! grep -q 'filtering' <<<"$s" && ! grep -q '^filter: ' <<<"$s" &&
			grep -q "filter: " <<<"$s"; then
			break
		fi
		sleep 0.01
	done
	echo "$(python3 -c "print(f'{$(now) - $t0:.3f}')") $(grep -Eo '[0-9,]+/[0-9,]+ pkts' <<<"$s" | tail -1)"
}

for i in $(seq 1 "$RUNS"); do
	echo "display filter 'udp.dstport == 53 || ip.len > 1000': $(apply 'udp.dstport == 53 || ip.len > 1000')"
	echo "BPF 'udp dst port 53 or ip[2:2] > 1000':           $(apply 'udp dst port 53 or ip[2:2] > 1000')"
done
