#!/usr/bin/env bash
# test_replay.sh - capscope --replay and --send on one end of a veth pair in a private network
# namespace, tcpdump on the other: every packet arrives byte for byte and in order, as recorded
# (timing kept), --topspeed, --pps, --mbps and --loop; Ctrl-C stops with a report whose count
# matches what arrived; a link-type mismatch needs --force; --send --count-each repeats.
#
# Hermetic: re-executes itself under `unshare -n` (a namespace holding only lo), refuses to go
# on if any other interface is visible, then creates veth cs0/cs1.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 400 -n tcpdump python3

# ---------------------------------------------------------------- inside the private netns
source "$SRCDIR/tests/lib/check.sh"
td_pid=
cleanup() {
	[[ -n "$td_pid" ]] && kill "$td_pid" 2>/dev/null
	true
}
trap cleanup EXIT

netns_veth

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
W=$WORKDIR
gen() { timeout 60 python3 "$SRCDIR/tests/gen/mkpcap.py" "$@"; }
gen mixed 10000 -o "$W/m10k.pcap"       # 10,000 packets, 500 us apart: 5 s as recorded
gen mixed 4000 -o "$W/m4k.pcap"         # 2 s as recorded (sane timing under ASan)
gen raw -o "$W/raw.pcap"                # LINKTYPE_RAW: not the veth's Ethernet
gen udp4 -o "$W/udp4.pcap"
ifindex=$(timeout 5 ip -o link show dev cs1 | cut -d: -f1)

# tcpdump on cs1 into $W/out.pcap (nanosecond stamps, big buffer), ending by itself after
# $1 packets when given; returns when it is bound.
rx_start() {
	rm -f "$W/out.pcap"
	timeout 120 tcpdump -i cs1 -nn -B 131072 --time-stamp-precision=nano ${1:+-c "$1"} \
		-w "$W/out.pcap" 2>"$W/tcpdump.err" &
	td_pid=$!
	for _ in $(seq 50); do
		awk -v ifi="$ifindex" 'NR > 1 && $5 == ifi {f = 1} END {exit !f}' /proc/net/packet && break
		sleep 0.1
	done
	sleep 0.3
}
# Waits up to 15 s for a counting tcpdump to end by itself (else, or without a count, after
# its last block is delivered: TPACKET_V3 blocks retire within 1 s), then stops it.
rx_stop() {
	if [[ "${1:-}" == counted ]]; then
		timeout 15 tail --pid="$td_pid" -f /dev/null
	else
		sleep 1.5
	fi
	kill -INT "$td_pid" 2>/dev/null
	wait "$td_pid" 2>/dev/null
	td_pid=
}
# compare ORIG REPEAT [MODE]: out.pcap holds ORIG's frames REPEAT times over, in order.
# MODE "each" repeats every packet REPEAT times in place instead; "timing" also prints the gap
# errors and checks that packets keep the file's time line (median offset within 10 ms, the
# whole span within 200 ms: generous, for ASan on a loaded machine).
compare() {
	timeout 120 python3 - "$SRCDIR/tests/gen" "$W/$1" "$W/out.pcap" "$2" "${3:-}" <<'PY'
import statistics, sys
sys.path.insert(0, sys.argv[1])
import mkpcap
orig = list(mkpcap.read_pcap(sys.argv[2]))
got = list(mkpcap.read_pcap(sys.argv[3]))
rep, mode = int(sys.argv[4]), sys.argv[5]
frames = [r[4] for r in orig]
want = [f for f in frames for _ in range(rep)] if mode == 'each' else frames * rep
data = [r[4] for r in got]
if len(data) != len(want):
    print('count: want %d, got %d' % (len(want), len(data))); sys.exit(1)
for i, (a, b) in enumerate(zip(want, data)):
    if a != b:
        print('packet #%d differs (or is out of order)' % (i + 1)); sys.exit(1)
if mode == 'timing':
    o = [r[0] * 10**9 + r[1] * 1000 for r in orig]  # the file is in microseconds
    g = [r[0] * 10**9 + r[1] for r in got]          # the capture in nanoseconds
    err = sorted(abs((g[i + 1] - g[i]) - (o[i + 1] - o[i])) / 1e3 for i in range(len(o) - 1))
    span = ((g[-1] - g[0]) - (o[-1] - o[0])) / 1e6
    # each packet's offset from its place on the file's time line: the median is robust to
    # a few late packets (a loaded machine), not to a schedule that drifts or runs slow
    off = statistics.median(((g[i] - g[0]) - (o[i] - o[0])) / 1e6 for i in range(len(o)))
    print('gap |error| median %.1f us, p99 %.1f us; median offset %+.2f ms, span error %+.2f ms' %
          (statistics.median(err), err[int(0.99 * (len(err) - 1))], off, span))
    if abs(off) > 10 or abs(span) > 200:
        print('the replay does not keep the file\'s time line'); sys.exit(1)
print('%d packets identical and in order' % len(data))
PY
}
# The timed case runs at a real-time priority where chrt allows it: on a loaded machine a
# normal process waits tens of ms for a CPU, and that, not the schedule, would be measured.
prio=()
timeout 5 chrt -f 10 true 2>/dev/null && prio=(chrt -f 10)
count() { timeout 30 tcpdump -nn -r "$W/$1" 2>/dev/null | wc -l; }
run_replay() { # NAME ORIG REPEAT MODE -- capscope args...
	local name=$1 orig=$2 rep=$3 mode=$4 rc=0 pre=()
	shift 5
	[[ "$mode" == timing ]] && pre=("${prio[@]}")
	rx_start $(($(count "$orig") * rep))
	"${pre[@]}" timeout -k 5 120 "$CAPSCOPE" --replay "$W/$orig" -i cs0 "$@" 2>"$W/replay.err" || rc=$?
	rx_stop counted
	if grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$W/replay.err"; then
		cat "$W/replay.err"
		bad "$name: sanitizer report"
	elif ((rc != 0)); then
		cat "$W/replay.err"
		bad "$name: capscope exited with $rc"
	elif ! grep -qE '^Packets: [0-9]+ sent of [0-9]+, 0 failed' "$W/replay.err"; then
		cat "$W/replay.err"
		bad "$name: no final report with 0 failures"
	elif compare "$orig" "$rep" "$mode"; then
		ok "$name"
	else
		bad "$name: tcpdump on cs1 did not receive the file as sent"
	fi
}

run_replay "as recorded (4000 packets over 2 s)" m4k.pcap 1 timing --
run_replay "--topspeed (10,000 packets)" m10k.pcap 1 "" -- --topspeed
run_replay "--pps 5000 (10,000 packets)" m10k.pcap 1 "" -- --pps 5000
run_replay "--loop 3 (30,000 packets)" m10k.pcap 3 "" -- --loop 3 --multiplier 2.5
run_replay "--mbps 100" m10k.pcap 1 "" -- --mbps 100

# The report: elapsed time, packets, bytes, rates; the bytes are the file's packet bytes.
bytes=$(python3 -c "import sys; sys.path.insert(0, '$SRCDIR/tests/gen'); import mkpcap; print(sum(len(r[4]) for r in mkpcap.read_pcap('$W/m10k.pcap')))")
if grep -q '^Elapsed time: ' "$W/replay.err" && grep -q "^Bytes: $bytes\$" "$W/replay.err" &&
	grep -qE '^Rate: [0-9.]+ packets/s, [0-9.]+ Mbit/s' "$W/replay.err"; then
	ok "final report: elapsed, packets, bytes ($bytes), packets/s and Mbit/s"
else
	cat "$W/replay.err"
	bad "final report incomplete"
fi

# Ctrl-C in the middle: a clean stop, a report, and the count it gives is what arrived.
rx_start
timeout -k 5 60 "$CAPSCOPE" --replay "$W/m10k.pcap" -i cs0 2>"$W/replay.err" &
rp=$!
sleep 2
kill -INT $rp
rc=0
wait $rp || rc=$?
rx_stop
sent=$(sed -nE 's/^Packets: ([0-9]+) sent of.*/\1/p' "$W/replay.err")
got=$(timeout 30 tcpdump -nn -r "$W/out.pcap" 2>/dev/null | wc -l)
if ((rc == 0)) && grep -q 'stopped replaying' "$W/replay.err" && grep -q 'packets (' "$W/replay.err" &&
	[[ -n "$sent" ]] && ((sent == got && sent > 1000 && sent < 10000)); then
	ok "Ctrl-C stops cleanly: $sent sent and reported, $got received; progress was shown"
else
	cat "$W/replay.err"
	bad "Ctrl-C: exit $rc, reported '${sent:-none}' sent, $got received"
fi

# A link type other than the adapter's: exit 2 with the reason; --force sends anyway.
rc=0
timeout -k 5 30 "$CAPSCOPE" --replay "$W/raw.pcap" -i cs0 2>"$W/replay.err" || rc=$?
if ((rc == 2)) && grep -q 'RAW' "$W/replay.err" && grep -q -- '--force' "$W/replay.err"; then
	ok "link type mismatch refused (exit 2)"
else
	cat "$W/replay.err"
	bad "link type mismatch: exit $rc"
fi
rc=0
timeout -k 5 30 "$CAPSCOPE" --replay "$W/raw.pcap" -i cs0 --force --topspeed 2>"$W/replay.err" || rc=$?
if ((rc == 0)) && grep -q 'warning' "$W/replay.err"; then
	ok "--force replays despite the mismatch, with a warning"
else
	cat "$W/replay.err"
	bad "--force: exit $rc"
fi

# --send FILE --count-each 3: each packet three times, in place.
rx_start $(($(count udp4.pcap) * 3))
rc=0
timeout -k 5 30 "$CAPSCOPE" --send "$W/udp4.pcap" -i cs0 --count-each 3 2>"$W/send.err" || rc=$?
rx_stop counted
if ((rc == 0)) && compare udp4.pcap 3 each; then
	ok "--send --count-each 3"
else
	cat "$W/send.err"
	bad "--send --count-each 3 (exit $rc)"
fi

check_summary
