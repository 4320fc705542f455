#!/usr/bin/env bash
# test_ja4.sh - tls.handshake.ja4 (tshark 4.0 has no JA4) against the JA4 spec
# (FoxIO-LLC/ja4, technical_details/JA4.md). The capture tls-ja4 (tests/gen/mkpcap_tls.py) holds
# the spec's worked example as ClientHellos, and the working is redone here from the spec:
#   ciphers, GREASE left out, sorted, 4-digit hex joined by ',':
#     002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9
#     SHA-256 -> 8daaf6152771... (the spec's value)
#   extensions sorted without SNI (0000) and ALPN (0010), '_', signature algorithms in order:
#     0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01_0403,0804,...,0601
#     SHA-256 -> e5627efa2ab1... (the spec's value); without signature algorithms no '_':
#     -> 6d807ffa2a79 (the spec's value)
#   a: t, 13 (supported_versions' highest), d (SNI), 15 ciphers, 16 extensions, h2 (ALPN)
# Frame 3's hello has no SNI (i, 15 extensions) and a first ALPN value 0x30 0xab: its last byte
# is not alphanumeric, so the hex digits' first and last, "3b", are used (the spec's example).
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}" "${CAPSCOPE:?}"
. "$SRCDIR/tests/lib/check.sh"
mkdir -p "$WORKDIR"
cap="$WORKDIR/tls-ja4.pcap"
python3 "$SRCDIR/tests/gen/mkpcap.py" tls-ja4 -o "$cap"

# the working, from the spec's lists
sha12() { printf '%s' "$1" | sha256sum | cut -c1-12; }
ciphers=002f,0035,009c,009d,1301,1302,1303,c013,c014,c02b,c02c,c02f,c030,cca8,cca9
exts=0005,000a,000b,000d,0012,0015,0017,001b,0023,002b,002d,0033,4469,ff01
sigs=0403,0804,0401,0503,0805,0501,0806,0601
check "cipher hash is the spec's 8daaf6152771" test "$(sha12 "$ciphers")" = 8daaf6152771
check "extension hash is the spec's e5627efa2ab1" test "$(sha12 "${exts}_$sigs")" = e5627efa2ab1
check "extension hash without signature algorithms is the spec's 6d807ffa2a79" \
	test "$(sha12 "$exts")" = 6d807ffa2a79

want=$(printf '%s\n' \
	"t13d1516h2_8daaf6152771_e5627efa2ab1" \
	"t13d1516h2_8daaf6152771_6d807ffa2a79" \
	"t13i15153b_8daaf6152771_e5627efa2ab1")
got=$("$CAPSCOPE" -r "$cap" -Y tls.handshake.type==1 -T fields -e tls.handshake.ja4)
check "capscope's tls.handshake.ja4 of the three hellos" test "$got" = "$want"
[[ "$got" == "$want" ]] || printf 'got:\n%s\nwant:\n%s\n' "$got" "$want"
# reassembly off changes nothing for a hello in one segment
got=$("$CAPSCOPE" -r "$cap" --no-reassembly -Y tls.handshake.type==1 -T fields -e tls.handshake.ja4)
check "the same with --no-reassembly" test "$got" = "$want"
check_summary
