#!/usr/bin/env bash
# test_tui_live.sh - the TUI on a live adapter, hermetic: inside a private network namespace
# (unshare -n, only lo, then a veth pair cs0/cs1) capscope captures on cs1 in a tmux pane while
# tcpreplay sends N packets out of cs0; within two seconds of the last one the status bar must
# show N packets; a hang-up then keeps every captured packet in a file. Nothing touches the
# machine's real interfaces.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-500}

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tmux python3 tcpdump pgrep

# ------------------------------------------------------------ inside the private namespace
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$WORKDIR/send.pcap" || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION
tui_start "$CAPSCOPE" -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
check "no packets before sending" tui_wait_counts 0 0 5
timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/send.pcap" >"$WORKDIR/tcpreplay.out" 2>&1
sent_at=$SECONDS
check "tcpreplay sent $N packets" grep -q "Successful packets: *$N" "$WORKDIR/tcpreplay.out"
check "status bar shows $N within 2 s of the last packet" tui_wait_counts "$N" "$N" 2
echo "shown within $((SECONDS - sent_at)) s: $(tui_counts)"
check "no drops shown" bash -c "! tmux -L $TUI_SOCK capture-pane -p -t t | grep -Eq '(kdrop|rdrop) [1-9]'"
tui_keys q
check "quit asks before discarding the capture" tui_wait 'discard' 5
tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 5

# Nothing lost on disconnect: the session hangs up (the tmux server goes away) while the
# captured packets exist only in the monitor's temporary file; they are kept in the state
# folder, every one of them.
export XDG_STATE_HOME="$WORKDIR/state"
rm -rf "$XDG_STATE_HOME"
tui_start "$CAPSCOPE" -i cs1
check "hang-up: capture starts on cs1" tui_wait 'cs1.*running' 10
timeout 60 tcpreplay -q -i cs0 --pps 2000 "$WORKDIR/send.pcap" >/dev/null 2>&1
check "hang-up: $N packets captured" tui_wait_counts "$N" "$N" 3
kept=$(tui_hangup_kept .pcap "^$CAPSCOPE -i cs1")
check "hang-up: the capture was kept" test -n "$kept"
check "hang-up: tcpdump reads all $N kept packets" \
	test "$(tcpdump_packets "$kept")" = "$N"
rm -f "$XDG_STATE_HOME/capscope/kept" # its notice would cover the status bar below

# Over SSH with no filter, the program's own session stays out of the capture (status bar
# says so) until S includes it. The "session" here is the TCP flow of tcp-handshake.
python3 "$SRCDIR/tests/gen/mkpcap.py" tcp-handshake -o "$WORKDIR/ssh.pcap" || exit 1
python3 "$SRCDIR/tests/gen/mkpcap.py" udp4 -o "$WORKDIR/other.pcap" || exit 1
n_other=$(python3 "$SRCDIR/tests/gen/mkpcap.py" --dump "$WORKDIR/other.pcap" | grep -c "^[0-9]")
n_ssh=$(python3 "$SRCDIR/tests/gen/mkpcap.py" --dump "$WORKDIR/ssh.pcap" | grep -c "^[0-9]")
tui_start env SSH_CONNECTION="10.0.0.1 51000 93.184.216.34 80" "$CAPSCOPE" -i cs1
check "capture starts with the SSH session excluded" tui_wait 'SSH excluded' 10
sleep 0.5
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/ssh.pcap" "$WORKDIR/other.pcap" >/dev/null 2>&1
check "only the $n_other non-session packets are captured" tui_wait_counts "$n_other" "$n_other" 3
tui_keys S
check "S includes the session" tui_wait_gone 'SSH excluded' 3
sleep 0.5
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/ssh.pcap" >/dev/null 2>&1
total=$((n_other + n_ssh))
check "then the session's $n_ssh packets are captured too" tui_wait_counts "$total" "$total" 3
tui_keys q y
tui_finish
