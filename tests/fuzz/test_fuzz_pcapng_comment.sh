#!/usr/bin/env bash
# test_fuzz_pcapng_comment.sh - builds the pcapng comment reader harness
# (fuzz_pcapng_comment.c: the EPB option walk of capture/pcapng_opts.c and the comment
# parser) with clang (ASan + UBSan) and runs it for a bounded time from seeds: every EPB of
# the hostile files of tests/gen/mkpcapng_comments.py. Any crash or sanitizer report fails.
# Exit 77 (skipped) when clang or its fuzzer runtime is missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
FUZZ_EXTRA_SRCS="$SRCDIR/src/capture/pcapng_opts.c $SRCDIR/src/procs/proc_comment.c" \
	fuzz_build fuzz_pcapng_comment
mkdir -p "$WORKDIR/seeds"
for c in $(python3 "$SRCDIR/tests/gen/mkpcapng_comments.py" --list); do
	python3 "$SRCDIR/tests/gen/mkpcapng_comments.py" "$c" -o "$WORKDIR/$c.pcapng"
	python3 - "$WORKDIR/$c.pcapng" "$WORKDIR/seeds/$c" <<'PY'
import struct, sys
data = open(sys.argv[1], "rb").read()
e = "<" if data[8:12] == b"\x4d\x3c\x2b\x1a" else ">"
off, n = 0, 0
while off + 12 <= len(data):
    btype, total = struct.unpack_from(e + "II", data, off)
    if total < 12:
        break
    if btype == 6:  # the flag byte (swapped when big-endian here), then the block
        open(f"{sys.argv[2]}-{n}", "wb").write(bytes([e == ">"]) + data[off:off + total])
        n += 1
    off += total
PY
done
fuzz_run fuzz_pcapng_comment 70000 "pcapng comment options"
