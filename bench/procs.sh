#!/usr/bin/env bash
# Process attribution benchmark (issue 13), hermetic: a private network namespace whose veth
# pv0 has its peer pv1 in a second namespace (198.18.0.1 -> 198.18.0.2, a sink there).
# Senders on our side (bench/procflood.c) count the bytes they hand to their sockets.
#   sudo bench/procs.sh [BUILD_DIR]    env: PART="cpu totals" RATES="100000 500000" SECS=6 REPS=2
# cpu:    the monitor (TUI, tmux) capturing pv0 while 4 UDP flows of one process send RATE
#         packets/s: capscope's CPU seconds (utime+stime of its process) per captured packet,
#         attribution on (default) and off (--no-processes), alternating in one run; packets
#         captured (status bar) against packets the sender's sockets took.
# totals: three UDP senders at different rates, one TCP sender, and two processes making 200
#         short-lived connections each (TCP, and UDP sockets: ~5 ms each), at once; per-process
#         payload bytes as the senders counted them against those capscope attributed to
#         each (headless -T fields: process.pid, direction out, udp.length - 8 or tcp.len);
#         nethogs counts whole frames (nethogs -C -t -v 2; -C: UDP too), so its "sent" total
#         is set against the frames of that process's flows in the capture (frame.len).
set -euo pipefail
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/.." && pwd)
BUILD=${1:-$ROOT/build}
W=$HERE/work
PART=${PART:-cpu totals} RATES=${RATES:-100000 500000} SECS=${SECS:-6} REPS=${REPS:-2}
[ "$(id -u)" = 0 ] || { echo "needs root (network namespaces)" >&2; exit 1; }
mkdir -p "$W"
cc -O2 -Wall -o "$W/procflood" "$HERE/procflood.c"
export CS=$BUILD/capscope PF=$W/procflood W PART RATES SECS REPS HERE

exec timeout 900 unshare -n bash -c '
set -euo pipefail
source "$HERE/two_ns.sh"
two_ns_up 900
nsenter -t $peer -n "$PF" sink 9000 880 & sinkpid=$!
trap "kill $sinkpid $peer \${cs:-} \${nh:-} 2>/dev/null || true" EXIT
sleep 0.5

cpu_of() { awk "{print \$14 + \$15}" /proc/$1/stat; } # clock ticks
tui_run() { # RATE MODE -> one result line
	local rate=$1 mode=$2 S=pb$$ args= pid t0 t1 got sent
	[ "$mode" = off ] && args=--no-processes
	tmux -L $S -f /dev/null new-session -d -x 160 -y 40 "exec $CS $args -i pv0"
	sleep 2
	pid=$(tmux -L $S display -p "#{pane_pid}")
	t0=$(cpu_of $pid)
	sent=$("$PF" udp 198.18.0.2 9000 4 $rate $SECS 200 | sed -n "s/.* sent=\([0-9]*\).*/\1/p")
	sleep 2
	t1=$(cpu_of $pid)
	got=$(tmux -L $S capture-pane -p | grep -Eo "[0-9,]+/[0-9,]+ pkts" | tail -1 | cut -d/ -f2 | tr -d ", pkts")
	drops=$(tmux -L $S capture-pane -p | grep -Eo "kdrop [0-9,]+  rdrop [0-9,]+" | tail -1)
	note=$(tmux -L $S capture-pane -p | grep -Eo "processes: [^|]*" | head -1 || true)
	tmux -L $S send-keys q y; sleep 1; tmux -L $S kill-server 2>/dev/null || true
	python3 -c "
t=($t1-$t0)/$(getconf CLK_TCK); g=int(\"${got:-0}\" or 0)
print(f\"rate=$rate attribution=$mode sent=$sent captured={g} cpu_s={t:.2f} cpu_us_per_pkt={t/max(g,1)*1e6:.3f} ($drops) $note\")"
}

if [[ " $PART " == *" cpu "* ]]; then
	for rate in $RATES; do
		for i in $(seq $REPS); do
			tui_run $rate on
			tui_run $rate off
		done
	done | tee $W/procs-cpu.txt
	python3 - $W/procs-cpu.txt <<"PY"
import re, statistics, sys, collections
v = collections.defaultdict(list)
for line in open(sys.argv[1]):
    m = re.search(r"rate=(\d+) attribution=(\w+) .*cpu_us_per_pkt=([\d.]+)", line)
    if m:
        v[(int(m.group(1)), m.group(2))].append(float(m.group(3)))
for rate in sorted({r for r, _ in v}):
    on, off = statistics.median(v[(rate, "on")]), statistics.median(v[(rate, "off")])
    n = len(v[(rate, "on")])
    print(f"rate {rate}: CPU per captured packet, median of {n}: on {on:.3f} us, off {off:.3f} us, ratio {on / off:.3f}")
PY
fi

if [[ " $PART " == *" totals "* ]]; then
	$CS -i pv0 -T fields -e process.pid -e process.direction -e udp.length -e tcp.len -e frame.len \
		> $W/procs-fields.txt 2> $W/procs-cs.err & cs=$!
	nethogs -C -t -v 2 -d 1 pv0 > $W/procs-nethogs.txt 2>/dev/null & nh=$!
	sleep 2
	"$PF" udp 198.18.0.2 9000 1 2000 $SECS 300 > $W/procs-s1.txt & s1=$!
	"$PF" udp 198.18.0.2 9000 2 5000 $SECS 700 > $W/procs-s2.txt & s2=$!
	"$PF" udp 198.18.0.2 9000 1 500 $SECS 1200 > $W/procs-s3.txt & s3=$!
	"$PF" tcp 198.18.0.2 9000 1 1000 $SECS 1000 > $W/procs-s4.txt & s4=$!
	"$PF" short tcp 198.18.0.2 9000 200 500 > $W/procs-s5.txt & s5=$!
	"$PF" short udp 198.18.0.2 9000 200 100 > $W/procs-s6.txt & s6=$!
	wait $s1 $s2 $s3 $s4 $s5 $s6
	sleep 3
	kill -INT $cs $nh; wait $cs $nh 2>/dev/null || true
	python3 - "$W" <<"PY"
import re, sys, collections
w = sys.argv[1]
cs = collections.Counter(); wire = collections.Counter()
for line in open(f"{w}/procs-fields.txt"):
    f = line.rstrip("\n").split("\t")
    if len(f) < 5 or not f[0] or f[1] != "out":
        continue
    pid = int(f[0]); ul, tl = f[2], f[3]
    cs[pid] += (int(ul) - 8) if ul else int(tl or 0)
    wire[pid] += int(f[4])  # the frames it sent, as captured
# nethogs -t: blocks "Refreshing:" then "name/pid/uid\tsent\treceived" (totals so far, with -v 2)
nh = {}
for line in open(f"{w}/procs-nethogs.txt"):
    m = re.match(r"^(.*)/(\d+)/\d+\t([\d.e+]+)\t([\d.e+]+)$", line.strip())
    if m:
        pid = int(m.group(2))  # totals grow; an exited process drops out of later blocks
        nh[pid] = max(nh.get(pid, 0.0), float(m.group(3)))
print("process  sent(payload B)  capscope(payload B)  err   captured frames(B)  nethogs(frame B)  err")
for n in range(1, 7):
    t = open(f"{w}/procs-s{n}.txt").read()
    pid, _, pk, by = map(int, re.findall(r"=(\d+)", t)[:4])
    kind = ["udp", "udp", "udp", "tcp", "tcp, 200 x 5 ms", "udp, 200 x 5 ms"][n - 1]
    c = cs.get(pid, 0)
    e = (c - by) / by * 100 if by else 0
    nv = nh.get(pid)
    ref = wire.get(pid, 0)
    ne = ("%+.2f%%" % ((nv - ref) / ref * 100)) if nv is not None and ref else "not shown"
    nvs = "%d" % nv if nv is not None else "-"
    print(f"{kind} pid {pid}: {by} {c} {e:+.2f}%  {ref} {nvs} {ne}")
PY
	cat $W/procs-cs.err | head -3
fi
'
