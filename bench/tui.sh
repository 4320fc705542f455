#!/usr/bin/env bash
# TUI benchmark: opening a 1,000,000-packet capture in the full-screen interface, against
# termshark opening the same file, in the same run. Both run in a private tmux server; the
# screen is sampled every 10 ms.
#   bench/tui.sh [BUILD_DIR]        (needs tmux, termshark, python3, ../shared/bench/gen_pcap.py)
# Reports: time to the first screen of packets, time until the whole file is indexed, time for
# G to show the last packet, resident memory after indexing (and bytes per packet), for both.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
MIX=$W/mix1m.pcap
mkdir -p "$W"
[ -f "$MIX" ] || python3 "$ROOT/../shared/bench/gen_pcap.py" mix -o "$MIX"
cat "$MIX" >/dev/null
S=bench-tui-$$
trap 'tmux -L $S kill-server 2>/dev/null || true' EXIT
rss_mib() { awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$1/status"; }
pid_of() { pgrep -n -f "$1" || true; }

echo "## capscope"
T0=$(now)
tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 "$CS -r $MIX"
first=$(wait_for '^ +1 +0\.000000' 10)
indexed=$(wait_for '1,000,000/1,000,000 pkts' 120)
pid=$(pid_of "$CS -r $MIX")
rss=$(rss_mib "$pid")
T0=$(now)
tmux -L $S send-keys -t t G
last=$(wait_for '^ *1000000 ' 10)
tmux -L $S kill-server
echo "first screen: ${first} s; fully indexed: ${indexed} s; G to the last packet: ${last} s;" \
	"RSS after indexing: ${rss} MiB (target: under 32 bytes a packet plus 64 MiB = 94.5 MiB;" \
	"that is $(python3 -c "print(f'{$rss * 1048576 / 1e6:.1f}')") bytes a packet all told)"

if command -v termshark >/dev/null; then
	echo "## termshark $(termshark -v 2>/dev/null | head -1)"
	T0=$(now)
	tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 "termshark -r $MIX"
	tfirst=$(wait_for '198\.1[89]\.' 300)
	tpid=$(pid_of "tshark")
	trss=$( [ -n "$tpid" ] && rss_mib "$tpid" || echo "?")
	tui=$(pid_of "termshark -r")
	turss=$( [ -n "$tui" ] && rss_mib "$tui" || echo "?")
	echo "first screen: ${tfirst} s; RSS at that moment: termshark ${turss} MiB + its tshark ${trss} MiB"
	tmux -L $S kill-server
fi
