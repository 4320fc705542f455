#!/usr/bin/env bash
# test_tui_spill_ring.sh - --spill-max: a live capture's temporary file stays under its bound,
# hermetic (private network and mount namespaces, TMPDIR a private tmpfs). tcpreplay sends
# 4000 packets (about 2.6 MB) out of cs0 while the TUI captures on cs1 with --spill-max 1M:
# - ring (the default): the file, sampled while it fills, never exceeds 1 MiB; every packet is
#   counted; the list's title says from which packet it starts; saving "all" writes exactly
#   the packets kept, byte for byte the last ones sent; a BPF and a display filter show the
#   kept packets tcpdump/tshark select in the saved file; the first kept packet decodes;
# - --spill-full stop: the capture stops with the reason, the file is under the bound and
#   every packet listed saves.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 240 "-n -m" tcpreplay tmux tcpdump tshark editcap python3 mount

# ------------------------------------------------------------ inside the private namespaces
TUI_W=160 # whole messages in the status bar
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
rm -rf "$WORKDIR/tmp" "$WORKDIR"/*.pcap "$WORKDIR"/stderr.*
mkdir -p "$WORKDIR/tmp"
mount -t tmpfs -o size=64m tmpfs "$WORKDIR/tmp" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 4000 -o "$WORKDIR/send.pcap" || exit 1
bytes=$(stat -c %s "$WORKDIR/send.pcap")
((bytes > 2 * 1024 * 1024)) || { echo "FAIL: the capture to send is only $bytes bytes"; exit 1; }
BOUND=$((1024 * 1024))

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION

# The spill file's largest size while tcpreplay runs (sampled every 20 ms, bounded).
MAXSIZE=0
send_and_sample() {
	timeout 60 tcpreplay -q -i cs0 --pps 2000 "$WORKDIR/send.pcap" >/dev/null 2>&1 &
	spill_sample $!
}

# Saves every kept packet (C-s, the default "all") to $1; waits for "saved N packets".
save_all() {
	tui_keys C-s
	tui_wait ' to:( |$)' 5
	tui_keys C-u
	tui_keys -l "$1"
	tui_keys Enter
	tui_wait "saved $(commas "$2") packets" 10
}

# Packet bytes with no timestamps, for a byte-for-byte comparison.
packet_bytes() { tcpdump -t -xx -nr "$1" 2>/dev/null; }

# ---------------------------------------------------------------- the ring
tui_start env TMPDIR="$WORKDIR/tmp" "$CAPSCOPE" -i cs1 --spill-max 1M
check "capture starts on cs1" tui_wait 'cs1.*running' 10
send_and_sample
echo "largest spill file seen: $MAXSIZE bytes (bound $BOUND)"
check "the spill file was written" test "$MAXSIZE" -gt 0
check "the spill file never exceeds --spill-max" test "$MAXSIZE" -le "$BOUND"
check "every packet is counted: 4,000 in the status bar" tui_wait '/4,000 pkts' 10
check "the list says from which packet it starts" tui_wait 'kept from No\. [0-9,]+' 3
first=$(tui_screen | grep -Eo 'kept from No\. [0-9,]+' | head -1 | grep -Eo '[0-9,]+$' | tr -d ,)
read -r shown total <<<"$(tui_counts)"
echo "kept: packets $first..$total ($shown rows)"
check "the rows are the packets kept" test "$shown" -eq $((total - first + 1))
check "the oldest were dropped" test "${first:-0}" -gt 1
final=$(stat -c %s "$WORKDIR"/tmp/capscope-spill* 2>/dev/null | head -1)
check "the spill file is under the bound at the end (${final:-?} bytes)" test "${final:-0}" -le "$BOUND"

tui_keys Home
check "the first kept packet is No. $first and decodes" tui_wait "Decode - packet $first " 3
check "its bytes are read back" tui_wait '^- Ethernet, Dst: ' 3
check "saving all writes the $shown kept packets" save_all "$WORKDIR/ring.pcap" "$shown"
check "tcpdump reads $shown packets back" \
	test "$(tcpdump_packets "$WORKDIR/ring.pcap")" = "$shown"
editcap -r "$WORKDIR/send.pcap" "$WORKDIR/tail.pcap" "$first-4000" >/dev/null 2>&1
check "the saved packets are the last $shown sent, byte for byte" \
	cmp -s <(packet_bytes "$WORKDIR/ring.pcap") <(packet_bytes "$WORKDIR/tail.pcap")

udp=$(tcpdump_packets "$WORKDIR/ring.pcap" udp)
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l udp
tui_keys Enter
check "BPF udp: $udp of the kept packets, as tcpdump on the saved file" \
	tui_wait_counts "$udp" 4000 20
dfl=$(tshark -n -r "$WORKDIR/ring.pcap" -Y 'vlan.id > 0 || ip.proto == 1' 2>/dev/null | wc -l)
check "tshark selects some kept packets ($dfl)" test "$dfl" -gt 0
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l 'vlan.id > 0 || ip.proto == 1'
tui_keys Enter
# not valid BPF, so a display filter for sure ("vlan || icmp" is also BPF, with libpcap's
# vlan offsets)
check "display filter vlan.id > 0 || ip.proto == 1: $dfl of the kept packets, as tshark on the saved file" \
	tui_wait_counts "$dfl" 4000 20
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys Enter
check "no filter: the $shown kept packets again" tui_wait_counts "$shown" 4000 20
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "q exits 0" tui_wait '\[exited 0\]' 5

# ---------------------------------------------------------------- --spill-full stop
MAXSIZE=0
rm -f "$WORKDIR"/tmp/*
tui_start env TMPDIR="$WORKDIR/tmp" "$CAPSCOPE" -i cs1 --spill-max 1M --spill-full stop
check "stop: capture starts on cs1" tui_wait 'cs1.*running' 10
send_and_sample
echo "largest spill file seen: $MAXSIZE bytes (bound $BOUND)"
check "stop: the spill file never exceeds --spill-max" test "$MAXSIZE" -le "$BOUND"
check "stop: the capture stops and says why" \
	tui_wait 'capture stopped.*reached --spill-max' 5
read -r shown total <<<"$(tui_counts)"
echo "stop: kept $shown of $total"
check "stop: some packets kept, not all 4000" test "${total:-0}" -gt 0 -a "${total:-0}" -lt 4000
check "stop: the list starts at packet 1" tui_wait_gone 'kept from No\.' 1
check "stop: all $total kept packets save" save_all "$WORKDIR/stop.pcap" "$total"
editcap -r "$WORKDIR/send.pcap" "$WORKDIR/head.pcap" "1-$total" >/dev/null 2>&1
check "stop: the saved packets are the first $total sent, byte for byte" \
	cmp -s <(packet_bytes "$WORKDIR/stop.pcap") <(packet_bytes "$WORKDIR/head.pcap")
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "stop: q exits 0" tui_wait '\[exited 0\]' 5
check "the temporary file is removed on exit" test -z "$(ls -A "$WORKDIR/tmp")"
umount "$WORKDIR/tmp"
tui_finish
