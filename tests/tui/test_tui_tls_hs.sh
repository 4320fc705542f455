#!/usr/bin/env bash
# test_tui_tls_hs.sh - TLS handshake messages across records in the monitor's decode pane, on
# the real binary in tmux (tests/gen/mkpcap.py tls-hsfrag): the pane runs the packet's stream
# before decoding it (model_stream_prepare), so frame 10, whose record ends a Certificate that
# began in frames 7 and 9, shows the message decoded whole with its fragments, as headless
# -T fields gives them (the fragments' node, the Certificates Length); frame 6 ends a ClientHello of three records (its SNI).
# Exit: 0 pass, 1 fail, 77 skipped (tmux or python3 missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=160
TUI_H=250 # the zoomed decode pane, TLS at its bottom
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
PCAP="$WORKDIR/hsfrag.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" tls-hsfrag -o "$PCAP" >/dev/null || skip "no tls-hsfrag"
total=$("$CAPSCOPE" -r "$PCAP" --print | wc -l)
# headless's value of field $2 in frame $1
field() { "$CAPSCOPE" -r "$PCAP" -T fields -e "$2" | sed -n "$1p"; }
count10=$(field 10 tls.handshake.fragment.count)
certs10=$(field 10 tls.handshake.certificates_length)
count6=$(field 6 tls.handshake.fragment.count)
sni6=$(field 6 tls.handshake.extensions_server_name)
check "headless reassembles frame 10's Certificate (3 fragments, 1014 bytes)" \
	test "$count10 $certs10" == "3 1014"
check "headless reassembles frame 6's ClientHello (3 fragments, frag.example)" \
	test "$count6 $sni6" == "3 frag.example"

# Selects frame $1 (from the first) and zooms its decode pane.
decode_of() {
	tui_start "$CAPSCOPE" -r "$PCAP"
	tui_wait_counts "$total" "$total" 10 || return 1
	tui_keys g
	for _ in $(seq 2 "$1"); do tui_keys Down; done
	tui_keys Tab z
	tui_wait "Decode - packet $1" 5
}
check "frame 10's decode pane opens" decode_of 10
check "it shows the fragments' node (collapsed)" tui_wait "Reassembled Handshake Fragments" 5
check "it shows the certificates' length" tui_wait "Certificates Length: $certs10" 5
check "frame 6's decode pane opens" decode_of 6
check "it shows the reassembled ClientHello's SNI" tui_wait "Server Name: $sni6" 5
tui_finish
