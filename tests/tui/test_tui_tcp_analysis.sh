#!/usr/bin/env bash
# test_tui_tcp_analysis.sh - TCP streams and analysis in the monitor, on the real binary in
# tmux, against tshark on the same generated capture (tests/gen/mkpcap.py tcpa-loss: a lost
# segment, dup ACKs, fast, normal and spurious retransmissions): the list's Info carries
# tshark's notes on exactly tshark's frames, drawn red on black (Wireshark's "Bad TCP"); the
# status bar counts them; the decode pane shows the stream fields under TCP with the SEQ/ACK
# analysis, whose frame link Enter follows; display filters on tcp.stream, relative sequence
# numbers and analysis flags select what tshark selects. Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=160
TUI_H=50
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tshark python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
PCAP="$WORKDIR/loss.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" tcpa-loss -o "$PCAP" || skip "mkpcap.py cannot make tcpa-loss"
TOTAL=$(tshark -n -r "$PCAP" | wc -l)
ts_frames() { tshark -n -r "$PCAP" -Y "$1" -T fields -e frame.number 2>/dev/null | tr '\n' ' '; }

# The list rows whose Info starts with a note, as "FRAME NOTE" lines.
list_notes() {
	tui_screen | sed -n 's/^ *\([0-9][0-9]*\) .* \(\[TCP [^]]*\]\).*/\1 \2/p'
}
# tshark's notes per frame, the same way (its Info column, the first note).
ts_notes() {
	tshark -n -r "$PCAP" -T fields -e frame.number -e _ws.col.Info 2>/dev/null |
		sed -n 's/^\([0-9]*\)\t\(\[TCP [^]]*\]\).*/\1 \2/p'
}
# Rows (by frame number) drawn red on black.
red_rows() {
	tmux -L "$TUI_SOCK" capture-pane -e -p -t t | python3 "$SRCDIR/tests/tui/colour_rows.py" 31 40
}
# The frames the list shows.
list_frames() {
	tui_screen | awk '/^ *No\. /{on=1; next} on && /^─/{exit} on && $1 ~ /^[0-9]+$/ {print $1}' |
		tr '\n' ' '
}
same() { [[ "$1" == "$2" ]]; }
# Waits (3 s) until the list shows exactly these frames.
list_is() {
	for _ in $(seq 1 30); do
		[[ "$(list_frames)" == "$1" ]] && return 0
		sleep 0.1
	done
	return 1
}
apply_filter() {
	tui_keys /
	tui_wait '^filter: ' 5 || return 1
	tui_keys C-u
	tui_keys -l "$1"
	tui_keys Enter
	sleep 0.5
}

tui_start "$CAPSCOPE" -r "$PCAP"
check "the capture loads: $TOTAL/$TOTAL" tui_wait_counts "$TOTAL" "$TOTAL" 10

tui_keys z # the list alone: every row in sight
check "the list zooms" tui_wait_gone '─ Decode' 3
want=$(ts_notes)
check "tshark marks some frames (the capture is what the test needs)" test -n "$want"
check "the list's Info notes are tshark's, frame for frame" same "$(list_notes)" "$want"
bad=$(ts_frames 'tcp.analysis.flags && !tcp.analysis.window_update && !tcp.analysis.keep_alive && !tcp.analysis.keep_alive_ack')
check "rows drawn red on black are tshark's Bad TCP frames ($bad)" same "$(red_rows)" "$bad"
retr=$(ts_frames tcp.analysis.retransmission | wc -w)
lost=$(ts_frames 'tcp.analysis.lost_segment || tcp.analysis.ack_lost_segment' | wc -w)
dup=$(ts_frames tcp.analysis.duplicate_ack | wc -w)
check "the status bar counts $retr retransmissions, $lost lost, $dup dup ACKs" \
	tui_wait "TCP $retr retrans $lost lost $dup dup-ACK" 3

# Display filters that need the stream pass, against tshark's frames.
for f in 'tcp.stream == 0' 'tcp.analysis.retransmission' 'tcp.seq == 401 && tcp.len > 0' \
	'tcp.analysis.duplicate_ack_num == 2' 'tcp.analysis.ack_rtt > 0.002'; do
	want=$(ts_frames "$f")
	apply_filter "$f"
	check "filter '$f' shows tshark's frames ($want)" list_is "$want"
done
apply_filter ''
check "no filter: every packet again" tui_wait_counts "$TOTAL" "$TOTAL" 5

# The decode pane of the first packet tshark says acknowledges an earlier segment.
acker=$(tshark -n -r "$PCAP" -Y 'tcp.analysis.acks_frame && tcp.len == 0 && frame.number > 3' \
	-T fields -e frame.number -e tcp.analysis.acks_frame | head -1)
frame=${acker%%$'\t'*}
acked=${acker##*$'\t'}
tui_keys z # the three panes again
tui_keys :
tui_wait 'go to packet' 3
tui_keys -l "$frame"
tui_keys Enter
check "goto frame $frame" tui_wait "Decode - packet $frame " 3
tui_keys Tab
tui_keys z # the decode pane alone
tui_keys End
tui_keys Enter # opens the SEQ/ACK analysis (the last line)
tui_keys End
check "the stream index shows under TCP" tui_wait '^  Stream index: 0$' 3
rel=$(tshark -n -r "$PCAP" -Y "frame.number == $frame" -T fields -e tcp.ack)
check "the relative ACK number is tshark's ($rel)" tui_wait "^  Acknowledgment number: $rel\$" 3
check "the SEQ/ACK analysis names frame $acked" \
	tui_wait "^    This is an ACK to the segment in frame: $acked\$" 3
for _ in $(seq 1 40); do # up to the link line
	tmux -L "$TUI_SOCK" capture-pane -e -p -t t | grep -F $'\e[30m\e[42m' |
		grep -q 'This is an ACK' && break
	tui_keys Up
	sleep 0.05
done
tui_keys Enter
check "Enter on the link selects frame $acked" tui_wait "Decode - packet $acked " 3
check "and says where it came from" tui_wait "frame $acked, from frame $frame" 3

tui_keys q
tui_finish
