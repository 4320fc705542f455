#!/usr/bin/env bash
# Statistics mode benchmark, hermetic: a private network namespace (unshare -n) with a veth pair
# pv0 -> pv1; the harness's paced sender (../shared/bench/pktblast) sends RATE packets/s for SECS
# seconds of the 1M-packet mix (64/576/1514-byte UDP) while one of these counts on pv1:
#   stats  capscope --stats -i pv1 --json udp        (statistics mode, headless)
#   tui    capscope -i pv1 in an 120x40 tmux pane     (full capture with the TUI, list following)
# and reports, per run, the packets sent, the packets the tool counted, its CPU seconds (user +
# sys from /proc just before it is stopped) and CPU seconds per million packets.
#   sudo bench/stats.sh [BUILD_DIR]     env: RATES="100000 300000 600000" SECS=5 REPS=2
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
RATES=${RATES:-"100000 300000 600000"} SECS=${SECS:-5} REPS=${REPS:-2}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
mkdir -p "$W"
[ -x "$W/pktblast" ] || cc -O2 -o "$W/pktblast" "$SH/pktblast.c" -lpcap
MIX=$W/mix1m.pcap
[ -f "$MIX" ] || python3 "$SH/gen_pcap.py" mix -o "$MIX"
export CS=$BUILD/capscope PKTBLAST=$W/pktblast MIX W SECS

one_run() { # MODE RATE -> "mode rate sent counted cpu_s"
	MODE=$1 RATE=$2 timeout 120 unshare -n bash -c '
	set -u
	sysctl -qw net.ipv6.conf.all.disable_ipv6=1 net.ipv6.conf.default.disable_ipv6=1
	ip link add pv0 type veth peer name pv1 && ip link set pv0 up && ip link set pv1 up
	S=bench-stats-$$
	if [ "$MODE" = stats ]; then
		"$CS" --stats -i pv1 --json udp >"$W/stats.json" 2>"$W/stats.err" & pid=$!
	else
		tmux -L $S -f /dev/null new-session -d -s t -x 120 -y 40 "XDG_STATE_HOME=$W/state $CS -i pv1"
		sleep 0.5; pid=$(pgrep -n -f "^$CS -i pv1")
	fi
	sleep 1.5
	"$PKTBLAST" pv0 "$MIX" $((RATE * SECS)) "$RATE" >"$W/send.out" 2>&1
	sleep 1.5
	cpu=$(awk -v t="$(getconf CLK_TCK)" "{print (\$14 + \$15) / t}" /proc/$pid/stat)
	sent=$(ip -s -j link show dev pv1 | python3 -c "import json,sys; print(json.load(sys.stdin)[0][\"stats64\"][\"rx\"][\"packets\"])")
	if [ "$MODE" = stats ]; then
		kill -INT $pid; wait $pid || true
		counted=$(python3 -c "import json,sys; print(sum(json.loads(l)[\"packets\"] for l in open(sys.argv[1])))" "$W/stats.json")
	else
		counted=$(tmux -L $S capture-pane -p -t t | grep -Eo "[0-9,]+/[0-9,]+ pkts" | tail -1 | sed "s#/.*##; s/,//g")
		tmux -L $S send-keys -t t q y # quit and discard: a hang-up would keep the capture
		sleep 1
		tmux -L $S kill-server
		rm -rf "$W/state"
	fi
	echo "$MODE $RATE $sent $counted $cpu"'
}

results=$W/stats-results.txt
: >"$results"
for r in $RATES; do
	for i in $(seq "$REPS"); do
		for mode in stats tui; do
			one_run $mode "$r" | tee -a "$results"
		done
	done
done
python3 - "$results" <<'PY'
import sys, statistics as st
rows = [l.split() for l in open(sys.argv[1]) if l.strip()]
by = {}
for mode, rate, sent, counted, cpu in rows:
    by.setdefault((int(rate), mode), []).append((int(sent), int(counted or 0), float(cpu)))
print("\n| rate (pps) | mode | sent | counted (median) | lost | CPU s | CPU s per million packets |")
print("|---|---|---|---|---|---|---|")
ratio = {}
for (rate, mode), v in sorted(by.items()):
    sent = st.median(x[0] for x in v); cnt = st.median(x[1] for x in v); cpu = st.median(x[2] for x in v)
    per = cpu / max(sent, 1) * 1e6
    ratio.setdefault(rate, {})[mode] = per
    print(f"| {rate} | {mode} | {sent:.0f} | {cnt:.0f} | {sent - cnt:.0f} | {cpu:.2f} | {per:.3f} |")
for rate, d in sorted(ratio.items()):
    if len(d) == 2:
        print(f"\n{rate} pps: statistics mode CPU / full capture with the TUI = {d['stats'] / d['tui']:.2f}")
PY
