#!/usr/bin/env bash
# test_fuzz_stream.sh - builds the stream tracker's libFuzzer harness (fuzz_stream.c) with clang
# (ASan + UBSan) and runs it for a bounded time from seeds made of the TCP analysis captures'
# packets (tests/gen/mkpcap.py tcpa-*) and the ICMP echo matching capture (IPv4 and IPv6),
# framed as the harness reads them.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_stream
mkdir -p "$WORKDIR/seeds"
for name in tcpa-loss tcpa-window tcpa-wscale tcpa-reuse tcpa-wrap tcp-handshake; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	fuzz_seed_pcap "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" step
done
python3 "$SRCDIR/tests/gen/mkpcap.py" icmp-echo-match -o "$WORKDIR/icmp-echo-match.pcap" >/dev/null
fuzz_seed_pcap "$WORKDIR/icmp-echo-match.pcap" "$WORKDIR/seeds/icmp-echo-match" step v6
fuzz_run fuzz_stream 16384 "the stream tracker"
