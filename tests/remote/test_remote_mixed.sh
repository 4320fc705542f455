#!/usr/bin/env bash
# test_remote_mixed.sh - local and remote sources in one capture (-i cs3 -i ssh://far/cs1),
# hermetic: the far host of tests/lib/sshd.sh (sshd in a far namespace, its veth cs0 <-> cs1)
# and a local veth cs2 <-> cs3, tcpreplay sending on cs0 (far) and cs2 (here) at once, a
# tcpdump on cs1 (far) and cs3 (here) as the reference. Kept apart from
# test_remote_capture.sh so that each stays under a minute.
#   1. -c 2N -w x.pcapng --print -tt: the pcapng holds exactly the packets of mergecap's
#      merge of the two tcpdump captures, each once, in timestamp order (the remote ones come
#      late through ssh: the merge holds the local ones for them), interfaces cs3 and
#      ssh://far/cs1; tshark reads it back with those interface ids and names; --print's
#      Interface column names each packet's source, in the same order.
#   2. sshd and its session killed mid-run: the remote source's end is said at once
#      ("disconnected after N packets ... (the other sources go on)"), the local source goes on
#      (packets sent after it are printed), the end lines say which ended and which failed,
#      exit status 1.
# Exit: 0 pass, 1 fail, 77 skipped (not root, sshd or a tool missing, no namespaces).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
source "$SRCDIR/tests/lib/sshd.sh"
NETNS_SCRIPT=$0
remote_enter 90 tcpreplay tcpdump tshark mergecap

# ------------------------------------------------------------ inside the private namespaces
source "$SRCDIR/tests/lib/check.sh"
trap remote_teardown EXIT
remote_setup
netns_veth2
N=200
RNAME=ssh://far/cs1
far_tcpdump_host "$N"
multi=("python3" "$SRCDIR/tests/net/multi_check.py")


# replay_both PPS [tcpreplay options]: the capture on cs2 here and cs0 there at once.
replay_both() {
	far timeout 30 tcpreplay -q -i cs0 "$@" "$RDIR/send.pcap" >/dev/null 2>&1 &
	local r=$!
	timeout 30 tcpreplay -q -i cs2 "$@" "$RDIR/send.pcap" >/dev/null 2>&1
	wait "$r"
}

# ---------------------------------------------------------------- 1. merged, in order
# the references with a large kernel buffer (-B): under load they lost packets before
far timeout 40 tcpdump -i cs1 -B 16384 -U -c "$N" -w "$RDIR/far.pcap" 2>/dev/null &
fref=$!
timeout 40 tcpdump -i cs3 -B 16384 -U --immediate-mode -c "$N" -w "$RDIR/here.pcap" 2>/dev/null &
lref=$!
timeout 40 "$CAPSCOPE" -i cs3 -i "$RNAME" -c $((2 * N)) -w "$RDIR/x.pcapng" --print -tt \
	>"$RDIR/x.txt" 2>"$RDIR/x.err" &
cap=$!
if far_wait_sockets cs1 2 && local_wait_sockets cs3 2; then
	replay_both --pps 2000
else
	bad "the captures did not start within 10 s: $(cat "$RDIR/x.err")"
	kill "$cap" "$fref" "$lref" 2>/dev/null
fi
wait "$cap"
crc=$?
wait "$fref" "$lref"
sed 's/^/    /' "$RDIR/x.err"
check "mixed: exits 0 after $((2 * N)) packets (exit $crc)" test "$crc" = 0
check "mixed: no sanitizer report" no_sanitizer "$RDIR/x.err"
timeout 30 mergecap -I none -w "$RDIR/m.pcapng" "$RDIR/here.pcap" "$RDIR/far.pcap"
check "mixed: the pcapng holds mergecap's merge of the two tcpdumps, each packet once, in order" \
	"${multi[@]}" merged "$RDIR/x.pcapng" "$RDIR/m.pcapng" cs3 "$RNAME"
tshark -n -r "$RDIR/x.pcapng" -T fields -e frame.interface_id -e frame.interface_name 2>/dev/null |
	sort | uniq -c | awk '{print $2, $3, $1}' >"$RDIR/tshark_if.txt"
check "mixed: tshark reads interfaces 0 cs3 and 1 $RNAME, $N packets each" \
	diff <(printf '0 cs3 %d\n1 %s %d\n' "$N" "$RNAME" "$N") "$RDIR/tshark_if.txt"
check "mixed: --print's Interface column, packet by packet" \
	"${multi[@]}" print "$RDIR/x.txt" "$RDIR/x.pcapng" cs3 "$RNAME"
check "mixed: stderr counts each source's packets" \
	bash -c "grep -qx 'cs3: $N packets captured' '$RDIR/x.err' &&
	grep -qx '$RNAME: $N packets captured' '$RDIR/x.err'"

# ---------------------------------------------------------------- 2. the link drops
# the far tcpdump of part 1 may still be bound to cs1: wait for one more socket than now
before=$(far_sockets cs1)
"$CAPSCOPE" -i cs3 -i "$RNAME" --print -tt >"$RDIR/drop.txt" 2>"$RDIR/drop.err" &
cap=$!
far_wait_sockets cs1 $((before + 1)) && local_wait_sockets cs3 1 ||
	bad "drop: the capture did not start"
replay_both --pps 2000 -L 50
sleep 2 # the remote packets are through and merged
sessions=$(sshd_sessions)
sshd_stop
[[ -z "$sessions" ]] || kill $sessions 2>/dev/null
for ((i = 0; i < 50; i++)); do
	grep -q "failed" "$RDIR/drop.err" && break
	sleep 0.1
done
check "drop: said at once: the remote source disconnected, the others go on" \
	grep -Eq "^capscope: $RNAME failed: disconnected after 50 packets.*\(the other sources go on\)$" \
	"$RDIR/drop.err"
timeout 30 tcpreplay -q -i cs2 --pps 2000 -L 70 "$RDIR/send.pcap" >/dev/null 2>&1
sleep 1
kill -INT "$cap"
wait "$cap"
crc=$?
sed 's/^/    /' "$RDIR/drop.err"
check "drop: exit 1 (a source failed) (exit $crc)" test "$crc" = 1
check "drop: no sanitizer report" no_sanitizer "$RDIR/drop.err"
check "drop: 120 packets printed from cs3 (50 before the drop, 70 after)" \
	test "$(awk '$2 == "cs3"' "$RDIR/drop.txt" | wc -l)" = 120
check "drop: the 50 remote packets are kept" \
	test "$(awk -v n="$RNAME" '$2 == n' "$RDIR/drop.txt" | wc -l)" = 50
check "drop: the end lines say cs3 ended and $RNAME failed" \
	bash -c "grep -qx 'cs3: ended' '$RDIR/drop.err' && grep -qx '$RNAME: failed' '$RDIR/drop.err'"
check_summary
