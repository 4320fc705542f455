#!/usr/bin/env bash
# test_multi_capture.sh - several sources at once (-i cs1 -i cs3), hermetic: two veth pairs in
# a private network namespace, tcpreplay sending on cs0 and cs2 at once, tcpdump on cs1 and
# cs3 beside capscope as the reference.
#   1. -w x.pcapng --print -tt: the pcapng holds two interfaces (cs1, cs3) and exactly the
#      packets of mergecap's merge of the two tcpdump captures, same interface, timestamp and
#      bytes, in the same order (timestamp order); tshark reads it back with
#      frame.interface_id / frame.interface_name; --print's lines show each packet's time and
#      Interface column in that order; an Interface Statistics Block per interface (N
#      received each); stderr has tcpdump's lines per source and in total.
#   2. -w y.pcap: one pcap per source (y-cs1.pcap, y-cs3.pcap), each equal to tcpdump's.
#   3. A source failing (cs3 deleted while capturing): the message names it, the capture of
#      cs1 goes on (packets sent after the deletion are printed), the end says cs3 failed.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -euo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${MULTI_PACKETS:-400}

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tcpdump tshark mergecap python3

# ---------------------------------------------------------------- inside the private netns
fail() {
	echo "FAIL: $*"
	exit 1
}
pids=()
cleanup() {
	for p in "${pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
}
trap cleanup EXIT

netns_veth
netns_veth2
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=halt_on_error=1:print_stacktrace=1
W=$WORKDIR
rm -f "$W"/*.pcap "$W"/*.pcapng "$W"/*.txt "$W"/*.err
check=("python3" "$SRCDIR/tests/net/multi_check.py")
timeout 30 python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$W/gen.pcap"

# Waits (20 s at most: a sanitizer build attaching process attribution's eBPF is slow to
# start) until `want` packet sockets are bound to the interface.
wait_bound() {
	local dev=$1 want=$2 ifi
	ifi=$(timeout 5 ip -o link show dev "$dev" | cut -d: -f1)
	for _ in $(seq 200); do
		(($(awk -v ifi="$ifi" 'NR > 1 && $5 == ifi {n++} END {print n + 0}' /proc/net/packet) >= want)) &&
			return 0
		sleep 0.1
	done
	fail "fewer than $want captures bound to $dev within 20 s"
}

no_sanitizer_report() {
	! grep -qE 'ERROR: (Address|Leak)Sanitizer|runtime error:' "$1" || { cat "$1"; fail "sanitizer report ($1)"; }
}

# ---- 1 and 2: the merged capture, pcapng and a pcap per source, against tcpdump
timeout 40 tcpdump -i cs1 -B 16384 --immediate-mode -c "$N" -w "$W/a.pcap" 2>"$W/td_a.err" &
pids+=($!)
timeout 40 tcpdump -i cs3 -B 16384 --immediate-mode -c "$N" -w "$W/b.pcap" 2>"$W/td_b.err" &
pids+=($!)
timeout 40 "$CAPSCOPE" -i cs1 -i cs3 -c $((2 * N)) -w "$W/x.pcapng" --print -tt >"$W/print.txt" 2>"$W/x.err" &
pids+=($!)
xpid=$!
timeout 40 "$CAPSCOPE" -i cs1 -i cs3 -c $((2 * N)) -w "$W/y.pcap" 2>"$W/y.err" &
pids+=($!)
ypid=$!
wait_bound cs1 3
wait_bound cs3 3
sleep 0.5
timeout 30 tcpreplay -q -i cs0 --pps 1000 "$W/gen.pcap" >"$W/replay_a.log" 2>&1 &
ra=$!
timeout 30 tcpreplay -q -i cs2 --pps 1000 "$W/gen.pcap" >"$W/replay_b.log" 2>&1 || fail "tcpreplay on cs2 failed"
wait "$ra" || fail "tcpreplay on cs0 failed"
for p in "${pids[@]}"; do
	rc=0
	wait "$p" || rc=$?
	((rc == 0)) || { cat "$W"/*.err; fail "a capture (pid $p) exited with $rc"; }
done
pids=()
no_sanitizer_report "$W/x.err"
no_sanitizer_report "$W/y.err"
echo "capscope -w x.pcapng --print stderr:"
sed 's/^/    /' "$W/x.err"

timeout 30 mergecap -I none -w "$W/m.pcapng" "$W/a.pcap" "$W/b.pcap" || fail "mergecap failed"
"${check[@]}" merged "$W/x.pcapng" "$W/m.pcapng" cs1 cs3 || fail "the merged pcapng differs from mergecap's"
tshark -n -r "$W/x.pcapng" -T fields -e frame.interface_id -e frame.interface_name 2>/dev/null |
	sort | uniq -c | awk '{print $2, $3, $1}' >"$W/tshark_if.txt"
printf '0 cs1 %d\n1 cs3 %d\n' "$N" "$N" | diff - "$W/tshark_if.txt" ||
	fail "tshark reads other interfaces from x.pcapng (above)"
echo "tshark: x.pcapng has interfaces 0 cs1 and 1 cs3 with $N packets each"
"${check[@]}" isb "$W/x.pcapng" "$N" || fail "x.pcapng's statistics blocks"
"${check[@]}" print "$W/print.txt" "$W/x.pcapng" cs1 cs3 || fail "--print's Interface column"
# -T fields as tshark names them, against tshark on the same file
"$CAPSCOPE" -r "$W/x.pcapng" -T fields -e frame.interface_id >"$W/ours_id.txt" 2>/dev/null || true
tshark -n -r "$W/x.pcapng" -T fields -e frame.interface_id >"$W/tshark_id.txt" 2>/dev/null
cmp -s "$W/ours_id.txt" "$W/tshark_id.txt" ||
	fail "capscope -r x.pcapng -T fields -e frame.interface_id differs from tshark's"
echo "capscope -r x.pcapng -T fields -e frame.interface_id: as tshark's"
for dev in cs1 cs3; do
	grep -qE "^$dev: $N packets captured$" "$W/x.err" || fail "no '$dev: $N packets captured' on stderr"
	grep -qE "^$dev: [0-9]+ packets dropped by kernel$" "$W/x.err" || fail "no '$dev: ... dropped by kernel'"
done
grep -qE "^$((2 * N)) packets captured$" "$W/x.err" || fail "no total '$((2 * N)) packets captured'"
"${check[@]}" same "$W/y-cs1.pcap" "$W/a.pcap" || fail "y-cs1.pcap differs from tcpdump's capture of cs1"
"${check[@]}" same "$W/y-cs3.pcap" "$W/b.pcap" || fail "y-cs3.pcap differs from tcpdump's capture of cs3"

# ---- 3: one source fails, the other goes on
timeout 40 "$CAPSCOPE" -i cs1 -i cs3 --print -tt >"$W/fail.txt" 2>"$W/fail.err" &
pids+=($!)
fpid=$!
wait_bound cs1 1
wait_bound cs3 1
sleep 0.5
timeout 30 tcpreplay -q -i cs0 --pps 2000 -L 50 "$W/gen.pcap" >/dev/null 2>&1 || fail "tcpreplay (before) failed"
timeout 5 ip link del cs2 || fail "cannot delete cs2/cs3"
for _ in $(seq 50); do
	grep -q "cs3 failed" "$W/fail.err" && break
	sleep 0.1
done
grep -q "capscope: cs3 failed: .*(the other sources go on)" "$W/fail.err" ||
	{ cat "$W/fail.err"; fail "no message that cs3 failed while cs1 goes on"; }
timeout 30 tcpreplay -q -i cs0 --pps 2000 -L 70 "$W/gen.pcap" >/dev/null 2>&1 || fail "tcpreplay (after) failed"
sleep 1
kill -INT "$fpid"
rc=0
wait "$fpid" || rc=$?
pids=()
no_sanitizer_report "$W/fail.err"
echo "capscope with cs3 deleted: exit $rc; stderr:"
sed 's/^/    /' "$W/fail.err"
((rc == 1)) || fail "exit $rc with a failed source, want 1"
n_cs1=$(awk '$2 == "cs1"' "$W/fail.txt" | wc -l)
((n_cs1 == 120)) || fail "$n_cs1 packets printed on cs1, want 120 (50 before cs3 went, 70 after)"
grep -q "^cs3: failed$" "$W/fail.err" || fail "the end does not say cs3 failed"
grep -q "^cs1: ended$" "$W/fail.err" || fail "the end does not say cs1 ended"
echo "pass: two sources merged as mergecap merges tcpdump's, pcapng and a pcap per source; a failing source leaves the other running"
