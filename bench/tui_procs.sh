#!/usr/bin/env bash
# Process attribution's cost in the monitor (issue 13), same run, hermetic: in a private
# network namespace (veth pv0 -> pv1) the harness's paced sender (pktblast) sends RATE
# packets/s for SECS seconds of the 1M mix while the TUI (`capscope -i pv1` in a tmux pane,
# list following) captures, with attribution on (the default) and off (--no-processes),
# alternating, REPS times. Reports per run: packets sent, taken in (the status bar's total),
# kernel and ring drops, the monitor's CPU seconds (utime + stime from /proc, read after the
# last packet was taken in) and CPU per packet; then the on/off ratio of the medians.
# The mix's addresses are nobody's sockets here: every new flow is a miss the engine has to
# look up (bounded by its rate limit), the expensive case for the per-packet path.
#   sudo bench/tui_procs.sh [BUILD_DIR]     env: RATE=100000 SECS=5 REPS=3
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
SH=$ROOT/../shared/bench
W=$HERE/work
RATE=${RATE:-100000} SECS=${SECS:-5} REPS=${REPS:-3}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespace)" >&2; exit 1; }
mkdir -p "$W"
[ -x "$W/pktblast" ] || cc -O2 -o "$W/pktblast" "$SH/pktblast.c" -lpcap
[ -f "$W/mix1m.pcap" ] || python3 "$SH/gen_pcap.py" mix -o "$W/mix1m.pcap"
export CS=$BUILD/capscope W RATE SECS N=$((RATE * SECS))
results=$W/tui-procs-$RATE.tsv
: >"$results"
run_one() { # mode (on|off) -> a row: mode sent taken kdrop rdrop cpu_s
	MODE=$1 timeout 120 unshare -n bash -c '
		set -e
		ip link add pv0 type veth peer name pv1; ip link set pv0 up; ip link set pv1 up
		sysctl -qw net.ipv6.conf.all.disable_ipv6=1
		S=tp$$ opt=
		[ "$MODE" = off ] && opt=--no-processes
		tmux -L $S -f /dev/null new-session -d -x 120 -y 40 \
			"TMPDIR=$W XDG_STATE_HOME=$W/state $CS -i pv1 $opt; sleep 60"
		sleep 1.5
		pid=$(pgrep -P "$(tmux -L $S display -p "#{pane_pid}")" -x capscope)
		sent=$($W/pktblast pv0 $W/mix1m.pcap $N $RATE 2>&1 | grep -Eo "[0-9]+ packets" |
			grep -Eo "[0-9]+" | head -1)
		sleep 3
		screen=$(tmux -L $S capture-pane -p)
		cpu=$(awk "{print (\$14 + \$15) / $(getconf CLK_TCK)}" /proc/$pid/stat)
		taken=$(grep -Eo "[0-9,]+/[0-9,]+ pkts" <<<"$screen" | tail -1 | cut -d/ -f2 | tr -d ", pkts")
		kd=$(grep -Eo "kdrop [0-9,]+" <<<"$screen" | tail -1 | tr -dc 0-9)
		rd=$(grep -Eo "rdrop [0-9,]+" <<<"$screen" | tail -1 | tr -dc 0-9)
		tmux -L $S send-keys q y
		sleep 1
		tmux -L $S kill-server
		rm -rf $W/state
		printf "%s\t%s\t%s\t%s\t%s\t%s\n" "$MODE" "$sent" "$taken" "$kd" "$rd" "$cpu"
	'
}
for i in $(seq "$REPS"); do
	for mode in on off; do
		run_one $mode | tee -a "$results"
	done
done
awk -F'\t' -v rate="$RATE" '
	{ n[$1]++; cpp[$1, n[$1]] = $6 / ($3 ? $3 : 1) * 1e9; lost[$1] += $2 - $3 }
	function median(m,   i, j, k, t, v) {
		for (i = 1; i <= n[m]; i++) v[i] = cpp[m, i]
		for (i = 1; i <= n[m]; i++) for (j = i + 1; j <= n[m]; j++)
			if (v[j] < v[i]) { t = v[i]; v[i] = v[j]; v[j] = t }
		k = int((n[m] + 1) / 2); return v[k]
	}
	END {
		on = median("on"); off = median("off")
		printf "rate %d pps: CPU per packet taken in, median of %d: on %.0f ns, off %.0f ns, ratio %.3f; lost packets (all runs): on %d, off %d\n", rate, n["on"], on, off, off ? on / off : 0, lost["on"], lost["off"]
	}' "$results"
