#!/usr/bin/env bash
# The monitor on a 1,000,000-packet TCP capture (bench/work/tcp1m.pcap, bench/gen_tcpflows.py:
# 2000 concurrent flows, 1% loss): time to index the file, then to mark every packet's stream
# and analysis flags (the pass behind the store), resident memory then, and the time from e on a packet to its follow view on screen (the stream's
# packets read back by its chain, not the file), for a stream early, in the middle and late
# in the file. Issue 11: under 0.3 s; RSS within the issue-3 bound plus the stream table's.
#   bench/tui_follow.sh [BUILD_DIR]
# A private tmux server at 160x45, the screen sampled every 10 ms. Needs tmux, python3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
F=$W/tcp1m.pcap
[ -f "$F" ] || python3 "$HERE/gen_tcpflows.py" -o "$F"
cat "$F" >/dev/null
S=bench-follow-$$
trap 'tmux -L $S kill-server 2>/dev/null || true' EXIT
T0=$(now)
tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 "$CS -r $F"
indexed=$(wait_for '1,000,000/1,000,000 pkts' 120)
marked=$(wait_for '1,000,000/1,000,000 pkts  TCP' 120) # the pass done: its counts, no "streams N%"
pid=$(pgrep -n -f "$CS -r $F")
rss=$(awk '/VmRSS/ {printf "%.1f", $2 / 1024}' "/proc/$pid/status")
echo "indexed: ${indexed} s; stream marks done: ${marked} s; RSS then: ${rss} MiB"
for n in 1000 500000 999000; do
	tmux -L $S send-keys -t t :
	wait_for 'go to packet' 5 >/dev/null
	tmux -L $S send-keys -t t "$n" Enter
	wait_for "Decode - packet $n " 5 >/dev/null
	T0=$(now)
	tmux -L $S send-keys -t t e
	t=$(wait_for '^─ Follow TCP stream [0-9]+: ' 10)
	what=$(screen | sed -n 's/^─ \(Follow TCP stream [0-9]*\):.*/\1/p')
	pk=$(screen | grep -Eo '─ [0-9]+ packets' | grep -Eo '[0-9]+')
	echo "packet $n: $what ($pk packets) on screen after ${t} s"
	tmux -L $S send-keys -t t q
	sleep 0.3
done
