#!/usr/bin/env bash
# test_tui_spill_full.sh - a live capture whose temporary file fills its disk, hermetic:
# inside private network and mount namespaces, TMPDIR is a 1 MiB tmpfs and tcpreplay sends
# about 4 MB out of cs0 while the TUI captures on cs1. The capture must stop with the reason
# in the status bar, list only packets it can still read (every one of them saves, and
# tcpdump reads the saved file back) and keep working; q exits 0.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 120 "-n -m" tcpreplay tmux tcpdump python3 mount

# ------------------------------------------------------------ inside the private namespaces
TUI_W=140 # whole messages in the status bar
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
rm -rf "$WORKDIR/tmp" "$WORKDIR/all.pcap" "$WORKDIR"/stderr.*
mkdir -p "$WORKDIR/tmp"
mount -t tmpfs -o size=1m tmpfs "$WORKDIR/tmp" || { echo "FAIL: cannot mount a tmpfs"; exit 1; }
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 4000 -o "$WORKDIR/send.pcap" || exit 1
bytes=$(stat -c %s "$WORKDIR/send.pcap")
((bytes > 2 * 1024 * 1024)) || { echo "FAIL: the capture to send is only $bytes bytes"; exit 1; }

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export XDG_STATE_HOME="$WORKDIR/state"
unset SSH_CONNECTION
tui_start env TMPDIR="$WORKDIR/tmp" "$CAPSCOPE" -i cs1
check "capture starts on cs1" tui_wait 'cs1.*running' 10
timeout 60 tcpreplay -q -i cs0 --pps 5000 "$WORKDIR/send.pcap" >/dev/null 2>&1
check "the capture stops and says why" tui_wait 'capture stopped.*No space left on device' 5
check "the state is error" tui_wait 'cs1  error ' 2
read -r shown total <<<"$(tui_counts)"
echo "kept: $shown of $total packets"
check "some packets were kept, not all 4000" test "${total:-0}" -gt 0 -a "${total:-0}" -lt 4000
sleep 1
check "the count stays put after the stop" tui_wait_counts "$shown" "$total" 1

# Every packet listed can be read: the last one decodes, and saving all of them works.
tui_keys End
check "the last packet is selected" tui_wait "Decode - packet $total " 3
check "its bytes are read back and decode" tui_wait '^- Ethernet, Dst: ' 3
tui_keys C-s
tui_wait ' to:( |$)' 5
tui_keys C-u
tui_keys -l "$WORKDIR/all.pcap"
tui_keys Enter
check "all $total kept packets save" tui_wait "saved $(commas "$total") packets" 10
check "tcpdump reads $total packets back" \
	test "$(tcpdump_packets "$WORKDIR/all.pcap")" = "$total"
tui_keys q
tui_wait 'discard' 3 && tui_keys y
check "q exits 0" tui_wait '\[exited 0\]' 5
check "the temporary file is removed on exit" test -z "$(ls -A "$WORKDIR/tmp")"
umount "$WORKDIR/tmp"
tui_finish
