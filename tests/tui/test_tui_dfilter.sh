#!/usr/bin/env bash
# test_tui_dfilter.sh - display filters in the monitor, on the real binary in tmux: the bar
# tells a display filter from BPF while typing, an unknown field is refused with the column
# and a suggestion (the list unchanged, the bar open), Tab completes a field name and says
# its type, a display filter shrinks the list to exactly tshark's count for the same filter,
# and in the decode pane f filters on the selected field and F adds the next with &&, each
# matching tshark's count. Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=150 # room for the reasons beside the typed filter
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tshark; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
PCAP="$SRCDIR/assets/demo.pcap"
# Frames tshark keeps for a display filter.
ts_count() { tshark -n -r "$PCAP" -Y "$1" 2>/dev/null | wc -l; }
TOTAL=$(ts_count frame)
((TOTAL > 50)) || skip "unexpected demo capture ($TOTAL packets by tshark)"
bar_is() { tui_wait "^filter: $1" 3; }
# The decode pane's selected line (drawn black on green), as text.
selected_line() {
	tmux -L "$TUI_SOCK" capture-pane -e -p -t t | grep -F $'\e[30m\e[42m' | head -1 |
		sed 's/\x1b\[[0-9;]*m//g'
}
# Moves the decode pane's cursor from its first line down to the line matching REGEX.
select_field() {
	tui_keys g
	for _ in $(seq 1 80); do
		sleep 0.05
		selected_line | grep -Eq -- "$1" && return 0
		tui_keys j
	done
	return 1
}

tui_start "$CAPSCOPE" -r "$PCAP"
check "the demo capture loads: $TOTAL/$TOTAL" tui_wait_counts "$TOTAL" "$TOTAL" 20

# An unknown field: the reason names it, suggests the real one and gives the column.
tui_keys /
tui_wait '^filter: ' 5
tui_keys -l 'udp.dstport == 53 && ip.sorce == 10.0.0.1'
check "unknown field: said while typing, with a suggestion" \
	tui_wait 'column 22: unknown field "ip.sorce" \(did you mean ip.src\?\)' 5
tui_keys Enter
check "unknown field: the bar stays open" bar_is 'udp.dstport == 53 && ip.sorce'
check "unknown field: the list is unchanged" tui_wait_counts "$TOTAL" "$TOTAL" 2

# Tab completes a field name and says what it is.
tui_keys C-u
tui_keys -l 'dns.qry.na'
tui_keys Tab
check "Tab completes dns.qry.na to dns.qry.name" bar_is 'dns.qry.name '
check "Tab lists the names that start so" tui_wait '2 names: dns\.qry\.name +dns\.qry\.name\.len' 3
tui_keys -l '.l'
tui_keys Tab
check "Tab says a lone match's type and description" \
	tui_wait 'dns\.qry\.name\.len +an unsigned integer +Name Length' 3
tui_keys BSpace BSpace BSpace BSpace # back to dns.qry.name
tui_keys -l ' contains "exam" && udp.srcport > 40000'
check "the bar says it is a display filter" tui_wait 'display filter +Enter apply' 3
DNS=$(ts_count 'dns.qry.name contains "exam" && udp.srcport > 40000')
tui_keys Enter
check "display filter: $DNS of $TOTAL shown, as tshark" tui_wait_counts "$DNS" "$TOTAL" 10
check "display filter: the status bar shows it" tui_wait 'filter: dns\.qry\.name contains' 3

# BPF still reads as BPF.
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l 'len > 100'
check "the bar says BPF for a BPF expression" tui_wait 'BPF +Enter apply' 3
tui_keys Escape

# f on the selected field of the decode pane, then F to add another with &&.
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u Enter
tui_wait_counts "$TOTAL" "$TOTAL" 10
tui_keys g j j Enter # packet 3; the decode pane, its first line (the frame)
tui_wait 'Decode - packet 3' 5
check "the decode pane selects the source address" select_field '^ *([+-] )?Source: 02:00:00:00:00:0a'
tui_keys f
SRC=$(ts_count 'eth.src == 02:00:00:00:00:0a')
check "f: the filter is eth.src == ..." tui_wait 'filter: eth\.src == 02:00:00:00:00:0a' 5
check "f: $SRC of $TOTAL shown, as tshark" tui_wait_counts "$SRC" "$TOTAL" 10
tui_keys : # packet 3 again (the new filter selected its first row)
tui_wait '^go to packet' 5
tui_keys -l 3
tui_keys Enter
tui_wait 'Decode - packet 3' 5
check "the decode pane selects the time to live" select_field '^ *([+-] )?Time to live: 64'
tui_keys F
TTL=$(ts_count '(eth.src == 02:00:00:00:00:0a) && ip.ttl == 64')
check "F: the field is added with &&" tui_wait 'filter: \(eth\.src == 02:00:00:00:00:0a\) && ip\.ttl == 64' 5
check "F: $TTL of $TOTAL shown, as tshark" tui_wait_counts "$TTL" "$TOTAL" 10
tui_keys q
tui_wait '\[exited 0\]' 5
tui_finish
