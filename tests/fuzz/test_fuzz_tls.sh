#!/usr/bin/env bash
# test_fuzz_tls.sh - builds the TLS / TCP PDU reassembly libFuzzer harness (fuzz_tls.c) with
# clang (ASan + UBSan) and runs it for a bounded time from seeds made of the generated TLS
# captures' TCP payloads (as byte streams) and their handshake messages (as QUIC would pass
# them). Any crash, sanitizer report or field outside its bytes fails the test.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-30}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_tls
mkdir -p "$WORKDIR/seeds"
for name in tls-hello tls-split tls-lying tls-edges tls-hsfrag; do
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
    if not pay:
        continue
    sport = struct.unpack(">H", tcp[:2])[0]
    for i in range(0, len(pay), 255):  # the harness's segments carry at most 255 bytes
        chunk = pay[i:i + 255]
        stream += bytes([len(chunk), 1 if sport in (443, 8443) else 0]) + chunk
    if pay[0] == 22 and len(pay) > 5:  # the records' handshake messages, QUIC's way
        open(f"{sys.argv[2]}-hs{n}", "wb").write(b"\x01" + pay[5:])
        n += 1
open(f"{sys.argv[2]}-stream", "wb").write(b"\x00" + stream)
PY
done
fuzz_run fuzz_tls 4096 "TLS and TCP reassembly"
