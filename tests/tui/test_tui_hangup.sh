#!/usr/bin/env bash
# test_tui_hangup.sh - the terminal vanishes mid-draw, hermetic (a private network namespace,
# veth cs0/cs1): the TUI captures on cs1, writing every packet to a file as it goes (W),
# while tcpreplay sends; a save of all packets (Ctrl-S) is started and the tmux server is
# killed at once, with packets still arriving and the screen being drawn. Then:
# - the process ends by itself, with no crash and no sanitizer report;
# - the save completed (stderr says it ran to the end after the hang-up; the file holds the
#   packets it counted, byte for byte the first ones captured);
# - nothing is lost: the kept capture (the temporary file, moved to the state folder) and the
#   written file hold the same packets, as many as were sent or more than the save took.
# Exit: 0 pass, 1 fail, 77 skipped (not root, a tool missing, namespaces unavailable).
set -uo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"

source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
netns_enter 180 -n tcpreplay tmux python3 tcpdump editcap pgrep

# ------------------------------------------------------------ inside the private namespace
source "$SRCDIR/tests/tui/lib.sh"
netns_veth
rm -rf "$WORKDIR"/*.pcap "$WORKDIR"/stderr.* "$WORKDIR/state"
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 60000 -o "$WORKDIR/send.pcap" >/dev/null || exit 1

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1 UBSAN_OPTIONS=halt_on_error=1
export XDG_STATE_HOME="$WORKDIR/state"
unset SSH_CONNECTION
packet_bytes() { tcpdump -t -xx -nr "$1" 2>/dev/null; }

tui_start "$CAPSCOPE" -i cs1 -B 65536
check "capture starts on cs1" tui_wait 'cs1.*running' 10
pid=$(pgrep -f "^$CAPSCOPE -i cs1" | head -1)
tui_keys W
check "write-while-capturing prompt" tui_wait 'write new packets to' 5
tui_keys "$WORKDIR/tee.pcap" Enter
check "writing the capture" tui_wait 'writing' 5
timeout 60 tcpreplay -q -i cs0 --pps 20000 "$WORKDIR/send.pcap" >/dev/null 2>&1
check "60,000 packets captured" tui_wait '/60,000 pkts' 5
# more packets while the save runs: the capture goes on and the screen is drawn
timeout 60 tcpreplay -q -i cs0 --pps 5000 "$WORKDIR/send.pcap" >/dev/null 2>&1 &
replay=$!
sleep 0.5
tui_keys C-s
tui_wait ' to:( |$)' 5
tui_keys C-u
tui_keys -l "$WORKDIR/all.pcap"
# Enter and the terminal going away in one tmux command: a save of ~60 MB ends within tens
# of milliseconds, so a separate kill-server often came after it had ended
tmux -L "$TUI_SOCK" send-keys -t t Enter \; kill-server # mid-draw, the save just begun
for ((i = 0; i < 300; i++)); do
	kill -0 "$pid" 2>/dev/null || break
	sleep 0.1
done
kill "$replay" 2>/dev/null
wait "$replay" 2>/dev/null
err=$(ls "$WORKDIR"/stderr.* | tail -1)
echo "--- capscope's stderr:"
cat "$err"
echo "---"
check "the process ended by itself within 30 s" bash -c "! kill -0 $pid 2>/dev/null"
if grep -q 'terminal went away during a save' "$err" || [[ ! -s "$WORKDIR/all.pcap" ]]; then
	check "the save ran to its end after the hang-up (stderr)" \
		grep -q 'terminal went away during a save: it completed' "$err"
	saved=$(grep -Eo 'it completed, [0-9,]+ packets' "$err" | grep -Eo '[0-9][0-9,]*' | tr -d ,)
	echo "save: ${saved:-?} packets"
	check "the saved file holds the ${saved:-?} packets it counted" \
		test "$(tcpdump_packets "$WORKDIR/all.pcap")" = "${saved:-x}"
else # the file is there and nothing was said: the save ended before the hang-up was seen
	part_skipped "the save ended before the monitor saw the hang-up (its end after one is not exercised in this run; the file is checked below)"
	saved=$(tcpdump_packets "$WORKDIR/all.pcap")
	echo "save (ended before the hang-up): $saved packets"
fi
kept=$(ls "$XDG_STATE_HOME"/capscope/capscope-kept-*.pcap 2>/dev/null | head -1)
check "the capture was kept" test -n "$kept"
nkept=$(tcpdump_packets "$kept")
ntee=$(tcpdump_packets "$WORKDIR/tee.pcap")
echo "kept: $nkept packets, written while capturing: $ntee"
check "the kept capture holds at least what the save took" test "$nkept" -ge "${saved:-0}" -a "$nkept" -gt 60000
check "the file written while capturing holds the same packets as the kept one" \
	cmp -s <(packet_bytes "$kept") <(packet_bytes "$WORKDIR/tee.pcap")
editcap -r "$kept" "$WORKDIR/head.pcap" "1-${saved:-1}" >/dev/null 2>&1
check "the saved packets are the first ${saved:-?} captured, byte for byte" \
	cmp -s <(packet_bytes "$WORKDIR/all.pcap") <(packet_bytes "$WORKDIR/head.pcap")
tui_finish
