#!/usr/bin/env bash
# test_tui_vanish.sh - the adapter goes away while capturing, hermetic (a private network
# namespace; the veth pair cs0/cs1 is deleted and made again):
# - the monitor on cs1: a one-line message that the capture stopped, its packets stay and
#   Ctrl-R restarts, with libpcap's reason; the state is error; every packet captured is
#   still listed and decodes; keys work; when the veth is back, Ctrl-R (and y) starts a new
#   capture that counts the packets sent then;
# - headless -i cs1 -w FILE: exits (status 1) with the message on stderr, and the file is
#   complete: every packet sent, read back by tcpdump with no truncation warning.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tmux python3 tcpdump pgrep

# ------------------------------------------------------------ inside the private namespace
TUI_W=200 # the whole message in the status bar
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
rm -f "$WORKDIR"/*.pcap "$WORKDIR"/stderr.* "$WORKDIR"/headless.*
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 300 -o "$WORKDIR/send.pcap" >/dev/null || exit 1
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
veth_again() {
	timeout 5 ip link add cs0 type veth peer name cs1 && timeout 5 ip link set cs0 up &&
		timeout 5 ip link set cs1 up
}
send() { timeout 60 tcpreplay -q -i cs0 --pps 2000 "$WORKDIR/send.pcap" >/dev/null 2>&1; }

# ---------------------------------------------------------------- the monitor
tui_start "$CAPSCOPE" -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
send
check "300 packets captured" tui_wait_counts 300 300 5
ip link del cs0 # takes cs1 with it
check "a one-line message says the capture stopped, the packets stay, Ctrl-R restarts" \
	tui_wait "capture stopped, its packets stay \(Ctrl-R restarts\): error capturing on 'cs1' after 300 packets: The interface (disappeared|went down)" 5
check "the state is error" tui_wait 'cs1  error ' 2
check "the 300 packets stay" tui_wait_counts 300 300 2
tui_keys End
check "the UI is alive: End selects the last packet, which decodes" \
	tui_wait 'Decode - packet 300 ' 3
check "its bytes are read back" tui_wait '^- Ethernet, Dst: ' 3
veth_again
tui_keys C-r
check "restart asks before discarding the packets" tui_wait 'discard 300 packets' 5
tui_keys y
check "restart: capturing on cs1 again" tui_wait 'cs1  running' 5
sleep 0.5
send
check "restart: the new capture counts the 300 packets sent" tui_wait_counts 300 300 5
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "q exits 0" tui_wait '\[exited 0\]' 5

# ---------------------------------------------------------------- headless -w
"$CAPSCOPE" -i cs1 -w "$WORKDIR/headless.pcap" 2>"$WORKDIR/stderr.headless" &
pid=$!
sleep 1
send
sleep 0.5
ip link del cs0
for ((i = 0; i < 100; i++)); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill -0 "$pid" 2>/dev/null && kill "$pid"
wait "$pid"
rc=$?
cat "$WORKDIR/stderr.headless"
check "headless: exits with status 1 by itself" test "$rc" = 1
check "headless: the message names the adapter and the reason" \
	grep -Eq "error capturing on 'cs1' after 300 packets: The interface (disappeared|went down)" \
	"$WORKDIR/stderr.headless"
check "headless: the file holds the 300 packets" \
	test "$(tcpdump_packets "$WORKDIR/headless.pcap")" = 300
check "headless: the file is complete (tcpdump reads it without a warning)" \
	bash -c "! tcpdump -nr '$WORKDIR/headless.pcap' 2>&1 >/dev/null | grep -qi 'truncated\|error'"
tui_finish
