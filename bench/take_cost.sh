#!/usr/bin/env bash
# take_cost.sh - the monitor's per-packet cost of taking packets in (model_pump: the spill
# file write, the store's index, the list's rows, the ring's drops), in instructions counted
# by callgrind, not wall time (the machine is shared): the TUI reads the bench generator's UDP
# size mix from a stream (`capscope -r -`, which spills, as a live capture does) under a
# small --spill-max, so its ring wraps several times, in a private tmux server; callgrind
# collects only inside model_pump (--toggle-collect). Prints Ir in model_pump, the packets
# taken and Ir a packet. Run it for two builds to compare them. Not in CI.
#   bench/take_cost.sh BUILD_DIR [PACKETS]   env: SPILL_MAX=16M
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
BUILD=${1:?usage: take_cost.sh BUILD_DIR [PACKETS]}
N=${2:-200000}
SPILL_MAX=${SPILL_MAX:-16M}
W=$HERE/work
CS=$BUILD/capscope
[ -x "$CS" ] || { echo "build capscope first: $CS" >&2; exit 1; }
for t in tmux valgrind callgrind_annotate python3; do
	command -v $t >/dev/null || { echo "$t is missing" >&2; exit 1; }
done
mkdir -p "$W"
IN=$W/take-mix-$N.pcap
[ -f "$IN" ] || python3 "$HERE/../../shared/bench/gen_pcap.py" mix -n "$N" -o "$IN"
OUT=$W/take-cost.$$.callgrind
S=takecost$$
trap 'tmux -L $S kill-server 2>/dev/null; rm -rf "$W/take-tmp.$$"' EXIT
mkdir -p "$W/take-tmp.$$"
tmux -L $S -f /dev/null new-session -d -s t -x 160 -y 45 \
	"TMPDIR=$W/take-tmp.$$ XDG_STATE_HOME=$W/take-tmp.$$ valgrind -q --tool=callgrind \
	--callgrind-out-file=$OUT --toggle-collect=model_pump $CS -r - --spill-max $SPILL_MAX <$IN; \
	sleep 600"
want=$(python3 -c "print(f'{$N:,}')")
for ((i = 0; i < 600; i++)); do # at most 10 minutes
	sleep 1
	tmux -L $S capture-pane -p -t t | grep -Eq "/$want pkts" && break
done
sleep 2
tmux -L $S send-keys -t t q
sleep 1
tmux -L $S send-keys -t t y
for ((i = 0; i < 60; i++)); do # callgrind writes its file at exit
	sleep 1
	[ -s "$OUT" ] && ! pgrep -f "callgrind-out-file=$OUT" >/dev/null && break
done
ir=$(callgrind_annotate "$OUT" 2>/dev/null | awk '/PROGRAM TOTALS/ {gsub(",", "", $1); print $1}')
echo "$(basename "$CS") in $BUILD: model_pump Ir ${ir:-?} for $N packets," \
	"$(python3 -c "print(f'{${ir:-0} / $N:.1f}')") Ir a packet (spill-max $SPILL_MAX)"
rm -f "$OUT"
