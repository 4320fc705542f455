#!/usr/bin/env bash
# test_privsep_tui.sh - the monitor through the capture helper (issue 14), hermetic (private
# network namespace, veth cs0/cs1, tmux): `capscope --no-processes -i cs1` as root. While it
# captures, /proc/PID/status: the monitor's process runs as nobody with no capability and
# NoNewPrivs 1; its child, the helper, holds CAP_NET_ADMIN + CAP_NET_RAW only. Then the packets
# tcpreplay sends on cs0 are all counted in the status bar, a BPF filter typed in the filter bar
# (installed in the kernel by the helper) keeps only UDP, and quitting exits 0.
# (Process attribution, on by default, still runs the monitor unsplit: capscope --version.)
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
N=${LIVE_PACKETS:-300}

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 -n tcpreplay tmux python3 pgrep

# ------------------------------------------------------------ inside the private namespace
source "$SRCDIR/tests/tui/lib.sh"
source "$SRCDIR/tests/privsep/lib.sh"
netns_veth
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed "$N" -o "$WORKDIR/send.pcap" || exit 1
python3 "$SRCDIR/tests/gen/mkpcap.py" udp4 -o "$WORKDIR/udp.pcap" || exit 1
n_udp=$(python3 "$SRCDIR/tests/gen/mkpcap.py" --dump "$WORKDIR/udp.pcap" | grep -c "^[0-9]")
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
unset SSH_CONNECTION

tui_start "$CAPSCOPE" --no-processes -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
privsep_pair "^$CAPSCOPE --no-processes -i cs1"
echo "monitor $main: $(grep -E '^(Uid|CapEff|NoNewPrivs):' /proc/$main/status | tr '\n\t' '  ')"
echo "helper $helper: $(grep -E '^(Uid|CapEff|NoNewPrivs):' /proc/$helper/status | tr '\n\t' '  ')"
check "the monitor runs as nobody" test "$(awk '$1 == "Uid:" {print $2 $3 $4 $5}' /proc/$main/status)" = 65534655346553465534
check "the monitor holds no capability" test "$(field CapEff "$main")$(field CapPrm "$main")" = 00000000000000000000000000000000
check "the monitor has NoNewPrivs 1" test "$(field NoNewPrivs "$main")" = 1
check "the helper holds CAP_NET_ADMIN + CAP_NET_RAW only" test "$(field CapEff "$helper")" = 0000000000003000
timeout 60 tcpreplay -q -i cs0 --pps 1000 "$WORKDIR/send.pcap" >/dev/null 2>&1
check "all $N packets counted" tui_wait_counts "$N" "$N" 3
tui_keys /
sleep 0.3
tmux -L "$TUI_SOCK" send-keys -t t -l "ip proto 17"
tui_keys Enter
check "the BPF filter is taken" tui_wait 'ip proto 17' 3
sleep 1
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/send.pcap" >/dev/null 2>&1
timeout 30 tcpreplay -q -i cs0 "$WORKDIR/udp.pcap" >/dev/null 2>&1
sleep 1.5
read -r _ total <<<"$(tui_counts)"
echo "counts after the filter: $(tui_counts) ($N before it, then $N mixed and $n_udp UDP sent)"
check "the kernel filter let the UDP packets in" test "$((total - N))" -ge "$n_udp"
check "the kernel filter kept the others out" test "$((total - N))" -lt "$((N + n_udp))"
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "quit exits 0" tui_wait '\[exited 0\]' 5
tui_finish
