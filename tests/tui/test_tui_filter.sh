#!/usr/bin/env bash
# test_tui_filter.sh - the filter bar on the real binary in tmux: libpcap's message and the
# error column for a bad filter (list unchanged, bar kept open), a good filter shrinks the
# list to tcpdump's count, history recall with Up (also in a new run, from the file under
# XDG_STATE_HOME), Esc cancels, an empty filter shows every packet, the VLAN, MPLS and PPPoE
# hints (the filter they suggest matching tcpdump's), and the
# go-to-packet prompt. Exit: 0 pass, 1 fail, 77 skipped.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tcpdump python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
export XDG_STATE_HOME="$WORKDIR/state" # never the user's own history
HIST="$XDG_STATE_HOME/capscope/filter_history"
PCAP="$WORKDIR/mixed.pcap"
VLAN="$WORKDIR/vlan.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed -o "$PCAP" || skip "mkpcap.py cannot write 'mixed'"
python3 "$SRCDIR/tests/gen/mkpcap.py" vlan-qinq -o "$VLAN" || skip "mkpcap.py cannot write 'vlan-qinq'"
count() { tcpdump_packets "$@"; }
TOTAL=$(count "$PCAP")
UDP=$(count "$PCAP" udp)
TCP=$(count "$PCAP" tcp)
((TOTAL > 0 && UDP > 0 && TCP > 0 && UDP < TOTAL)) || skip "unexpected test capture ($TOTAL/$UDP/$TCP)"

bar_is() { tui_screen | grep -Eq "^filter: $1 *( |$)"; }
bar_closed() { ! tui_screen | grep -q '^filter: '; }
counts_are() { [[ "$(tui_counts)" == "$1 $2" ]]; }

tui_start "$CAPSCOPE" -r "$PCAP"
check "the file loads: $TOTAL/$TOTAL" tui_wait_counts "$TOTAL" "$TOTAL" 20

# A bad filter: libpcap's message and the column; the list stays as it was.
tui_keys /
tui_wait '^filter: ' 5
tui_keys -l 'tcp prot 80'
check "bad filter: libpcap's message while typing" tui_wait 'syntax error' 5
tui_keys Enter
check "bad filter: the error column at Enter" tui_wait 'syntax error \(at column 5\)' 5
check "bad filter: the bar stays open" bar_is 'tcp prot 80'
check "bad filter: the list is unchanged" counts_are "$TOTAL" "$TOTAL"

# A good filter shrinks the list to what tcpdump counts.
tui_keys C-u
tui_keys -l udp
tui_keys Enter
check "udp: $UDP of $TOTAL shown" tui_wait_counts "$UDP" "$TOTAL" 20
check "udp: the bar closed" bar_closed
check "history file written" grep -qx udp "$HIST"

# Reopening pre-fills the applied filter; Up walks back through the history.
tui_keys /
check "the bar opens with the applied filter" tui_wait '^filter: udp ' 5
tui_keys C-u
tui_keys -l tcp
tui_keys Enter
check "tcp: $TCP of $TOTAL shown" tui_wait_counts "$TCP" "$TOTAL" 20
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u Up
check "Up recalls the last filter (tcp)" tui_wait '^filter: tcp ' 5
tui_keys Up
check "Up again recalls the one before (udp)" tui_wait '^filter: udp ' 5
tui_keys Down Down
check "Down past the newest gives the draft back (empty)" tui_wait '^filter: +Enter' 5

# Esc cancels: the applied filter and the list stay.
tui_keys -l icmp
tui_keys Escape
check "Esc closes the bar" tui_wait_gone '^filter: ' 5
check "Esc keeps the list ($TCP shown)" counts_are "$TCP" "$TOTAL"

# An empty filter shows every packet again.
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u Enter
check "empty filter: every packet" tui_wait_counts "$TOTAL" "$TOTAL" 20

# Go to packet 12: digits only, the decode pane follows the selection.
tui_keys :
tui_wait '^go to packet: ' 5
tui_keys -l 'x12'
check "go to: only digits are taken" tui_wait '^go to packet: 12 *$' 5
tui_keys Enter
check "go to: packet 12 is selected" tui_wait 'packet 12[^0-9]' 5
tui_keys q
check "q quits a file view at once" tui_wait '^\[exited 0\]' 10

# History survives the run: a new run recalls it from the file.
tui_start "$CAPSCOPE" -r "$PCAP"
tui_wait_counts "$TOTAL" "$TOTAL" 20
tui_keys /
tui_wait '^filter: ' 5
tui_keys Up
check "a new run recalls the history (tcp)" tui_wait '^filter: tcp ' 5
tui_keys Escape q
tui_wait '^\[exited' 10

# The VLAN trap: plain 'udp' on a capture with VLAN tags gets a hint.
tui_start "$CAPSCOPE" -r "$VLAN"
tui_wait '[0-9]+/[0-9]+ pkts' 20
tui_keys /
tui_wait '^filter: ' 5
tui_keys C-u
tui_keys -l udp
check "VLAN capture: plain 'udp' shows the hint" tui_wait "hint: .*VLAN tags.*'vlan and" 5
tui_keys -l ' and vlan'
check "VLAN capture: no hint once 'vlan' is used" tui_wait_gone 'hint:' 5
tui_keys Escape q
tui_wait '^\[exited' 10

# The same trap behind MPLS labels and PPPoE sessions; the filter the hint suggests matches
# what tcpdump's does (each 'mpls' steps over one label: the first packet has two).
for row in "mpls:MPLS:mpls:mpls and mpls and ip" "pppoe:PPPoE:pppoes:pppoes and ip"; do
	IFS=: read -r gen name word applied <<<"$row"
	cap="$WORKDIR/$gen.pcap"
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$gen" -o "$cap" || skip "mkpcap.py cannot write '$gen'"
	n_all=$(count "$cap") n_ip=$(count "$cap" "$applied")
	tui_start "$CAPSCOPE" -r "$cap"
	tui_wait_counts "$n_all" "$n_all" 20
	tui_keys /
	tui_wait '^filter: ' 5
	tui_keys C-u
	tui_keys -l ip
	check "$name capture: plain 'ip' shows the hint" tui_wait "hint: .*$name .*'$word and ip'" 5
	tui_keys C-u
	tui_keys -l "$applied"
	check "$name capture: no hint with '$applied'" tui_wait_gone 'hint:' 5
	tui_keys Enter
	check "$name capture: '$applied' shows tcpdump's $n_ip of $n_all" \
		tui_wait_counts "$n_ip" "$n_all" 10
	check "$name capture: that is not nothing" test "$n_ip" -gt 0
	tui_keys q
	tui_wait '^\[exited' 10
done

tui_finish
