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
echo "fuzzing the stream tracker for $SECS s from $(ls "$WORKDIR/seeds" | wc -l) seeds"
cd "$WORKDIR"
if "$WORKDIR/fuzz_stream" -max_total_time="$SECS" -max_len=16384 -print_final_stats=1 \
	"$WORKDIR/seeds" >"$WORKDIR/fuzz.log" 2>&1; then
	grep -E "stat::number_of_executed_units|cov:" "$WORKDIR/fuzz.log" | tail -2
	echo "1 passed, 0 failed"
else
	tail -40 "$WORKDIR/fuzz.log"
	echo "0 passed, 1 failed"
	exit 1
fi
