#!/usr/bin/env bash
# test_tui_multi_spill.sh - --spill-max with several sources (-i cs1 -i cs3): their temporary
# file (pcapng, an interface each) is a ring as one source's is, hermetic (private network and
# mount namespaces, TMPDIR a private tmpfs). Two rounds of 4000 packets (about 2.6 MB) out of
# cs0 and of cs2 at once go through --spill-max 1M, wrapping it about ten times:
# - the file, sampled while it fills, never exceeds 1 MiB; both sources keep running; every
#   packet is counted; the list's first packet ("kept from No. N") moves on with each round;
# - saving "all" writes pcapng that tshark reads with both interfaces, exactly the packets
#   kept, each interface's byte for byte the last ones sent on its veth;
# - a hang-up after the wraps keeps a pcapng file with both interfaces;
# - --spill-full stop: the capture stops at the bound with the reason.
# The model's memory under such a ring is bounded in unit/test_model (test_spill_ring_two).
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 240 "-n -m" tcpreplay tmux tcpdump tshark editcap python3 mount pgrep

# ------------------------------------------------------------ inside the private namespaces
TUI_W=160 # whole messages in the status bar
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
netns_veth2
rm -rf "$WORKDIR/tmp" "$WORKDIR"/*.pcap* "$WORKDIR"/stderr.* "$WORKDIR/state"
mkdir -p "$WORKDIR/tmp"
mount -t tmpfs -o size=64m tmpfs "$WORKDIR/tmp" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 4000 -o "$WORKDIR/send.pcap" || exit 1
BOUND=$((1024 * 1024))

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION

# One round: send.pcap out of cs0 and cs2 at once, the spill file's largest size sampled
# every 20 ms (bounded) into MAXSIZE.
MAXSIZE=0
send_round() {
	timeout 60 tcpreplay -q -i cs0 --pps 2000 "$WORKDIR/send.pcap" >/dev/null 2>&1 &
	local a=$!
	timeout 60 tcpreplay -q -i cs2 --pps 2000 "$WORKDIR/send.pcap" >/dev/null 2>&1 &
	spill_sample "$a" $!
}

# The list's first packet number ("kept from No. N"), 1 when it says none.
first_kept() {
	local f
	f=$(tui_screen | grep -Eo 'kept from No\. [0-9,]+' | head -1 | grep -Eo '[0-9,]+$' | tr -d ,)
	echo "${f:-1}"
}

# Per interface name, its packets in FILE: "cs1=N cs3=M ".
per_iface() {
	tshark -r "$1" -T fields -e frame.interface_name 2>/dev/null | sort | uniq -c |
		awk '{printf "%s=%s ", $2, $1}'
}

# Packet bytes with no timestamps, of interface $2's packets in pcapng $1.
iface_bytes() {
	tshark -r "$1" -Y "frame.interface_name == \"$2\"" -w - 2>/dev/null | tcpdump -t -xx -nr - 2>/dev/null
}

# ---------------------------------------------------------------- the ring
tui_start env TMPDIR="$WORKDIR/tmp" "$CAPSCOPE" -i cs1 -i cs3 --spill-max 1M
check "both sources start" tui_wait 'cs1 running +cs3 running' 10
send_round
check "round 1: every packet is counted: 8,000" tui_wait '/8,000 pkts' 10
check "round 1: the list says from which packet it starts" tui_wait 'kept from No\. [0-9,]+' 3
first1=$(first_kept)
send_round
check "round 2: every packet is counted: 16,000" tui_wait '/16,000 pkts' 10
check "round 2: the capture goes on: both sources running" tui_wait 'cs1 running +cs3 running' 2
first2=$(first_kept)
echo "largest spill file seen: $MAXSIZE bytes (bound $BOUND); first kept: $first1, then $first2"
check "the spill file was written" test "$MAXSIZE" -gt 0
check "the spill file never exceeds --spill-max" test "$MAXSIZE" -le "$BOUND"
check "the first packet kept moves on: $first1 after round 1, $first2 after round 2" \
	test "$first1" -gt 1 -a "$first2" -gt $((first1 + 4000))
read -r shown total <<<"$(tui_counts)"
check "the rows are the packets kept ($first2..$total)" test "$shown" -eq $((total - first2 + 1))

tui_keys C-s
tui_wait ' to:( |$)' 5
tui_keys C-u
tui_keys -l "$WORKDIR/ring.pcapng"
tui_keys Enter
check "saving all writes the $shown kept packets" tui_wait "saved $(commas "$shown") packets" 10
check "tshark reads the save" tshark -r "$WORKDIR/ring.pcapng" -c 1
got=$(per_iface "$WORKDIR/ring.pcapng")
k1=$(grep -Eo 'cs1=[0-9]+' <<<"$got" | cut -d= -f2)
k3=$(grep -Eo 'cs3=[0-9]+' <<<"$got" | cut -d= -f2)
echo "saved per interface: $got"
check "tshark reads both interfaces, $shown packets in all" \
	test "${k1:-0}" -gt 0 -a "${k3:-0}" -gt 0 -a $((${k1:-0} + ${k3:-0})) -eq "$shown"
for p in "1 ${k1:-0}" "3 ${k3:-0}"; do
	read -r i k <<<"$p"
	editcap -r "$WORKDIR/send.pcap" "$WORKDIR/tail$i.pcap" "$((4001 - k))-4000" >/dev/null 2>&1
	check "cs$i's $k saved are the last $k sent on cs$((i - 1)), byte for byte" \
		cmp -s <(iface_bytes "$WORKDIR/ring.pcapng" "cs$i") \
		<(tcpdump -t -xx -nr "$WORKDIR/tail$i.pcap" 2>/dev/null)
done

# a hang-up after the wraps: the kept packets, pcapng, an interface each
kept=$(tui_hangup_kept .pcapng "^$CAPSCOPE -i cs1")
check "hang-up: the capture was kept as pcapng" test -n "$kept"
check "hang-up: tshark reads cs1's $k1 and cs3's $k3 packets in it" \
	test "$(per_iface "$kept")" = "cs1=$k1 cs3=$k3 "

# ---------------------------------------------------------------- --spill-full stop
MAXSIZE=0
rm -f "$WORKDIR"/tmp/*
rm -rf "$XDG_STATE_HOME" # else the next start's notice names the kept file, over the error
tui_start env TMPDIR="$WORKDIR/tmp" "$CAPSCOPE" -i cs1 -i cs3 --spill-max 1M --spill-full stop
check "stop: both sources start" tui_wait 'cs1 running +cs3 running' 10
send_round
check "stop: the spill file never exceeds --spill-max" test "$MAXSIZE" -le "$BOUND"
check "stop: the capture stops and says why" tui_wait 'capture stopped.*reached --spill-max' 5
read -r shown total <<<"$(tui_counts)"
check "stop: some packets kept, not all 8000 ($total)" test "${total:-0}" -gt 0 -a "${total:-0}" -lt 8000
check "stop: the list starts at packet 1" tui_wait_gone 'kept from No\.' 1
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "stop: q exits 0" tui_wait '\[exited 0\]' 5
umount "$WORKDIR/tmp"
tui_finish
