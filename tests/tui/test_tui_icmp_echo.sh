#!/usr/bin/env bash
# test_tui_icmp_echo.sh - ICMP/ICMPv6 echo request/reply matching in the monitor, on the real
# binary in tmux, against tshark on the same generated capture (tests/gen/mkpcap.py
# icmp-echo-match: replies, duplicates, missing replies, wrong ids, id reuse, v4 and v6). The
# monitor has the whole file, so it shows what Wireshark's GUI shows, tshark's second pass
# (tshark -2): the list's Info notes "(reply in N)", "(request in N)", "(no response found!)"
# on exactly tshark -2's frames; the decode pane of a request shows its response frame and
# of a reply its request frame and response time; display filters on those fields select
# tshark -2's frames. Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=160
TUI_H=60
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tshark python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
PCAP="$WORKDIR/echo.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" icmp-echo-match -o "$PCAP" ||
	skip "mkpcap.py cannot make icmp-echo-match"
TOTAL=$(tshark -n -r "$PCAP" | wc -l)

NOTE='(\((reply|request) in [0-9]+\)|\(no response found!\))'
# The list rows with a note, as "FRAME NOTE" lines.
list_notes() {
	tui_screen | sed -En "s/^ *([0-9]+) .* $NOTE *\$/\\1 \\2/p"
}
# tshark -2's notes per frame, the same way.
ts_notes() {
	tshark -2 -n -r "$PCAP" -T fields -e frame.number -e _ws.col.Info 2>/dev/null |
		sed -En "s/^([0-9]+)\t.* $NOTE\$/\\1 \\2/p"
}
same() { [[ "$1" == "$2" ]]; }
goto() {
	tui_keys :
	tui_wait 'go to packet' 3 || return 1
	tui_keys -l "$1"
	tui_keys Enter
	tui_wait "Decode - packet $1 " 3
}

tui_start "$CAPSCOPE" -r "$PCAP"
check "the capture loads: $TOTAL/$TOTAL" tui_wait_counts "$TOTAL" "$TOTAL" 10
tui_keys z # the list alone: every row in sight
check "the list zooms" tui_wait_gone '─ Decode' 3
want=$(ts_notes)
check "tshark -2 notes requests and replies (the capture is what the test needs)" \
	test "$(wc -l <<<"$want")" -gt 20
for _ in $(seq 1 30); do # the stream pass marks the file after it loads
	[[ "$(list_notes)" == "$want" ]] && break
	sleep 0.1
done
check "the list's notes are tshark -2's, frame for frame" same "$(list_notes)" "$want"

# Display filters on the matching's fields select tshark -2's frames (Wireshark's filters see
# both passes).
list_frames() {
	tui_screen | awk '/^ *No\. /{on=1; next} on && /^─/{exit} on && $1 ~ /^[0-9]+$/ {print $1}' |
		tr '\n' ' '
}
list_is() {
	for _ in $(seq 1 30); do
		[[ "$(list_frames)" == "$1" ]] && return 0
		sleep 0.1
	done
	return 1
}
for f in 'icmp.resp_in' 'icmpv6.resp_in' 'icmp.no_resp || icmpv6.no_resp' 'icmp.resp_to == 5' \
	'icmpv6.resptime > 3'; do
	want=$(tshark -2 -n -r "$PCAP" -Y "$f" -T fields -e frame.number 2>/dev/null | tr '\n' ' ')
	tui_keys /
	tui_wait '^filter: ' 5
	tui_keys C-u
	tui_keys -l "$f"
	tui_keys Enter
	check "filter '$f' shows tshark -2's frames ($want)" list_is "$want"
done
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys Enter
check "no filter: every packet again" tui_wait_counts "$TOTAL" "$TOTAL" 5

tui_keys z # the three panes again
# The decode pane of frame $1, alone on the screen, shows a line matching $2.
decode_has() {
	goto "$1" || return 1
	tui_keys Tab
	tui_keys z
	tui_wait "$2" 3
	local rc=$?
	tui_keys z
	tui_keys Tab Tab # decode -> hex -> list again
	return $rc
}
# a request answered later (tshark -2: icmp.resp_in), then the reply (icmp.resp_to, resptime)
req=$(tshark -2 -n -r "$PCAP" -Y icmp.resp_in -T fields -e frame.number -e icmp.resp_in | head -1)
rep=${req##*$'\t'}
req=${req%%$'\t'*}
time=$(tshark -n -r "$PCAP" -Y "frame.number == $rep" -T fields -e icmp.resptime)
check "request $req: the decode pane names the reply's frame $rep" \
	decode_has "$req" "^  Response in: $rep\$"
check "reply $rep: the decode pane names the request's frame $req" \
	decode_has "$rep" "^  Response to: $req\$"
check "reply $rep: and tshark's response time ($time)" decode_has "$rep" "^  Response time: $time\$"
lone=$(tshark -2 -n -r "$PCAP" -Y icmpv6.no_resp -T fields -e frame.number | head -1)
check "unanswered ICMPv6 request $lone: the decode pane says no response was seen" \
	decode_has "$lone" "^  No response seen\$"

tui_keys q
tui_finish
