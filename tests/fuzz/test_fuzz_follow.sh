#!/usr/bin/env bash
# test_fuzz_follow.sh - builds the follow engine's libFuzzer harness (fuzz_follow.c) with clang
# (ASan + UBSan) and runs it for a bounded time from seeds made of the follow and TCP analysis
# captures' packets (tests/gen/mkpcap.py follow-*, tcpa-*), framed as the harness reads them.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
fuzz_build fuzz_follow
mkdir -p "$WORKDIR/seeds"
for name in follow-gap follow-retrans follow-ooo follow-wrap follow-udp follow-snaplen tcpa-loss tcpa-wrap; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/$name.pcap" >/dev/null
	fuzz_seed_pcap "$WORKDIR/$name.pcap" "$WORKDIR/seeds/$name" proto
done
fuzz_run fuzz_follow 16384 "the follow engine"
