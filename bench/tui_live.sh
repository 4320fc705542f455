#!/usr/bin/env bash
# TUI versus headless capture at the highest rate the harness offers, same run, hermetic: in a
# private network namespace (veth pv0 -> pv1) the harness's fastest sender (pktblast, no pacing)
# sends N packets of the 1M mix while either `capscope -i pv1 -w FILE` (headless) or the TUI
# `capscope -i pv1` (in a tmux pane, list following) captures; REPS repetitions alternate the
# two. Reports packets sent and captured (the file's count, or the TUI status bar's total).
# Both write to the same folder (the TUI its spill file, through TMPDIR), each to a new file:
# on this VM the kernel's page-cache copy varied severalfold with the folder (perf, same
# headless command: 4% of its samples writing into bench/work, 28% into /tmp).
#   sudo bench/tui_live.sh [BUILD_DIR]     env: N=2000000 REPS=3 TUI_TMPDIR=bench/work
# (TUI_TMPDIR=/tmp measures the TUI's default spill folder against headless in bench/work.)
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
N=${N:-2000000} REPS=${REPS:-3}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
mkdir -p "$W"
[ -x "$W/pktblast" ] || cc -O2 -o "$W/pktblast" "$SH/pktblast.c" -lpcap
[ -f "$W/mix1m.pcap" ] || python3 "$SH/gen_pcap.py" mix -o "$W/mix1m.pcap"
export CS=$BUILD/capscope W N TUI_TMPDIR=${TUI_TMPDIR:-$W}
run_one() { # mode -> "sent captured"
	MODE=$1 timeout 120 unshare -n bash -c '
		set -e
		ip link add pv0 type veth peer name pv1; ip link set pv0 up; ip link set pv1 up
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		S=tl$$
		if [ "$MODE" = tui ]; then
			tmux -L $S -f /dev/null new-session -d -x 120 -y 40 "TMPDIR=$TUI_TMPDIR XDG_STATE_HOME=$W/state $CS -i pv1; sleep 60"
		else
			$CS -i pv1 -w $W/tl.pcap 2>$W/tl.err & cpid=$!
		fi
		sleep 1.5
		sent=$($W/pktblast pv0 $W/mix1m.pcap $N 2>&1 | grep -Eo "^Actual: [0-9]+|[0-9]+ packets" | grep -Eo "[0-9]+" | head -1)
		sleep 3
		if [ "$MODE" = tui ]; then
			got=$(tmux -L $S capture-pane -p | grep -Eo "[0-9,]+/[0-9,]+ pkts" | tail -1 | cut -d/ -f2 | tr -d ", pkts")
			drops=$(tmux -L $S capture-pane -p | grep -Eo "kdrop [0-9,]+  rdrop [0-9,]+" | tail -1)
			tmux -L $S send-keys q y # quit and discard: a hang-up would keep the capture
			sleep 1
			tmux -L $S kill-server
			rm -rf $W/state
		else
			kill -INT $cpid; wait $cpid || true
			got=$(capinfos -c -M $W/tl.pcap | awk "/Number of packets/ {print \$NF}")
			rm -f $W/tl.pcap
			drops=$(tr "\n" " " < $W/tl.err)
		fi
		echo "$MODE sent=$sent captured=$got lost=$((sent - got)) ($drops)"
	'
}
for i in $(seq "$REPS"); do
	run_one headless
	run_one tui
done
