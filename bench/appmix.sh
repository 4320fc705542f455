#!/usr/bin/env bash
# Application-layer decoding cost (issue 12): capscope against tshark on a 1,000,000-packet mix
# of TLS 1.3, TLS 1.2, HTTP, DNS and QUIC flows, same run.
#   bench/appmix.sh [BUILD_DIR] [RUNS]        (BASE=OLD_BUILD_DIR adds the before/after rows)
# Makes (once, into bench/work/) the templates with bench/appmix_templates.sh (real openssl,
# curl and python http.server traffic in a private network namespace: needs root) and
# 900,000 packets of them with bench/gen_appmix.py, then 100,000 QUIC datagrams (handshakes with
# their own connection IDs, SNIs and ports: tests/gen/mkquic.py mix; their Initials are encrypted,
# so they are made, not copied) after them (mergecap -a) into appmix1m.pcap, warms the page
# cache, then times with hyperfine
# (median wall, mean CPU of RUNS; tshark TSHARK_RUNS times, default 1: it takes minutes):
#   capscope -r appmix1m.pcap --print          vs  tshark -n -r appmix1m.pcap      (>= 20x)
#   capscope -T fields -e tls...server_name    vs  tshark the same                 (>= 20x)
#   capscope -r mix1m.pcap --print (the UDP mix) against BASE's                    (no slower)
# Prints a Markdown table with the ratios. Needs hyperfine, tshark, python3.
set -euo pipefail
. "$(dirname "$0")/lib.sh"
OUT=$W/appmix
mkdir -p "$OUT"
TPL=$W/appmix-templates
F=$W/appmix1m.pcap
if [ ! -f "$F" ]; then
	[ -f "$TPL/tls13.pcap" ] || bash "$HERE/appmix_templates.sh" "$TPL"
	python3 "$HERE/gen_appmix.py" -n 900000 -o "$W/appmix-tcp.pcap" "$TPL/tls13.pcap:4" \
		"$TPL/tls12.pcap:2" "$TPL/http.pcap:2" "$TPL/dns.pcap:2"
	python3 "$ROOT/tests/gen/mkquic.py" mix 100000 -o "$W/appmix-quic.pcap"
	mergecap -a -F pcap -w "$F" "$W/appmix-tcp.pcap" "$W/appmix-quic.pcap"
	rm -f "$W/appmix-tcp.pcap" "$W/appmix-quic.pcap"
fi
MIX=$W/mix1m.pcap
[ -f "$MIX" ] || python3 "$GEN" mix -o "$MIX"
cat "$F" "$MIX" >/dev/null

SNI=tls.handshake.extensions_server_name
bench_run print "$RUNS" "$CS -r $F --print"
bench_run fields "$RUNS" "$CS -r $F -T fields -e $SNI"
bench_run mix "$RUNS" "$CS -r $MIX --print"
[ -n "${BASE:-}" ] && bench_run mixbase "$RUNS" "$BASE/capscope -r $MIX --print"
bench_run tprint "${TSHARK_RUNS:-1}" "tshark -n -r $F"
bench_run tfields "${TSHARK_RUNS:-1}" "tshark -n -r $F -T fields -e $SNI"

row() { # label capscope-label tshark-label
	read -r cw cc < <(bench_stat "$2")
	read -r tw tc < <(bench_stat "$3")
	python3 -c "print('| $1 | $cw | $cc | $tw | $tc | %.1fx | %.1fx |' % ($tw / $cw, $tc / $cc))"
}
snis=$("$CS" -r "$F" -T fields -e $SNI | grep -c . || true)
echo "| $(basename "$F") (1,000,000 packets, $snis with an SNI) | capscope wall s | CPU s | tshark wall s | CPU s | wall ratio | CPU ratio |"
echo "|---|---|---|---|---|---|---|"
row "--print vs tshark -r (target >= 20x)" print tprint
row "-T fields -e $SNI (target >= 20x)" fields tfields
if [ -n "${BASE:-}" ]; then
	read -r mw mc < <(bench_stat mix)
	read -r bw bc < <(bench_stat mixbase)
	echo
	echo "| mix1m.pcap --print (UDP mix) | wall s | CPU s |"
	echo "|---|---|---|"
	echo "| before ($BASE) | $bw | $bc |"
	echo "| after ($BUILD) | $mw | $mc |"
	python3 -c "print('\nafter/before CPU: %.3f (target <= 1.0 within noise)' % ($mc / $bc))"
fi
