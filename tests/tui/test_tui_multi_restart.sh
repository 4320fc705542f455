#!/usr/bin/env bash
# test_tui_multi_restart.sh - one of several sources fails and Ctrl-R restarts it alone,
# hermetic (a private network namespace; the veth pair cs2/cs3 is deleted and made again):
# the monitor on -i cs1 -i cs3; cs2 deleted takes cs3 with it: the status bar says cs3
# failed, its packets stay and Ctrl-R restarts it; cs1 goes on counting; Ctrl-R before the
# adapter is back says why and leaves cs1 capturing; once it is back, Ctrl-R (no question:
# nothing is discarded) restarts cs3 while cs0 sends: both run, cs1's count never reset, and
# a save holds every packet sent on each veth once, in the order sent.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tmux python3 tshark tcpdump

# ------------------------------------------------------------ inside the private namespace
TUI_W=200 # whole messages in the status bar
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
netns_veth2
rm -f "$WORKDIR"/*.pcap* "$WORKDIR"/stderr.*
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 200 -o "$WORKDIR/a.pcap" || exit 1
python3 "$SRCDIR/tests/gen/mkpcap.py" udp4 -o "$WORKDIR/b.pcap" || exit 1
NA=$(tcpdump_packets "$WORKDIR/a.pcap")
NB=$(tcpdump_packets "$WORKDIR/b.pcap")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
send_a() { timeout 60 tcpreplay -q -i cs0 --pps "${1:-1000}" "$WORKDIR/a.pcap" >/dev/null 2>&1; }
send_b() { timeout 60 tcpreplay -q -i cs2 --pps 1000 "$WORKDIR/b.pcap" >/dev/null 2>&1; }
# The shown count of a display filter on one interface (the bar closed after).
iface_count() {
	tui_keys /
	tui_wait '^filter' 5
	tui_keys C-u
	tui_keys -l "frame.interface_name == \"$1\""
	tui_keys Enter
	tui_wait_counts "$2" "$3" 10
}
clear_filter() {
	tui_keys /
	tui_wait '^filter' 5
	tui_keys C-u Enter
}

tui_start "$CAPSCOPE" -i cs1 -i cs3
check "both sources start" tui_wait 'cs1 running +cs3 running' 10
send_a
send_b
check "$NA + $NB packets captured" tui_wait_counts $((NA + NB)) $((NA + NB)) 5

ip link del cs2 # takes cs3 with it
check "cs3 failed: its packets stay, Ctrl-R restarts it (status bar)" \
	tui_wait 'cs3 failed, its packets stay \(Ctrl-R restarts it\)' 5
check "the state says cs1 running, cs3 failed" tui_wait 'cs1 running +cs3 failed' 2
send_a
T=$((2 * NA + NB))
check "cs1 goes on counting: $T" tui_wait_counts "$T" "$T" 5

tui_keys C-r
check "Ctrl-R before cs3 is back says why" tui_wait 'cannot restart cs3: ' 5
check "and cs1 goes on capturing" tui_wait 'cs1 running +cs3 failed' 2
send_a 2000
T=$((3 * NA + NB))
check "cs1 counted on: $T" tui_wait_counts "$T" "$T" 5

timeout 5 ip link add cs2 type veth peer name cs3 && timeout 5 ip link set cs2 up &&
	timeout 5 ip link set cs3 up || { echo "FAIL: cannot make cs2/cs3 again"; exit 1; }
# Ctrl-R while cs0 sends: cs1's capture stops and starts again under it
send_a 400 &
sender=$!
sleep 0.2
tui_keys C-r
check "Ctrl-R restarts cs3 alone, no question" \
	tui_wait 'restarted: capturing on cs1 \+ cs3 again, the [0-9,]+ packets stay' 5
check "both run again" tui_wait 'cs1 running +cs3 running' 5
wait "$sender"
sleep 0.5
send_b
T=$((4 * NA + 2 * NB))
check "every packet once: $T" tui_wait_counts "$T" "$T" 5
check "cs1's $((4 * NA)): its count never reset" iface_count cs1 $((4 * NA)) "$T"
check "cs3's $((2 * NB))" iface_count cs3 $((2 * NB)) "$T"
clear_filter
check "the filter cleared" tui_wait_counts "$T" "$T" 5

tui_keys C-s
tui_wait ' to:( |$)' 5
tui_keys C-u
tui_keys -l "$WORKDIR/all.pcapng"
tui_keys Enter
check "the save says it is done" tui_wait "saved $(commas "$T") packets" 10
# -S: absolute sequence numbers (relative ones start from the first copy of a flow)
sent_times() { for _ in $(seq "$2"); do tcpdump -nr "$1" -t -S 2>/dev/null; done; }
saved() { tshark -r "$WORKDIR/all.pcapng" -Y "frame.interface_name == \"$1\"" -w - 2>/dev/null | tcpdump -nr - -t -S 2>/dev/null; }
check "cs1's packets are the ones sent on cs0, four times, in order" \
	cmp -s <(sent_times "$WORKDIR/a.pcap" 4) <(saved cs1)
check "cs3's packets are the ones sent on cs2, twice, in order" \
	cmp -s <(sent_times "$WORKDIR/b.pcap" 2) <(saved cs3)

tui_keys q
tui_wait 'discard' 5 && tui_keys y
check "q exits 0" tui_wait '\[exited 0\]' 10
tui_finish
