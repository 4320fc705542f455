#!/usr/bin/env bash
# test_remote_three.sh - two local veths and one remote at once (-i cs3 -i cs5 -i ssh://far/cs1),
# hermetic: the far host of tests/lib/sshd.sh (sshd in a far namespace, its veth cs0 <-> cs1)
# and two local veth pairs cs2 <-> cs3 and cs4 <-> cs5; tcpreplay sends on cs0 (far), cs2 and
# cs4 (here) at once, a tcpdump on cs1 (far), cs3 and cs5 (here) is the reference. Kept apart
# from test_remote_mixed.sh so that each stays under a minute. -c 3N -w x.pcapng --print -tt:
#   - the pcapng holds exactly the packets of mergecap's merge of the three tcpdump captures,
#     each once, in timestamp order, interfaces cs3, cs5 and ssh://far/cs1;
#   - tshark reads it back with three interfaces (ids and names) and N packets on each, the
#     same packets as each tcpdump reference;
#   - --print's Interface column names each packet's source, in the same order.
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
netns_veth3
N=150
RNAME=ssh://far/cs1
far_tcpdump_host "$N"
multi=("python3" "$SRCDIR/tests/net/multi_check.py")


# the references, with a large kernel buffer (-B) as in test_remote_mixed.sh
far timeout 40 tcpdump -i cs1 -B 16384 -U -c "$N" -w "$RDIR/far.pcap" 2>/dev/null &
fref=$!
timeout 40 tcpdump -i cs3 -B 16384 -U --immediate-mode -c "$N" -w "$RDIR/a.pcap" 2>/dev/null &
aref=$!
timeout 40 tcpdump -i cs5 -B 16384 -U --immediate-mode -c "$N" -w "$RDIR/b.pcap" 2>/dev/null &
bref=$!
timeout 40 "$CAPSCOPE" -i cs3 -i cs5 -i "$RNAME" -c $((3 * N)) -w "$RDIR/x.pcapng" --print -tt \
	>"$RDIR/x.txt" 2>"$RDIR/x.err" &
cap=$!
if far_wait_sockets cs1 2 && local_wait_sockets cs3 2 && local_wait_sockets cs5 2; then
	# all three at once
	far timeout 30 tcpreplay -q -i cs0 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1 &
	r1=$!
	timeout 30 tcpreplay -q -i cs4 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1 &
	r2=$!
	timeout 30 tcpreplay -q -i cs2 --pps 2000 "$RDIR/send.pcap" >/dev/null 2>&1
	wait "$r1" "$r2"
else
	bad "the captures did not start within 10 s: $(cat "$RDIR/x.err")"
	kill "$cap" "$fref" "$aref" "$bref" 2>/dev/null
fi
wait "$cap"
crc=$?
wait "$fref" "$aref" "$bref"
sed 's/^/    /' "$RDIR/x.err"
check "three: exits 0 after $((3 * N)) packets (exit $crc)" test "$crc" = 0
check "three: no sanitizer report" no_sanitizer "$RDIR/x.err"
for ref in a b far; do
	check "three: the tcpdump reference $ref.pcap holds $N packets" \
		test "$(tcpdump -r "$RDIR/$ref.pcap" 2>/dev/null | wc -l)" = "$N"
done
timeout 30 mergecap -I none -w "$RDIR/m.pcapng" "$RDIR/a.pcap" "$RDIR/b.pcap" "$RDIR/far.pcap"
check "three: the pcapng holds mergecap's merge of the three tcpdumps, each packet once, in order" \
	"${multi[@]}" merged "$RDIR/x.pcapng" "$RDIR/m.pcapng" cs3 cs5 "$RNAME"
tshark -n -r "$RDIR/x.pcapng" -T fields -e frame.interface_id -e frame.interface_name 2>/dev/null |
	sort | uniq -c | awk '{print $2, $3, $1}' >"$RDIR/tshark_if.txt"
check "three: tshark reads three interfaces, 0 cs3, 1 cs5 and 2 $RNAME, $N packets each" \
	diff <(printf '0 cs3 %d\n1 cs5 %d\n2 %s %d\n' "$N" "$N" "$RNAME" "$N") "$RDIR/tshark_if.txt"
# tshark's own reading, interface by interface, against each reference (tcpdump's lines
# without times: the same packets, in the order each adapter saw them)
i=0
for ref in a b far; do
	check "three: tshark's packets of interface $i are those of $ref.pcap" bash -c \
		"cmp -s <(tcpdump -nr '$RDIR/$ref.pcap' -t 2>/dev/null) \
		        <(tshark -r '$RDIR/x.pcapng' -Y 'frame.interface_id == $i' -w - 2>/dev/null |
		          tcpdump -nr - -t 2>/dev/null)"
	i=$((i + 1))
done
check "three: --print's Interface column, packet by packet" \
	"${multi[@]}" print "$RDIR/x.txt" "$RDIR/x.pcapng" cs3 cs5 "$RNAME"
check "three: stderr counts each source's packets" \
	bash -c "grep -qx 'cs3: $N packets captured' '$RDIR/x.err' &&
	grep -qx 'cs5: $N packets captured' '$RDIR/x.err' &&
	grep -qx '$RNAME: $N packets captured' '$RDIR/x.err'"
check_summary
