#!/usr/bin/env bash
# test_fuzz_pcaprec.sh - builds the in-memory pcap parser's libFuzzer harness
# (fuzz_pcaprec.c, linking src/capture/pcaprec.c) with clang (ASan + UBSan) and runs
# it for a bounded time from seeds made of generated captures (each with a leading cut byte).
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
FUZZ_EXTRA_SRCS="$SRCDIR/src/capture/pcaprec.c" fuzz_build fuzz_pcaprec
mkdir -p "$WORKDIR/seeds"
python3 "$SRCDIR/tests/gen/mkpcap.py" mixed 20 -o "$WORKDIR/mixed.pcap" >/dev/null
for cut in 255 128 7; do
	{ printf "\\$(printf '%03o' "$cut")"; cat "$WORKDIR/mixed.pcap"; } >"$WORKDIR/seeds/mixed-$cut"
done
fuzz_run fuzz_pcaprec 65536 "the in-memory pcap parser"
