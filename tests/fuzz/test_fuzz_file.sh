#!/usr/bin/env bash
# test_fuzz_file.sh - builds the capture file harness (fuzz_file.c: pcap and pcapng bytes
# through libpcap on a memory stream, each packet dissected, then read back through
# pktfile.c at the positions the file source notes) with clang (ASan + UBSan) and runs it for
# a bounded time from seeds: small pcap captures of the generators and pcapng files with
# comments (tests/gen/mkpcapng_comments.py). Any crash or sanitizer report fails.
# Exit 77 (skipped) when clang, its fuzzer runtime or libpcap's development files are missing.
set -euo pipefail
: "${SRCDIR:?}" "${WORKDIR:?}"
SECS=${FUZZ_SECONDS:-20}
source "$SRCDIR/tests/lib/fuzz.sh"
pcap=$(pkg-config --libs libpcap 2>/dev/null || echo -lpcap)
FUZZ_EXTRA_SRCS="$SRCDIR/src/capture/pktfile.c $SRCDIR/src/capture/pcapng_opts.c $SRCDIR/src/capture/fileio.c \
	$SRCDIR/src/capture/posix/fileio_posix.c $SRCDIR/src/capture/linux/privsep_files.c $pcap" fuzz_build fuzz_file
mkdir -p "$WORKDIR/seeds"
for name in udp4 dns tcp-handshake vlan-qinq arp ipv6-ext gre http-get; do
	python3 "$SRCDIR/tests/gen/mkpcap.py" "$name" -o "$WORKDIR/seeds/$name.pcap" >/dev/null
done
for c in $(python3 "$SRCDIR/tests/gen/mkpcapng_comments.py" --list | head -6); do
	python3 "$SRCDIR/tests/gen/mkpcapng_comments.py" "$c" -o "$WORKDIR/seeds/$c.pcapng"
done
fuzz_run fuzz_file 16384 "the capture file path"
