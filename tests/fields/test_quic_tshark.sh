#!/usr/bin/env bash
# test_quic_tshark.sh - QUIC against tshark on the captures of tests/gen/mkquic.py: every
# quic.* catalogue field with the SNI and ALPN tshark reads from the decrypted ClientHello
# (tls.handshake.extensions_server_name, tls.handshake.extensions_alpn_str), byte for byte
# with -T fields; and the Info column (--print shows it for IPv6: quic-v6, quic-vn,
# quic-bad) against tshark's _ws.col.Info. The TLS fields come from the decrypted CRYPTO
# stream (quic-split: a ClientHello across two Initials; quic-retry and quic-bad: a stream
# start seen again is not decoded again); a build without them counts that part as skipped.
# quic-drafts and the handshake in draft versions (mkquic.py --version) check the drafts'
# Initial salts (draft-22's up to 22, draft-23's to 28, draft-29's to 32).
# Env: CAPSCOPE, SRCDIR, WORKDIR. Exit 77 without the binary, tshark, python3 or
# python3-cryptography.
set -uo pipefail

: "${SRCDIR:=$(cd "$(dirname "$0")/../.." && pwd)}"
: "${WORKDIR:=$(mktemp -d)}"
. "$SRCDIR/tests/lib/require.sh"
require_capscope
require_tools tshark python3
python3 -c 'import cryptography' 2>/dev/null ||
	{ echo "SKIP: python3-cryptography is not installed (tests/deps.sh)"; exit 77; }
. "$SRCDIR/tests/lib/check.sh"
GEN="$SRCDIR/tests/gen/mkquic.py"
mkdir -p "$WORKDIR"

quic=$("$CAPSCOPE" --list-fields | awk -F'\t' '$1 == "F" && $3 ~ /^quic\./ {print $3}')
fields=()
for f in $quic; do fields+=(-e "$f"); done
tls=(tls.handshake.extensions_server_name tls.handshake.extensions_alpn_str)
have_tls=1
for f in "${tls[@]}"; do
	"$CAPSCOPE" --list-fields | awk -F'\t' -v f="$f" '$3 == f {found = 1} END {exit !found}' ||
		have_tls=0
done
if [[ $have_tls == 1 ]]; then
	fields+=(-e "${tls[0]}" -e "${tls[1]}")
fi

same_fields() {
	diff <(tshark -n -r "$1" -T fields "${fields[@]}" 2>/dev/null) \
		<("$CAPSCOPE" -r "$1" -T fields "${fields[@]}" 2>&1)
}
same_info() { # capture, sed script of lines left out; the Info after capscope's "len:N "
	diff <(tshark -n -r "$1" -T fields -e _ws.col.Info 2>/dev/null | sed "$2") \
		<("$CAPSCOPE" -r "$1" --print | sed -E 's/^.* (QUIC|UDP) len:[0-9]+ ?//' | sed "$2" |
			sed -E 's/ \[truncated quic\]/[Malformed Packet]/')
}

for n in $(python3 "$GEN" --list); do
	[[ $n == mix ]] && continue
	python3 "$GEN" "$n" -o "$WORKDIR/$n.pcap"
	check "$n: quic.* fields as tshark's" same_fields "$WORKDIR/$n.pcap"
done
python3 "$GEN" mix 60 -o "$WORKDIR/mix.pcap"
check "mix 60: quic.* fields as tshark's" same_fields "$WORKDIR/mix.pcap"
check "quic-v6: Info as tshark's" same_info "$WORKDIR/quic-v6.pcap" ''
# Lines left out: capscope's UDP summary is not tshark's ("length 31", "443 → 50002 Len=31"):
# the Version Negotiation that comes first is UDP to both, and quic-bad's third datagram,
# whose token length lies, keeps UDP's Info in tshark (capscope shows no Info for it)
check "quic-drafts: Info as tshark's (drafts 21-29, mvfst: each draft salt)" same_info \
	"$WORKDIR/quic-drafts.pcap" ''
# the handshake in each draft salt's first and last draft (mkquic.py --version)
for v in 0xff000015 0xff000016 0xff000017 0xff00001c 0xfaceb002; do
	python3 "$GEN" handshake --version "$v" -o "$WORKDIR/handshake-$v.pcap"
	check "handshake in version $v: fields as tshark's" same_fields "$WORKDIR/handshake-$v.pcap"
done
check "quic-vn: Info as tshark's (QUIC lines)" same_info "$WORKDIR/quic-vn.pcap" 1d
check "quic-bad: Info as tshark's (QUIC lines but the malformed one)" same_info \
	"$WORKDIR/quic-bad.pcap" '3d;5d'
if [[ $have_tls == 0 ]]; then
	part_skipped "tls.handshake.extensions_server_name/alpn_str: capscope has no TLS handshake parser"
fi
check_summary
