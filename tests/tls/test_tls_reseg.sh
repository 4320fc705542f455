#!/usr/bin/env bash
# test_tls_reseg.sh - TLS over segments cut anywhere, against tshark 4.0, without depending on
# how a kernel segments (issue 12: test_tls_tshark's live tls13frag.pcap flaked on that).
# tests/gen/mktls_reseg.py re-segments two real sessions kept here (reseg-tls12.pcap: TLS 1.2,
# reseg-tls13.pcap: TLS 1.3, openssl s_server/s_client on lo as mkcaps.sh makes them) at every
# offset around record boundaries, in 1- to 7-byte segments and larger ones, with crafted
# application data records (SSLv2-looking bytes, an unknown content type, a heartbeat, a
# record header inside a record, printable bytes). tlscheck.py then compares every tls.* and
# tcp.segment*/tcp.reassembled.* field and the Protocol column and Info of every TLS frame, with
# reassembly on (both tools' default) and off (--no-reassembly against
# -o tcp.desegment_tcp_streams:FALSE). tshark's TPKT and DICOM heuristics are turned off: they
# claim segments that start with the bytes they look for ('03 00', a DICOM PDU type), which
# capscope has no dissector for. A first check makes sure the captures hold the cases (tshark
# shows "Continuation Data", "Ignored Unknown Record", TLS frames with no Info without
# reassembly). Exit 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -euo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
: "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
for tool in tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
mkdir -p "$WORKDIR"
caps=()
for v in 12 13; do
	python3 "$SRCDIR/tests/gen/mktls_reseg.py" "$SRCDIR/tests/tls/reseg-tls$v.pcap" \
		"$WORKDIR/reseg-tls$v.pcap"
	caps+=("$WORKDIR/reseg-tls$v.pcap")
done
opts=(--tshark-opt=--disable-protocol=tpkt --tshark-opt=--disable-protocol=dicom)

check "the re-segmented captures hold the cases" python3 - "${caps[@]}" <<'PY'
import subprocess, sys
want_off = ['\tContinuation Data', '\tIgnored Unknown Record', 'TLSv1.3\t\n', 'TLSv1.2\t\n',
            'SSL\t\n']
off = ''
for p in sys.argv[1:]:
    off += subprocess.run(['tshark', '-n', '-r', p, '--disable-protocol', 'tpkt',
                           '--disable-protocol', 'dicom', '-o', 'tcp.desegment_tcp_streams:FALSE',
                           '-T', 'fields', '-e', '_ws.col.Protocol', '-e', '_ws.col.Info'],
                          capture_output=True, text=True).stdout
missing = [w for w in want_off if w not in off]
if missing:
    sys.exit('not in tshark\'s view: %r' % missing)
PY
check "reassembly on" python3 "$SRCDIR/tests/tls/tlscheck.py" --capscope "$CAPSCOPE" "${opts[@]}" \
	"${caps[@]}"
check "reassembly off" python3 "$SRCDIR/tests/tls/tlscheck.py" --capscope "$CAPSCOPE" "${opts[@]}" \
	--no-reassembly "${caps[@]}"
check_summary
