#!/usr/bin/env bash
# test_tls_tshark.sh - TLS and TCP PDU reassembly against tshark 4.0 (tlscheck.py: every tls.*,
# tcp.segment* and tcp.reassembled.* field byte for byte, and the Protocol column and Info of
# the TLS frames), with reassembly on (both tools' default) and off (--no-reassembly against
# -o tcp.desegment_tcp_streams:FALSE):
#   1. the generated captures tls-hello, tls-split, tls-lying, tls-ja4, tls-edges, tls-hsfrag,
#      reasm-gap (a TLS record and an HTTP body whose middle segment is lost, comes after the
#      next one or after the next PDU: tshark 4.0's segments after the gap and its reassembled
#      fields when the lost bytes come late) (tests/gen/mkpcap_tls.py; tlscheck.py explains
#      the reassembly bounds' differences);
#   2. live, inside a private network namespace (mkcaps.sh): openssl s_server/s_client
#      handshakes, TLS 1.2 (SNI, ALPN http/1.1), TLS 1.3 (SNI, ALPN h2), a ClientHello over two
#      segments (lo MTU 400, a 190-byte name, eight groups), a HelloRetryRequest, and handshake
#      messages over several records (tls_hsr.c): a TLS 1.2 server's two-certificate chain in
#      records of 512 bytes, a TLS 1.3 ClientHello past one 512-byte record. Skipped as
#      a part (counted) without root, namespaces, openssl, tcpdump or ethtool.
# Exit 0 pass, 1 fail, 77 skipped (no tshark or python3).
set -euo pipefail
: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
source "$SRCDIR/tests/lib/netns.sh"
NETNS_SCRIPT=$0
CHECKER="$SRCDIR/tests/tls/tlscheck.py"

if [[ "${CAPSCOPE_IN_NETNS:-}" == 1 ]]; then
	# inside the namespace: only make the captures (capscope and tshark run outside)
	bash "$SRCDIR/tests/tls/mkcaps.sh" "$WORKDIR/live"
	exit 0
fi
: "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
for tool in tshark python3; do
	command -v "$tool" >/dev/null || { echo "SKIP: $tool is not installed"; exit 77; }
done
mkdir -p "$WORKDIR/gen"
gen=()
for n in tls-hello tls-split tls-lying tls-ja4 tls-edges tls-hsfrag reasm-gap; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$n" -o "$WORKDIR/gen/$n.pcap"
	gen+=("$WORKDIR/gen/$n.pcap")
done
check "generated, reassembly on" python3 "$CHECKER" --capscope "$CAPSCOPE" "${gen[@]}"
check "generated, reassembly off" python3 "$CHECKER" --capscope "$CAPSCOPE" --no-reassembly \
	"${gen[@]}"

if netns_possible openssl tcpdump ethtool ss; then
	rm -rf "$WORKDIR/live"
	if netns_run 180 -n && ls "$WORKDIR"/live/*.pcap >/dev/null 2>&1; then
		live=("$WORKDIR"/live/tls12.pcap "$WORKDIR"/live/tls13.pcap "$WORKDIR"/live/tls13big.pcap
			"$WORKDIR"/live/tls13hrr.pcap "$WORKDIR"/live/tls12chain.pcap
			"$WORKDIR"/live/tls13frag.pcap)
		check "live captures hold their handshakes" python3 - "${live[@]}" <<'PY'
import subprocess, sys
want = {'tls12.pcap': 'Server Hello', 'tls13.pcap': 'Server Hello',
        'tls13big.pcap': 'reassembled PDU', 'tls13hrr.pcap': 'Hello Retry Request',
        'tls12chain.pcap': '[Certificate Fragment], Certificate',
        'tls13frag.pcap': '[Client Hello Fragment], Client Hello'}
for p in sys.argv[1:]:
    out = subprocess.run(['tshark', '-n', '-r', p], capture_output=True, text=True).stdout
    if want[p.rsplit('/', 1)[1]] not in out:
        sys.exit('%s: no %r in tshark\'s view' % (p, want[p.rsplit('/', 1)[1]]))
PY
		check "live, reassembly on" python3 "$CHECKER" --capscope "$CAPSCOPE" "${live[@]}"
		check "live, reassembly off" python3 "$CHECKER" --capscope "$CAPSCOPE" --no-reassembly \
			"${live[@]}"
	else
		bad "the live handshakes were not captured"
	fi
fi
check_summary
