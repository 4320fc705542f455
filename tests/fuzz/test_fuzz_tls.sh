#!/usr/bin/env bash
# test_fuzz_tls.sh - builds the TLS / TCP PDU reassembly libFuzzer harness (fuzz_tls.c) with
# clang (ASan + UBSan) and runs it for a bounded time from seeds made of the generated TLS and
# HTTP captures' TCP payloads (as byte streams, FINs marked: HTTP bodies until the FIN) and the
# TLS handshake messages (as QUIC would pass them). Any crash, sanitizer report or field outside its bytes fails the test.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_tls
mkdir -p "$WORKDIR/seeds"
for name in tls-hello tls-split tls-lying tls-edges tls-hsfrag http-split http-until-fin http-chunked; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	python3 - "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, stream, n = 24, b"", 0
while off + 16 <= len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    pkt = data[off + 16: off + 16 + caplen]
    off += 16 + caplen
    ip = pkt[14:]
    if len(ip) < 40 or ip[9] != 6:
        continue
    tcp = ip[(ip[0] & 15) * 4:]
    pay = tcp[(tcp[12] >> 4) * 4: struct.unpack(">H", ip[2:4])[0] - (ip[0] & 15) * 4]
    fin = tcp[13] & 1
    if not pay and not fin:
        continue
    sport = struct.unpack(">H", tcp[:2])[0]
    side = 1 if sport in (443, 8443, 80) else 0  # the server's direction
    for i in range(0, max(len(pay), 1), 255):  # the harness's segments carry at most 255 bytes
        chunk = pay[i:i + 255]
        last = i + 255 >= len(pay)
        stream += bytes([len(chunk), side | (8 if fin and last else 0)]) + chunk
    if len(pay) > 5 and pay[0] == 22:  # the records' handshake messages, QUIC's way
        open(f"{sys.argv[2]}-hs{n}", "wb").write(b"\x01" + pay[5:])
        n += 1
# HTTP streams on port 5555 (first byte 2): on 443 they would be taken for TLS
first = b"\x02" if "/http-" in sys.argv[1] else b"\x00"
open(f"{sys.argv[2]}-stream", "wb").write(first + stream)
PY
done
fuzz_run fuzz_tls 4096 "TLS and TCP reassembly"
