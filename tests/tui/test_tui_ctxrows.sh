#!/usr/bin/env bash
# test_tui_ctxrows.sh - list rows that need the packets before them (model_ctxrows.c), on the
# real binary in tmux, against headless --print on the same generated captures.
# TCP reassembly: tls-split (a ClientHello over two segments), tls-hsfrag (handshake
# messages across records), http-split, http-until-fin, http-chunked and reasm-gap (PDUs
# after a lost segment): every row's Protocol and Info equal --print's, which fails on a
# list that decodes each row alone ("SSL" with no Info, "TCP ... length 143").
# QUIC (tests/gen/mkquic.py): the list's Protocol and Info of every
# row equal --print's (quic-v6: Initials, a server Handshake, short headers; quic-retry: a
# Retry, the client's second Initial, the server's Initial and a short header), which needs
# the connection state the stream pass keeps (model_ctxrows.c): alone, a server's packets and
# short headers are not QUIC. quic-handshake is IPv4, whose --print line is WinPcap's UDPdump
# format without an Info: its rows are compared with tshark's columns instead. The decode
# pane of quic-retry's server Initial (frame 4) shows its decrypted ServerHello (Handshake
# Type: 2), made with the keys of the client's DCID from frame 3.
# Exit: 0 pass, 1 fail, 77 skipped (tmux, python3 with python3-cryptography or tshark missing).
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
TUI_W=240
TUI_H=60
source "$SRCDIR/tests/tui/lib.sh"

[[ -n "${CAPSCOPE:-}" && -x "$CAPSCOPE" ]] || skip "CAPSCOPE (the built binary) is not set"
for tool in tmux tshark python3; do
	command -v "$tool" >/dev/null || skip "$tool is missing"
done
rm -rf "$WORKDIR" && mkdir -p "$WORKDIR"
for n in quic-v6 quic-retry quic-handshake tls-split tls-hsfrag http-split http-until-fin \
	http-chunked reasm-gap; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$n" -o "$WORKDIR/$n.pcap" >/dev/null 2>&1 ||
		skip "mkpcap.py cannot make $n (python3-cryptography: tests/deps.sh)"
done

# "FRAME|PROTOCOL|INFO" of every list row (the list zoomed), spaces in Info collapsed.
list_rows() {
	tui_screen | awk '/^ *No\. /{on=1; next} on && /^─/{exit}
		on && $1 ~ /^[0-9]+$/ && NF >= 6 {
			s = $1 "|" $5 "|"; for (i = 7; i <= NF; i++) s = s (i > 7 ? " " : "") $i; print s }'
}
# The same from headless --print (TIME SRC -> DST PROTO len:N INFO).
print_rows() {
	"$CAPSCOPE" -r "$1" --print | awk '{
		s = NR "|" $5 "|"; for (i = 7; i <= NF; i++) s = s (i > 7 ? " " : "") $i; print s }'
}
# The same from tshark's columns.
tshark_rows() {
	tshark -n -r "$1" -T fields -e frame.number -e _ws.col.Protocol -e _ws.col.Info 2>/dev/null |
		awk -F'\t' '{ n = split($3, w, " "); s = $1 "|" $2 "|";
			for (i = 1; i <= n; i++) s = s (i > 1 ? " " : "") w[i]; print s }'
}
same() { [[ "$1" == "$2" ]]; }
# Waits (5 s) until the zoomed list shows these rows.
rows_are() {
	for _ in $(seq 1 50); do
		[[ "$(list_rows)" == "$1" ]] && return 0
		sleep 0.1
	done
	echo "list:"
	list_rows
	echo "want:"
	echo "$1"
	return 1
}

for n in quic-v6 quic-retry quic-handshake; do
	pcap="$WORKDIR/$n.pcap"
	total=$(tshark -n -r "$pcap" 2>/dev/null | wc -l)
	if [[ $n == quic-handshake ]]; then
		want=$(tshark_rows "$pcap")
		what="tshark's columns"
	else
		want=$(print_rows "$pcap")
		what="--print's"
	fi
	tui_start "$CAPSCOPE" -r "$pcap"
	check "$n: the capture loads ($total packets)" tui_wait_counts "$total" "$total" 10
	tui_keys z
	check "$n: the list zooms" tui_wait_gone '─ Decode' 3
	check "$n: QUIC on every row (a server's packets too)" \
		test "$(grep -c '|QUIC|' <<<"$want")" -eq "$total"
	check "$n: every row's Protocol and Info are $what" rows_are "$want"
done

TUI_H=120 # http-until-fin's 100 rows on one screen
for n in tls-split tls-hsfrag http-split http-until-fin http-chunked reasm-gap; do
	pcap="$WORKDIR/$n.pcap"
	total=$(tshark -n -r "$pcap" 2>/dev/null | wc -l)
	want=$(print_rows "$pcap")
	tui_start "$CAPSCOPE" -r "$pcap"
	check "$n: the capture loads ($total packets)" tui_wait_counts "$total" "$total" 10
	tui_keys z
	check "$n: the list zooms" tui_wait_gone '─ Decode' 3
	check "$n: every row's Protocol and Info are --print's (reassembled)" rows_are "$want"
done

# The display filter sees the same fields: the frames it keeps equal headless -Y's (a server
# name in a ClientHello over two segments, a Certificate across records, a ServerHello in a
# server Initial, HTTP responses until the FIN, the reassembled length after a gap).
frames_are() { # the list's frame numbers, space-separated, within 5 s
	for _ in $(seq 1 50); do
		[[ "$(list_rows | cut -d'|' -f1 | tr '\n' ' ')" == "$1" ]] && return 0
		sleep 0.1
	done
	echo "list: $(list_rows | cut -d'|' -f1 | tr '\n' ' ') want: $1"
	return 1
}
for c in 'tls-split|tls.handshake.extensions_server_name == "split.example"' \
	'tls-hsfrag|tls.handshake.type == 11' 'quic-retry|tls.handshake.type == 2' \
	'http-until-fin|http.response.code == 200' 'reasm-gap|tcp.reassembled.length'; do
	n=${c%%|*} f=${c#*|}
	want=$("$CAPSCOPE" -r "$WORKDIR/$n.pcap" -Y "$f" -T fields -e frame.number | tr '\n' ' ')
	total=$("$CAPSCOPE" -r "$WORKDIR/$n.pcap" --print | wc -l)
	tui_start "$CAPSCOPE" -r "$WORKDIR/$n.pcap"
	check "$n: the capture loads ($total packets)" tui_wait_counts "$total" "$total" 10
	tui_keys z /
	tui_wait '^filter: ' 5 >/dev/null
	tui_keys -l "$f"
	tui_keys Enter
	check "$n: filter $f keeps frames ${want:-none} as -Y does" test -n "$want"
	check "$n: the list shows them" frames_are "$want"
done

TUI_H=60
tui_start "$CAPSCOPE" -r "$WORKDIR/quic-retry.pcap"
check "quic-retry loads" tui_wait_counts 5 5 10
tui_keys g Down Down Down Tab z
check "the decode pane of frame 4 shows its decrypted ServerHello" \
	tui_wait 'Handshake Type: 2' 5
tui_finish
