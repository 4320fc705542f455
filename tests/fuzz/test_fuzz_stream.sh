#!/usr/bin/env bash
# test_fuzz_stream.sh - builds the stream tracker's libFuzzer harness (fuzz_stream.c) with clang
# (ASan + UBSan) and runs it for a bounded time from seeds made of the TCP analysis captures'
# packets (tests/gen/mkpcap.py tcpa-*), framed as the harness reads them.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-30}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_stream
mkdir -p "$WORKDIR/seeds"
for name in tcpa-loss tcpa-window tcpa-wscale tcpa-reuse tcpa-wrap tcp-handshake; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	python3 - "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
off, out = 24, b""
while off + 16 <= len(data):
    caplen = struct.unpack_from("<I", data, off + 8)[0]
    ip = data[off + 16 + 14: off + 16 + caplen]  # Ethernet header off: the harness reads IPv4
    out += struct.pack(">HB", len(ip), 1) + ip
    off += 16 + caplen
open(sys.argv[2], "wb").write(out)
PY
done
fuzz_run fuzz_stream 16384 "the stream tracker"
