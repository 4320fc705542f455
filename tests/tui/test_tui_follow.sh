#!/usr/bin/env bash
# test_tui_follow.sh - Follow stream and the TCP streams table in the monitor, on the real
# binary in tmux, against tshark's follow of the same stream: a capture with gaps
# (tests/gen/mkpcap.py follow-gap). e opens the view on the selected packet's stream: both
# nodes with tshark's endpoints and byte counts, node A red and node B blue, tshark's
# "[N bytes missing in capture file]" notes; m cycles the modes; / finds text; d shows one
# direction; w saves it (the bytes equal tshark's raw follow of that node); Enter selects the
# packet that carried the line; f filters the list to tcp.stream == 0 (tshark's count). The
# conversations pane's TCP streams view lists the stream with its totals and Enter follows it.
# Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=130
TUI_H=40
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tshark python3 xxd; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
PCAP="$WORKDIR/gap.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" follow-gap -o "$PCAP" || skip "mkpcap.py cannot make follow-gap"
TOTAL=$(tshark -n -r "$PCAP" | wc -l)
tshark -n -r "$PCAP" -q -z follow,tcp,raw,0 >"$WORKDIR/raw.txt"
tshark -n -r "$PCAP" -q -z follow,tcp,ascii,0 >"$WORKDIR/ascii.txt"
node0=$(sed -n 's/^Node 0: //p' "$WORKDIR/raw.txt")
node1=$(sed -n 's/^Node 1: //p' "$WORKDIR/raw.txt")
# Payload bytes (hex) of one node from tshark's raw follow: node 1's lines start with a tab;
# a gap is a line holding the hex of its "[N bytes missing in capture file]" note.
raw_bytes() { # NODE
	python3 - "$1" "$WORKDIR/raw.txt" <<'PY'
import re, sys
node, out = int(sys.argv[1]), []
lines = open(sys.argv[2]).read().split("\n")
for line in lines[6:]:
    if not line or line.startswith("="):
        continue
    if line.startswith("\t") != (node == 1):
        continue
    data = bytes.fromhex(line.strip())
    if not re.fullmatch(rb"\[\d+ bytes missing in capture file\]\x00", data):
        out.append(line.strip())
print("".join(out), end="")
PY
}
bytes0=$(($(raw_bytes 0 | wc -c) / 2))
bytes1=$(($(raw_bytes 1 | wc -c) / 2))
mapfile -t gaps < <(grep -o '\[[0-9]* bytes missing in capture file\]' "$WORKDIR/ascii.txt")

same() { [[ "$1" == "$2" ]]; }
# Waits (3 s) until the selected line matches REGEX.
selected_is() {
	for _ in $(seq 1 30); do
		selected_line | grep -Eq -- "^$1" && return 0
		sleep 0.1
	done
	return 1
}
# The selected line (black on green) as text.
selected_line() {
	tmux -L "$TUI_SOCK" capture-pane -e -p -t t | grep -F $'\e[30m\e[42m' | head -1 |
		sed 's/\x1b\[[0-9;]*m//g'
}
# Lines of the screen drawn in colour FG (on any background), as text.
lines_in() { # FG
	tmux -L "$TUI_SOCK" capture-pane -e -p -t t | python3 "$SRCDIR/tests/tui/colour_rows.py" "$1" - --lines
}

tui_start "$CAPSCOPE" -r "$PCAP"
check "the capture loads: $TOTAL/$TOTAL" tui_wait_counts "$TOTAL" "$TOTAL" 10
tui_keys e
check "e opens the follow view of tcp.stream 0" tui_wait '^─ Follow TCP stream 0: ' 3
check "with tshark's endpoints and byte counts ($node0 $bytes0, $node1 $bytes1)" \
	tui_wait "A $node0 \\($bytes0 bytes\\) <> B $node1 \\($bytes1 bytes\\)" 3
for g in "${gaps[@]}"; do
	check "tshark's note $g shows" tui_wait "^\\[${g//[^0-9]/} bytes missing in capture file\\]" 3
done
check "node A's request line is red" bash -c '[[ "$1" == *"after the first gap"* ]]' _ "$(lines_in 31)"
check "node B's response is blue" bash -c '[[ "$1" == *"HTTP/1.1 200 OK"* ]]' _ "$(lines_in 34)"

tui_keys m
check "m: UTF-8" tui_wait '\| UTF-8, both ways' 3
tui_keys m
check "m: hex dump (offset, hex bytes, text)" tui_wait '^00000000  47 45 54 20 2f 6f 6e 65 ' 3
tui_keys m
check "m: raw hex" tui_wait '^474554202f6f6e65' 3
tui_keys m
check "m: back to ASCII" tui_wait '\| ASCII, both ways' 3

tui_keys /
check "/ asks what to search" tui_wait '^search:' 3
tui_keys -l 'body'
tui_keys Enter
check "the match becomes the selected line" selected_is 'body\>' 

# Enter: the packet that carried the line.
carrier=$(tshark -n -r "$PCAP" -Y 'tcp.payload contains "body"' -T fields -e frame.number | head -1)
tui_keys Enter
check "Enter selects packet $carrier, which carried it" tui_wait "Decode - packet $carrier " 3

# One direction, saved: the bytes are tshark's raw follow of node 0.
tui_keys e
tui_wait '^─ Follow TCP stream 0: ' 3
tui_keys d
check "d: A>B only" tui_wait '\| ASCII, A>B only' 3
check "B's lines are gone" tui_wait_gone 'HTTP/1.1 200 OK' 3
tui_keys w
check "w asks where to save" tui_wait '^save to: tcp-stream-0-a2b.bin' 3
tui_keys C-u
tui_keys -l "$WORKDIR/a2b.bin"
tui_keys Enter
check "the save is reported" tui_wait "saved $bytes0 payload bytes \\(A>B\\)" 3
check "the file holds node A's bytes as tshark's raw follow" \
	same "$(xxd -p "$WORKDIR/a2b.bin" 2>/dev/null | tr -d '\n')" "$(raw_bytes 0)"

# f: the list filtered to the stream.
tui_keys f
want=$(tshark -n -r "$PCAP" -Y 'tcp.stream == 0' | wc -l)
check "f filters the list to tcp.stream == 0 ($want packets)" tui_wait_counts "$want" "$TOTAL" 5
check "the filter bar says so" tui_wait 'filter: tcp\.stream == 0' 3

# The TCP streams table.
tui_keys c
tui_wait 'Conversations: ' 3
for _ in 1 2 3; do tui_keys v; done
check "v reaches the TCP streams view" tui_wait 'Conversations: TCP streams' 3
pk0=$(tshark -n -r "$PCAP" -Y "tcp.stream == 0 && ip.src == ${node0%:*}" | wc -l)
ep0=${node0%:*}.${node0##*:} # as the list writes endpoints: 10.0.0.1.40100
ep1=${node1%:*}.${node1##*:}
check "stream 0 is listed, A $ep0, B $ep1, $pk0 packets A>B" \
	tui_wait "^ +0 ${ep0//./\\.} +${ep1//./\\.} +$pk0 " 3
fins=$(tshark -n -r "$PCAP" -Y 'tcp.stream == 0 && tcp.flags.fin == 1' -T fields -e ip.src | sort -u | wc -l)
rsts=$(tshark -n -r "$PCAP" -Y 'tcp.stream == 0 && tcp.flags.reset == 1' | wc -l)
state=$( ((rsts)) && echo reset || { ((fins == 2)) && echo closed; } || { ((fins == 1)) && echo half-closed; } || echo open)
check "its state is $state (FINs from $fins side(s), $rsts RST)" tui_wait " $state\$" 3
tui_keys Tab
tui_keys Tab
tui_keys Enter
check "Enter on it follows the stream" tui_wait '^─ Follow TCP stream 0: ' 3
tui_keys q
check "q closes the view (the monitor stays)" tui_wait_gone '^─ Follow TCP' 3
tui_keys q
tui_finish
